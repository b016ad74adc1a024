package org.wsusfix.diagnose.procmon.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wsusfix.diagnose.procmon.CsvFixtures;
import org.wsusfix.diagnose.procmon.ProcmonEvent;

/**
 * Captures of a quiet server: long stretches, more than the largest read buffer (64 MB) per scan
 * segment, without a single denied row. Such a stretch once kept the whole buffer alive, so the
 * scan stopped reading and spun forever.
 */
class QuietCaptureTest {
  /** Over 64 MB per segment with two scanners, and so with one. */
  private static final long QUIET_BYTES = 150L << 20;

  private static final String DENIED_ROW =
      CsvFixtures.row(
          "1:20:00.0000000 AM",
          "w3wp.exe",
          "3120",
          "QueryOpen",
          "C:\\WINDOWS\\Microsoft.NET",
          "ACCESS DENIED",
          "",
          "NT AUTHORITY\\NETWORK SERVICE");

  private static Path dir;
  private static Path capture;
  private static long quietEnd;

  @BeforeAll
  static void writeCapture() throws IOException {
    dir = Files.createTempDirectory("wsusfix-quiet");
    capture = dir.resolve("quiet.csv");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(capture), 1 << 20)) {
      long written = write(out, "\uFEFF" + CsvFixtures.row(CsvFixtures.FULL_HEADER));
      for (long i = 0; written < QUIET_BYTES; i++) {
        written +=
            write(
                out,
                CsvFixtures.row(
                    "1:18:10." + (1000000 + i % 9000000) + " AM",
                    "w3wp.exe",
                    "3120",
                    "QueryOpen",
                    "C:\\inetpub\\wwwroot\\ClientWebService\\file" + (i % 5000) + ".aspx",
                    "SUCCESS",
                    "CreationTime: 1/1/2024, LastAccessTime: 1/1/2024, Attributes: A",
                    "NT AUTHORITY\\NETWORK SERVICE"));
      }
      quietEnd = written;
      out.write(DENIED_ROW.getBytes(StandardCharsets.UTF_8));
    }
  }

  @AfterAll
  static void removeCapture() throws IOException {
    Files.deleteIfExists(capture);
    Files.deleteIfExists(dir);
  }

  private static long write(OutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write(b);
    return b.length;
  }

  private static List<ProcmonEvent> scan(Path file, int scanners) {
    return assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> {
          List<ProcmonEvent> hits = new ArrayList<>();
          ProcmonCsvReader.read(file, ProcmonCsvReader.Mode.INTERESTING, hits::add, scanners);
          return hits;
        });
  }

  @ParameterizedTest(name = "{0} scanner(s)")
  @ValueSource(ints = {1, 2})
  void aDenialAfterAQuietStretchIsFound(int scanners) {
    List<ProcmonEvent> hits = scan(capture, scanners);
    assertEquals(1, hits.size());
    assertEquals("C:\\WINDOWS\\Microsoft.NET", hits.get(0).path());
  }

  @ParameterizedTest(name = "{0} scanner(s)")
  @ValueSource(ints = {1, 2})
  void aCleanCaptureEndsWithNothingFound(int scanners) throws IOException {
    Path clean = dir.resolve("clean-" + scanners + ".csv");
    Files.copy(capture, clean);
    try {
      try (FileChannel ch = FileChannel.open(clean, StandardOpenOption.WRITE)) {
        ch.truncate(quietEnd);
      }
      assertEquals(List.of(), scan(clean, scanners));
    } finally {
      Files.deleteIfExists(clean);
    }
  }
}
