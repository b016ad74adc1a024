package org.wsusfix.diagnose.iislog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsusfix.diagnose.input.InputFormatException;

class HttpErrLogReaderTest {
  @TempDir Path dir;

  static final String FIELDS =
      "date time c-ip c-port s-ip s-port cs-version cs-method cs-uri"
          + " streamid sc-status s-siteid s-reason s-queuename";

  /** HTTP.sys's error log of a WSUS server whose pool stopped, then was overloaded. */
  static String httpErr() {
    return String.join(
        "\r\n",
        "#Software: Microsoft HTTP API 2.0",
        "#Version: 1.0",
        "#Date: 2026-11-20 08:00:00",
        "#Fields: " + FIELDS,
        "2026-11-20 08:00:01 10.1.2.3 50123 10.0.0.5 8530 HTTP/1.1 POST /ClientWebService/client.asmx - 503 1197933354 AppOffline WsusPool",
        "2026-11-20 08:00:02 10.1.2.4 50124 10.0.0.5 8530 HTTP/1.1 POST /ClientWebService/client.asmx - 503 1197933354 AppOffline WsusPool",
        "2026-11-20 08:00:03 10.1.2.4 50125 10.0.0.5 8530 HTTP/1.1 POST /SimpleAuthWebService/SimpleAuth.asmx - 503 1197933354 AppOffline WsusPool",
        "2026-11-20 09:10:00 10.1.2.5 50126 10.0.0.5 8530 HTTP/1.1 POST /ClientWebService/client.asmx - 503 1197933354 QueueFull WsusPool",
        "2026-11-20 09:10:01 10.1.2.6 50127 10.0.0.5 8530 HTTP/1.1 GET /Content/AB/0123.cab - - 1197933354 Connection_Dropped WsusPool",
        "2026-11-20 09:11:00 10.1.2.7 50128 10.0.0.5 8530 - - - - - - Timer_ConnectionIdle -",
        "");
  }

  private Path file(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  @Test
  void groupsPerEndpointReasonAndQueueWithThePoolsVerdict() throws Exception {
    HttpErrLogReader r = new HttpErrLogReader();
    r.add(file("httperr1.log", httpErr()));
    List<HttpErrFinding> found = r.findings();
    assertEquals(5, found.size(), found.toString());
    HttpErrFinding offline = found.get(0);
    assertEquals(IisEndpoint.CLIENT, offline.endpoint());
    assertEquals("AppOffline", offline.reason());
    assertEquals("WsusPool", offline.queue());
    assertEquals(503, offline.status());
    assertEquals(2, offline.count());
    assertEquals(2, offline.clients());
    assertEquals(HttpErrFinding.Cause.POOL_STOPPED, offline.cause());
    assertTrue(
        offline.verdict().contains("the WsusPool application pool is stopped"), offline.verdict());
    assertEquals(IisEndpoint.SIMPLE_AUTH, found.get(1).endpoint());
    HttpErrFinding full = found.get(2);
    assertEquals(HttpErrFinding.Cause.POOL_OVERLOADED, full.cause());
    assertTrue(full.verdict().contains("overloaded"), full.verdict());
    HttpErrFinding dropped = found.get(3);
    assertEquals("Connection_Dropped", dropped.reason());
    assertEquals(IisEndpoint.CONTENT, dropped.endpoint());
    assertEquals(-1, dropped.status());
    HttpErrFinding idle = found.get(4);
    assertFalse(idle.fault(), "an idle client's timeout is not the server's fault");
    assertNull(idle.endpoint());
  }

  @Test
  void recognisedByItsFieldsNotItsName() throws Exception {
    assertTrue(
        HttpErrLogReader.looksLikeHttpErr(file("copy-from-server.log", "\uFEFF" + httpErr())));
    assertFalse(
        HttpErrLogReader.looksLikeHttpErr(
            file(
                "httperr9.log",
                "#Software: Microsoft Internet Information Services 10.0\r\n#Fields: "
                    + W3cFixtures.FIELDS
                    + "\r\n")));
  }

  @Test
  void olderFieldSetWithoutStreamIdAndFullUrlsRead() throws Exception {
    String text =
        String.join(
            "\n",
            "#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri sc-status s-siteid s-reason s-queuename",
            "2012-03-01 10:00:00 10.1.2.3 50123 10.0.0.5 80 HTTP/1.1 POST http://wsus01:80/ClientWebService/client.asmx?x=1 503 1 AppOffline WsusPool",
            "");
    HttpErrLogReader r = new HttpErrLogReader();
    r.add(file("httperr2.log", text));
    HttpErrFinding h = r.findings().get(0);
    assertEquals(IisEndpoint.CLIENT, h.endpoint());
    assertEquals("2012-03-01T10:00", h.firstSeen().toString());
  }

  @Test
  void aRecordWithTooFewFieldsIsOneLineWithFileLineAndColumn() throws Exception {
    Path p =
        file(
            "httperr3.log",
            httpErr() + "2026-11-20 09:12:00 10.1.2.8 50129 10.0.0.5 8530 HTTP/1.1 POST");
    InputFormatException e =
        assertThrows(InputFormatException.class, () -> new HttpErrLogReader().add(p));
    assertEquals(p + ":11:63: truncated record: 8 fields where #Fields names 14", e.getMessage());
  }

  @Test
  void utf16AndNonLogsAreRefused() throws Exception {
    Path u16 = dir.resolve("httperr4.log");
    Files.write(u16, new byte[] {(byte) 0xFF, (byte) 0xFE, '#', 0});
    assertTrue(
        assertThrows(InputFormatException.class, () -> new HttpErrLogReader().add(u16))
            .getMessage()
            .contains("UTF-16"));
    Path text = file("httperr5.log", "hello\n");
    assertTrue(
        assertThrows(InputFormatException.class, () -> new HttpErrLogReader().add(text))
            .getMessage()
            .contains(":1:1: not an HTTP.sys error log"));
  }
}
