package org.wsusfix.diagnose.iislog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-line shortcuts of the scan give what a plain parse would. */
class IisLogFastPathTest {
  @TempDir Path dir;

  @Test
  void lowestFlaggedByteIsTheIndexOfTheLowestHighBit() {
    for (int j = 0; j < 8; j++) {
      long t = 0x80L << (8 * j);
      assertEquals(j, IisLogAnalyzer.lowestFlaggedByte(t));
      // bytes flagged above the lowest do not matter
      assertEquals(j, IisLogAnalyzer.lowestFlaggedByte(t | 0x8000000000000000L));
    }
  }

  @Test
  void manyClientsStemsAndWin32CodesAreCountedExactlyPastTheCaches() throws Exception {
    W3cFixtures log = W3cFixtures.log("2026-11-20");
    int n = 0;
    for (int c = 0; c < 300; c++) {
      for (int k = 0; k < 3; k++) {
        String stem =
            k == 2 ? "/SimpleAuthWebService/SimpleAuth.asmx" : "/ClientWebService/client.asmx";
        String day = c < 150 ? "2026-11-20" : "2026-11-21";
        log.req(
            day + " 10:" + String.format("%02d:%02d", c / 60, c % 60),
            "POST",
            stem,
            "10.1." + (c / 200) + "." + (c % 200),
            401,
            3,
            c % 7 == 0 ? 1314 : 5);
        n++;
      }
    }
    Path f = dir.resolve("u_ex261120.log");
    Files.writeString(f, log.text(), StandardCharsets.UTF_8);
    IisLogAnalyzer a = new IisLogAnalyzer(4096);
    a.add(f);
    List<IisLogFinding> found = a.findings();
    assertEquals(2, found.size(), found.toString());
    IisLogFinding client = found.get(0);
    assertEquals(IisEndpoint.CLIENT, client.endpoint());
    assertEquals(600, client.count());
    assertEquals(300, client.clients());
    long withCode1314 = 2L * (300 / 7 + 1);
    assertEquals(Map.of(5L, 600 - withCode1314, 1314L, withCode1314), client.win32());
    assertEquals("2026-11-20T10:00", client.firstSeen().toString());
    assertEquals("2026-11-21T10:04:59", client.lastSeen().toString());
    IisLogFinding simple = found.get(1);
    assertEquals(300, simple.count());
    assertEquals(300, simple.clients());
    assertEquals(n, client.count() + simple.count());
  }
}
