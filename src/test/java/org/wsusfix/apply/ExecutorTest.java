package org.wsusfix.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wsusfix.apply.Fixture.CONFIG;
import static org.wsusfix.apply.Fixture.DLL;
import static org.wsusfix.apply.Fixture.FW;
import static org.wsusfix.apply.Fixture.FW64;
import static org.wsusfix.apply.Fixture.IIS_IUSRS;
import static org.wsusfix.apply.Fixture.IUSR;
import static org.wsusfix.apply.Fixture.MACHINE;
import static org.wsusfix.apply.Fixture.OWN;
import static org.wsusfix.apply.Fixture.V2;
import static org.wsusfix.apply.Fixture.V4;
import static org.wsusfix.apply.Fixture.V4_64;
import static org.wsusfix.apply.Fixture.WEBCONFIG;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.wsusfix.apply.FaultyTarget.Fault;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.memory.MemoryTarget;
import org.wsusfix.plan.Plan;
import org.wsusfix.resource.WalkProgress;
import org.wsusfix.resource.folder.DaclChange;
import org.wsusfix.resource.group.MembershipChange;
import org.wsusfix.security.Sddl;
import org.wsusfix.security.SecurityDescriptor;

class ExecutorTest {
  /** FW, its five re-inherited descendants in one batch, FW64, its one descendant. */
  static final int WRITES = 8;

  static final String NESTED =
      """
        apiVersion: wsusfix/v1
        kind: Policy
        metadata:
          name: nested
        rules:
          - path: '%windir%\\Microsoft.NET'
            grants:
              - trustee: BU
                rights: ReadAndExecute
                inheritance: [OI, CI]
          - path: '%windir%\\Microsoft.NET\\Framework'
            grants:
              - trustee: NS
                rights: Modify
                inheritance: [OI, CI]
        """;

  @TempDir Path dir;
  final StringWriter progress = new StringWriter();

  Executor.Outcome apply(Target t, Plan plan, Path journal) throws IOException {
    return new Executor(t, new PrintWriter(progress, true), WalkProgress.NONE)
        .apply(plan, journal, "test");
  }

  static List<String> types(List<JsonNode> records) {
    List<String> out = new ArrayList<>();
    for (JsonNode r : records) {
      JsonNode c = JournalLines.change(r);
      String kind =
          !r.has("resource")
              ? ""
              : r.path("resource").asText().equals("membership")
                  ? (c.path("added").asBoolean() ? "add-member" : "remove-member")
                  : r.path("resource").asText();
      out.add(
          r.path("type").asText()
              + (kind.isEmpty() ? "" : ":" + kind)
              + (c.path("inherited").asBoolean() ? "+" : ""));
    }
    return out;
  }

