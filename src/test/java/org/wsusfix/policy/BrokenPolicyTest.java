package org.wsusfix.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each file under src/test/resources/policies/broken starts with {@code # expect: LINE}, the exact
 * error line loading it must give (the file shown as broken/NAME.yaml).
 */
class BrokenPolicyTest {
  private static final Path DIR = Path.of("src/test/resources/policies/broken");
  private static final String MARK = "# expect: ";

  static List<Path> brokenPolicies() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  @Test
  void corpusIsLargeEnough() throws IOException {
    assertTrue(
        brokenPolicies().size() >= 35, "only " + brokenPolicies().size() + " broken policies");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenPolicies")
  void givesItsExactErrorLine(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    String first = new String(bytes, StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
    assertTrue(first.startsWith(MARK), file + " must start with '" + MARK + "...'");
    String expected =
        new String(
            first.substring(MARK.length()).getBytes(StandardCharsets.ISO_8859_1),
            StandardCharsets.UTF_8);
    String shown = "broken/" + file.getFileName();
    PolicyException e = assertThrows(PolicyException.class, () -> PolicyLoader.parse(shown, bytes));
    assertEquals(expected, e.getMessage());
    // The parts agree with the line, and every error of this corpus has a position.
    assertEquals(shown, e.file());
    assertTrue(e.line() > 0 && e.column() > 0, "no position in: " + e.getMessage());
    assertTrue(
        e.getMessage().startsWith(shown + ":" + e.line() + ":" + e.column() + ": " + e.problem()));
    assertTrue(!e.getMessage().contains("\n"), "more than one line");
  }
}
