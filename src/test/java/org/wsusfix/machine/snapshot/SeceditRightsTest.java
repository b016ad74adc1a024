package org.wsusfix.machine.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsusfix.machine.RightsAccess;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.TargetException;
import org.wsusfix.machine.Targets;
import org.wsusfix.plan.Plan;
import org.wsusfix.plan.Planner;
import org.wsusfix.policy.PolicyLoader;
import org.wsusfix.resource.rights.RightChange;
import org.wsusfix.security.Sid;

/** User rights read offline from a secedit export, beside an icacls snapshot. */
class SeceditRightsTest {
  static final String EXPORT =
      String.join(
          "\r\n",
          "[Unicode]",
          "Unicode=yes",
          "[Privilege Rights]",
          "SeNetworkLogonRight = *S-1-1-0,*S-1-5-32-544,*S-1-5-32-545",
          "SeImpersonatePrivilege = *S-1-5-19,*S-1-5-20,*S-1-5-32-544,*S-1-5-6",
          "SeBatchLogonRight = *S-1-5-32-544,WSUS01\\svc_report",
          "SeDenyNetworkLogonRight = *S-1-5-17,Guest",
          "[Version]",
          "signature=\"$CHICAGO$\"",
          "Revision=1",
          "");

  static Path write(Path dir, String name, String text) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(0xFF);
    b.write(0xFE);
    b.write(text.getBytes(StandardCharsets.UTF_16LE));
    return Files.write(dir.resolve(name), b.toByteArray());
  }

  @Test
  void holdersAreSidsAndNamesStayUnresolved(@TempDir Path dir) throws Exception {
    RightsAccess r = SeceditRights.load(write(dir, "rights.inf", EXPORT));
    assertEquals(
        Set.of(
            Sid.parse("S-1-5-19"),
            Sid.parse("S-1-5-20"),
            Sid.parse("S-1-5-32-544"),
            Sid.parse("S-1-5-6")),
        r.holders("SeImpersonatePrivilege").sids());
    assertEquals(List.of("WSUS01\\svc_report"), r.holders("SeBatchLogonRight").unresolved());
    assertEquals(Set.of(), r.holders("SeTcbPrivilege").sids(), "omitted: nobody holds it");
    assertTrue(r.writer().isEmpty(), "read-only");
  }

  @Test
  void aBadLineIsNamedWithItsNumber(@TempDir Path dir) throws Exception {
    Path f = write(dir, "bad.inf", EXPORT.replace("*S-1-5-19", "*S-1-x"));
    TargetException e = assertThrows(TargetException.class, () -> SeceditRights.load(f));
    assertEquals(f + ":5: '*S-1-x' is not a SID", e.getMessage());
    Path plain = Files.writeString(dir.resolve("plain.inf"), EXPORT);
    assertEquals(
        plain + ":1: not a secedit export (secedit writes UTF-16LE with a byte order mark)",
        assertThrows(TargetException.class, () -> SeceditRights.load(plain)).getMessage());
  }

  @Test
  void plansRightsAgainstTheSnapshotAndKeysStayUnverified(@TempDir Path dir) throws Exception {
    Path rights = write(dir, "rights.inf", EXPORT);
    String icacls =
        "Microsoft.NET\r\nD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)\r\n";
    Path acl = Files.write(dir.resolve("acl.txt"), icacls.getBytes(StandardCharsets.UTF_16LE));
    Target t = Targets.open("snapshot:" + acl + "?rights=" + rights, Map.of());
    String policy =
        String.join(
            "\n",
            "apiVersion: wsusfix/v1",
            "kind: Policy",
            "metadata: {name: offline}",
            "registry:",
            "  - key: 'HKLM\\SOFTWARE\\Microsoft\\Update Services\\Server'",
            "    grants: [{trustee: BU, rights: ReadKey, inheritance: [CI]}]",
            "userRights:",
            "  - {right: SeImpersonatePrivilege, members: [IS]}",
            "  - {right: SeBatchLogonRight, members: [IS]}",
            "  - {right: SeDenyNetworkLogonRight, forbid: [IUSR]}",
            "");
    Plan plan =
        new Planner(t).plan(PolicyLoader.parse("p.yaml", policy.getBytes(StandardCharsets.UTF_8)));
    List<RightChange> changes = plan.changes(RightChange.class);
    assertEquals(
        List.of("SeImpersonatePrivilege", "SeBatchLogonRight", "SeDenyNetworkLogonRight"),
        changes.stream().map(RightChange::right).toList());
    assertEquals(
        List.of(), changes.get(2).after(), "IUSR removed; the unresolved Guest is left alone");
    String findings = plan.findings().toString();
    assertTrue(findings.contains("registry keys cannot be read on snapshot:"), findings);
    assertTrue(findings.contains("WSUS01\\svc_report"), findings);
    assertTrue(findings.contains("Guest"), findings);
  }
}
