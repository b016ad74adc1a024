package org.wsusfix.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsusfix.machine.memory.MemoryTarget;
import org.wsusfix.resource.WalkProgress;

class UndoJournalTest {
  @TempDir Path dir;

  /** A journal of the fixture's three changes; the target is left in the after-state. */
  Path journal(MemoryTarget mem) throws IOException {
    Path journal = dir.resolve("undo.jsonl");
    assertTrue(
        new Executor(mem, new PrintWriter(new StringWriter()), WalkProgress.NONE)
            .apply(Fixture.plan(mem), journal, "test")
            .ok());
    return journal;
  }

  static List<String> lines(Path file) throws IOException {
    return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
  }

  static void write(Path file, List<String> lines) throws IOException {
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
  }

  /** Reading fails with one line naming the file and line; the target is untouched. */
  static String refused(Path file, MemoryTarget mem) {
    Fixture.State state = Fixture.state(mem);
    JournalException e = assertThrows(JournalException.class, () -> UndoJournal.read(file));
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertTrue(e.getMessage().startsWith(file + ":"), e.getMessage());
    Fixture.assertSameState(state, Fixture.state(mem));
    return e.getMessage();
  }

  @Test
  void anIntactJournalReads() throws IOException {
    MemoryTarget mem = Fixture.server();
    assertEquals(11, UndoJournal.read(journal(mem)).records().size(), "after the header");
  }

  @Test
  void anEditedFieldIsDetected() throws IOException {
    MemoryTarget mem = Fixture.server();
    Path f = journal(mem);
    List<String> lines = lines(f);
    String edited = lines.get(3).replace("0x1200a9;;;BU", "FA;;;BU");
    assertFalse(edited.equals(lines.get(3)));
    lines.set(3, edited);
    write(f, lines);
    assertEquals(f + ":4: tampered: the line does not match its hash", refused(f, mem));
  }

  @Test
  void anEditWithARecomputedHashBreaksTheChainBelowIt() throws IOException {
    MemoryTarget mem = Fixture.server();
    Path f = journal(mem);
    List<String> lines = lines(f);
    String line = lines.get(3);
    int at = line.lastIndexOf(",\"hash\":\"");
    String prefix = line.substring(0, at).replace("0x1200a9;;;BU", "FA;;;BU");
    lines.set(3, prefix + ",\"hash\":\"" + org.wsusfix.resource.Digest.sha256(prefix) + "\"}");
    write(f, lines);
    assertTrue(refused(f, mem).startsWith(f + ":5: tampered: the chain is broken"));
  }

