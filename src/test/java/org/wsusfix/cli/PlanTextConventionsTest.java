package org.wsusfix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsusfix.machine.Targets;
import org.wsusfix.machine.memory.MemoryTarget;
import org.wsusfix.machine.memory.MemoryTargets;
import org.wsusfix.security.Sddl;

/**
 * What the plan text promises: verdict first, the target as given, one line per cause, a legend
 * last.
 */
class PlanTextConventionsTest {
  static final String EXAMPLE = PlanCommandTest.EXAMPLE;

  private static List<String> lines(CliRun r) {
    return r.out().lines().toList();
  }

  @Test
  void theVerdictComesFirstAndAgreesWithTheSummaryAndTheExitCode() {
    CliRun r = CliRun.of("plan", "-p", "wsus-iis7", "--target", EXAMPLE);
    assertEquals(2, r.exit(), r.toString());
    List<String> lines = lines(r);
    assertEquals(
        "Verdict: not compliant: 1 change needed (1 DACL); 8 items unverified", lines.get(0));
    assertTrue(
        r.out()
            .contains(
                "\nPlan: 1 change (1 DACL), 0 conflicts, 0 unmet expectations, 8 unverified.\n"),
        r.out());
  }

  @Test
  void theHeaderNamesTheTargetAsTheUserGaveIt() {
    CliRun r = CliRun.of("plan", "-p", "wsus-iis7", "--target", EXAMPLE);
    String header = lines(r).get(1);
    assertTrue(
        header.startsWith("Policy wsus-iis7 (sha256 ") && header.endsWith(") against " + EXAMPLE),
        header);
    assertFalse(r.out().contains("?base="), "no option the user did not write: " + r.out());
    CliRun check = CliRun.of("check", "-p", "wsus-iis7", "--target", EXAMPLE);
    assertTrue(
        check.out().startsWith("not compliant: wsus-iis7 on " + EXAMPLE + " - Plan: "),
        check.out());
  }

  @Test
  void thePlanFileKeepsTheCanonicalTargetAndNoneOfTheText() throws Exception {
    CliRun r = CliRun.of("plan", "-p", "wsus-iis7", "--target", EXAMPLE, "--json");
    JsonNode root = new ObjectMapper().readTree(r.out());
    assertEquals(
        "snapshot:examples/wsus01-broken.icacls?base=C:\\Windows", root.get("target").asText());
    assertFalse(r.out().contains("Verdict") || r.out().contains("Legend"), r.out());
    // every finding is still its own entry: folding is only how the text shows them
    long rights = 0;
    for (JsonNode f : root.get("findings")) {
      rights += f.get("message").asText().startsWith("user rights cannot be read") ? 1 : 0;
    }
    assertEquals(3, rights);
  }

  @Test
  void findingsOfOneCauseAreOneLineThatCountsAndNamesThem() {
    CliRun r = CliRun.of("plan", "-p", "wsus-iis7", "--target", EXAMPLE);
    List<String> rights =
        lines(r).stream().filter(l -> l.contains("user rights cannot be read")).toList();
    assertEquals(
        List.of(
            "? unverified 3 user rights (SeImpersonatePrivilege, SeBatchLogonRight, SeDenyNetworkLogonRight):"
                + " user rights cannot be read on "
                + EXAMPLE
                + "; not verified"),
        rights);
    List<String> keys =
        lines(r).stream().filter(l -> l.contains("registry keys cannot be read")).toList();
    assertEquals(1, keys.size(), r.out());
    assertTrue(
        keys.get(0)
            .startsWith(
                "? unverified 2 registry keys (HKLM\\SOFTWARE\\Microsoft\\Update Services\\Server, "),
        keys.get(0));
    List<String> missing = lines(r).stream().filter(l -> l.endsWith("; rule skipped")).toList();
    assertEquals(1, missing.size(), r.out());
    assertTrue(
        missing
            .get(0)
            .startsWith(
                "! warning    9 paths (C:\\Windows\\Microsoft.NET\\Framework64\\v2.0.50727\\Temporary"
                    + " ASP.NET Files, C:\\Program Files\\Update Services\\WebServices\\ApiRemoting30, "),
        missing.get(0));
    // a cause with one subject keeps its own line
    assertTrue(
        r.out()
            .contains(
                "\n? unverified IIS WSUS Administration: the IIS configuration cannot be read on "),
        r.out());
  }

  @Test
  void theLegendListsExactlyTheMarksUsed() {
    CliRun iis7 = CliRun.of("plan", "-p", "wsus-iis7", "--target", EXAMPLE);
    List<String> lines = lines(iis7);
    assertEquals(
        "Legend: ~ changed, + added, ? unverified, ! warning or conflict",
        lines.get(lines.size() - 1));
    CliRun iis6 = CliRun.of("plan", "-p", "wsus-iis6", "--target", EXAMPLE);
    assertTrue(iis6.out().contains("\n    - deny  Everyone"), iis6.out());
    assertTrue(
        iis6.out()
            .endsWith(
                "\nLegend: ~ changed, + added, - removed, ? unverified, ! warning or conflict\n"),
        iis6.out());
  }

  @Test
  void compliantAndUnmetVerdicts(@TempDir Path dir) throws Exception {
    Path met =
        policy(
            dir,
            "met",
            "{identity: NT AUTHORITY\\NETWORK SERVICE, path: 'C:\\Windows\\Temp', access: Modify}");
    CliRun ok = CliRun.of("plan", "-p", met.toString(), "--target", EXAMPLE);
    assertEquals(0, ok.exit(), ok.toString());
    assertEquals("Verdict: compliant", lines(ok).get(0));
    assertTrue(
        ok.out().endsWith("\nCompliant: nothing to change.\n"),
        "no mark used, no legend: " + ok.out());
    assertEquals(0, CliRun.of("check", "-p", met.toString(), "--target", EXAMPLE).exit());
  }

