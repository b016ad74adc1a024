package org.wsusfix.diagnose;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared real-world samples; tests that need one skip visibly when it is absent. */
public final class Samples {
  public static final Path DIR = Path.of("..", "shared", "samples");

  private Samples() {}

  public static Path require(String relative) {
    Path p = DIR.resolve(relative);
    assumeTrue(Files.isRegularFile(p), "sample " + p + " is absent; conformance test skipped");
    return p;
  }
}
