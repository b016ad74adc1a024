package org.wsusfix.machine.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsusfix.apply.Executor;
import org.wsusfix.apply.Rollback;
import org.wsusfix.apply.UndoJournal;
import org.wsusfix.machine.memory.MemoryRegistry;
import org.wsusfix.machine.memory.MemoryTarget;
import org.wsusfix.plan.Plan;
import org.wsusfix.plan.Planner;
import org.wsusfix.policy.PolicyLoader;
import org.wsusfix.resource.WalkProgress;
import org.wsusfix.resource.folder.DaclChange;
import org.wsusfix.resource.folder.Descendants;
import org.wsusfix.resource.group.MembershipChange;
import org.wsusfix.security.Inheritance;
import org.wsusfix.security.Sddl;
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;

/**
 * The scenario the Windows CI job runs for real (.github/workflows/ci.yml), rehearsed on the memory
 * target with the same policy files, so the job's expectations are known to follow from them: Users
 * comes back as (OI)(CI)(RX) on the folder and (I)(RX) on its files, and leaves again on rollback;
 * Authenticated Users joins wsusfix-test and leaves again; a key, a logon right and the content
 * folder found from ContentDir change and come back.
 */
class CiScenarioTest {
  static final Sid MACHINE = Sid.parse("S-1-5-21-1111111111-2222222222-3333333333");
  static final String DATA = "C:\\wsusfix-ci\\data";
  static final Sid TEST_GROUP = MACHINE.withRid(1001);

  @TempDir Path dir;

  private static Plan plan(MemoryTarget t, String resource) throws IOException {
    try (InputStream in = CiScenarioTest.class.getResourceAsStream("/windows/" + resource)) {
      return new Planner(t).plan(PolicyLoader.parse(resource, in.readAllBytes()));
    }
  }

  private static String sddl(MemoryTarget t, String path) {
    return Sddl.format(t.read(path), MACHINE);
  }

  @Test
  void usersComesBackReadAndExecuteOnTheTreeAndLeavesOnRollback() throws Exception {
    // what `icacls DATA /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F` then `/inheritance:r`
    // leave
    SecurityDescriptor data = Sddl.parse("O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)", MACHINE);
    SecurityDescriptor sub =
        Inheritance.recomputeChild(data, Sddl.parse("O:BAG:SYD:AI", MACHINE), true);
    MemoryTarget t =
        new MemoryTarget("memory:ci")
            .machineSid(MACHINE)
            .folder(DATA, data)
            .file(
                DATA + "\\a.txt",
                Inheritance.recomputeChild(data, Sddl.parse("O:BAG:SYD:AI", MACHINE), false))
            .folder(DATA + "\\sub", sub)
            .file(
                DATA + "\\sub\\file.txt",
                Inheritance.recomputeChild(sub, Sddl.parse("O:BAG:SYD:AI", MACHINE), false));
    Plan plan = plan(t, "grant-users.yaml");
    assertEquals(1, plan.changes().size());
    DaclChange change = plan.changes(DaclChange.class).get(0);
    assertEquals(
        Descendants.counted(3), change.descendants(), "a.txt, sub and sub\\file.txt re-inherit");

    Path journal = dir.resolve("undo.jsonl");
    Executor.Outcome outcome =
        new Executor(t, new PrintWriter(new StringWriter()), WalkProgress.NONE)
            .apply(plan, journal, "test");
    assertTrue(outcome.ok(), outcome.failure());
    // icacls shows these as BUILTIN\Users:(OI)(CI)(RX), (I)(OI)(CI)(RX) and (I)(RX)
    assertEquals(
        "O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)", sddl(t, DATA));
    assertTrue(
        sddl(t, DATA + "\\sub").contains("(A;OICIID;0x1200a9;;;BU)"), sddl(t, DATA + "\\sub"));
    assertTrue(
        sddl(t, DATA + "\\a.txt").contains("(A;ID;0x1200a9;;;BU)"), sddl(t, DATA + "\\a.txt"));
    assertTrue(sddl(t, DATA + "\\sub\\file.txt").contains("(A;ID;0x1200a9;;;BU)"));

    Rollback.Result rb =
        new Rollback(t, new PrintWriter(new StringWriter()))
            .run(UndoJournal.read(journal), false, false);
    assertTrue(rb.complete(), rb.summary());
    for (String p : List.of(DATA, DATA + "\\a.txt", DATA + "\\sub", DATA + "\\sub\\file.txt")) {
      assertTrue(!sddl(t, p).contains(";BU)"), p + ": " + sddl(t, p));
    }
  }