  @Test
  void aLineCutMidwayIsDetected() throws IOException {
    MemoryTarget mem = Fixture.server();
    Path f = journal(mem);
    byte[] all = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(all, all.length - 40));
    assertEquals(f + ":12: truncated: the last line is incomplete", refused(f, mem));
  }

  @Test
  void aMissingLastLineStillReadsButRollbackSaysTheRunDidNotFinish() throws IOException {
    MemoryTarget mem = Fixture.server();
    Fixture.State before = Fixture.state(mem);
    Path f = journal(mem);
    List<String> lines = lines(f);
    lines.remove(lines.size() - 1);
    write(f, lines);
    StringWriter out = new StringWriter();
    Rollback.Result r =
        new Rollback(mem, new PrintWriter(out)).run(UndoJournal.read(f), false, false);
    assertFalse(r.finishedRun());
    assertTrue(
        r.summary().contains("the journal has no end record: that run did not finish"),
        r.summary());
    Fixture.assertSameState(before, Fixture.state(mem));
  }

  @Test
  void swappedLinesAreDetected() throws IOException {
    MemoryTarget mem = Fixture.server();
    Path f = journal(mem);
    List<String> lines = lines(f);
    String l4 = lines.get(4);
    lines.set(4, lines.get(5));
    lines.set(5, l4);
    write(f, lines);
    assertTrue(refused(f, mem).startsWith(f + ":5: tampered: the chain is broken"));
  }

  @Test
  void aDeletedMiddleLineIsDetected() throws IOException {
    MemoryTarget mem = Fixture.server();
    Path f = journal(mem);
    List<String> lines = lines(f);
    lines.remove(6);
    write(f, lines);
    assertTrue(refused(f, mem).startsWith(f + ":7: tampered: the chain is broken"));
  }

  @Test
  void aDeletedHeaderIsDetected() throws IOException {
    MemoryTarget mem = Fixture.server();
    Path f = journal(mem);
    List<String> lines = lines(f);
    lines.remove(0);
    write(f, lines);
    assertTrue(refused(f, mem).startsWith(f + ":1: tampered: the chain is broken"));
  }

  @Test
  void anotherFormatVersionIsRefused() throws IOException {
    MemoryTarget mem = Fixture.server();
    Path f = dir.resolve("v3.jsonl");
    try (UndoJournal j = UndoJournal.create(f, org.wsusfix.plan.ResourceKinds.STANDARD)) {
      ObjectNode header = UndoJournal.record("header");
      header.put("formatVersion", 3);
      j.append(header);
    }
    assertEquals(
        f + ":1: 'formatVersion' is 3: this wsusfix reads journals of format 1 and 2",
        refused(f, mem));
  }

  @Test
  void notAJournalAtAll() throws IOException {
    MemoryTarget mem = Fixture.server();
    Path empty = Files.createFile(dir.resolve("empty.jsonl"));
    assertEquals(empty + ":1: not an undo journal (no header line)", refused(empty, mem));
    Path text = Files.writeString(dir.resolve("text.jsonl"), "hello\n");
    assertEquals(text + ":1: not a journal line (no hash)", refused(text, mem));
    JournalException missing =
        assertThrows(JournalException.class, () -> UndoJournal.read(dir.resolve("nope.jsonl")));
    assertTrue(missing.getMessage().endsWith("nope.jsonl: no such file"), missing.getMessage());
  }

  @Test
  void createNeverOverwrites() throws IOException {
    Path f = Files.writeString(dir.resolve("old.jsonl"), "x\n");
    assertThrows(
        java.nio.file.FileAlreadyExistsException.class,
        () -> UndoJournal.create(f, org.wsusfix.plan.ResourceKinds.STANDARD));
    assertEquals("x\n", Files.readString(f));
  }

  /** Recomputes every line's prev and hash, as a careful forger (or a buggy tool) would. */
  static List<String> rechained(List<String> lines) throws IOException {
    com.fasterxml.jackson.databind.ObjectMapper mapper =
        new com.fasterxml.jackson.databind.ObjectMapper();
    List<String> out = new ArrayList<>();
    String prev = UndoJournal.GENESIS;
    for (String line : lines) {
      ObjectNode n = (ObjectNode) mapper.readTree(line);
      n.remove("hash");
      n.put("prev", prev);
      String text = mapper.writeValueAsString(n);
      String prefix = text.substring(0, text.length() - 1);
      prev = org.wsusfix.resource.Digest.sha256(prefix);
      out.add(prefix + ",\"hash\":\"" + prev + "\"}");
    }
    return out;
  }

  /**
   * Intact chains whose records lack or mistype a field are refused with the line, not read as
   * defaults.
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  // quotes begin some fields here; JUnit 6 would read those as quoted, so ` quotes instead
  @org.junit.jupiter.params.provider.CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "intent without change|4|\"change\":\\{.*\\}(?=,\"hash\")|\"nochange\":1|'change' is missing",
        "before not a string|4|\"before\":\"[^\"]*\"|\"before\":7|entries[0]: 'before' is not a string",
        "unknown resource|2|\"resource\":\"membership\"|\"resource\":\"iis-site\"|'resource' is 'iis-site', which this wsusfix does not know",
        "member not a SID|2|\"member\":\"S-1-5-17\"|\"member\":\"IUSR\"|change: 'member' is not a SID",
        "done names a later line|3|\"intent\":2|\"intent\":9|'intent' names no earlier line",
        "unknown record type|3|\"type\":\"done\"|\"type\":\"undone\"|'type' is 'undone': not a journal record type (intent, done, end)",
        "header without targetId|1|\"targetId\":\"[^\"]*\",|``|'targetId' is missing"
      })
  void aWellChainedLineWithABadFieldIsRefused(
      String name, int line, String regex, String replacement, String problem) throws IOException {
    MemoryTarget mem = Fixture.server();
    Path f = journal(mem);
    List<String> lines = lines(f);
    String edited = lines.get(line - 1).replaceFirst(regex, replacement);
    assertFalse(edited.equals(lines.get(line - 1)), "the edit applies");
    lines.set(line - 1, edited);
    write(f, rechained(lines));
    assertEquals(f + ":" + line + ": " + problem, refused(f, mem));
  }
}
