package org.wsusfix.diagnose;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared real-world samples; tests that need one skip visibly when it is absent. */
public final class Samples {
  /**
   * {@code ../shared/samples} next to the project. Found from the working directory upwards, so a
   * build started in a subfolder (or by an IDE) finds it too; {@code -Dwsusfix.samples=DIR} names
   * another place.
   */
  public static final Path DIR = locate();

  private Samples() {}

  private static Path locate() {
    String given = System.getProperty("wsusfix.samples");
    if (given != null && !given.isBlank()) {
      return Path.of(given);
    }
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      Path candidate = p.resolveSibling("shared").resolve("samples");
      if (p.getParent() != null && Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    return Path.of("..", "shared", "samples");
  }

  public static Path require(String relative) {
    Path p = DIR.resolve(relative);
    assumeTrue(Files.isRegularFile(p), "sample " + p + " is absent; conformance test skipped");
    return p;
  }
}
