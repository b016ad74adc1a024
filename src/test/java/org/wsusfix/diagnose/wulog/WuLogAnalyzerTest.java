package org.wsusfix.diagnose.wulog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wsusfix.diagnose.Samples;
import org.wsusfix.diagnose.input.InputFormatException;

class WuLogAnalyzerTest {
  @TempDir Path dir;

  private List<Signature> analyze(String name, String text) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, text, StandardCharsets.UTF_8);
    WuLogAnalyzer a = new WuLogAnalyzer();
    a.add(f);
    return a.signatures();
  }

  @Test
  void legacyLogShows401SignatureOnlyWhereHttp401IsInTheSameAttempt() throws Exception {
    List<Signature> sigs = analyze("WindowsUpdate.log", WuLogFixtures.LEGACY_401);
    assertEquals(2, sigs.size());
    Signature auth = sigs.get(0);
    assertEquals(ErrorCatalog.INVALID_OPERATION, auth.code());
    assertEquals(401, auth.httpStatus());
    assertTrue(auth.permissionRelated());
    assertTrue(auth.isAuth401());
    assertEquals(2, auth.count(), "attempts at 10:10 and 16:10");
    assertEquals(6, auth.lines());
    assertEquals(LocalDateTime.of(2008, 1, 22, 10, 10, 14, 300_000_000), auth.firstSeen());
    assertEquals(LocalDateTime.of(2008, 1, 22, 16, 10, 14, 320_000_000), auth.lastSeen());
    assertEquals(List.of("http://wsus01:8530"), auth.servers());
    assertEquals(List.of("7.6.7600.256"), auth.agentBuilds());

    Signature generic = sigs.get(1);
    assertEquals(ErrorCatalog.INVALID_OPERATION, generic.code());
    assertNull(generic.httpStatus());
    assertFalse(generic.permissionRelated(), "0x800710DD without 401 is not the signature");
    assertEquals(1, generic.count());
  }

  @Test
  void pastedCopyWithSpacesInsteadOfTabsReadsTheSame() throws Exception {
    String pasted = WuLogFixtures.LEGACY_401.replace('\t', ' ');
    assertEquals(
        analyze("a.log", WuLogFixtures.LEGACY_401).stream()
            .map(s -> s.count() + "/" + s.lines())
            .toList(),
        analyze("b.log", pasted).stream().map(s -> s.count() + "/" + s.lines()).toList());
  }

  @ParameterizedTest
  @CsvSource({"/,true,CRLF", "-,false,LF", ".,true,LF", ".,false,CRLF"})
  void windows10FormWithAnySeparatorBomAndLineEnd(char sep, boolean bom, String eolName)
      throws Exception {
    List<Signature> sigs =
        analyze("wu10.log", WuLogFixtures.win10(sep, bom, eolName.equals("CRLF") ? "\r\n" : "\n"));
    assertEquals(2, sigs.size(), sigs.toString());
    Signature denied = sigs.stream().filter(s -> s.code() == 0x80244017L).findFirst().orElseThrow();
    assertEquals(401, denied.httpStatus());
    assertEquals(1, denied.count());
    assertEquals(4, denied.lines(), "three *FAILED* lines and the END line");
    assertEquals(List.of("https://wsus01.contoso.com:8531"), denied.servers());
    assertEquals(List.of("10.0.19041.3636"), denied.agentBuilds());
    Signature auth =
        sigs.stream()
            .filter(s -> s.code() == ErrorCatalog.INVALID_OPERATION)
            .findFirst()
            .orElseThrow();
    assertTrue(auth.isAuth401());
    assertEquals(LocalDateTime.of(2024, 4, 11, 11, 15, 3), auth.firstSeen());
  }

  @Test
  void garbageIsRejectedWithFileAndLine() throws Exception {
    InputFormatException e =
        assertThrows(
            InputFormatException.class,
            () -> analyze("notes.log", "\nhello there\nthis is not a log\n"));
    assertTrue(
        e.getMessage().matches(".*notes\\.log:2:1: not a WindowsUpdate\\.log record.*"),
        e.getMessage());
  }

  @Test
  void binaryEtlIsRejectedWithAHint() throws Exception {
    Path f = dir.resolve("WindowsUpdate.20240411.etl");
    Files.write(f, new byte[] {1, 0, 0, 0, 'x', 0, 2});
    WuLogAnalyzer a = new WuLogAnalyzer();
    InputFormatException e = assertThrows(InputFormatException.class, () -> a.add(f));
    assertTrue(e.getMessage().contains(":1: binary data"), e.getMessage());
    assertTrue(e.getMessage().contains("Get-WindowsUpdateLog"));
  }

  @Test
  void realWindows10LogWith403FailuresIsNeither401NorAServerPermissionFinding() throws Exception {
    Path f =
        Samples.require("windowsupdate/findingsanity-Logs_1809_wsus-https_403_WindowsUpdate.log");
    WuLogAnalyzer a = new WuLogAnalyzer();
    a.add(f);
    List<Signature> sigs = a.signatures();
    assertTrue(sigs.stream().noneMatch(Signature::isAuth401));
    assertTrue(sigs.stream().noneMatch(Signature::serverPermission), sigs.toString());
    Signature first = sigs.get(0);
    assertEquals(0x80244018L, first.code());
    assertEquals(403, first.httpStatus());
    assertTrue(first.permissionRelated(), "a 403 would be a permission fault at a WSUS server");
    assertTrue(sigs.stream().anyMatch(s -> s.code() == 0x80190193L));
    assertEquals(List.of("10.0.17763.1852"), first.agentBuilds());
  }

  @Test
  void realHealthyWindows7LogHasNoFindings() throws Exception {
    Path f = Samples.require("windowsupdate/rkudache31-log_win7-7.6.7600.256_WindowsUpdate.log");
    WuLogAnalyzer a = new WuLogAnalyzer();
    a.add(f);
    assertTrue(a.signatures().isEmpty(), a.signatures().toString());
    assertTrue(a.records() > 1000);
  }
}
