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
import org.wsusfix.diagnose.InputFormatException;
import org.wsusfix.diagnose.Samples;
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
        .map(e -> e.process() + "|" + e.pid() + "|" + e.operation() + "|" + e.path() + "|" + e.result()
            + "|" + e.user() + "|" + e.impersonating() + "|" + e.desiredAccess() + "|" + e.directory())
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
    String text = "\uFEFF" + CsvFixtures.row("Result", "Path", "Operation", "Time of Day", "Process Name")
        + CsvFixtures.row("ACCESS DENIED", "C:\\WINDOWS\\Microsoft.NET", "QueryOpen", "15:42:22,8459553", "w3wp.exe")
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
      String result = denied ? "ACCESS DENIED" : i % 43 == 0 ? "PRIVILEGE NOT HELD"
          : i % 47 == 0 ? "BAD IMPERSONATION" : "SUCCESS";
      expected += result.equals("SUCCESS") ? 0 : 1;
      sb.append(CsvFixtures.row("1:00:00 PM", "w3wp.exe", Integer.toString(i), "CreateFile",
          "C:\\WINDOWS\\Microsoft.NET\\f" + i + filler.substring(0, i % 180) + ".dll",
          result, "Desired Access: Generic Read, " + filler.substring(0, i % 97),
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
      List<String> sorted = new ArrayList<>(key(hits));
      List<String> want = new ArrayList<>(expectedKeys);
      java.util.Collections.sort(sorted);
      java.util.Collections.sort(want);
      assertEquals(want, sorted, threads + " segments: every row once, in some order");
    }
    assertEquals(all.size(), read(f, ProcmonCsvReader.Mode.ALL).size());
  }

  @Test
  void stackExportIsRejected() throws Exception {
    Path f = write("stack.csv", "\uFEFF" + CsvFixtures.row("Frame", "Module", "Location", "Address", "Path")
        + CsvFixtures.row("0", "ntoskrnl.exe", "x", "0xfffff800", "C:\\WINDOWS\\system32\\ntoskrnl.exe"));
    InputFormatException e =
        assertThrows(InputFormatException.class, () -> read(f, ProcmonCsvReader.Mode.INTERESTING));
    assertTrue(e.getMessage().endsWith("stack.csv:1:1: this is a Process Monitor stack export (Frame,"
        + " Module, Location, ...), not an event list; export the events with File > Save > CSV"),
        e.getMessage());
  }

  @Test
  void otherCsvIsRejectedNamingTheMissingColumns() throws Exception {
    Path f = write("users.csv", "name,mail\r\nbob,bob@example.com\r\n");
    InputFormatException e =
        assertThrows(InputFormatException.class, () -> read(f, ProcmonCsvReader.Mode.ALL));
    assertTrue(e.getMessage().contains("users.csv:1:1: not a Process Monitor event CSV: the header"
        + " lacks Process Name, Operation, Path, Result"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"INTERESTING", "ALL"})
  void brokenRowGivesFileLineAndColumn(String mode) throws Exception {
    String text = "\uFEFF" + CsvFixtures.row(CsvFixtures.FULL_HEADER)
        + CsvFixtures.row("1:00 PM", "w3wp.exe", "1", "QueryOpen", "C:\\a", "SUCCESS", "", "u")
        + "\"1:00 PM\",\"w3wp.exe\",\"1\",\"QueryOpen\",\"C:\\b\"x,\"ACCESS DENIED\",\"\",\"u\"\r\n";
    Path f = write("broken.csv", text);
    InputFormatException e =
        assertThrows(InputFormatException.class,
            () -> read(f, ProcmonCsvReader.Mode.valueOf(mode)));
    assertTrue(e.getMessage().matches(".*broken\\.csv:3:\\d+: .*"), e.getMessage());
  }

  @Test
  void truncatedLastRowIsAnError() throws Exception {
    String text = "\uFEFF" + CsvFixtures.row(CsvFixtures.FULL_HEADER)
        + "\"1:00 PM\",\"w3wp.exe\",\"1\",\"QueryOpen\",\"C:\\b\",\"ACCESS DENIED\",\"Desired Acc";
    Path f = write("cut.csv", text);
    InputFormatException e =
        assertThrows(InputFormatException.class, () -> read(f, ProcmonCsvReader.Mode.INTERESTING));
    assertTrue(e.getMessage().contains("cut.csv:2:"), e.getMessage());
  }

  @Test
  void realExportsScanLikeTheyParse() throws Exception {
    for (String name : List.of(
        "procmon/procmon-parser_UTC64Registry_slice_accessdenied.CSV",
        "procmon/prsp0007-samples_es-locale_filtered_Logfile.CSV",
        "procmon/procmon-parser_UTC64Process.CSV")) {
      Path f = Samples.require(name);
      List<ProcmonEvent> all = read(f, ProcmonCsvReader.Mode.ALL);
      List<ProcmonEvent> hits = read(f, ProcmonCsvReader.Mode.INTERESTING);
      assertEquals(
          key(all.stream().filter(e -> ProcmonText.isInteresting(e.result())).toList()), key(hits),
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
