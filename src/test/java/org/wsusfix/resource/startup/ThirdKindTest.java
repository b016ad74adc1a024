package org.wsusfix.resource.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsusfix.apply.Executor;
import org.wsusfix.apply.Fixture;
import org.wsusfix.apply.Journal;
import org.wsusfix.apply.Rollback;
import org.wsusfix.apply.UndoJournal;
import org.wsusfix.machine.TargetException;
import org.wsusfix.machine.memory.MemoryTarget;
import org.wsusfix.plan.Plan;
import org.wsusfix.plan.PlanJson;
import org.wsusfix.plan.PlanText;
import org.wsusfix.plan.Planner;
import org.wsusfix.plan.ResourceKinds;
import org.wsusfix.resource.WalkProgress;
import org.wsusfix.resource.folder.DaclChange;
import org.wsusfix.resource.group.MembershipChange;

/** A kind defined only here goes through plan, apply (failing and not), journal and rollback. */
class ThirdKindTest {
  static final ResourceKinds KINDS =
      ResourceKinds.STANDARD.with(
          new ServiceStartup(Map.of("W3SVC", "auto", "WsusService", "auto")));

  @TempDir Path dir;
  final StringWriter out = new StringWriter();

  static ServiceServer server(boolean writable) {
    ServiceServer s = Fixture.populate(new ServiceServer(writable));
    s.modes.put("W3SVC", "disabled");
    s.modes.put("WsusService", "manual");
    s.modes.put("Spooler", "auto");
    return s;
  }

  record State(Fixture.State rest, Map<String, String> modes) {}

  static State state(ServiceServer s) {
    return new State(Fixture.state(s), s.startModes());
  }

  static void assertSame(State expected, State actual) {
    Fixture.assertSameState(expected.rest(), actual.rest());
    assertEquals(expected.modes(), actual.modes());
  }

  Plan plan(MemoryTarget t) {
    return new Planner(t, true, KINDS).plan(Fixture.policy(Fixture.POLICY));
  }

  @Test
  void isPlannedBesideTheStandardKinds() {
    ServiceServer s = server(true);
    Plan plan = plan(s);
    assertEquals(1, plan.changes(MembershipChange.class).size());
    assertEquals(2, plan.changes(DaclChange.class).size());
    List<ServiceStartup.StartupChange> startup = plan.changes(ServiceStartup.StartupChange.class);
    assertEquals(
        List.of("W3SVC", "WsusService"),
        startup.stream().map(ServiceStartup.StartupChange::service).toList());

    String text = new PlanText(Object::toString, null, false, KINDS).render(plan);
    assertTrue(text.contains("~ service W3SVC: disabled -> auto"), text);
    assertTrue(text.contains("Plan: 5 changes (1 membership, 2 DACL, 2 start mode)"), text);

    Plan back = PlanJson.read("plan.json", PlanJson.write(plan, KINDS), KINDS);
    assertEquals(plan.changes(), back.changes());
  }

  @Test
  void anInjectedFailureRollsBackEveryKind() throws IOException {
    ServiceServer s = server(true).failWrite(2);
    State before = state(s);

    Executor.Outcome o =
        new Executor(s, new PrintWriter(out), WalkProgress.NONE, KINDS)
            .apply(plan(s), dir.resolve("undo.jsonl"), "test");

    assertFalse(o.ok());
    assertTrue(o.failure().contains("WsusService: injected start-mode failure"), o.failure());
    assertTrue(
        o.rollback().complete(), () -> o.rollback().summary() + " " + o.rollback().problems());
    assertSame(before, state(s));
  }

  @Test
  void rollbackRestoresWhatWasApplied() throws IOException {
    ServiceServer s = server(true);
    State before = state(s);
    Path journal = dir.resolve("undo.jsonl");

    Executor.Outcome o =
        new Executor(s, new PrintWriter(out), WalkProgress.NONE, KINDS)
            .apply(plan(s), journal, "test");
    assertTrue(o.ok(), o::failure);
    assertEquals("auto", s.startModes().get("W3SVC"));
    assertTrue(plan(s).changes().isEmpty(), "nothing left to do");

    Journal j = UndoJournal.read(journal, KINDS);
    assertEquals(2, j.intents().stream().filter(i -> i.resource().equals("startup")).count());
    assertTrue(
        Files.readString(journal)
            .contains("\"resource\":\"startup\",\"change\":{\"service\":\"W3SVC\""));
    Rollback.Result r = new Rollback(s, new PrintWriter(out), KINDS).run(j, false, false);
    assertTrue(r.complete(), r::summary);
    assertSame(before, state(s));

    org.wsusfix.apply.JournalException unknown =
        assertThrows(org.wsusfix.apply.JournalException.class, () -> UndoJournal.read(journal));
    assertTrue(
        unknown
            .getMessage()
            .matches(
                ".*undo.jsonl:\\d+: 'resource' is 'startup', which this wsusfix does not know"),
        unknown.getMessage());
  }

  @Test
  void aTargetThatCannotWriteTheKindIsRefusedBeforeAnyChange() throws IOException {
    ServiceServer s = server(false);
    State before = state(s);
    Path journal = dir.resolve("undo.jsonl");
    Executor executor = new Executor(s, new PrintWriter(out), WalkProgress.NONE, KINDS);
    Plan plan = plan(s);

    assertEquals(
        List.of("memory:services is read-only (it cannot change start modes)"),
        executor.problems(plan));
    TargetException e =
        assertThrows(TargetException.class, () -> executor.apply(plan, journal, "test"));
    assertEquals(
        "refused before changing anything: memory:services is read-only (it cannot change start modes)",
        e.getMessage());
    assertFalse(Files.exists(journal), "no journal either");
    assertSame(before, state(s));
  }
}