  @Test
  void unmetExpectationsAndConflictsAreNotCompliantWithoutAnyChange(@TempDir Path dir)
      throws Exception {
    // Allow before deny is not canonical: wsusfix will not reorder it by itself.
    MemoryTarget mem =
        new MemoryTarget("memory:verdicts")
            .folder("C:\\Data", Sddl.parse("D:P(A;;FA;;;SY)(D;;FA;;;WD)", null));
    MemoryTargets.serve("memory:verdicts", () -> mem);
    try {
      Path unmet =
          policy(
              dir,
              "unmet",
              "{identity: SY, path: 'C:\\Data', access: FullControl}",
              "{identity: BA, path: 'C:\\Data', access: FullControl}");
      CliRun no = CliRun.of("plan", "-p", unmet.toString(), "--target", "memory:verdicts");
      assertEquals(2, no.exit(), no.toString());
      assertEquals("Verdict: not compliant: 1 unmet expectation", lines(no).get(0));
      assertEquals(
          1, CliRun.of("check", "-p", unmet.toString(), "--target", "memory:verdicts").exit());

      Path rule =
          Files.writeString(
              dir.resolve("rule.yaml"),
              String.join(
                  "\n",
                  "apiVersion: wsusfix/v1",
                  "kind: Policy",
                  "metadata: {name: rule}",
                  "rules:",
                  "  - path: 'C:\\Data'",
                  "    grants:",
                  "      - {trustee: SY, rights: FullControl, inheritance: []}",
                  ""));
      CliRun conflict = CliRun.of("plan", "-p", rule.toString(), "--target", "memory:verdicts");
      assertEquals(2, conflict.exit(), conflict.toString());
      assertEquals("Verdict: not compliant: 1 conflict to decide", lines(conflict).get(0));
      assertTrue(
          conflict.out().contains("\n! conflict   C:\\Data: DACL is not in canonical order"),
          conflict.out());
      assertTrue(conflict.out().endsWith("\nLegend: ! warning or conflict\n"), conflict.out());
    } finally {
      MemoryTargets.forget("memory:verdicts");
    }
  }

  @Test
  void nothingCheckedIsItsOwnVerdict(@TempDir Path dir) throws Exception {
    Path policy =
        Files.writeString(
            dir.resolve("elsewhere.yaml"),
            String.join(
                "\n",
                "apiVersion: wsusfix/v1",
                "kind: Policy",
                "metadata: {name: elsewhere}",
                "rules:",
                "  - path: 'D:\\NoSuchFolder'",
                "    grants:",
                "      - {trustee: BU, rights: ReadAndExecute, inheritance: [OI, CI]}",
                ""));
    CliRun r = CliRun.of("plan", "-p", policy.toString(), "--target", EXAMPLE);
    assertEquals(3, r.exit(), r.toString());
    assertEquals(
        "Verdict: nothing checked: none of the policy's paths exists on " + EXAMPLE,
        lines(r).get(0));
  }

  @Test
  void aShownTargetNeverCarriesAPasswordOrAControlCharacter() {
    assertEquals("smb://CORP;admin@wsus01/c$", Targets.shown("smb://CORP;admin@wsus01/c$"));
    assertEquals("smb://admin:***@wsus01/c$", Targets.shown("smb://admin:hunter2@wsus01/c$"));
    assertEquals("smb://admin:***@wsus01/c$", Targets.shown("smb://admin%3Ahunter2@wsus01/c$"));
    assertEquals(
        "smb://admin:***@wsus01/c$?root=D:\\",
        Targets.shown("smb://admin:p@ss@wsus01/c$?root=D:\\"));
    assertEquals(
        "snapshot:a\\x1b[31mb?computer=X", Targets.shown("snapshot:a\u001b[31mb?computer=X"));
    // and a target that carries one is refused before anything could print it
    CliRun r =
        CliRun.of("plan", "-p", "wsus-iis7", "--target", "smb://admin:hunter2@127.0.0.1:1/c$");
    assertEquals(1, r.exit(), r.toString());
    assertFalse(r.out().contains("hunter2") || r.err().contains("hunter2"), r.toString());
  }

  @Test
  void theReadmeShowsTheExamplePlanAsItIs() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    int at = readme.indexOf("It starts and ends like this");
    assertTrue(at > 0, "README shows the example plan");
    int start = readme.indexOf("```\n", at) + 4;
    List<String> shown = readme.substring(start, readme.indexOf("```", start)).lines().toList();
    List<String> real = lines(CliRun.of("plan", "-p", "wsus-iis6", "--target", EXAMPLE));
    assertEquals(real.get(0), shown.get(0));
    assertEquals(
        real.get(1).replaceAll("sha256 \\w+", "sha256"),
        shown.get(1).replaceAll("sha256 \\w+", "sha256"));
    assertEquals(
        real.subList(real.size() - 2, real.size()), shown.subList(shown.size() - 2, shown.size()));
    for (String line : shown) {
      assertTrue(
          line.trim().equals("...") || real.contains(line) || line.startsWith("Policy "),
          "README line not in the plan: " + line);
    }
  }

  private static Path policy(Path dir, String name, String... expectations) throws Exception {
    StringBuilder yaml =
        new StringBuilder(
            "apiVersion: wsusfix/v1\nkind: Policy\nmetadata: {name: " + name + "}\nexpect:\n");
    for (String e : expectations) {
      yaml.append("  - ").append(e).append('\n');
    }
    return Files.writeString(dir.resolve(name + ".yaml"), yaml.toString());
  }
}
