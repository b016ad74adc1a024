package org.wsusfix.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wsusfix.apply.Fixture;
import org.wsusfix.resource.FormatException;

/**
 * A plan file with a field missing or of the wrong type is refused with its line, not read as a
 * default.
 */
class PlanJsonStrictTest {
  static String planText() {
    return PlanJson.write(Fixture.plan(Fixture.server()));
  }

  /** The plan text with the first occurrence of {@code from} replaced. */
  static String edited(String from, String to) {
    String text = planText();
    int at = text.indexOf(from);
    if (at < 0) {
      throw new AssertionError("not in the plan: " + from);
    }
    return text.substring(0, at) + to + text.substring(at + from.length());
  }

  static int lineOf(String text, String needle) {
    return (int) text.substring(0, text.indexOf(needle)).chars().filter(c -> c == '\n').count() + 1;
  }

  @ParameterizedTest(name = "{0} -> {1}")
  // quotes begin some fields here; JUnit 6 would read those as quoted, so ` quotes instead
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "\"container\" : true|\"container\" : \"yes\"|'container' is not true or false",
        "\"propagate\" : true|\"propagate\" : 1|'propagate' is not true or false",
        "\"descendants\" : 5|\"descendants\" : \"5\"|'descendants' is not a whole number",
        "\"descendants\" : 5|\"descendants\" : -3|'descendants' is not a count (-1: cannot walk, -2: not counted)",
        "\"member\" : \"S-1-5-17\"|\"member\" : \"IUSR\"|'member' is not a SID",
        "\"kind\" : \"dacl\"|\"kind\" : \"acl\"|'kind' is 'acl', which this wsusfix does not know"
      })
  void aMistypedFieldIsRefusedOnItsLine(String from, String to, String problem) {
    String text = edited(from, to);
    FormatException e = assertThrows(FormatException.class, () -> PlanJson.read("p.json", text));
    String expected = "p.json:" + lineOf(text, to) + ": changes[";
    assertEquals(
        true,
        e.getMessage().startsWith(expected)
            && e.getMessage().endsWith("]: " + problem)
            && e.getMessage()
                .substring(expected.length(), e.getMessage().length() - problem.length() - 3)
                .matches("\\d+"),
        e.getMessage());
  }

  @ParameterizedTest(name = "without {0}")
  @CsvSource({"beforeSha256", "after", "path", "groupName"})
  void aMissingFieldIsRefusedAtItsObject(String field) {
    String text = planText().replaceFirst("\\s*\"" + field + "\" : \"[^\"]*\",", "");
    FormatException e = assertThrows(FormatException.class, () -> PlanJson.read("p.json", text));
    assertEquals(
        true,
        e.getMessage().matches("p\\.json:\\d+: changes\\[\\d\\]: '" + field + "' is missing"),
        e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "[]|p.json:1: a JSON object expected",
        "{\"formatVersion\": 2, \"formatVersion\": 2}|p.json:1: 'formatVersion' appears twice",
        "{}|p.json:1: not a wsusfix plan (no formatVersion)",
        "{\"formatVersion\": 2}|p.json:1: 'changes' is missing"
      })
  void notAPlanAtAll(String text, String message) {
    assertEquals(
        message,
        assertThrows(FormatException.class, () -> PlanJson.read("p.json", text)).getMessage());
  }

  @org.junit.jupiter.api.Test
  void aDeviceAnOversizedFileAndHostileTextAreRefusedInOneLine(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
    FormatException dev =
        assertThrows(
            FormatException.class, () -> PlanJson.read(java.nio.file.Path.of("/dev/zero")));
    assertEquals("/dev/zero:1: is not a regular file (a device, pipe or socket)", dev.getMessage());
    java.nio.file.Path big = dir.resolve("big.json");
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(org.wsusfix.files.BoundedFiles.PLAN_LIMIT + 1);
    }
    FormatException e = assertThrows(FormatException.class, () -> PlanJson.read(big));
    assertEquals(
        true,
        e.getMessage()
            .startsWith(
                big
                    + ":1: is "
                    + (org.wsusfix.files.BoundedFiles.PLAN_LIMIT + 1)
                    + " bytes, more than the plan limit of 256 MiB"),
        e.getMessage());
    FormatException hostile =
        assertThrows(
            FormatException.class,
            () ->
                PlanJson.read(
                    "p.json",
                    "{\"formatVersion\": 2, \"changes\": [{\"kind\": \"x\\u2028\\u001b[31m\"}]}"));
    assertEquals(
        "p.json:1: changes[0]: 'kind' is 'x\\u2028\\u001b[31m', which this wsusfix does not know",
        hostile.getMessage());
  }
}
