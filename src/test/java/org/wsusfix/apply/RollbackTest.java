package org.wsusfix.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wsusfix.apply.Fixture.FW;
import static org.wsusfix.apply.Fixture.FW64;
import static org.wsusfix.apply.Fixture.MACHINE;
import static org.wsusfix.apply.Fixture.V2;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wsusfix.apply.FaultyTarget.Fault;
import org.wsusfix.machine.memory.MemoryTarget;
import org.wsusfix.plan.Plan;
import org.wsusfix.resource.WalkProgress;
import org.wsusfix.security.Sddl;

class RollbackTest {
  @TempDir Path dir;
  final StringWriter out = new StringWriter();

  Path applied(MemoryTarget mem) throws IOException {
    Path journal = dir.resolve("undo.jsonl");
    Executor.Outcome o =
        new Executor(mem, new PrintWriter(out), WalkProgress.NONE)
            .apply(Fixture.plan(mem), journal, "test");
    assertTrue(o.ok(), o::failure);
    return journal;
  }

  Rollback.Result rollback(
      org.wsusfix.machine.Target t, Path journal, boolean force, boolean dryRun) {
    return new Rollback(t, new PrintWriter(out, true))
        .run(UndoJournal.read(journal), force, dryRun);
  }

  @Test
  void reportsProgressOverEveryJournaledPathThenFinishes() throws IOException {
    MemoryTarget mem = Fixture.server();
    Path journal = applied(mem);
    java.util.List<long[]> seen = new java.util.ArrayList<>();
    boolean[] finished = {false};
    WalkProgress recorder =
        new WalkProgress() {
          @Override
          public void walked(String what, long done, long total) {
            seen.add(new long[] {done, total});
          }

          @Override
          public void finished() {
            finished[0] = true;
          }
        };
    Rollback.Result r =
        new Rollback(mem, new PrintWriter(out, true))
            .withProgress(recorder)
            .run(UndoJournal.read(journal), false, false);
    assertTrue(r.complete(), r::summary);
    assertFalse(seen.isEmpty());
    long[] last = seen.get(seen.size() - 1);
    assertEquals(last[1], last[0], "every journaled path handled");
    long daclPaths = 0;
    for (com.fasterxml.jackson.databind.JsonNode rec : JournalLines.read(journal)) {
      com.fasterxml.jackson.databind.JsonNode c = JournalLines.change(rec);
      daclPaths += c.path("entries").size() + c.path("descendants").size();
    }
    assertEquals(daclPaths, last[1], "the total counts the DACL paths of the journal");
    assertEquals(
        r.restored() + r.skipped() - 1, daclPaths, "and the one membership is restored besides");
    assertTrue(finished[0]);
  }

  @Test
  void restoresEveryPathAndMembershipThenIsANoOp() throws IOException {
    MemoryTarget mem = Fixture.server();
    Fixture.State before = Fixture.state(mem);
    Path journal = applied(mem);
    Fixture.State after = Fixture.state(mem);

    Rollback.Result first = rollback(mem, journal, false, false);
    assertEquals(2 + 6 + 1, first.restored(), "two folders, six descendants, one membership");
    assertEquals(0, first.skipped());
    assertTrue(first.complete());
    assertTrue(first.finishedRun());
    assertEquals("rollback: 9 restored, 0 already as before, 0 refused, 0 failed", first.summary());
    Fixture.assertSameState(before, Fixture.state(mem));

    FaultyTarget t = new FaultyTarget(mem);
    Rollback.Result second = rollback(t, journal, false, false);
    assertEquals(0, second.restored());
    assertEquals(9, second.skipped());
    assertTrue(second.complete());
    assertEquals(0, t.writeCount());
    assertTrue(t.membershipCalls.isEmpty());
    Fixture.assertSameState(before, Fixture.state(mem));
    assertFalse(before.equals(after));
  }

  @Test
  void dryRunCountsButChangesNothing() throws IOException {
    MemoryTarget mem = Fixture.server();
    Path journal = applied(mem);
    Fixture.State after = Fixture.state(mem);
    FaultyTarget t = new FaultyTarget(mem);
    Rollback.Result r = rollback(t, journal, false, true);
    assertEquals(9, r.restored());
    assertEquals(0, t.writeCount());
    assertTrue(t.membershipCalls.isEmpty());
    assertTrue(out.toString().contains("would restore " + FW), out::toString);
    Fixture.assertSameState(after, Fixture.state(mem));
  }

