package org.wsusfix.resource.folder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.wsusfix.apply.Fixture;
import org.wsusfix.machine.memory.MemoryRegistry;
import org.wsusfix.machine.memory.MemoryTarget;
import org.wsusfix.plan.Plan;
import org.wsusfix.policy.PolicyException;
import org.wsusfix.policy.PolicyLoader;
import org.wsusfix.resource.Finding;
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;

/** The WSUS content folder, found from ContentDir on the target, in rules and expectations. */
class ContentFolderTest {
  static final Sid NS = Sid.parse("S-1-5-20");
  static final String SETUP = "HKLM\\SOFTWARE\\Microsoft\\Update Services\\Server\\Setup";
  static final String POLICY =
      """
      apiVersion: wsusfix/v1
      kind: Policy
      metadata: {name: content}
      rules:
        - path: '%WsusContentDir%\\WSUSContent'
          grants:
            - {trustee: NT AUTHORITY\\NETWORK SERVICE, rights: FullControl, inheritance: [OI, CI]}
        - path: '%WsusContentDrive%\\'
          grants:
            - {trustee: BUILTIN\\Users, rights: Read, inheritance: None}
      expect:
        - {identity: NT AUTHORITY\\NETWORK SERVICE, path: '%wsuscontentdir%\\WSUSContent', access: Modify, logon: service}
      """;

  static MemoryTarget server(String contentDir) {
    MemoryRegistry r = new MemoryRegistry().key(SETUP, Fixture.sd("O:BAG:SYD:AI(A;CI;KA;;;SY)"));
    if (contentDir != null) {
      r.value(SETUP, "ContentDir", contentDir);
    }
    SecurityDescriptor root =
        Fixture.sd("O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)");
    return Fixture.server()
        .account("NT AUTHORITY\\NETWORK SERVICE", NS)
        .withRegistry(r)
        .folder("D:\\", root)
        .folder(
            "D:\\WSUS",
            Fixture.sd("O:BAG:SYD:AI(A;OICIID;FA;;;SY)(A;OICIID;FA;;;BA)(A;OICIID;0x1200a9;;;BU)"))
        .folder(
            "D:\\WSUS\\WSUSContent",
            Fixture.sd("O:BAG:SYD:AI(A;OICIID;FA;;;SY)(A;OICIID;FA;;;BA)(A;OICIID;0x1200a9;;;BU)"));
  }

  @Test
  void theFolderNamedByContentDirGetsTheGrantAndTheDriveRootIsAlreadyCovered() {
    Plan plan = Fixture.plan(server("D:\\WSUS\\"), POLICY);
    assertEquals(
        List.of("D:\\WSUS\\WSUSContent"),
        plan.changes().stream().map(c -> ((DaclChange) c).path()).toList(),
        plan.changes().toString());
    assertTrue(
        plan.findings().stream().noneMatch(f -> f.severity() == Finding.Severity.UNVERIFIED),
        plan.findings().toString());
    assertEquals(1, plan.expectations().size());
    assertTrue(plan.expectations().get(0).met(), plan.expectations().toString());
  }

  @Test
  void withoutContentDirTheRulesAreUnverifiedAndThePlanGoesOn() {
    Plan plan = Fixture.plan(server(null), POLICY);
    assertTrue(plan.changes().isEmpty(), plan.changes().toString());
    List<Finding> unverified =
        plan.findings().stream().filter(f -> f.severity() == Finding.Severity.UNVERIFIED).toList();
    assertEquals(3, unverified.size(), unverified.toString());
    assertTrue(
        unverified.get(0).message().contains("ContentDir does not exist"),
        unverified.get(0).message());
  }

  @Test
  void aContentDirOnAShareOrWithControlCharactersIsNotUsed() {
    Plan unc = Fixture.plan(server("\\\\files01\\wsus"), POLICY);
    assertTrue(unc.changes().isEmpty());
    String why = unc.findings().get(0).message();
    assertTrue(why.contains("not a folder on this server"), why);

    Plan hostile = Fixture.plan(server("D:\\WSUS\n? unverified forged"), POLICY);
    assertTrue(hostile.changes().isEmpty());
    for (Finding f : hostile.findings()) {
      assertTrue(f.message().chars().noneMatch(c -> c < 0x20), f.message());
    }
  }

  @Test
  void aRegistryThatCannotBeReadLeavesTheRulesUnverified() {
    MemoryTarget t = server("D:\\WSUS");
    t.memoryRegistry().valuesDenied("cannot open the registry (winreg) of wsus01: access denied");
    Plan plan = Fixture.plan(t, POLICY);
    assertTrue(plan.changes().isEmpty());
    assertTrue(
        plan.findings().get(0).message().contains("access denied"), plan.findings().toString());
  }

  @Test
  void thePolicyTakesTheVariablesAsRootsAndRefusesThemInNames() {
    PolicyLoader.parse("p.yaml", POLICY.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    String bad = POLICY.replace("%WsusContentDrive%\\'", "%WsusContentDrive%'");
    PolicyException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            PolicyException.class,
            () ->
                PolicyLoader.parse(
                    "p.yaml", bad.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("relative path"), e.getMessage());
    String name = POLICY.replace("trustee: BUILTIN\\Users", "trustee: 'X%WsusContentDir%'");
    e =
        org.junit.jupiter.api.Assertions.assertThrows(
            PolicyException.class,
            () ->
                PolicyLoader.parse(
                    "p.yaml", name.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("cannot be used in an account name"), e.getMessage());
  }
}