  @Test
  void authenticatedUsersJoinsTheTestGroupBySidAndLeavesOnRollback() throws Exception {
    Sid authenticatedUsers = Sid.parse("S-1-5-11");
    MemoryTarget t =
        new MemoryTarget("memory:ci")
            .machineSid(MACHINE)
            .account("wsusfix-test", TEST_GROUP)
            .group(TEST_GROUP);
    Plan plan = plan(t, "ensure-member.yaml");
    assertEquals(1, plan.changes(MembershipChange.class).size());
    assertTrue(plan.changes(MembershipChange.class).get(0).add());
    Path journal = dir.resolve("undo.jsonl");
    assertTrue(
        new Executor(t, new PrintWriter(new StringWriter()), WalkProgress.NONE)
            .apply(plan, journal, "test")
            .ok());
    assertEquals(Set.of(authenticatedUsers), t.groupMembers(TEST_GROUP).orElseThrow());
    assertTrue(
        new Rollback(t, new PrintWriter(new StringWriter()))
            .run(UndoJournal.read(journal), false, false)
            .complete());
    assertEquals(Set.of(), t.groupMembers(TEST_GROUP).orElseThrow());
  }

  @Test
  void usersReadsTheKeyTheGroupGetsBatchLogonAndTheContentFolderNetworkService() throws Exception {
    String key = "HKLM\\SOFTWARE\\wsusfix-ci";
    String setup = "HKLM\\SOFTWARE\\Microsoft\\Update Services\\Server\\Setup";
    String content = "C:\\wsusfix-ci\\content\\WSUSContent";
    Sid rightsGroup = MACHINE.withRid(1002);
    Sid networkService = Sid.parse("S-1-5-20");
    // what the job's Set-Acl leaves: protected, SYSTEM and Administrators with CI, Child inheriting
    SecurityDescriptor parent = Sddl.parse("O:BAG:SYD:PAI(A;CI;KA;;;SY)(A;CI;KA;;;BA)", MACHINE);
    MemoryRegistry registry =
        new MemoryRegistry()
            .key(key, parent)
            .key(
                key + "\\Child",
                Inheritance.recomputeKey(parent, Sddl.parse("O:BAG:SYD:AI", MACHINE)))
            .key(setup, Sddl.parse("O:BAG:SYD:AI(A;CI;KA;;;SY)", MACHINE))
            .value(setup, "ContentDir", "C:\\wsusfix-ci\\content")
            .right("SeBatchLogonRight", Sid.parse("S-1-5-32-544"));
    MemoryTarget t =
        new MemoryTarget("memory:ci")
            .machineSid(MACHINE)
            .variable("computername", "CI")
            .account("CI\\wsusfix-rights", rightsGroup)
            .account("NT AUTHORITY\\NETWORK SERVICE", networkService)
            .group(rightsGroup)
            .withRegistry(registry)
            .folder(
                content, Sddl.parse("O:BAG:SYD:AI(A;OICIID;FA;;;SY)(A;OICIID;FA;;;BA)", MACHINE));
    Map<String, SecurityDescriptor> keysBefore = registry.descriptors();
    String contentBefore = sddl(t, content);

    Plan plan = plan(t, "key-and-right.yaml");
    assertEquals(3, plan.changes().size(), plan.changes().toString());
    Path journal = dir.resolve("undo.jsonl");
    assertTrue(
        new Executor(t, new PrintWriter(new StringWriter()), WalkProgress.NONE)
            .apply(plan, journal, "test")
            .ok());
    // Get-Acl shows these as BUILTIN\Users ReadKey ContainerInherit, and inherited on Child
    assertTrue(Sddl.format(registry.descriptors().get(key), MACHINE).contains("(A;CI;KR;;;BU)"));
    assertTrue(
        Sddl.format(registry.descriptors().get(key + "\\Child"), MACHINE)
            .contains("(A;CIID;KR;;;BU)"));
    assertTrue(registry.assignments().get("SeBatchLogonRight").contains(rightsGroup));
    assertTrue(sddl(t, content).contains("(A;OICI;FA;;;NS)"), sddl(t, content));

    assertTrue(
        new Rollback(t, new PrintWriter(new StringWriter()))
            .run(UndoJournal.read(journal), false, false)
            .complete());
    assertEquals(keysBefore, registry.descriptors());
    assertEquals(
        Set.of(Sid.parse("S-1-5-32-544")), registry.assignments().get("SeBatchLogonRight"));
    assertEquals(contentBefore, sddl(t, content));
  }
}
