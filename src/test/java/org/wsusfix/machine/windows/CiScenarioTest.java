package org.wsusfix.machine.windows;

import org.wsusfix.security.Inheritance;
import org.wsusfix.security.Sddl;
import org.wsusfix.resource.WalkProgress;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsusfix.apply.Executor;
import org.wsusfix.apply.Rollback;
import org.wsusfix.apply.UndoJournal;
import org.wsusfix.resource.folder.DaclChange;
import org.wsusfix.resource.folder.Descendants;
import org.wsusfix.resource.group.MembershipChange;
import org.wsusfix.plan.Plan;
import org.wsusfix.plan.Planner;
import org.wsusfix.policy.PolicyLoader;
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;
import org.wsusfix.machine.memory.MemoryTarget;

/**
 * The scenario the Windows CI job runs for real (.github/workflows/ci.yml), rehearsed on the
 * memory target with the same policy files, so the job's expectations are known to follow from
 * them: Users comes back as (OI)(CI)(RX) on the folder and (I)(RX) on its files, and leaves again
 * on rollback; Authenticated Users joins wsusfix-test and leaves again.
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
    // what `icacls DATA /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F` then `/inheritance:r` leave
    SecurityDescriptor data = Sddl.parse("O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)", MACHINE);
    SecurityDescriptor sub = Inheritance.recomputeChild(data, Sddl.parse("O:BAG:SYD:AI", MACHINE), true);
    MemoryTarget t = new MemoryTarget("memory:ci").machineSid(MACHINE)
        .folder(DATA, data)
        .file(DATA + "\\a.txt", Inheritance.recomputeChild(data, Sddl.parse("O:BAG:SYD:AI", MACHINE), false))
        .folder(DATA + "\\sub", sub)
        .file(DATA + "\\sub\\file.txt", Inheritance.recomputeChild(sub, Sddl.parse("O:BAG:SYD:AI", MACHINE), false));
    Plan plan = plan(t, "grant-users.yaml");
    assertEquals(1, plan.changes().size());
    DaclChange change = plan.changes(DaclChange.class).get(0);
    assertEquals(Descendants.counted(3), change.descendants(), "a.txt, sub and sub\\file.txt re-inherit");

    Path journal = dir.resolve("undo.jsonl");
    Executor.Outcome outcome = new Executor(t, new PrintWriter(new StringWriter()), WalkProgress.NONE).apply(plan, journal, "test");
    assertTrue(outcome.ok(), outcome.failure());
    // icacls shows these as BUILTIN\Users:(OI)(CI)(RX), (I)(OI)(CI)(RX) and (I)(RX)
    assertEquals("O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)", sddl(t, DATA));
    assertTrue(sddl(t, DATA + "\\sub").contains("(A;OICIID;0x1200a9;;;BU)"), sddl(t, DATA + "\\sub"));
    assertTrue(sddl(t, DATA + "\\a.txt").contains("(A;ID;0x1200a9;;;BU)"), sddl(t, DATA + "\\a.txt"));
    assertTrue(sddl(t, DATA + "\\sub\\file.txt").contains("(A;ID;0x1200a9;;;BU)"));

    Rollback.Result rb = new Rollback(t, new PrintWriter(new StringWriter())).run(UndoJournal.read(journal), false, false);
    assertTrue(rb.complete(), rb.summary());
    for (String p : List.of(DATA, DATA + "\\a.txt", DATA + "\\sub", DATA + "\\sub\\file.txt")) {
      assertTrue(!sddl(t, p).contains(";BU)"), p + ": " + sddl(t, p));
    }
  }

  @Test
  void authenticatedUsersJoinsTheTestGroupBySidAndLeavesOnRollback() throws Exception {
    Sid authenticatedUsers = Sid.parse("S-1-5-11");
    MemoryTarget t = new MemoryTarget("memory:ci").machineSid(MACHINE)
        .account("wsusfix-test", TEST_GROUP).group(TEST_GROUP);
    Plan plan = plan(t, "ensure-member.yaml");
    assertEquals(1, plan.changes(MembershipChange.class).size());
    assertTrue(plan.changes(MembershipChange.class).get(0).add());
    Path journal = dir.resolve("undo.jsonl");
    assertTrue(new Executor(t, new PrintWriter(new StringWriter()), WalkProgress.NONE).apply(plan, journal, "test").ok());
    assertEquals(Set.of(authenticatedUsers), t.groupMembers(TEST_GROUP).orElseThrow());
    assertTrue(new Rollback(t, new PrintWriter(new StringWriter())).run(UndoJournal.read(journal), false, false).complete());
    assertEquals(Set.of(), t.groupMembers(TEST_GROUP).orElseThrow());
  }
}
