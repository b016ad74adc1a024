package org.wsusfix.diagnose.wulog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wsusfix.diagnose.Samples;

class EndpointAttributionTest {
  @TempDir Path dir;

  private WuLogAnalyzer analyze(String text) throws Exception {
    Path f = dir.resolve("WindowsUpdate.log");
    Files.writeString(f, text, StandardCharsets.UTF_8);
    WuLogAnalyzer a = new WuLogAnalyzer();
    a.add(f);
    return a;
  }

  private static Signature code(List<Signature> sigs, long code) {
    return sigs.stream()
        .filter(s -> s.code() == code)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + Long.toHexString(code) + " in " + sigs));
  }

  @ParameterizedTest
  @CsvSource({
    "80244017, 401, true",
    "80244018, 403, true",
    "80244019, 404, false",
    "8024401F, 500, true",
    "80244022, 503, false"
  })
  void windows10WebServiceFailuresAgainstWsusAreTheServers(String hr, int http, boolean perm)
      throws Exception {
    List<Signature> sigs = analyze(EndpointFixtures.win10Wsus(hr, http)).signatures();
    Signature s = code(sigs, Long.parseLong(hr, 16));
    assertEquals(Endpoint.WSUS_CLIENT_WEB_SERVICE, s.endpoint());
    assertTrue(s.againstWsus());
    assertEquals(http, s.httpStatus());
    assertEquals(perm, s.serverPermission());
    assertEquals(
        4, s.lines(), "WebServices, ProtocolTalker and Agent *FAILED* lines and the END line");
    assertEquals(1, s.count());
    assertEquals(List.of("https://wsus01.contoso.com:8531"), s.servers());
  }

  @Test
  void catalogueNamesEachHttpAnswersUsualServerSideCause() {
    assertTrue(
        ErrorCatalog.find(0x80244019L).orElseThrow().meaning().contains("virtual directory"));
    assertTrue(ErrorCatalog.find(0x8024401FL).orElseThrow().meaning().contains("500.24"));
    assertTrue(ErrorCatalog.find(0x80244022L).orElseThrow().meaning().contains("WsusPool"));
    assertTrue(ErrorCatalog.find(0x80244017L).orElseThrow().meaning().contains("401.3"));
    assertTrue(ErrorCatalog.find(0x8024401BL).orElseThrow().meaning().contains("client's side"));
  }

  @Test
  void proxyAuthenticationIsTheClientSidesProxy() throws Exception {
    Signature s =
        code(analyze(EndpointFixtures.win10Wsus("8024401B", 407)).signatures(), 0x8024401BL);
    assertEquals(Endpoint.PROXY, s.endpoint());
    assertFalse(s.againstWsus());
  }

  @Test
  void windows11ClientWithoutWsusBlamesNoWsusServerForADeliveryOptimization403() throws Exception {
    WuLogAnalyzer a = analyze(EndpointFixtures.WIN11_UNMANAGED);
    List<Signature> sigs = a.signatures();
    assertEquals(2, sigs.size(), sigs.toString());
    for (Signature s : sigs) {
      assertEquals(Endpoint.DOWNLOAD, s.endpoint(), s.toString());
      assertFalse(s.againstWsus());
      assertFalse(s.serverPermission());
      assertEquals(List.of("tlu.dl.delivery.mp.microsoft.com"), s.servers());
    }
    List<ServerSetting> settings = a.serverSettings();
    assertEquals(1, settings.size());
    assertNull(settings.get(0).server());
    assertFalse(settings.get(0).managed());
  }

  @Test
  void slsAndStoreFailuresAreMicrosoftsEvenOnAWsusClient() throws Exception {
    List<Signature> sigs = analyze(EndpointFixtures.WIN10_SLS_AND_STORE).signatures();
    Signature sls = code(sigs, 0x80244018L);
    assertEquals(Endpoint.SLS, sls.endpoint());
    assertFalse(sls.againstWsus());
    Signature store = code(sigs, 0x80244022L);
    assertEquals(Endpoint.STORE, store.endpoint());
    assertEquals(List.of("fe3.delivery.mp.microsoft.com"), store.servers());
  }

  @Test
  void legacyNullServerMeansMicrosoftUpdate() throws Exception {
    WuLogAnalyzer a = analyze(EndpointFixtures.LEGACY_NULL);
    Signature s = code(a.signatures(), 0x80244017L);
    assertEquals(Endpoint.MICROSOFT_UPDATE, s.endpoint());
    assertFalse(s.isAuth401());
    ServerSetting setting = a.serverSettings().get(0);
    assertNull(setting.server());
    assertNull(setting.statusServer());
    assertEquals(2, setting.firstLine());
  }

  @Test
  void legacyBitsDownloadFromTheWsusServerIsWsusContent() throws Exception {
    WuLogAnalyzer a = analyze(EndpointFixtures.LEGACY_WSUS_CONTENT);
    Signature s = code(a.signatures(), 0x80190193L);
    assertEquals(Endpoint.WSUS_CONTENT, s.endpoint());
    assertTrue(s.serverPermission());
    assertEquals(List.of("http://wsus01:8530"), s.servers());
    assertEquals("http://wsus01:8530", a.serverSettings().get(0).statusServer());
  }

  @Test
  void aFragmentNamingNoServerStaysAPossibleServerFinding() throws Exception {
    Signature s = code(analyze(EndpointFixtures.FRAGMENT).signatures(), 0x80244017L);
    assertEquals(Endpoint.UPDATE_SERVER, s.endpoint());
    assertTrue(s.againstWsus());
  }

  @Test
  void realWindows10LogThe403sAreDeliveryOptimizationWhileNoWsusServerWasSet() throws Exception {
    Path f =
        Samples.require("windowsupdate/findingsanity-Logs_1809_wsus-https_403_WindowsUpdate.log");
    WuLogAnalyzer a = new WuLogAnalyzer();
    a.add(f);
    List<ServerSetting> settings = a.serverSettings();
    assertEquals(3, settings.size(), settings.toString());
    assertEquals("https://SCCM01D.firm.saulewing.net:8531", settings.get(0).server());
    assertEquals(20, settings.get(0).firstLine());
    assertNull(settings.get(1).server());
    assertEquals(81, settings.get(1).firstLine());
    assertEquals(3242, settings.get(1).lastLine());
    assertEquals("https://SCCM01D.firm.saulewing.net:8531", settings.get(2).server());
    assertEquals(3243, settings.get(2).firstLine());

    List<Signature> sigs = a.signatures();
    Signature wu = code(sigs, 0x80244018L);
    Signature bits = code(sigs, 0x80190193L);
    for (Signature s : List.of(wu, bits)) {
      assertEquals(Endpoint.DOWNLOAD, s.endpoint(), s.toString());
      assertFalse(s.againstWsus());
      assertEquals(List.of("tlu.dl.delivery.mp.microsoft.com"), s.servers());
    }
    assertTrue(sigs.stream().noneMatch(Signature::againstWsus), sigs.toString());
  }
}