  @Test
  void aPathChangedSinceIsRefusedUnlessForced() throws IOException {
    MemoryTarget mem = Fixture.server();
    Fixture.State before = Fixture.state(mem);
    Path journal = applied(mem);
    mem.folder(
        FW64,
        Fixture.sd(Sddl.format(mem.read(FW64), MACHINE).replace("D:PAI", "D:PAI(A;OICI;FA;;;NS)")));
    String someoneElse = Sddl.format(mem.read(FW64), MACHINE);

    Rollback.Result r = rollback(mem, journal, false, false);
    assertEquals(1, r.refused());
    assertFalse(r.complete());
    assertEquals(8, r.restored());
    assertTrue(
        r.problems().get(0).startsWith(FW64 + ": changed by someone else since"),
        r.problems()::toString);
    assertEquals(someoneElse, Sddl.format(mem.read(FW64), MACHINE), "left alone");

    Rollback.Result forced = rollback(mem, journal, true, false);
    assertEquals(1, forced.restored());
    assertEquals(8, forced.skipped());
    assertTrue(forced.complete());
    Fixture.assertSameState(before, Fixture.state(mem));
  }

  /** The process dies between an intent and its done record, with or without the change made. */
  @ParameterizedTest(name = "killed at write {0}")
  @ValueSource(ints = {1, 2, 4, 6, 7, 8})
  void aCrashedRunIsRolledBack(int n) throws IOException {
    for (Fault f : List.of(Fault.KILL_BEFORE, Fault.KILL_AFTER)) {
      MemoryTarget mem = Fixture.server();
      Plan plan = Fixture.plan(mem);
      Fixture.State before = Fixture.state(mem);
      Path journal = dir.resolve("crash-" + n + f + ".jsonl");
      FaultyTarget t = new FaultyTarget(mem).failWrite(n, f);
      assertThrows(
          FaultyTarget.Killed.class,
          () ->
              new Executor(t, new PrintWriter(out), WalkProgress.NONE)
                  .apply(plan, journal, "test"));
      List<JsonNode> records = JournalLines.read(journal);
      assertEquals(
          "intent",
          records.get(records.size() - 1).path("type").asText(),
          "died between intent and done");

      Rollback.Result r = rollback(mem, journal, false, false);

      assertTrue(r.complete(), r.problems()::toString);
      assertFalse(r.finishedRun());
      assertTrue(
          r.summary().endsWith("(the journal has no end record: that run did not finish)"),
          r.summary());
      Fixture.assertSameState(before, Fixture.state(mem));
    }
  }

  @Test
  void anInFlightChangeThatWasNotMadeIsSkipped() throws IOException {
    MemoryTarget mem = Fixture.server();
    Plan plan = Fixture.plan(mem);
    Fixture.State before = Fixture.state(mem);
    Path journal = dir.resolve("crash.jsonl");
    FaultyTarget t = new FaultyTarget(mem).failWrite(1, Fault.KILL_BEFORE);
    assertThrows(
        FaultyTarget.Killed.class,
        () ->
            new Executor(t, new PrintWriter(out), WalkProgress.NONE).apply(plan, journal, "test"));
    Rollback.Result r = rollback(mem, journal, false, false);
    assertEquals(1, r.restored(), "the membership");
    assertEquals(1, r.skipped(), "Framework was never written");
    Fixture.assertSameState(before, Fixture.state(mem));
  }

  @Test
  void oneFailingPathDoesNotStopTheRestOfItsBatch() throws IOException {
    MemoryTarget mem = Fixture.server();
    Fixture.State before = Fixture.state(mem);
    Path journal = applied(mem);
    // Rollback writes newest first: FW64's descendant, FW64, then Framework's batch of five.
    FaultyTarget t = new FaultyTarget(mem).failWrite(4, Fault.THROW_BEFORE);
    Rollback.Result r = rollback(t, journal, false, false);
    assertEquals(1, r.failed(), r.problems()::toString);
    assertEquals(8, r.restored(), "all but the one failed path");
    assertFalse(r.complete());
    Rollback.Result again = rollback(mem, journal, false, false);
    assertEquals(1, again.restored());
    Fixture.assertSameState(before, Fixture.state(mem));
    assertTrue(
        Sddl.format(mem.read(V2), MACHINE)
            .equals(Sddl.format(before.descriptors().get(V2), MACHINE)));
  }

  @Test
  void aMembershipRestoreThatDidNotTakeIsAFailure() throws IOException {
    MemoryTarget mem = Fixture.server();
    Path journal = applied(mem);
    FaultyTarget t = new FaultyTarget(mem).failMembership(1, Fault.IGNORE);
    Rollback.Result r = rollback(t, journal, false, false);
    assertEquals(1, r.failed(), r.summary());
    assertFalse(r.complete());
    assertTrue(r.problems().get(0).contains("did not change"), r.problems()::toString);
    assertTrue(mem.groupMembers(Fixture.IIS_IUSRS).orElseThrow().contains(Fixture.IUSR));
  }
}
