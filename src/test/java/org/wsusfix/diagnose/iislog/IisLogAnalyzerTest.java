package org.wsusfix.diagnose.iislog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsusfix.diagnose.Diagnoser;
import org.wsusfix.diagnose.iislog.IisLogFinding.Kind;
import org.wsusfix.diagnose.input.InputFormatException;

class IisLogAnalyzerTest {
  @TempDir Path dir;

  private Path file(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  private static List<IisLogFinding> read(int chunk, Path... files) throws Exception {
    IisLogAnalyzer a = new IisLogAnalyzer(chunk);
    for (Path f : files) {
      a.add(f);
    }
    return a.findings();
  }

  private static IisLogFinding only(List<IisLogFinding> all, Kind kind, IisEndpoint e) {
    List<IisLogFinding> l =
        all.stream().filter(f -> f.kind() == kind && f.endpoint() == e).toList();
    assertEquals(1, l.size(), all.toString());
    return l.get(0);
  }

  @Test
  void aclRefusalsAreGroupedPerEndpointWithTimesClientsAndStatuses() throws Exception {
    Path log =
        file(
            "u_ex261120.log",
            W3cFixtures.log("2026-11-20")
                .req(
                    "2026-11-20 08:00:01",
                    "POST",
                    "/ClientWebService/client.asmx",
                    "10.0.0.21",
                    401,
                    3,
                    5)
                .req(
                    "2026-11-20 08:00:02",
                    "POST",
                    "/ClientWebService/client.asmx",
                    "10.0.0.22",
                    401,
                    3,
                    5)
                .req(
                    "2026-11-20 08:00:03",
                    "POST",
                    "/ClientWebService/client.asmx",
                    "10.0.0.21",
                    200,
                    0,
                    0)
                .req(
                    "2026-11-20 09:30:00",
                    "POST",
                    "/clientwebservice/Client.asmx",
                    "10.0.0.21",
                    401,
                    0,
                    5)
                .req("2026-11-20 09:31:00", "GET", "/iisstart.htm", "10.0.0.40", 401, 3, 5)
                .text());
    List<IisLogFinding> all = read(1 << 20, log);
    List<IisLogFinding> perm = all.stream().filter(f -> f.kind() == Kind.PERMISSION).toList();
    assertEquals(2, perm.size(), "401.3 and 401.0 with win32 5 are grouped apart: " + all);
    IisLogFinding acl = perm.get(0);
    assertEquals(IisEndpoint.CLIENT, acl.endpoint());
    assertEquals("401.3", acl.statusText());
    assertEquals(2, acl.count());
    assertEquals(2, acl.clients());
    assertEquals(LocalDateTime.of(2026, 11, 20, 8, 0, 1), acl.firstSeen());
    assertEquals(LocalDateTime.of(2026, 11, 20, 8, 0, 2), acl.lastSeen());
    assertEquals(Map.of(5L, 2L), acl.win32());
    assertTrue(
        acl.verdict()
            .startsWith(
                "HTTP 401.3 on /ClientWebService/ (2 requests from 2 clients): access"
                    + " denied by the ACL"),
        acl.verdict());
    assertEquals("401.0", perm.get(1).statusText(), "win32 status 5 makes any 401 an ACL refusal");
    assertTrue(
        all.stream().noneMatch(f -> f.example().contains("iisstart")), "not a WSUS endpoint");
  }

  @Test
  void challengeAnsweredBySuccessIsNotAFaultButAnUnansweredOneIs() throws Exception {
    Path log =
        file(
            "u_ex261120.log",
            W3cFixtures.log("2026-11-20")
                // the console's NTLM exchange: 401.2, 401.1, then 200 from the same client
                .req(
                    "2026-11-20 08:00:03",
                    "POST",
                    "/ApiRemoting30/WebService.asmx",
                    "10.0.0.9",
                    401,
                    2,
                    2148074254L)
                .req(
                    "2026-11-20 08:00:03",
                    "POST",
                    "/ApiRemoting30/WebService.asmx",
                    "10.0.0.9",
                    401,
                    1,
                    0)
                .req("2026-11-20 08:00:03", "GET", "/Content/00/0000.cab", "10.0.0.50", 200, 0, 0)
                .req(
                    "2026-11-20 08:00:04",
                    "POST",
                    "/ApiRemoting30/WebService.asmx",
                    "10.0.0.9",
                    200,
                    0,
                    0)
                // answered by another client only: still unanswered
                .req(
                    "2026-11-20 08:05:00",
                    "POST",
                    "/SimpleAuthWebService/SimpleAuth.asmx",
                    "10.0.0.30",
                    401,
                    1,
                    1326)
                .req(
                    "2026-11-20 08:05:01",
                    "POST",
                    "/SimpleAuthWebService/SimpleAuth.asmx",
                    "10.0.0.31",
                    200,
                    0,
                    0)
                // answered on another endpoint only: still unanswered
                .req(
                    "2026-11-20 08:06:00",
                    "POST",
                    "/ReportingWebService/WebService.asmx",
                    "10.0.0.32",
                    401,
                    2,
                    0)
                .req(
                    "2026-11-20 08:06:01",
                    "POST",
                    "/ClientWebService/client.asmx",
                    "10.0.0.32",
                    200,
                    0,
                    0)
                // answered too late
                .req(
                    "2026-11-20 08:10:00",
                    "POST",
                    "/DssAuthWebService/DssAuthWebService.asmx",
                    "10.0.0.33",
                    401,
                    1,
                    0)
                .req(
                    "2026-11-20 08:20:00",
                    "POST",
                    "/DssAuthWebService/DssAuthWebService.asmx",
                    "10.0.0.33",
                    200,
                    0,
                    0)
                .text());
    List<IisLogFinding> all = read(1 << 20, log);
    List<IisLogFinding> api =
        all.stream().filter(f -> f.endpoint() == IisEndpoint.API_REMOTING).toList();
    assertEquals(2, api.size(), "both legs of the challenge, 401.2 and 401.1: " + all);
    assertTrue(
        api.stream()
            .allMatch(f -> f.kind() == Kind.HANDSHAKE && !f.kind().fault() && f.count() == 1),
        api.toString());
    assertEquals(1, only(all, Kind.UNANSWERED_401, IisEndpoint.SIMPLE_AUTH).count());
    assertEquals(1, only(all, Kind.UNANSWERED_401, IisEndpoint.REPORTING).count());
    assertEquals(1, only(all, Kind.UNANSWERED_401, IisEndpoint.DSS_AUTH).count());
    assertTrue(
        only(all, Kind.UNANSWERED_401, IisEndpoint.SIMPLE_AUTH)
            .verdict()
            .contains("never followed by success from the same client"));
  }

  @Test
  void aChallengeAtMidnightIsAnsweredFromTheNextFile() throws Exception {
    Path day1 =
        file(
            "u_ex261120.log",
            W3cFixtures.log("2026-11-20")
                .req(
                    "2026-11-20 23:59:59",
                    "POST",
                    "/ApiRemoting30/WebService.asmx",
                    "10.0.0.9",
                    401,
                    2,
                    0)
                .text());
    Path day2 =
        file(
            "u_ex261121.log",
            W3cFixtures.log("2026-11-21")
                .req(
                    "2026-11-21 00:00:00",
                    "POST",
                    "/ApiRemoting30/WebService.asmx",
                    "10.0.0.9",
                    200,
                    0,
                    0)
                .text());
    List<IisLogFinding> all = read(1 << 20, day1, day2);
    assertEquals(1, all.size(), all.toString());
    assertEquals(Kind.HANDSHAKE, all.get(0).kind());
    assertEquals(
        List.of(day1, day2), Diagnoser.iisLogFiles(List.of(dir)), "a folder is read in name order");
    Path logFiles = Files.createDirectory(dir.resolve("LogFiles"));
    Path site = Files.createDirectory(logFiles.resolve("W3SVC1197933354"));
    Path moved = Files.copy(day1, site.resolve("u_ex261120.log"));
    Files.writeString(site.resolve("notes.txt"), "not a log");
    assertEquals(
        List.of(moved), Diagnoser.iisLogFiles(List.of(logFiles)), "LogFiles: its W3SVC folders");
    Path bom =
        Files.writeString(
            Files.createDirectory(dir.resolve("bom")).resolve("u_ex261121.log"),
            "\uFEFF" + Files.readString(day2));
    all = read(1 << 20, day1, bom);
    assertEquals(
        List.of(Kind.HANDSHAKE),
        all.stream().map(IisLogFinding::kind).toList(),
        "the next file's byte order mark is not a request line");
  }

  @Test
  void fieldsChangingMidFileDecideTheColumns() throws Exception {
    String text =
        W3cFixtures.log("2026-11-20")
            .req(
                "2026-11-20 08:00:01",
                "POST",
                "/ClientWebService/client.asmx",
                "10.0.0.21",
                401,
                3,
                5)
            .line("#Software: Microsoft Internet Information Services 10.0")
            .line("#Version: 1.0")
            .line("#Date: 2026-11-20 12:00:00")
            // status first, no sub-status column, stem last, time-taken 401 that must not count
            .line("#Fields: sc-status time c-ip time-taken sc-win32-status cs-uri-stem")
            .line("401 12:00:01 10.0.0.23 0 5 /ClientWebService/client.asmx")
            .line("200 12:00:02 10.0.0.23 401 0 /ClientWebService/client.asmx")
            .line("503 12:00:03 10.0.0.24 0 0 /selfupdate/wuident.cab")
            .text();
    List<IisLogFinding> all = read(1 << 20, file("u_ex261120.log", text));
    List<IisLogFinding> perm = all.stream().filter(f -> f.kind() == Kind.PERMISSION).toList();
    assertEquals(2, perm.size(), all.toString());
    IisLogFinding noSub = perm.stream().filter(f -> f.subStatus() < 0).findFirst().orElseThrow();
    assertEquals("401", noSub.statusText());
    assertEquals(LocalDateTime.of(2026, 11, 20, 12, 0, 1), noSub.firstSeen(), "date from #Date");
    IisLogFinding pool = only(all, Kind.UNAVAILABLE, IisEndpoint.SELF_UPDATE);
    assertTrue(pool.verdict().contains("application pool"), pool.verdict());
    assertEquals(
        3,
        all.stream().mapToLong(IisLogFinding::count).sum(),
        "the 200 with time-taken 401 is no hit");
  }

  @Test
  void statusAsTheLastColumnAndUrlEncodedStems() throws Exception {
    String text =
        "#Software: Microsoft Internet Information Services 7.5\n"
            + "#Fields: date time c-ip cs-uri-stem sc-substatus sc-win32-status sc-status\n"
            + "2026-11-20 08:00:01 10.0.0.21 /Client%57eb%53ervice/client.asmx 3 5 401\n"
            + "2026-11-20 08:00:02 10.0.0.22 /SELFUPDATE/wuident.cab 4 0 403\n"
            + "2026-11-20 08:00:03 10.0.0.22 /ClientWebService/web.config 19 5 500\n"
            + "2026-11-20 08:00:04 10.0.0.22 /ServerSyncWebService/serversyncwebservice.asmx 19 13 500\n"
            + "2026-11-20 08:00:05 10.0.0.22 /Content/ 14 0 403\n";
    List<IisLogFinding> all = read(1 << 20, file("u_ex261120.log", text));
    assertEquals(
        "/ClientWebService/client.asmx",
        all.stream().filter(f -> f.status() == 401).findFirst().orElseThrow().example());
    IisLogFinding ssl = only(all, Kind.FORBIDDEN, IisEndpoint.SELF_UPDATE);
    assertTrue(ssl.verdict().contains("SSL required"), ssl.verdict());
    assertTrue(
        only(all, Kind.FORBIDDEN, IisEndpoint.CONTENT)
            .verdict()
            .contains("directory listing denied"));
    IisLogFinding config =
        all.stream()
            .filter(f -> f.status() == 500 && f.kind() == Kind.PERMISSION)
            .findFirst()
            .orElseThrow();
    assertEquals(
        "500.19", config.statusText(), "500.19 with access denied: config file unreadable");
    IisLogFinding broken = only(all, Kind.SERVER_ERROR, IisEndpoint.SERVER_SYNC);
    assertTrue(broken.verdict().contains("configuration data is invalid"), broken.verdict());
  }

  @Test
  void dashIsEmptyAndRequestsAcrossManySmallBuffersCountOnce() throws Exception {
    W3cFixtures f = W3cFixtures.log("2026-11-20");
    int expected = 0;
    for (int i = 0; i < 2000; i++) {
      String t = String.format("2026-11-20 %02d:%02d:%02d", i / 3600, i / 60 % 60, i % 60);
      if (i % 7 == 0) {
        f.req(t, "POST", "/ClientWebService/client.asmx", "10.0.1." + (i % 50), 401, 3, 5, 15);
        expected++;
      } else {
        // every tenth line has time-taken 401: a false hit the parse rejects
        f.req(
            t,
            "GET",
            "/Content/" + i + "/x.cab",
            "10.0.2." + (i % 50),
            200,
            0,
            0,
            i % 10 == 0 ? 401 : 15);
      }
    }
    f.line(
        "2026-11-20 09:00:00 10.0.0.5 POST /ClientWebService/client.asmx - 8530 - - - - 401 3 - 0");
    Path log = file("u_ex261120.log", f.text());
    for (int chunk : new int[] {37, 4096, 1 << 20}) {
      IisLogAnalyzer a = new IisLogAnalyzer(chunk);
      a.add(log);
      List<IisLogFinding> all = a.findings();
      IisLogFinding acl = all.stream().filter(x -> x.subStatus() == 3).findFirst().orElseThrow();
      assertEquals(expected + 1, acl.count(), "chunk " + chunk);
      assertEquals(51, acl.clients(), "'-' is one unknown client");
      assertEquals(Long.valueOf(1), acl.win32().get(-1L), "'-' win32 status is not logged");
      assertEquals(
          expected + 1,
          a.parsedRecords(),
          "only lines with an interesting status are parsed whole");
    }
  }

  @Test
  void badInputIsOneErrorWithFileLineAndColumn() throws Exception {
    String good =
        W3cFixtures.log("2026-11-20")
            .req(
                "2026-11-20 08:00:01",
                "POST",
                "/ClientWebService/client.asmx",
                "10.0.0.21",
                401,
                3,
                5)
            .text();
    Path truncated = file("trunc.log", good + "2026-11-20 08:00:02 10.0.0.5 POST /Client");
    InputFormatException e =
        assertThrows(InputFormatException.class, () -> read(1 << 20, truncated));
    assertEquals(
        truncated + ":6:42: truncated record: 5 fields where #Fields names 15", e.getMessage());

    Path shortHit =
        file(
            "short.log",
            good + "2026-11-20 08:00:02 10.0.0.5 POST /ClientWebService/client.asmx 401 3 5\r\n");
    e = assertThrows(InputFormatException.class, () -> read(1 << 20, shortHit));
    assertTrue(e.getMessage().startsWith(shortHit + ":6:"), e.getMessage());
    assertTrue(
        e.getMessage().contains("truncated record: 8 fields where #Fields names 15"),
        e.getMessage());

    Path notW3c = file("WindowsUpdate.log", "2008-01-22\t10:06:25:235\t 988\t7c4\tMisc\tx\n");
    e = assertThrows(InputFormatException.class, () -> read(1 << 20, notW3c));
    assertEquals(
        notW3c
            + ":1:1: not an IIS W3C extended log: it does not start with a #Software or"
            + " #Fields directive",
        e.getMessage());

    Path noFields =
        file(
            "nofields.log",
            "#Software: Microsoft Internet Information Services 10.0\n"
                + "2026-11-20 08:00:01 POST /ClientWebService/client.asmx 401 3 5\n");
    e = assertThrows(InputFormatException.class, () -> read(1 << 20, noFields));
    assertEquals(noFields + ":2:1: request line before any #Fields directive", e.getMessage());

    Path badStatus =
        file(
            "badstatus.log",
            "#Fields: date time cs-uri-stem sc-status sc-substatus\n"
                + "2026-11-20 08:00:01 /ClientWebService/client.asmx 401 x3\n");
    e = assertThrows(InputFormatException.class, () -> read(1 << 20, badStatus));
    assertEquals(badStatus + ":2:55: sc-substatus is not a number: x3", e.getMessage());

    Path badDate =
        file(
            "baddate.log",
            "#Fields: date time cs-uri-stem sc-status\n"
                + "20/11/2026 08:00:01 /ClientWebService/client.asmx 401\n");
    e = assertThrows(InputFormatException.class, () -> read(1 << 20, badDate));
    assertEquals(badDate + ":2:1: date is not yyyy-mm-dd", e.getMessage());

    Path utf16 = dir.resolve("utf16.log");
    Files.write(utf16, ("\uFEFF#Fields: date\r\n").getBytes(StandardCharsets.UTF_16LE));
    e = assertThrows(InputFormatException.class, () -> read(1 << 20, utf16));
    assertTrue(e.getMessage().startsWith(utf16 + ":1:1: UTF-16"), e.getMessage());

    Path noStatus = file("nostatus.log", "#Fields: date time cs-uri-stem\n");
    e = assertThrows(InputFormatException.class, () -> read(1 << 20, noStatus));
    assertEquals(
        noStatus + ":1:1: #Fields has no sc-status column; log the HTTP status to diagnose",
        e.getMessage());

    Path empty = file("empty.log", "");
    e = assertThrows(InputFormatException.class, () -> read(1 << 20, empty));
    assertEquals(empty + ":1: empty file, expected an IIS W3C extended log", e.getMessage());

    InputFormatException d =
        assertThrows(
            InputFormatException.class,
            () -> Diagnoser.iisLogFiles(List.of(Files.createDirectory(dir.resolve("none")))));
    assertTrue(
        d.getMessage()
            .endsWith(
                "none: no IIS W3C log files (u_ex*.log) or HTTP.sys error logs"
                    + " (httperr*.log) in this folder"),
        d.getMessage());
  }

  /** Findings, or the error message, of one scan and of the same file in `threads` segments. */
  private static String outcome(Path log, int chunk, int threads) throws Exception {
    try {
      IisLogAnalyzer a = new IisLogAnalyzer(chunk, threads, 0);
      a.add(log);
      return a.findings().toString();
    } catch (InputFormatException e) {
      return "error " + e.getMessage();
    }
  }

  private static void sameInSegments(Path log, String what) throws Exception {
    for (int chunk : new int[] {61, 1 << 20}) {
      String single = outcome(log, chunk, 1);
      for (int threads : new int[] {2, 3, 5}) {
        assertEquals(
            single,
            outcome(log, chunk, threads),
            what + ", chunk " + chunk + ", " + threads + " segments");
      }
    }
  }

  /** Two days of traffic with restarts, changed #Fields, #Date-only lines and late answers. */
  private static String randomLog(long seed, boolean dateColumn) {
    java.util.Random r = new java.util.Random(seed);
    String[] stems = {
      "/ClientWebService/client.asmx",
      "/SimpleAuthWebService/SimpleAuth.asmx",
      "/ApiRemoting30/WebService.asmx",
      "/Content/0A/0A1B.cab",
      "/selfupdate/wuident.cab",
      "/iisstart.htm"
    };
    String wide =
        (dateColumn ? "date " : "")
            + "time c-ip cs-uri-stem sc-status sc-substatus sc-win32-status time-taken";
    String narrow = (dateColumn ? "date " : "") + "sc-status time cs-uri-stem c-ip sc-win32-status";
    StringBuilder b =
        new StringBuilder(
            "#Software: Microsoft Internet Information Services 10.0\r\n"
                + "#Date: 2026-11-20 00:00:00\r\n#Fields: "
                + wide
                + "\r\n");
    boolean isWide = true;
    int day = 20;
    java.util.ArrayDeque<String[]> answers = new java.util.ArrayDeque<>();
    for (int i = 0; i < 3000; i++) {
      int second = i * 2;
      String time = String.format("%02d:%02d:%02d", second / 3600, second / 60 % 60, second % 60);
      String date = "2026-11-" + day;
      double x = r.nextDouble();
      if (x < 0.004) {
        isWide = r.nextBoolean();
        b.append("#Software: Microsoft Internet Information Services 10.0\r\n#Date: ")
            .append(date)
            .append(' ')
            .append(time)
            .append("\r\n#Fields: ")
            .append(isWide ? wide : narrow)
            .append("\r\n");
        continue;
      }
      if (x < 0.006) {
        // time only moves forward: where it goes back, which 401s count as answered depends on
        // where any scan stops looking ahead, one scan or many
        day = Math.max(day, 20 + r.nextInt(2));
        b.append("#Date: 2026-11-").append(day).append(' ').append(time).append("\r\n");
        continue;
      }
      String client = "10.0.0." + r.nextInt(12);
      String stem = stems[r.nextInt(stems.length)];
      int status = 200;
      int sub = 0;
      long win32 = 0;
      if (!answers.isEmpty() && r.nextInt(20) == 0) {
        String[] a = answers.poll();
        client = a[0];
        stem = a[1];
      } else if (x < 0.10) {
        status = 401;
        sub = 1 + r.nextInt(2);
        if (r.nextInt(4) > 0) {
          answers.add(new String[] {client, stem});
        }
      } else if (x < 0.12) {
        status = 401;
        sub = 3;
        win32 = 5;
      } else if (x < 0.13) {
        status = r.nextBoolean() ? 403 : 503;
      } else if (x < 0.14) {
        status = 500;
        sub = 19;
        win32 = r.nextBoolean() ? 5 : 13;
      }
      String d = dateColumn ? date + " " : "";
      if (isWide) {
        b.append(d)
            .append(time)
            .append(' ')
            .append(client)
            .append(' ')
            .append(stem)
            .append(' ')
            .append(status)
            .append(' ')
            .append(sub)
            .append(' ')
            .append(win32)
            .append(' ')
            .append(r.nextBoolean() ? 401 : 15);
      } else {
        b.append(d.isEmpty() ? status + " " : d + status + " ")
            .append(time)
            .append(' ')
            .append(stem)
            .append(' ')
            .append(client)
            .append(' ')
            .append(win32);
      }
      b.append("\r\n");
    }
    return b.toString();
  }

  @Test
  void segmentsScannedAtOnceFindWhatOneScanFinds() throws Exception {
    for (long seed = 1; seed <= 4; seed++) {
      Path log = file("u_ex" + seed + ".log", randomLog(seed, seed % 2 != 0));
      sameInSegments(log, "seed " + seed);
    }
  }

  /** A log whose two halves meet right after the line `mark` (it must occur once). */
  private Path splitAfter(String name, String head, String mark, String tail, String filler)
      throws Exception {
    for (int n = 0; n < 400; n++) {
      String text = head + mark + tail + filler.repeat(n);
      long size = text.length();
      int p = (int) (size / 2);
      int q = text.indexOf('\n', p - 1) + 1;
      if (q == text.indexOf(mark) + mark.length()) {
        return file(name, text);
      }
    }
    throw new AssertionError("no filler count puts the boundary after " + mark);
  }

  @Test
  void aChallengeAtASegmentEndIsAnsweredFromTheNextSegment() throws Exception {
    W3cFixtures head = W3cFixtures.log("2026-11-20");
    for (int i = 0; i < 40; i++) {
      head.req("2026-11-20 08:00:00", "GET", "/Content/00/00" + i + ".cab", "10.0.0.50", 200, 0, 0);
    }
    String challenge =
        "2026-11-20 08:00:01 10.0.0.5 POST /ApiRemoting30/WebService.asmx - 8530 - 10.0.0.9"
            + " Console - 401 2 0 15\r\n";
    String answer =
        "2026-11-20 08:00:01 10.0.0.5 POST /ApiRemoting30/WebService.asmx - 8530 - 10.0.0.9"
            + " Console - 200 0 0 15\r\n";
    String filler =
        "2026-11-20 08:00:02 10.0.0.5 GET /Content/00/0000.cab - 8530 - 10.0.0.51 BITS - 200 0 0 15\r\n";
    Path log = splitAfter("u_ex261120.log", head.text(), challenge, answer, filler);
    for (int threads = 1; threads <= 2; threads++) {
      IisLogAnalyzer a = new IisLogAnalyzer(1 << 20, threads, 0);
      a.add(log);
      List<IisLogFinding> all = a.findings();
      assertEquals(1, all.size(), threads + " segments: " + all);
      assertEquals(Kind.HANDSHAKE, all.get(0).kind());
    }
    sameInSegments(log, "challenge at the boundary");
  }

  @Test
  void fieldsChangedBeforeASegmentApplyAfterIt() throws Exception {
    String head =
        W3cFixtures.log("2026-11-20")
                .req(
                    "2026-11-20 08:00:01",
                    "POST",
                    "/ClientWebService/client.asmx",
                    "10.0.0.21",
                    401,
                    3,
                    5)
                .text()
            + "#Date: 2026-11-21 00:00:00\r\n";
    // the last line of the first segment: the second must read its lines with these columns
    String fields = "#Fields: sc-status time c-ip time-taken sc-win32-status cs-uri-stem\r\n";
    String tail =
        "401 12:00:01 10.0.0.23 0 5 /ClientWebService/client.asmx\r\n"
            + "503 12:00:03 10.0.0.24 0 0 /selfupdate/wuident.cab\r\n";
    String filler = "200 12:00:02 10.0.0.23 401 0 /ClientWebService/client.asmx\r\n";
    Path log = splitAfter("u_ex261121.log", head, fields, tail, filler);
    IisLogAnalyzer a = new IisLogAnalyzer(1 << 20, 2, 0);
    a.add(log);
    List<IisLogFinding> all = a.findings();
    IisLogFinding noSub =
        all.stream()
            .filter(f -> f.kind() == Kind.PERMISSION && f.subStatus() < 0)
            .findFirst()
            .orElseThrow(() -> new AssertionError(all.toString()));
    assertEquals(
        LocalDateTime.of(2026, 11, 21, 12, 0, 1), noSub.firstSeen(), "date from the #Date before");
    assertEquals(1, only(all, Kind.UNAVAILABLE, IisEndpoint.SELF_UPDATE).count());
    sameInSegments(log, "#Fields at the boundary");
  }

  @Test
  void aBadLineInALaterSegmentKeepsItsLineNumber() throws Exception {
    W3cFixtures f = W3cFixtures.log("2026-11-20");
    for (int i = 0; i < 200; i++) {
      f.req("2026-11-20 08:00:00", "GET", "/Content/00/00" + i + ".cab", "10.0.0.50", 200, 0, 0);
    }
    f.line("2026-11-20 08:00:02 10.0.0.5 POST /ClientWebService/client.asmx 401 3 5");
    for (int i = 0; i < 10; i++) {
      f.req("2026-11-20 08:00:03", "GET", "/Content/00/00" + i + ".cab", "10.0.0.50", 200, 0, 0);
    }
    Path log = file("late.log", f.text());
    InputFormatException e =
        assertThrows(
            InputFormatException.class,
            () -> {
              IisLogAnalyzer a = new IisLogAnalyzer(1 << 20, 2, 0);
              a.add(log);
            });
    assertTrue(e.getMessage().startsWith(log + ":205:"), e.getMessage());
    assertTrue(
        e.getMessage().endsWith("truncated record: 8 fields where #Fields names 15"),
        e.getMessage());
    // with a second bad line in the first segment, that one is reported
    String header = W3cFixtures.FIELDS + "\r\n";
    Path two =
        file(
            "two.log",
            f.text()
                .replace(
                    header,
                    header
                        + "2026-11-20 08:00:00 10.0.0.5 POST /ClientWebService/client.asmx - 8530 - 10.0.0.9 - 401 3 5 15\r\n"));
    e =
        assertThrows(
            InputFormatException.class,
            () -> {
              IisLogAnalyzer a = new IisLogAnalyzer(1 << 20, 2, 0);
              a.add(two);
            });
    assertEquals(two + ":5:95: truncated record: 14 fields where #Fields names 15", e.getMessage());
    sameInSegments(log, "bad line");
    sameInSegments(two, "two bad lines");
  }

  @Test
  void percentDecodingAndDates() {
    byte[] b = "/Client%57ebService/a%20b%C3%A9".getBytes(StandardCharsets.US_ASCII);
    assertEquals("/ClientWebService/a b\u00e9", IisLogAnalyzer.decode(b, 0, b.length));
    byte[] dash = "-".getBytes(StandardCharsets.US_ASCII);
    assertEquals("", IisLogAnalyzer.decode(dash, 0, 1));
    byte[] d = "2026-11-20".getBytes(StandardCharsets.US_ASCII);
    assertEquals(java.time.LocalDate.of(2026, 11, 20).toEpochDay(), IisLogAnalyzer.day(d, 0, 10));
    byte[] leap = "2000-02-29".getBytes(StandardCharsets.US_ASCII);
    assertEquals(java.time.LocalDate.of(2000, 2, 29).toEpochDay(), IisLogAnalyzer.day(leap, 0, 10));
  }
}
