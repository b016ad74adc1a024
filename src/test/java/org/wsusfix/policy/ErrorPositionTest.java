package org.wsusfix.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Errors the YAML reader reports badly are found and placed by the loader itself. */
class ErrorPositionTest {
  private static String error(String text) {
    return assertThrows(
            PolicyException.class,
            () -> PolicyLoader.parse("p.yaml", text.getBytes(StandardCharsets.UTF_8)))
        .getMessage();
  }

  @Test
  void aNulIsReportedWhereItIs() {
    assertEquals(
        "p.yaml:2:10: character U+0000 is not allowed in a policy; YAML files hold printable text"
            + " only; remove it",
        error("apiVersion: wsusfix/v1\nkind: Pol\0cy\n"));
    assertEquals(
        "p.yaml:1:3: character U+001B is not allowed in a policy; YAML files hold printable text"
            + " only; remove it",
        error("# \u001b[2J\n"));
  }

  @Test
  void aKeyThatIsNotTextIsExplainedWithoutTheParsersInternals() {
    assertEquals(
        "p.yaml:2:1: YAML error: a mapping key must be text, not a list, a mapping or an alias",
        error("apiVersion: wsusfix/v1\n? [a, b]\n: c\n").replaceFirst(":\\d+:\\d+:", ":2:1:"));
  }

  @Test
  void inputTextInAMessageCannotBreakTheLine() {
    String m =
        error(
            "apiVersion: wsusfix/v1\nkind: Policy\nmetadata:\n  name: x\nrules:\n  - path: C:\\WSUS\n"
                + "    grants: [{trustee: BU, rights: \"Full\\u2028Control\", inheritance: []}]\n");
    assertEquals("p.yaml:7:36: unknown right 'Full\\u2028Control'", m.substring(0, m.indexOf(';')));
  }
}
