package org.wsusfix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsusfix.plan.PlanJson;

class PlanCommandTest {
  static final String EXAMPLE = "snapshot:examples/wsus01-broken.icacls?computer=WSUS01";

  @Test
  void everyCommandBuilds() {
    // picocli validates annotations lazily per command; building the tree checks them all.
    CliRun r = CliRun.of("--help");
    assertEquals(0, r.exit(), r.toString());
    for (String c :
        new String[] {
          "plan", "check", "show", "apply", "rollback", "completion", "sddl", "policy"
        }) {
      assertTrue(r.out().contains(c), c);
      assertEquals(0, CliRun.of(c, "--help").exit(), c);
    }
  }

  @Test
  void planOfTheExampleFindsTheFrameworkFixAndExitsTwo() {
    CliRun r = CliRun.of("plan", "-p", "wsus-iis6", "--target", EXAMPLE);
    assertEquals(2, r.exit(), r.toString());
    assertTrue(
        r.out().contains("~ C:\\Windows\\Microsoft.NET\\Framework  (folder, protected"), r.out());
    assertTrue(r.out().contains("+ allow BUILTIN\\Users"), r.out());
    assertTrue(r.out().contains("inherited by: 39 descendants"), r.out());
    assertTrue(r.out().contains("- deny  Everyone"), r.out());
    assertTrue(r.out().contains("IUSR_WSUS01"), "variables are filled in for display: " + r.out());
    assertEquals("", r.err());
  }

  @Test
  void jsonPlanHasTheDocumentedFieldsAndRoundTrips(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("plan.json");
    CliRun r =
        CliRun.of(
            "plan", "-p", "wsus-iis6", "--target", EXAMPLE, "--json", "--out", out.toString());
    assertEquals(2, r.exit(), r.toString());
    JsonNode root = new ObjectMapper().readTree(r.out());
    assertEquals(2, root.get("formatVersion").asInt());
    assertEquals(64, root.get("policyDigest").asText().length());
    JsonNode first = root.get("changes").get(0);
    for (String field :
        new String[] {"kind", "path", "before", "beforeSha256", "after", "reason", "descendants"}) {
      assertTrue(first.has(field), field);
    }
    assertEquals(r.out(), Files.readString(out));
    assertEquals(3, PlanJson.read(out).changes().size());
  }

  @Test
  void checkUsesTheDetectionScriptConvention() {
    CliRun bad = CliRun.of("check", "-p", "wsus-iis6", "--target", EXAMPLE);
    assertEquals(1, bad.exit(), bad.toString());
    assertTrue(bad.out().startsWith("not compliant: wsus-iis6"), bad.out());
    CliRun error = CliRun.of("check", "-p", "wsus-iis6", "--target", "snapshot:no-such-file");
    assertEquals(2, error.exit(), error.toString());
    assertEquals("wsusfix: snapshot file not found: no-such-file\n", error.err());
  }

  @Test
  void aPolicyNoneOfWhosePathsExistsChecksNothingAndSaysSo(@TempDir Path dir) throws Exception {
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
    CliRun check = CliRun.of("check", "-p", policy.toString(), "--target", EXAMPLE);
    assertEquals(3, check.exit(), check.toString());
    assertTrue(check.out().startsWith("nothing checked: elsewhere on "), check.out());
    assertTrue(
        check.out().contains("Nothing checked: none of the policy's paths exists on "),
        check.out());
    CliRun plan = CliRun.of("plan", "-p", policy.toString(), "--target", EXAMPLE);
    assertEquals(3, plan.exit(), plan.toString());
    CliRun json = CliRun.of("plan", "-p", policy.toString(), "--target", EXAMPLE, "--json");
    JsonNode root = new ObjectMapper().readTree(json.out());
    assertFalse(root.get("compliant").asBoolean());
    assertTrue(root.get("nothingChecked").asBoolean());
  }

  @Test
  void aUsageErrorExitsWithTheCommandsErrorCode() {
    CliRun check = CliRun.of("check", "-p", "wsus-iis6", "--target", EXAMPLE, "--no-such-option");
    assertEquals(2, check.exit(), "check: 1 would read as not compliant; " + check);
    assertTrue(check.err().startsWith("wsusfix: Unknown option: '--no-such-option'"), check.err());
    assertEquals(
        1, CliRun.of("plan", "-p", "wsus-iis6", "--target", EXAMPLE, "--no-such-option").exit());
  }

  @Test
  void controlCharactersInAnErrorAreEscaped() {
    CliRun r =
        CliRun.of(
            "plan", "-p", "wsus-iis6", "--target", "snapshot:x\u001b]0;owned\u0007\nsecond\u202e");
    assertEquals(1, r.exit(), r.toString());
    assertEquals(
        "wsusfix: snapshot file not found: x\\x1b]0;owned\\x07\\x0asecond\\u202e\n", r.err());
    CliRun usage = CliRun.of("plan", "-p", "wsus-iis6", "--bad\u001b[31m");
    assertTrue(usage.err().startsWith("wsusfix: Unknown option: '--bad\\x1b[31m'"), usage.err());
  }

  @Test
  void planErrorsAreOneLineAndExitOne() {
    CliRun r = CliRun.of("plan", "-p", "wsus-iis6", "--target", "ftp://x");
    assertEquals(1, r.exit());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("wsusfix: unknown target 'ftp://x'"), r.err());
  }

  @Test
  void localTargetOffWindowsNamesTheOthers() {
    org.junit.jupiter.api.Assumptions.assumeFalse(
        System.getProperty("os.name").startsWith("Windows"));
    CliRun r = CliRun.of("plan", "-p", "wsus-iis6", "--target", "local");
    assertEquals(1, r.exit());
    assertTrue(
        r.err().contains("needs Windows")
            && r.err().contains("smb://")
            && r.err().contains("snapshot:"),
        r.err());
  }

  @Test
  void showPrintsTheTableSddlAndWhoDecided() {
    CliRun r =
        CliRun.of(
            "show",
            "C:\\Windows\\Microsoft.NET\\Framework\\v2.0.50727",
            "--target",
            EXAMPLE,
            "--access-for",
            "BUILTIN\\Users");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("D:AI(A;ID;FA;;;"), r.out());
    assertTrue(r.out().contains("access of BUILTIN\\Users (network logon): none"), r.out());
    assertTrue(r.out().contains("decided by: no entry grants this identity anything"), r.out());
  }

  @Test
  void showJsonGivesGrantedMaskAndDecidingAce() throws Exception {
    CliRun r =
        CliRun.of(
            "show",
            "C:\\Windows\\Microsoft.NET",
            "--target",
            EXAMPLE,
            "--access-for",
            "BU",
            "--json");
    assertEquals(0, r.exit(), r.toString());
    JsonNode access = new ObjectMapper().readTree(r.out()).get("access");
    assertEquals("S-1-5-32-545", access.get("sid").asText());
    assertEquals("0x1200a9", access.get("grantedMask").asText());
    // A group's access is that of a token holding it, not a logon that adds Everyone.
    assertFalse(access.get("groups").toString().contains("S-1-1-0"), access.toString());
    assertTrue(access.get("decidedBy").asText().contains("BUILTIN\\Users"), access.toString());
  }
}
