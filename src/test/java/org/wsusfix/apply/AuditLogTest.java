package org.wsusfix.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsusfix.machine.AuditLog;
import org.wsusfix.machine.TargetException;
import org.wsusfix.machine.memory.MemoryTarget;
import org.wsusfix.plan.Plan;
import org.wsusfix.plan.Planner;
import org.wsusfix.policy.PolicyLoader;
import org.wsusfix.resource.WalkProgress;
import org.wsusfix.security.Inheritance;
import org.wsusfix.security.Sddl;
import org.wsusfix.security.Sid;
import org.wsusfix.security.WellKnownSids;

/** Apply and rollback tell the target's audit log about every change, and nothing else. */
class AuditLogTest {
  static final Sid MACHINE = Sid.parse("S-1-5-21-1111111111-2222222222-3333333333");
  static final String ROOT = "C:\\Data";
  static final String CHILD = ROOT + "\\web";
  static final Sid IUSR = Sid.parse("S-1-5-17");

  @TempDir Path dir;

  record Event(AuditLog.Kind kind, String message) {}

  /** A memory target that keeps an audit trail, as the Windows target does. */
  static class AuditedTarget extends MemoryTarget implements AuditLog.Source {
    final List<Event> events = new ArrayList<>();
    boolean failDaclWrites;

    AuditedTarget() {
      super("memory:audited");
    }

    @Override
    public AuditLog audit() {
      return (kind, message) -> events.add(new Event(kind, message));
    }

    @Override
    public void writeDacl(String path, org.wsusfix.security.SecurityDescriptor descriptor) {
      if (failDaclWrites) {
        throw new TargetException(
            path + ": cannot write the DACL: access denied (Windows error 5)");
      }
      super.writeDacl(path, descriptor);
    }

    List<AuditLog.Kind> kinds() {
      return events.stream().map(Event::kind).toList();
    }
  }

  static AuditedTarget server() {
    AuditedTarget t = new AuditedTarget();
    t.machineSid(MACHINE).group(WellKnownSids.USERS, WellKnownSids.AUTHENTICATED_USERS);
    var root = Sddl.parse("O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)", MACHINE);
    t.folder(ROOT, root);
    t.folder(CHILD, Inheritance.recomputeChild(root, Sddl.parse("O:BAG:SYD:AI", MACHINE), true));
    return t;
  }

  static Plan plan(MemoryTarget t) {
    String yaml =
        String.join(
            "\n",
            "apiVersion: wsusfix/v1",
            "kind: Policy",
            "metadata:",
            "  name: audit-test",
            "rules:",
            "  - path: 'C:\\Data'",
            "    grants:",
            "      - trustee: BU",
            "        rights: ReadAndExecute",
            "        inheritance: [OI, CI]",
            "memberships:",
            "  - group: BUILTIN\\Users",
            "    members: [S-1-5-17]",
            "    mode: ensure",
            "");
    return new Planner(t)
        .plan(PolicyLoader.parse("audit.yaml", yaml.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void targetsWithoutAnAuditTrailGetOneThatDropsEverything() {
    assertSame(AuditLog.NONE, AuditLog.of(new MemoryTarget("memory:plain")));
    AuditedTarget t = server();
    assertFalse(AuditLog.of(t) == AuditLog.NONE);
  }

  @Test
  void everyAppliedAndRolledBackChangeIsRecorded() throws Exception {
    AuditedTarget t = server();
    Plan plan = plan(t);
    assertEquals(2, plan.changes().size(), "one DACL, one membership");
    Path journal = dir.resolve("undo.jsonl");
    Executor.Outcome outcome =
        new Executor(t, new PrintWriter(new StringWriter()), WalkProgress.NONE)
            .apply(plan, journal, "test");
    assertTrue(outcome.ok(), outcome.failure());
    // memberships come first in a plan: they change who the DACLs apply to
    assertEquals(List.of(AuditLog.Kind.APPLIED, AuditLog.Kind.APPLIED), t.kinds());
    String member = t.events.get(0).message();
    assertEquals(
        "wsusfix added NT AUTHORITY\\IUSR (S-1-5-17) to BUILTIN\\Users (S-1-5-32-545)\nUndo journal: "
            + journal,
        member);
    String dacl = t.events.get(1).message();
    assertTrue(
        dacl.startsWith("wsusfix changed the DACL of C:\\Data (1 descendant re-inherited)\n"),
        dacl);
    assertTrue(dacl.contains("\nBefore: O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)\n"), dacl);
    assertTrue(dacl.contains("(A;OICI;0x1200a9;;;BU)"), dacl);
    assertTrue(dacl.endsWith("\nUndo journal: " + journal), dacl);

    t.events.clear();
    Rollback.Result rb =
        new Rollback(t, new PrintWriter(new StringWriter()))
            .run(UndoJournal.read(journal), false, false);
    assertTrue(rb.complete(), rb.summary());
    // newest first: the descendant and the folder, then the membership
    assertEquals(
        List.of(AuditLog.Kind.ROLLED_BACK, AuditLog.Kind.ROLLED_BACK, AuditLog.Kind.ROLLED_BACK),
        t.kinds());
    assertTrue(
        t.events.stream()
            .anyMatch(e -> e.message().startsWith("wsusfix restored the DACL of C:\\Data\n")));
    assertTrue(
        t.events.stream()
            .anyMatch(e -> e.message().startsWith("wsusfix restored the DACL of " + CHILD + "\n")));
    assertEquals(
        "wsusfix removed NT AUTHORITY\\IUSR (S-1-5-17) from BUILTIN\\Users (S-1-5-32-545)",
        t.events.get(2).message());
  }

  @Test
  void aDryRunRollbackAndChangesAlreadyUndoneRecordNothing() throws Exception {
    AuditedTarget t = server();
    Path journal = dir.resolve("undo.jsonl");
    new Executor(t, new PrintWriter(new StringWriter()), WalkProgress.NONE)
        .apply(plan(t), journal, "test");
    t.events.clear();
    new Rollback(t, new PrintWriter(new StringWriter()))
        .run(UndoJournal.read(journal), false, true);
    assertEquals(List.of(), t.events, "dry run");
    new Rollback(t, new PrintWriter(new StringWriter()))
        .run(UndoJournal.read(journal), false, false);
    t.events.clear();
    new Rollback(t, new PrintWriter(new StringWriter()))
        .run(UndoJournal.read(journal), false, false);
    assertEquals(List.of(), t.events, "everything was already as before");
  }

  @Test
  void aFailedApplyRecordsTheAutomaticRollbackAndTheFailure() throws Exception {
    AuditedTarget t = server();
    t.failDaclWrites = true;
    Executor.Outcome outcome =
        new Executor(t, new PrintWriter(new StringWriter()), WalkProgress.NONE)
            .apply(plan(t), dir.resolve("undo.jsonl"), "test");
    assertFalse(outcome.ok());
    // the membership went in, the DACL write failed, the membership was taken out again
    assertEquals(
        List.of(AuditLog.Kind.APPLIED, AuditLog.Kind.ROLLED_BACK, AuditLog.Kind.FAILED), t.kinds());
    assertTrue(
        t.events.get(1).message().startsWith("wsusfix removed NT AUTHORITY\\IUSR"),
        t.events.get(1).message());
    String failed = t.events.get(2).message();
    assertTrue(
        failed.startsWith(
            "wsusfix apply failed on memory:audited: C:\\Data: cannot write the DACL: access denied"),
        failed);
    assertTrue(failed.contains("\nrollback: 1 restored"), failed);
  }
}
