package org.wsusfix.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Values the policy format refuses, each at the line and column where it is written. */
class RefusedValuesTest {
  private static final String HEAD =
      "apiVersion: wsusfix/v1\nkind: Policy\nmetadata:\n  name: x\nrules:\n";

  private static String error(String rules) {
    return assertThrows(
            PolicyException.class,
            () -> PolicyLoader.parse("p.yaml", (HEAD + rules).getBytes(StandardCharsets.UTF_8)))
        .getMessage();
  }

  private static String rule(String path, String inheritance) {
    return "  - path: "
        + path
        + "\n    grants:\n      - trustee: BU\n        rights: RX\n"
        + "        inheritance: "
        + inheritance
        + "\n";
  }

  @Test
  void anUnclosedIcaclsInheritanceIsRefused() {
    assertEquals(
        "p.yaml:10:22: malformed inheritance '(OI)(CI'; write each flag in its own parentheses,"
            + " (OI)(CI), or as a list, [OI, CI]",
        error(rule("C:\\WSUS", "'(OI)(CI'")));
  }

  @Test
  void yamlTagsAreRefused() {
    assertEquals(
        "p.yaml:6:11: YAML tag '!evil' is not supported; remove the tag; quote a value to make it text",
        error(
            "  - path: !evil C:\\WSUS\n    grants: [{trustee: BU, rights: RX, inheritance: []}]\n"));
    assertEquals(
        "p.yaml:7:13: YAML tag '!!seq' is not supported; remove the tag; quote a value to make it text",
        error(
            "  - path: C:\\WSUS\n    grants: !!seq [{trustee: BU, rights: RX, inheritance: []}]\n"));
    assertEquals(
        "p.yaml:7:24: YAML tag '!!str' is not supported; remove the tag; quote a value to make it text",
        error(
            "  - path: C:\\WSUS\n    grants: [{trustee: !!str BU, rights: RX, inheritance: []}]\n"));
  }

  @Test
  void reservedDeviceNamesAreRefusedWithAnyExtension() {
    for (String name :
        new String[] {"CON", "nul", "COM1", "LPT1", "CON.txt", "aux.tar.gz", "Com9 .log", "PRN"}) {
      String stem = name.split("\\.")[0].strip().toUpperCase(java.util.Locale.ROOT);
      assertEquals(
          "p.yaml:6:11: '"
              + name
              + "' in path 'C:\\Windows\\"
              + name
              + "' is the reserved device name "
              + stem
              + "; Windows opens the device "
              + stem
              + ", not a file, under any folder and with any extension",
          error(rule("'C:\\Windows\\" + name + "'", "[]")));
    }
    // Names that only start like a device are files.
    PolicyLoader.parse(
        "ok.yaml",
        (HEAD + rule("C:\\CONFIG\\COM10\\nul_x\\LPT", "[]")).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void pathsOverTheWindowsLimitAreRefused() {
    String longest = "C:\\" + "a\\".repeat(16_381) + "bc";
    assertEquals(32_767, longest.length());
    PolicyLoader.parse("ok.yaml", (HEAD + rule(longest, "[]")).getBytes(StandardCharsets.UTF_8));
    assertEquals(
        "p.yaml:6:11: path of 32,768 characters; Windows paths have at most 32,767",
        error(rule(longest + "c", "[]")));
  }

  @Test
  void bidirectionalControlsAreRefusedInPathsAndNames() {
    assertEquals(
        "p.yaml:6:11: invisible or text-reordering character U+202E in path 'C:\\WSUS\\\\u202etxt.exe';"
            + " such characters make a path look like another; type the path again",
        error(rule("\"C:\\\\WSUS\\\\\\u202Etxt.exe\"", "[]")));
    assertEquals(
        "p.yaml:8:18: invisible or text-reordering character U+2066 in account name 'CORP\\\\u2066x';"
            + " such characters make a name look like another; type the name again",
        error(
            "  - path: C:\\WSUS\n    grants:\n      - trustee: \"CORP\\\\\\u2066x\"\n        rights: RX\n"
                + "        inheritance: []\n"));
  }

  @Test
  void oneFolderNamedTwoWaysIsRefused() {
    assertEquals(
        "p.yaml:11:5: duplicate rule for path 'c:\\windows\\Temp' (first at line 6 as '%windir%\\TEMP');"
            + " merge their grants into one rule",
        error(rule("'%windir%\\TEMP'", "[]") + rule("'c:\\windows\\Temp'", "[]")));
    assertEquals(
        "p.yaml:11:5: duplicate rule for path 'C:\\Program Files\\Update Services' (first at line 6 as"
            + " '%ProgramFiles%\\update services'); merge their grants into one rule",
        error(
            rule("'%ProgramFiles%\\update services'", "[]")
                + rule("'C:\\Program Files\\Update Services'", "[]")));
  }

  @Test
  void anOptionalValueLeftEmptyIsRefusedLikeARequiredOne() {
    String membership =
        "  - path: C:\\WSUS\n    grants: [{trustee: BU, rights: RX, inheritance: []}]\n"
            + "memberships:\n  - group: BU\n    members: [IUSR]\n    mode: ";
    assertEquals(
        "p.yaml:11:5: 'mode' has no value; remove the key to use its default",
        error(membership + "~\n"));
    assertEquals(
        "p.yaml:11:5: 'mode' has no value; remove the key to use its default",
        error(membership + "\n"));
    assertEquals(
        "p.yaml:9:9: 'rights' has no value",
        error(
            "  - path: C:\\WSUS\n    grants:\n      - trustee: BU\n        rights: ~\n        inheritance: []\n"));
  }
}
