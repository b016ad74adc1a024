package org.wsusfix.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Dependencies inside diagnose point one way: the root uses its subpackages, never the reverse. */
class PackageDependencyTest {
  private static final Path ROOT = Path.of("src/main/java/org/wsusfix/diagnose");
  private static final Pattern ROOT_IMPORT =
      Pattern.compile("^import (static )?org\\.wsusfix\\.diagnose\\.[A-Z]", Pattern.MULTILINE);
  private static final Pattern SUB_IMPORT = Pattern.compile(
      "^import (static )?org\\.wsusfix\\.diagnose\\.(?!input\\.)[a-z]+\\.", Pattern.MULTILINE);

  @Test
  void subpackagesDoNotImportTheRoot() throws IOException {
    assertEquals(List.of(), offenders(ROOT, ROOT_IMPORT, true));
  }

  @Test
  void inputIsALeaf() throws IOException {
    assertEquals(List.of(), offenders(ROOT.resolve("input"), SUB_IMPORT, false));
  }

  private static List<String> offenders(Path dir, Pattern p, boolean subpackagesOnly)
      throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path f : s.filter(x -> x.toString().endsWith(".java")).toList()) {
        if (subpackagesOnly && f.getParent().equals(dir)) {
          continue;
        }
        if (p.matcher(Files.readString(f)).find()) {
          out.add(dir.relativize(f).toString());
        }
      }
    }
    return out;
  }
}
