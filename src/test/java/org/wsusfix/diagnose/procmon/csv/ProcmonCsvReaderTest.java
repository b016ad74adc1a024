package org.wsusfix.diagnose.procmon.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wsusfix.diagnose.Samples;
import org.wsusfix.diagnose.input.InputFormatException;
import org.wsusfix.diagnose.procmon.CountedSink;
import org.wsusfix.diagnose.procmon.CsvFixtures;
import org.wsusfix.diagnose.procmon.ProcmonEvent;
import org.wsusfix.diagnose.procmon.ProcmonText;

class ProcmonCsvReaderTest {
  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text, StandardCharsets.UTF_8);
    return f;
  }

  private static List<ProcmonEvent> read(Path f, ProcmonCsvReader.Mode mode) throws IOException {
    List<ProcmonEvent> out = new ArrayList<>();
    ProcmonCsvReader.read(f, mode, out::add);
    return out;
  }

  private static List<String> key(List<ProcmonEvent> events) {
    return events.stream()
        .map(
            e ->
                e.process()
                    + "|"
                    + e.pid()
                    + "|"
                    + e.operation()
                    + "|"
                    + e.path()
                    + "|"
                    + e.result()
                    + "|"
                    + e.user()
                    + "|"
                    + e.impersonating()
                    + "|"
                    + e.desiredAccess()
                    + "|"
                    + e.directory())
        .toList();
  }

  @Test
  void scanFindsExactlyTheDeniedRowsAndSkipsTheTextElsewhere() throws Exception {
    Path f = write("cap.csv", CsvFixtures.wsusCapture());
    List<ProcmonEvent> all = read(f, ProcmonCsvReader.Mode.ALL);
    assertEquals(8, all.size());
    ProcmonEvent tricky = all.get(3);
    assertEquals("C:\\notes, \"ACCESS DENIED\".txt", tricky.path());
    assertEquals("SUCCESS", tricky.result());

    List<ProcmonEvent> hits = read(f, ProcmonCsvReader.Mode.INTERESTING);
    List<ProcmonEvent> expected =
        all.stream().filter(e -> ProcmonText.isInteresting(e.result())).toList();
    assertEquals(6, hits.size());
    assertEquals(key(expected), key(hits));

    ProcmonEvent create = hits.get(1);
    assertEquals("CreateFile", create.operation());
    assertEquals("NT AUTHORITY\\IUSR", create.impersonating());
    assertEquals("Read Data/List Directory, Synchronize", create.desiredAccess());
    assertTrue(create.directory());
    ProcmonEvent file = hits.get(2);
    assertFalse(file.directory(), "Non-Directory File is not the Directory option");
    assertNull(hits.get(0).impersonating());
  }

  @Test
  void columnsAreFoundByNameInAnyOrderWithAnyTimeFormat() throws Exception {
    String text =
        "\uFEFF"
            + CsvFixtures.row("Result", "Path", "Operation", "Time of Day", "Process Name")
            + CsvFixtures.row(
                "ACCESS DENIED",
                "C:\\WINDOWS\\Microsoft.NET",
                "QueryOpen",
                "15:42:22,8459553",
                "w3wp.exe")
            + CsvFixtures.row("SUCCESS", "C:\\x", "QueryOpen", "15:42:23,0000000", "w3wp.exe");
    Path f = write("reordered.csv", text);
    List<ProcmonEvent> hits = read(f, ProcmonCsvReader.Mode.INTERESTING);
    assertEquals(1, hits.size());
    assertEquals("w3wp.exe", hits.get(0).process());
    assertEquals("C:\\WINDOWS\\Microsoft.NET", hits.get(0).path());
    assertEquals("", hits.get(0).user(), "no User column");
  }

  @Test
  void rowsAcrossManyBufferBoundariesAreNeitherLostNorDoubled() throws Exception {
    StringBuilder sb = new StringBuilder("\uFEFF").append(CsvFixtures.row(CsvFixtures.FULL_HEADER));
    long expected = 0;
    String filler = "x".repeat(180);
    for (int i = 0; sb.length() < 1_500_000; i++) {
      boolean denied = i % 37 == 0 || i % 41 == 0;
      String result =
          denied
              ? "ACCESS DENIED"
              : i % 43 == 0 ? "PRIVILEGE NOT HELD" : i % 47 == 0 ? "BAD IMPERSONATION" : "SUCCESS";
      expected += result.equals("SUCCESS") ? 0 : 1;
      sb.append(
          CsvFixtures.row(
              "1:00:00 PM",
              "w3wp.exe",
              Integer.toString(i),
              "CreateFile",
              "C:\\WINDOWS\\Microsoft.NET\\f" + i + filler.substring(0, i % 180) + ".dll",
              result,
              "Desired Access: Generic Read, " + filler.substring(0, i % 97),
              "NT AUTHORITY\\NETWORK SERVICE"));
    }
    Path f = write("big.csv", sb.toString());
    List<ProcmonEvent> all = new ArrayList<>();
    ProcmonCsvReader.read(f, ProcmonCsvReader.Mode.ALL, all::add, 4096, 1024);
    List<String> expectedKeys =
        key(all.stream().filter(e -> ProcmonText.isInteresting(e.result())).toList());
    assertEquals(expected, expectedKeys.size());
    for (int[] sizes : new int[][] {{4096, 1024}, {65536, 2048}, {1 << 20, 1 << 18}, {8192, 128}}) {
      List<ProcmonEvent> hits = new ArrayList<>();
      ProcmonCsvReader.read(f, ProcmonCsvReader.Mode.INTERESTING, hits::add, sizes[0], sizes[1]);
      assertEquals(expectedKeys, key(hits), "buffers " + sizes[0] + "/" + sizes[1]);
    }
    for (int threads : new int[] {2, 3, 7}) {
      List<ProcmonEvent> hits = new ArrayList<>();
      ProcmonCsvReader.read(
          f, ProcmonCsvReader.Mode.INTERESTING, hits::add, 16384, 512, threads, 0);
      assertEquals(expectedKeys, key(hits), threads + " segments: every row once, in file order");
    }
    // PendingReply segments that must hold back more events than allowed wait for their turn.
    for (int threads : new int[] {2, 5}) {
      List<ProcmonEvent> hits = new ArrayList<>();
      ProcmonCsvReader.read(
          f, ProcmonCsvReader.Mode.INTERESTING, hits::add, 16384, 512, threads, 0, 3);
      assertEquals(expectedKeys, key(hits), threads + " segments holding back at most 3 events");
    }
    assertEquals(all.size(), read(f, ProcmonCsvReader.Mode.ALL).size());
  }

  @Test
  void stackExportIsRejected() throws Exception {
    Path f =
        write(
            "stack.csv",
            "\uFEFF"
                + CsvFixtures.row("Frame", "Module", "Location", "Address", "Path")
                + CsvFixtures.row(
                    "0", "ntoskrnl.exe", "x", "0xfffff800", "C:\\WINDOWS\\system32\\ntoskrnl.exe"));
    InputFormatException e =
        assertThrows(InputFormatException.class, () -> read(f, ProcmonCsvReader.Mode.INTERESTING));
    assertTrue(
        e.getMessage()
            .endsWith(
                "stack.csv:1:1: this is a Process Monitor stack export (Frame,"
                    + " Module, Location, ...), not an event list; export the events with File > Save > CSV"),
        e.getMessage());
  }

  @Test
  void otherCsvIsRejectedNamingTheMissingColumns() throws Exception {
    Path f = write("users.csv", "name,mail\r\nbob,bob@example.com\r\n");
    InputFormatException e =
        assertThrows(InputFormatException.class, () -> read(f, ProcmonCsvReader.Mode.ALL));
    assertTrue(
        e.getMessage()
            .contains(
                "users.csv:1:1: not a Process Monitor event CSV: the header"
                    + " lacks Process Name, Operation, Path, Result"),
        e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"INTERESTING", "ALL"})
  void brokenRowGivesFileLineAndColumn(String mode) throws Exception {
    String text =
        "\uFEFF"
            + CsvFixtures.row(CsvFixtures.FULL_HEADER)
            + CsvFixtures.row("1:00 PM", "w3wp.exe", "1", "QueryOpen", "C:\\a", "SUCCESS", "", "u")
            + "\"1:00 PM\",\"w3wp.exe\",\"1\",\"QueryOpen\",\"C:\\b\"x,\"ACCESS DENIED\",\"\",\"u\"\r\n";
    Path f = write("broken.csv", text);
    InputFormatException e =
        assertThrows(
            InputFormatException.class, () -> read(f, ProcmonCsvReader.Mode.valueOf(mode)));
    assertTrue(e.getMessage().matches(".*broken\\.csv:3:\\d+: .*"), e.getMessage());
  }

  @Test
  void truncatedLastRowIsAnError() throws Exception {
    String text =
        "\uFEFF"
            + CsvFixtures.row(CsvFixtures.FULL_HEADER)
            + "\"1:00 PM\",\"w3wp.exe\",\"1\",\"QueryOpen\",\"C:\\b\",\"ACCESS DENIED\",\"Desired Acc";
    Path f = write("cut.csv", text);
    InputFormatException e =
        assertThrows(InputFormatException.class, () -> read(f, ProcmonCsvReader.Mode.INTERESTING));
    assertTrue(e.getMessage().contains("cut.csv:2:"), e.getMessage());
  }

  private static String deniedRow(String pid, String path, String detail) {
    return CsvFixtures.row(
        "1:00:00 PM",
        "w3wp.exe",
        pid,
        "CreateFile",
        path,
        "ACCESS DENIED",
        detail,
        "NT AUTHORITY\\NETWORK SERVICE");
  }

  /** Counts per distinct event, as a counting sink receives them. */
  private static final class Counts implements CountedSink {
    final java.util.Map<String, Long> byKey = new java.util.TreeMap<>();
    final java.util.Set<ProcmonEvent> instances =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    long calls;

    @Override
    public synchronized void accept(ProcmonEvent e, long times) {
      calls++;
      instances.add(e);
      byKey.merge(key(List.of(e)).get(0), times, Long::sum);
    }
  }

  private static java.util.Map<String, Long> countKeys(List<ProcmonEvent> events) {
    java.util.Map<String, Long> m = new java.util.TreeMap<>();
    for (String k : key(events)) {
      m.merge(k, 1L, Long::sum);
    }
    return m;
  }

  @Test
  void repeatedRowsReachACountingSinkOnceWithTheirCount() throws Exception {
    StringBuilder sb = new StringBuilder("\uFEFF").append(CsvFixtures.row(CsvFixtures.FULL_HEADER));
    for (int i = 0; i < 3000; i++) {
      // Three distinct rows repeated; the time column differs on every row and is not part of it.
      String time = "1:" + (i / 60) + ":" + (i % 60) + " PM";
      String path = "C:\\WINDOWS\\Microsoft.NET" + (i % 3 == 0 ? "" : "\\Framework" + (i % 3));
      sb.append(
          CsvFixtures.row(
              time,
              "w3wp.exe",
              "3120",
              "QueryOpen",
              path,
              "ACCESS DENIED",
              "",
              "NT AUTHORITY\\NETWORK SERVICE"));
      sb.append(CsvFixtures.row(time, "w3wp.exe", "3120", "QueryOpen", path, "SUCCESS", "", "x"));
    }
    // Same columns but another PID: another event.
    sb.append(
        CsvFixtures.row(
            "2:00 PM",
            "w3wp.exe",
            "3121",
            "QueryOpen",
            "C:\\WINDOWS\\Microsoft.NET",
            "ACCESS DENIED",
            "",
            "NT AUTHORITY\\NETWORK SERVICE"));
    Path f = write("repeats.csv", sb.toString());
    List<ProcmonEvent> plain = new ArrayList<>();
    assertEquals(3001, ProcmonCsvReader.read(f, ProcmonCsvReader.Mode.INTERESTING, plain::add));
    for (int threads : new int[] {1, 2, 4}) {
      Counts c = new Counts();
      ProcmonCsvReader.read(f, ProcmonCsvReader.Mode.INTERESTING, c, 4096, 1024, threads, 0);
      assertEquals(countKeys(plain), c.byKey, threads + " segments");
      assertEquals(4, c.byKey.size());
      assertTrue(c.calls <= 4L * threads, "one call per distinct row and segment: " + c.calls);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void manyDistinctRowsOverflowTheRepeatCacheWithoutLosingCounts(int runs) throws Exception {
    // runs 1: every row new until the cache is full, which turns it off; runs 3: each row thrice,
    // so the cache stays on and is handed over and emptied several times.
    StringBuilder sb = new StringBuilder("\uFEFF").append(CsvFixtures.row(CsvFixtures.FULL_HEADER));
    int rows = 5000 * runs + 2000;
    for (int i = 0; i < rows; i++) {
      int k = (i / runs) % 5000;
      sb.append(deniedRow(Integer.toString(k), "C:\\d\\" + k, ""));
    }
    Path f = write("distinct.csv", sb.toString());
    List<ProcmonEvent> plain = new ArrayList<>();
    ProcmonCsvReader.read(f, ProcmonCsvReader.Mode.ALL, plain::add);
    assertEquals(rows, plain.size());
    for (int threads : new int[] {1, 2}) {
      Counts c = new Counts();
      ProcmonCsvReader.read(f, ProcmonCsvReader.Mode.INTERESTING, c, 1 << 16, 1 << 12, threads, 0);
      assertEquals(countKeys(plain), c.byKey, threads + " segments");
      List<ProcmonEvent> hits = new ArrayList<>();
      ProcmonCsvReader.read(
          f, ProcmonCsvReader.Mode.INTERESTING, hits::add, 1 << 16, 1 << 12, threads, 0);
      assertEquals(key(plain), key(hits), threads + " segments, one event per row");
    }
  }

  @Test
  void aResultSplitByTheBufferEndIsFoundAtEveryOffset() throws Exception {
    String header = "\uFEFF" + CsvFixtures.row(CsvFixtures.FULL_HEADER);
    String row2head = "\"1:00 PM\",\"w3wp.exe\",\"7\",\"QueryOpen\",\"C:\\x\",";
    String row2tail = "\"ACCESS DENIED\",\"\",\"u\"\r\n";
    int chunk = 4096;
    for (int history : new int[] {16, 1024}) {
      int bufferEnd = chunk + history; // the first read fills the whole buffer
      for (int cut = 1; cut < 20; cut++) {
        // Pad the first row so the second row's result starts `cut` bytes before the buffer end.
        int fixed =
            header.getBytes(StandardCharsets.UTF_8).length
                + row2head.length()
                + CsvFixtures.row(
                        "1:00 PM", "w3wp.exe", "1", "QueryOpen", "C:\\", "SUCCESS", "", "u")
                    .length();
        String first =
            CsvFixtures.row(
                "1:00 PM",
                "w3wp.exe",
                "1",
                "QueryOpen",
                "C:\\" + "p".repeat(bufferEnd - cut - fixed),
                "SUCCESS",
                "",
                "u");
        String text = header + first + row2head + row2tail;
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertEquals(bufferEnd - cut, bytes.length - row2tail.length());
        Path f = write("cut" + cut + ".csv", text);
        List<ProcmonEvent> hits = new ArrayList<>();
        ProcmonCsvReader.read(f, ProcmonCsvReader.Mode.INTERESTING, hits::add, chunk, history);
        assertEquals(1, hits.size(), "result cut " + cut + " bytes before the buffer end");
        assertEquals(7, hits.get(0).pid());
      }
    }
  }

  @Test
  void aResultInTheLastColumnAtTheVeryEndOfTheFileCounts() throws Exception {
    String head = "\uFEFF" + CsvFixtures.row("Process Name", "Operation", "Path", "Result");
    String row = "\"w3wp.exe\",\"QueryOpen\",\"C:\\WINDOWS\\Microsoft.NET\",\"ACCESS DENIED\"";
    for (String end : new String[] {"", "\r\n", "\n"}) {
      Path f = write("end.csv", head + row + "\r\n" + row + end);
      for (int threads : new int[] {1, 2}) {
        List<ProcmonEvent> hits = new ArrayList<>();
        ProcmonCsvReader.read(
            f, ProcmonCsvReader.Mode.INTERESTING, hits::add, 4096, 1024, threads, 0);
        assertEquals(2, hits.size(), "ending " + end.length() + ", " + threads + " segments");
        assertEquals("C:\\WINDOWS\\Microsoft.NET", hits.get(1).path());
      }
    }
  }

  @Test
  void doubledQuotesNeitherFakeNorHideAResult() throws Exception {
    String text =
        "\uFEFF"
            + CsvFixtures.row(CsvFixtures.FULL_HEADER)
            // The result text quoted inside fields: no hit.
            + CsvFixtures.row(
                "1:00 PM",
                "w3wp.exe",
                "1",
                "WriteFile",
                "C:\\\"ACCESS DENIED\"",
                "SUCCESS",
                "said \"\"ACCESS DENIED\"\",\"",
                "u")
            + CsvFixtures.row(
                "1:00 PM",
                "w3wp.exe",
                "1",
                "WriteFile",
                "\"ACCESS DENIED\"",
                "SUCCESS",
                "\"ACCESS DENIED\"",
                "u")
            // Doubled quotes around the real result's neighbours: a hit, with the quotes undone.
            + CsvFixtures.row(
                "1:00 PM",
                "w3wp.exe",
                "2",
                "CreateFile",
                "C:\\a \"b\"",
                "ACCESS DENIED",
                "Desired Access: Read Data, Impersonating: PC\\\"x\"",
                "u")
            + CsvFixtures.row(
                "1:00 PM",
                "w3wp.exe",
                "2",
                "CreateFile",
                "C:\\a \"c\"",
                "ACCESS DENIED",
                "Desired Access: Read Data, Impersonating: PC\\\"x\"",
                "u");
    Path f = write("quotes.csv", text);
    List<ProcmonEvent> hits = read(f, ProcmonCsvReader.Mode.INTERESTING);
    assertEquals(2, hits.size());
    assertEquals("C:\\a \"b\"", hits.get(0).path());
    assertEquals("C:\\a \"c\"", hits.get(1).path(), "rows that differ in quoted text stay apart");
    assertEquals("PC\\\"x\"", hits.get(0).impersonating());
    assertEquals(
        key(
            read(f, ProcmonCsvReader.Mode.ALL).stream()
                .filter(e -> ProcmonText.isInteresting(e.result()))
                .toList()),
        key(hits));
  }

  @Test
  void aBrokenRowInALaterSegmentFailsTheReadWithoutHanging() throws Exception {
    StringBuilder sb = new StringBuilder("\uFEFF").append(CsvFixtures.row(CsvFixtures.FULL_HEADER));
    for (int i = 0; i < 2000; i++) {
      sb.append(deniedRow(Integer.toString(i), "C:\\d\\" + i, ""));
    }
    sb.append(
        "\"1:00 PM\",\"w3wp.exe\",\"1\",\"QueryOpen\",\"C:\\b\"x,\"ACCESS DENIED\",\"\",\"u\"\r\n");
    for (int i = 0; i < 50; i++) {
      sb.append(deniedRow("9", "C:\\e\\" + i, ""));
    }
    Path f = write("late.csv", sb.toString());
    for (int threads : new int[] {2, 4}) {
      InputFormatException e =
          org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
              java.time.Duration.ofSeconds(20),
              () ->
                  assertThrows(
                      InputFormatException.class,
                      () ->
                          ProcmonCsvReader.read(
                              f,
                              ProcmonCsvReader.Mode.INTERESTING,
                              ev -> {},
                              4096,
                              1024,
                              threads,
                              0,
                              2)));
      assertTrue(e.getMessage().matches(".*late\\.csv:2002:\\d+: .*"), e.getMessage());
    }
  }

  @Test
  void realExportsScanLikeTheyParse() throws Exception {
    for (String name :
        List.of(
            "procmon/procmon-parser_UTC64Registry_slice_accessdenied.CSV",
            "procmon/prsp0007-samples_es-locale_filtered_Logfile.CSV",
            "procmon/procmon-parser_UTC64Process.CSV")) {
      Path f = Samples.require(name);
      List<ProcmonEvent> all = read(f, ProcmonCsvReader.Mode.ALL);
      List<ProcmonEvent> hits = read(f, ProcmonCsvReader.Mode.INTERESTING);
      assertEquals(
          key(all.stream().filter(e -> ProcmonText.isInteresting(e.result())).toList()),
          key(hits),
          name);
    }
    Path reg = Samples.require("procmon/procmon-parser_UTC64Registry_slice_accessdenied.CSV");
    assertEquals(384, read(reg, ProcmonCsvReader.Mode.ALL).size());
    List<ProcmonEvent> denied = read(reg, ProcmonCsvReader.Mode.INTERESTING);
    assertEquals(8, denied.size());
    assertEquals("RegCreateKey", denied.get(0).operation());
    assertEquals("Set Value, Create Sub Key, Enumerate Sub Keys", denied.get(0).desiredAccess());
    Path es = Samples.require("procmon/prsp0007-samples_es-locale_filtered_Logfile.CSV");
    assertEquals(2791, read(es, ProcmonCsvReader.Mode.ALL).size());
  }
}
