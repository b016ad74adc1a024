package org.wsusfix.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsusfix.machine.TargetId;
import org.wsusfix.machine.memory.MemoryTarget;
import org.wsusfix.resource.WalkProgress;
import org.wsusfix.resource.folder.DaclUndo;
import org.wsusfix.resource.group.MembershipUndo;

/**
 * Journals written by the first release (format 1: payload fields in the intent record, named by
 * {@code kind}) still roll back. The resource is the journal that release wrote for applying {@link
 * Fixture#POLICY} to {@link Fixture#server()}.
 */
class Format1JournalTest {
  @TempDir Path dir;

  Path format1Journal() throws IOException {
    Path file = dir.resolve("v1-fixture.jsonl");
    try (InputStream in = getClass().getResourceAsStream("/journals/v1-fixture.jsonl")) {
      Files.copy(in, file);
    }
    return file;
  }

  @Test
  void readsAsTypedRecords() throws IOException {
    Journal j = UndoJournal.read(format1Journal());
    assertEquals(1, j.header().formatVersion());
    assertEquals(new TargetId("memory", "memory:test"), j.header().targetId());
    assertEquals(Fixture.MACHINE, j.header().domainSid());
    List<JournalRecord.Intent> intents = j.intents();
    assertEquals(
        List.of("membership", "dacl", "dacl", "dacl", "dacl"),
        intents.stream().map(JournalRecord.Intent::resource).toList());
    MembershipUndo added = (MembershipUndo) intents.get(0).payload();
    assertTrue(added.added(), "kind add-member");
    assertEquals(Fixture.IIS_IUSRS, added.group());
    assertEquals(Fixture.IUSR, added.member());
    DaclUndo fw = (DaclUndo) intents.get(1).payload();
    assertEquals(Fixture.FW, fw.entries().get(0).path());
    DaclUndo below = (DaclUndo) intents.get(2).payload();
    assertTrue(below.inherited());
    assertEquals(5, below.entries().size());
    assertTrue(j.finished());
  }

  @Test
  void rollsBackWhatThatReleaseApplied() throws IOException {
    MemoryTarget mem = Fixture.server();
    Fixture.State before = Fixture.state(mem);
    // The same apply, made now: the server is in the state the old journal recorded as "after".
    Executor.Outcome o =
        new Executor(mem, new PrintWriter(new StringWriter()), WalkProgress.NONE)
            .apply(Fixture.plan(mem), dir.resolve("now.jsonl"), "test");
    assertTrue(o.ok(), o::failure);

    Rollback.Result r =
        new Rollback(mem, new PrintWriter(new StringWriter()))
            .run(UndoJournal.read(format1Journal()), false, false);

    assertTrue(r.complete(), () -> r.summary() + " " + r.problems());
    assertEquals(9, r.restored(), "the membership, two folders and six descendants");
    Fixture.assertSameState(before, Fixture.state(mem));
  }
}