  @Test
  void appliesEveryChangeAndJournalsEachBeforeAndAfter() throws IOException {
    MemoryTarget mem = Fixture.server();
    Plan plan = Fixture.plan(mem);
    assertEquals(3, plan.changes().size(), () -> plan.changes().toString());
    Path journal = dir.resolve("undo.jsonl");

    Executor.Outcome out = apply(mem, plan, journal);

    assertTrue(out.ok(), out::failure);
    assertEquals(3, out.applied());
    assertEquals(
        6,
        out.descendants(),
        "V2, DLL, CONFIG, web.config, V4 under Framework; v4.0 under Framework64");
    assertNull(out.rollback());
    // After-states: what the plan said, and descendants re-inherited with explicit entries kept.
    for (DaclChange c : plan.changes(DaclChange.class)) {
      assertEquals(c.after(), Sddl.format(mem.read(c.path()), MACHINE), c.path());
    }
    for (String p : List.of(V2, DLL, CONFIG, WEBCONFIG, V4, V4_64)) {
      assertTrue(Sddl.format(mem.read(p), MACHINE).contains(";;;BU)"), p + " inherits Users");
      assertTrue(mem.read(p).isDaclAutoInherited(), p);
    }
    assertTrue(Sddl.format(mem.read(CONFIG), MACHINE).contains("(A;OICI;0x1301bf;;;NS)"));
    assertFalse(Sddl.format(mem.read(OWN), MACHINE).contains("BU"), "protected child untouched");
    assertTrue(mem.groupMembers(IIS_IUSRS).orElseThrow().contains(IUSR));
    assertTrue(Fixture.plan(mem).changes().isEmpty(), "a second plan finds nothing left to do");

    List<JsonNode> records = JournalLines.read(journal);
    assertEquals(
        List.of(
            "header",
            "intent:add-member",
            "done",
            "intent:dacl",
            "done",
            "intent:dacl+",
            "done",
            "intent:dacl",
            "done",
            "intent:dacl+",
            "done",
            "end"),
        types(records));
    JsonNode header = records.get(0);
    assertEquals(2, header.path("formatVersion").asInt());
    assertEquals("memory:test", header.path("target").asText());
    assertEquals(MACHINE.toString(), header.path("domainSid").asText());
    for (int i = 1; i < records.size(); i++) {
      JsonNode r = records.get(i);
      assertEquals(i + 1, r.path("seq").asInt());
      assertEquals(records.get(i - 1).path("hash").asText(), r.path("prev").asText(), "chained");
      if (r.path("type").asText().equals("done")) {
        assertEquals(records.get(i - 1).path("seq").asInt(), r.path("intent").asInt());
      }
    }
    assertEquals("applied", records.get(records.size() - 1).path("status").asText());
    JsonNode fw = JournalLines.change(records.get(3)).path("entries").get(0);
    assertEquals(FW, fw.path("path").asText());
    assertEquals(plan.changes(DaclChange.class).get(0).before(), fw.path("before").asText());
    assertEquals(plan.changes(DaclChange.class).get(0).after(), fw.path("after").asText());
    assertEquals(5, JournalLines.change(records.get(5)).path("entries").size());
  }

  static Stream<Arguments> writeFaults() {
    List<Arguments> out = new ArrayList<>();
    for (int n = 1; n <= WRITES; n++) {
      for (Fault f :
          List.of(Fault.THROW_BEFORE, Fault.THROW_AFTER, Fault.MANGLE, Fault.UNCHECKED_AFTER)) {
        out.add(Arguments.of(n, f));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "write {0} fails: {1}")
  @MethodSource("writeFaults")
  void aFailedWriteRollsBackEveryPathAndTheMembership(int n, Fault fault) throws IOException {
    MemoryTarget mem = Fixture.server();
    Plan plan = Fixture.plan(mem);
    Fixture.State before = Fixture.state(mem);
    FaultyTarget t = new FaultyTarget(mem).failWrite(n, fault);

    Executor.Outcome out = apply(t, plan, dir.resolve("undo.jsonl"));

    assertFalse(out.ok());
    assertTrue(
        out.failure()
            .contains(
                fault == Fault.MANGLE
                    ? "differs from what was written"
                    : fault == Fault.UNCHECKED_AFTER ? "connection reset" : "injected"),
        out.failure());
    assertNotNull(out.rollback());
    assertTrue(
        out.rollback().complete(),
        () -> out.rollback().summary() + " " + out.rollback().problems());
    Fixture.assertSameState(before, Fixture.state(mem));
    List<JsonNode> records = JournalLines.read(dir.resolve("undo.jsonl"));
    JsonNode end = records.get(records.size() - 1);
    assertEquals("rolled-back", end.path("status").asText());
    assertFalse(out.rollback().summary().contains("did not finish"), out.rollback().summary());
    assertEquals(out.failure(), end.path("failure").asText());
  }

  @ParameterizedTest(name = "read-back {0} fails: {1}")
  @MethodSource("readFaults")
  void aFailedReadBackRollsBackEveryPath(int n, Fault fault) throws IOException {
    MemoryTarget mem = Fixture.server();
    Plan plan = Fixture.plan(mem);
    Fixture.State before = Fixture.state(mem);
    FaultyTarget t = new FaultyTarget(mem).failReadBack(n, fault);

    Executor.Outcome out = apply(t, plan, dir.resolve("undo.jsonl"));

    assertFalse(out.ok());
    assertTrue(
        out.rollback().complete(),
        () -> out.rollback().summary() + " " + out.rollback().problems());
    Fixture.assertSameState(before, Fixture.state(mem));
  }

  static Stream<Arguments> readFaults() {
    List<Arguments> out = new ArrayList<>();
    for (int n = 1; n <= WRITES; n++) {
      out.add(Arguments.of(n, Fault.THROW_BEFORE));
      out.add(Arguments.of(n, Fault.MANGLE));
    }
    return out.stream();
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(
      value = Fault.class,
      names = {"THROW_BEFORE", "THROW_AFTER", "IGNORE"})
  void aFailedMembershipChangeIsRolledBack(Fault fault) throws IOException {
    MemoryTarget mem = Fixture.server();
    Plan plan = Fixture.plan(mem);
    Fixture.State before = Fixture.state(mem);
    FaultyTarget t = new FaultyTarget(mem).failMembership(1, fault);

    Executor.Outcome out = apply(t, plan, dir.resolve("undo.jsonl"));

    assertFalse(out.ok());
    assertTrue(out.rollback().complete(), () -> out.rollback().problems().toString());
    assertEquals(0, t.writeCount(), "no DACL written after the membership failed");
    Fixture.assertSameState(before, Fixture.state(mem));
  }

  @Test
  void aFailureAfterLaterChangesRemovesTheAddedMemberAgain() throws IOException {
    MemoryTarget mem = Fixture.server();
    Plan plan = Fixture.plan(mem);
    Fixture.State before = Fixture.state(mem);
    FaultyTarget t = new FaultyTarget(mem).failWrite(WRITES, Fault.THROW_BEFORE);

    Executor.Outcome out = apply(t, plan, dir.resolve("undo.jsonl"));

    assertFalse(out.ok());
    assertEquals(
        List.of("add S-1-5-17 S-1-5-32-568", "remove S-1-5-17 S-1-5-32-568"), t.membershipCalls);
    Fixture.assertSameState(before, Fixture.state(mem));
  }

  @Test
  void driftOnTheFirstDaclChangeStopsBeforeAnyDaclWrite() throws IOException {
    MemoryTarget mem = Fixture.server();
    Plan plan = Fixture.plan(mem);
    // Someone else adds an entry between plan and apply.
    mem.folder(FW, Fixture.sd(Fixture.BROKEN.replace("D:PAI", "D:PAI(A;OICI;FA;;;S-1-5-20)")));
    Fixture.State drifted = Fixture.state(mem);
    FaultyTarget t = new FaultyTarget(mem);

    Executor.Outcome out = apply(t, plan, dir.resolve("undo.jsonl"));

    assertFalse(out.ok());
    assertTrue(
        out.failure().startsWith(FW + ": changed since the plan was made (drift)"), out.failure());
    assertEquals(0, t.writeCount());
    Fixture.assertSameState(drifted, Fixture.state(mem));
  }

  @Test
  void driftOnALaterChangeUndoesTheEarlierOnes() throws IOException {
    MemoryTarget mem = Fixture.server();
    Plan plan = Fixture.plan(mem);
    mem.folder(FW64, Fixture.sd(Fixture.BROKEN.replace("(A;OICIIO;GA;;;CO)", "")));
    Fixture.State drifted = Fixture.state(mem);
    FaultyTarget t = new FaultyTarget(mem);

    Executor.Outcome out = apply(t, plan, dir.resolve("undo.jsonl"));

    assertFalse(out.ok());
    assertTrue(out.failure().contains(FW64) && out.failure().contains("drift"), out.failure());
    assertEquals(
        List.of(FW),
        t.writes.stream()
            .map(FaultyTarget.Write::path)
            .filter(p -> p.equals(FW64) || p.equals(FW))
            .distinct()
            .toList(),
        "FW64 itself is never written");
    Fixture.assertSameState(drifted, Fixture.state(mem));
  }

  @Test
  void membershipDriftIsRefused() throws IOException {
    MemoryTarget mem = Fixture.server();
    Plan plan = Fixture.plan(mem);
    mem.group(IIS_IUSRS, IUSR);
    Fixture.State drifted = Fixture.state(mem);
    FaultyTarget t = new FaultyTarget(mem);

    Executor.Outcome out = apply(t, plan, dir.resolve("undo.jsonl"));

    assertFalse(out.ok());
    assertTrue(
        out.failure().contains("is already a member") && out.failure().contains("drift"),
        out.failure());
    assertTrue(t.membershipCalls.isEmpty());
    assertEquals(0, t.writeCount());
    Fixture.assertSameState(drifted, Fixture.state(mem));
  }

  @Test
  void removalsFromAGroupAreJournaledAndRolledBack() throws IOException {
    MemoryTarget mem = Fixture.server();
    Plan plan =
        Fixture.plan(
            mem,
            """
        apiVersion: wsusfix/v1
        kind: Policy
        metadata:
          name: exact
        memberships:
          - group: BU
            members: [S-1-5-17]
            mode: exact
        """);
    assertEquals(
        List.of("add-member", "remove-member", "remove-member"),
        plan.changes(MembershipChange.class).stream().map(MembershipChange::kind).toList());
    Fixture.State before = Fixture.state(mem);
    Path journal = dir.resolve("undo.jsonl");

    assertTrue(apply(mem, plan, journal).ok());
    assertEquals(
        java.util.Set.of(IUSR),
        mem.groupMembers(org.wsusfix.security.WellKnownSids.USERS).orElseThrow());
    assertEquals(
        List.of(
            "header",
            "intent:add-member",
            "done",
            "intent:remove-member",
            "done",
            "intent:remove-member",
            "done",
            "end"),
        types(JournalLines.read(journal)));

    Rollback.Result rb =
        new Rollback(mem, new PrintWriter(progress)).run(UndoJournal.read(journal), false, false);
    assertEquals(3, rb.restored());
    Fixture.assertSameState(before, Fixture.state(mem));
  }

  @Test
  void everyWriteOfAnAutoInheritedDaclAsksToKeepIt() throws IOException {
    MemoryTarget mem = Fixture.server();
    Plan plan = Fixture.plan(mem);
    FaultyTarget t = new FaultyTarget(mem);
    Path journal = dir.resolve("undo.jsonl");
    assertTrue(apply(t, plan, journal).ok());
    assertEquals(WRITES, t.writes.size());
    new Rollback(t, new PrintWriter(progress)).run(UndoJournal.read(journal), false, false);
    assertEquals(2 * WRITES, t.writes.size());
    for (FaultyTarget.Write w : t.writes) {
      // Every path in the fixture that changes is auto-inherited (Framework is PAI, the rest AI).
      assertTrue((w.control() & SecurityDescriptor.DACL_AUTO_INHERITED) != 0, w.path());
      assertTrue(
          (w.control() & SecurityDescriptor.DACL_AUTO_INHERIT_REQ) != 0,
          w.path() + " sent without SE_DACL_AUTO_INHERIT_REQ");
    }
  }

  @Test
  void aDaclWithoutAutoInheritIsWrittenWithoutTheRequest() throws IOException {
    MemoryTarget mem = Fixture.server();
    mem.folder(FW, Fixture.sd("O:BAG:SYD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)"));
    mem.folder(FW64, Fixture.sd("O:BAG:SYD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)"));
    Plan plan = Fixture.plan(mem);
    FaultyTarget t = new FaultyTarget(mem);
    assertTrue(apply(t, plan, dir.resolve("undo.jsonl")).ok());
    FaultyTarget.Write fw = t.writes.get(0);
    assertEquals(FW, fw.path());
    assertEquals(
        0,
        fw.control()
            & (SecurityDescriptor.DACL_AUTO_INHERIT_REQ | SecurityDescriptor.DACL_AUTO_INHERITED));
  }

  @Test
  void theJournalMustBeNew() throws IOException {
    Path journal = dir.resolve("undo.jsonl");
    Files.writeString(journal, "keep me\n");
    MemoryTarget mem = Fixture.server();
    Fixture.State before = Fixture.state(mem);
    org.junit.jupiter.api.Assertions.assertThrows(
        java.nio.file.FileAlreadyExistsException.class,
        () -> apply(mem, Fixture.plan(mem), journal));
    assertEquals("keep me\n", Files.readString(journal));
    Fixture.assertSameState(before, Fixture.state(mem));
  }

  /**
   * Rules on a folder and on a subfolder that inherits from it, as the shipped WSUS policies have.
   */
  @Test
  void aRuleBelowAnotherRulesFolderIsNotTakenForDrift() throws IOException {
    MemoryTarget mem =
        new MemoryTarget("memory:nested")
            .machineSid(MACHINE)
            .group(org.wsusfix.security.WellKnownSids.USERS);
    SecurityDescriptor net = Fixture.sd(Fixture.BROKEN);
    SecurityDescriptor fw =
        org.wsusfix.security.Inheritance.recomputeChild(net, Fixture.sd("O:BAG:SYD:AI"), true);
    SecurityDescriptor v4 =
        org.wsusfix.security.Inheritance.recomputeChild(fw, Fixture.sd("O:BAG:SYD:AI"), true);
    mem.folder(Fixture.NET, net).folder(FW, fw).folder(V4, v4);
    Fixture.State before = Fixture.state(mem, List.of());

    Plan plan = Fixture.plan(mem, NESTED);
    assertEquals(2, plan.changes().size());
    Executor.Outcome out = apply(mem, plan, dir.resolve("undo.jsonl"));
    assertTrue(out.ok(), out::failure);
    assertTrue(Fixture.plan(mem, NESTED).changes().isEmpty(), "nothing left to do");
    String v4now = Sddl.format(mem.read(V4), MACHINE);
    assertTrue(
        v4now.contains("(A;OICIID;0x1200a9;;;BU)") && v4now.contains("(A;OICIID;0x1301bf;;;NS)"),
        "inherits from both changed folders: " + v4now);
    new Rollback(mem, new PrintWriter(progress))
        .run(UndoJournal.read(dir.resolve("undo.jsonl")), false, false);
    Fixture.assertSameState(before, Fixture.state(mem, List.of()));
  }

  @Test
  void aRuleBelowAnotherRulesFolderStillDetectsRealDrift() throws IOException {
    MemoryTarget mem =
        new MemoryTarget("memory:nested")
            .machineSid(MACHINE)
            .group(org.wsusfix.security.WellKnownSids.USERS);
    SecurityDescriptor net = Fixture.sd(Fixture.BROKEN);
    SecurityDescriptor fw =
        org.wsusfix.security.Inheritance.recomputeChild(net, Fixture.sd("O:BAG:SYD:AI"), true);
    mem.folder(Fixture.NET, net).folder(FW, fw);
    Plan plan = Fixture.plan(mem, NESTED);
    assertEquals(
        List.of(Fixture.NET, FW),
        plan.changes(DaclChange.class).stream().map(DaclChange::path).toList());
    // Someone adds an explicit entry to Framework after the plan was made.
    mem.folder(
        FW,
        org.wsusfix.security.Inheritance.recomputeChild(
            net, Fixture.sd("O:BAG:SYD:AI(A;;FA;;;NS)"), true));
    Fixture.State drifted = Fixture.state(mem, List.of());
    Executor.Outcome out = apply(mem, plan, dir.resolve("undo.jsonl"));
    assertFalse(out.ok());
    assertTrue(
        out.failure().startsWith(FW + ": changed since the plan was made (drift)"), out.failure());
    Fixture.assertSameState(drifted, Fixture.state(mem, List.of()));
  }

  /**
   * A Windows-like target: the before-states of the descendants it rewrites are journaled first.
   */
  @ParameterizedTest(name = "write {0} fails")
  @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1, 2})
  void aTargetThatPropagatesItselfGetsItsDescendantsJournaled(int failAt) throws IOException {
    MemoryTarget mem = new PropagatingTarget("memory:windows");
    Fixture.State fixture = Fixture.state(Fixture.server());
    Fixture.server()
        .paths()
        .forEach(
            p -> {
              SecurityDescriptor sd = fixture.descriptors().get(p);
              if (Fixture.server().isContainer(p)) {
                mem.folder(p, sd);
              } else {
                mem.file(p, sd);
              }
            });
    mem.machineSid(MACHINE)
        .group(org.wsusfix.security.WellKnownSids.ADMINISTRATORS)
        .group(
            org.wsusfix.security.WellKnownSids.USERS,
            org.wsusfix.security.WellKnownSids.AUTHENTICATED_USERS,
            org.wsusfix.security.WellKnownSids.INTERACTIVE)
        .group(IIS_IUSRS);
    Fixture.State before = Fixture.state(mem);
    Plan plan = Fixture.plan(mem);
    FaultyTarget t = new FaultyTarget(mem);
    if (failAt > 0) {
      t.failWrite(failAt, Fault.THROW_AFTER);
    }
    Path journal = dir.resolve("undo.jsonl");

    Executor.Outcome out = apply(t, plan, journal);

    List<JsonNode> records = JournalLines.read(journal);
    JsonNode fw = JournalLines.change(records.get(3));
    assertEquals(FW, fw.path("entries").get(0).path("path").asText());
    assertEquals(
        5,
        fw.path("descendants").size(),
        "V2, DLL, CONFIG, web.config, V4 recorded before the write");
    assertEquals(
        fixture.descriptors().get(V2),
        Fixture.sd(fw.path("descendants").get(0).path("before").asText()));
    if (failAt == 0) {
      assertTrue(out.ok(), out::failure);
      assertEquals(2, t.writeCount(), "only the two folders: the target propagates");
      assertEquals(6, out.descendants());
      assertTrue(Fixture.plan(mem).changes().isEmpty());
      Rollback.Result rb =
          new Rollback(t, new PrintWriter(progress)).run(UndoJournal.read(journal), false, false);
      assertTrue(rb.complete(), rb::summary);
    } else {
      assertFalse(out.ok());
      assertTrue(out.rollback().complete(), () -> out.rollback().problems().toString());
    }
    Fixture.assertSameState(before, Fixture.state(mem));
  }

  /** Journal lines: header, then intent/done pairs; line 12 would be the end record. */
  @ParameterizedTest(name = "journal write {0} fails")
  @org.junit.jupiter.params.provider.ValueSource(ints = {2, 3, 4, 5, 6, 7, 9, 10, 11})
  void aJournalThatCannotBeWrittenStopsAndRollsBack(int n) throws IOException {
    MemoryTarget mem = Fixture.server();
    Plan plan = Fixture.plan(mem);
    Fixture.State before = Fixture.state(mem);
    Path file = dir.resolve("undo.jsonl");
    java.nio.channels.FileChannel ch =
        java.nio.channels.FileChannel.open(
            file,
            java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE);
    // Every append after the failing one fails too: the disk stays full.
    Executor.Outcome out =
        new Executor(mem, new PrintWriter(progress), WalkProgress.NONE)
            .apply(
                plan,
                new UndoJournal(
                    file, new FailingChannel(ch, n), org.wsusfix.plan.ResourceKinds.STANDARD),
                "test");

    assertFalse(out.ok());
    assertTrue(
        out.failure()
            .startsWith("cannot write the undo journal " + file + ": No space left on device"),
        out.failure());
    assertTrue(
        out.failure()
            .endsWith(
                "the journal's end record could not be written either (No space left on device)"),
        out.failure());
    assertTrue(out.rollback().complete(), () -> out.rollback().problems().toString());
    Fixture.assertSameState(before, Fixture.state(mem));
    List<JsonNode> records = JournalLines.read(file);
    assertEquals(n - 1, records.size(), "the torn line was cut off");
  }
}
