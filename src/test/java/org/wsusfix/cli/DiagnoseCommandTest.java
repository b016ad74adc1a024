package org.wsusfix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsusfix.diagnose.procmon.CsvFixtures;
import picocli.CommandLine;

class DiagnoseCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private Path file(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  private Path legacyLog() throws Exception {
    return file(
        "WindowsUpdate.log",
        String.join(
            "\r\n",
            "2008-01-22\t10:06:25:235\t 988\t7c4\tMisc\t===========  Logging initialized (build: 7.6.7600.256, tz: -0500)  ===========",
            "2008-01-22\t10:06:25:500\t 988\t7c4\tAgent\t  * WSUS server: http://wsus01",
            "2008-01-22\t10:10:12:100\t 988\t9a0\tAgent\t** START **  Agent: Finding updates [CallerId = AutomaticUpdates]",
            "2008-01-22\t10:10:14:300\t 988\t9a0\tMisc\tWARNING: SendRequest failed with hr = 800710dd.",
            "2008-01-22\t10:10:14:310\t 988\t9a0\tPT\t  + Last proxy send request failed with hr = 0x800710DD, HTTP status code = 401",
            "2008-01-22\t10:10:14:310\t 988\t9a0\tPT\tWARNING: SyncUpdates failure, error = 0x800710DD, soap client error = 5",
            "2008-01-22\t10:10:14:320\t 988\t9a0\tAgent\t  * WARNING: Failed to synchronize, error = 0x800710DD",
            ""));
  }

  @Test
  void verdictFirstThenEvidenceThenNextStepAndExit3() throws Exception {
    int rc =
        run(
            "diagnose",
            "--wu-log",
            legacyLog().toString(),
            "--procmon",
            file("cap.csv", CsvFixtures.wsusCapture()).toString());
    assertEquals(3, rc, err.toString());
    String[] lines = out.toString().split("\n");
    assertEquals(
        "Clients fail with HTTP 401 / 0x800710DD: the IIS anonymous identity (IUSR) is denied"
            + " read on C:\\WINDOWS\\Microsoft.NET",
        lines[0]);
    assertTrue(
        out.toString()
            .contains(
                "2x  w3wp.exe  NT AUTHORITY\\NETWORK SERVICE  QueryOpen"
                    + "  C:\\WINDOWS\\Microsoft.NET\\Framework"),
        out.toString());
    assertTrue(
        lines[lines.length - 1].startsWith("Next step: Suggest a policy with --emit-policy"));
  }

  @Test
  void jsonCarriesSignaturesAndDeniedPaths() throws Exception {
    int rc =
        run(
            "diagnose",
            "--json",
            "--wu-log",
            legacyLog().toString(),
            "--procmon",
            file("cap.csv", CsvFixtures.wsusCapture()).toString());
    assertEquals(3, rc);
    JsonNode root = new ObjectMapper().readTree(out.toString());
    JsonNode sig = root.get("signatures").get(0);
    assertEquals("0x800710DD", sig.get("code").asText());
    assertEquals(401, sig.get("httpStatus").asInt());
    assertEquals(1, sig.get("count").asInt());
    assertTrue(sig.get("permissionRelated").asBoolean());
    JsonNode denied = root.get("deniedPaths");
    assertEquals(3, denied.size());
    JsonNode last = denied.get(2);
    assertEquals("w3wp.exe", last.get("process").asText());
    assertEquals("NT AUTHORITY\\NETWORK SERVICE", last.get("identity").asText());
    assertEquals("C:\\WINDOWS\\Microsoft.NET\\Framework", last.get("path").asText());
    assertEquals("QueryOpen", last.get("operation").asText());
    assertEquals(2, last.get("count").asInt());
    assertEquals(1, root.get("privilegeNotHeld").size());
    assertEquals(1, root.get("badImpersonation").size());
  }

  @Test
  void emittedPolicyGrantsUsersReadAndExecuteWithExpectations() throws Exception {
    Path policy = dir.resolve("fix.yaml");
    int rc =
        run(
            "diagnose",
            "--procmon",
            file("cap.csv", CsvFixtures.wsusCapture()).toString(),
            "--emit-policy",
            policy.toString());
    assertEquals(3, rc, err.toString());
    JsonNode y = new ObjectMapper(new YAMLFactory()).readTree(policy.toFile());
    assertEquals("wsusfix/v1", y.get("apiVersion").asText());
    assertEquals("Policy", y.get("kind").asText());
    assertTrue(y.get("metadata").get("name").asText().matches("[a-z0-9-]+"));
    JsonNode rules = y.get("rules");
    List<String> paths = new ArrayList<>();
    rules.forEach(r -> paths.add(r.get("path").asText()));
    assertEquals(
        List.of(
            "%windir%\\Microsoft.NET",
            "%windir%\\Microsoft.NET\\Framework", "%windir%\\Microsoft.NET\\Framework\\v2.0.50727"),
        paths);
    for (JsonNode r : rules) {
      assertEquals(1, r.get("grants").size());
      JsonNode g = r.get("grants").get(0);
      assertEquals("BUILTIN\\Users", g.get("trustee").asText());
      assertEquals("ReadAndExecute", g.get("rights").asText());
      assertEquals("[\"OI\",\"CI\"]", g.get("inheritance").toString());
      assertFalse(r.get("forbidDeny").get("remove").asBoolean());
      assertTrue(r.get("forbidDeny").get("trustees").toString().contains("BUILTIN\\\\Users"));
    }
    assertTrue(rules.get(0).get("forbidDeny").get("trustees").toString().contains("\"IUSR\""));
    JsonNode expect = y.get("expect");
    assertEquals(3, expect.size());
    assertEquals("IUSR", expect.get(0).get("identity").asText());
    assertEquals("%windir%\\Microsoft.NET", expect.get(0).get("path").asText());
    assertEquals("ReadAndExecute", expect.get(0).get("access").asText());
    assertTrue(y.get("memberships") == null, "no IIS 6 account seen");
    assertTrue(
        Files.readString(policy)
            .contains("# w3wp.exe as NT AUTHORITY\\IUSR: CreateFile ACCESS" + " DENIED x1"));
  }

  @Test
  void emittedPolicyIsAcceptedByPolicyValidateAndPlan() throws Exception {
    Path policy = dir.resolve("fix.yaml");
    assertEquals(
        3,
        run(
            "diagnose",
            "--wu-log",
            legacyLog().toString(),
            "--procmon",
            file("cap.csv", CsvFixtures.wsusCapture()).toString(),
            "--emit-policy",
            policy.toString()));
    out.getBuffer().setLength(0);
    assertEquals(0, run("policy", "validate", policy.toString()), err.toString());
    Path example = Path.of("examples", "wsus01-broken.icacls");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isRegularFile(example),
        "examples/wsus01-broken.icacls is absent; plan check skipped");
    out.getBuffer().setLength(0);
    int rc =
        run(
            "plan",
            "-p",
            policy.toString(),
            "--target",
            "snapshot:" + example + "?computer=WSUS01");
    assertEquals(2, rc, out + "\n" + err);
    assertTrue(out.toString().contains("0 unmet expectations"), out.toString());
  }

  @Test
  void iis6AnonymousAccountGetsUsersMembershipAndWriteGetsModifyForTheAccount() throws Exception {
    String csv =
        "\uFEFF"
            + CsvFixtures.row(CsvFixtures.FULL_HEADER)
            + CsvFixtures.row(
                "9:00 AM",
                "w3wp.exe",
                "1",
                "CreateFile",
                "C:\\WINDOWS\\Microsoft.NET\\Framework\\v2.0.50727",
                "ACCESS DENIED",
                "Desired Access: Read Data/List Directory, Synchronize, Options: Directory,"
                    + " Impersonating: WSUS01\\IUSR_WSUS01",
                "NT AUTHORITY\\NETWORK SERVICE")
            + CsvFixtures.row(
                "9:00 AM",
                "w3wp.exe",
                "1",
                "CreateFile",
                "C:\\WINDOWS\\Microsoft.NET\\Framework\\v2.0.50727\\Temporary ASP.NET Files\\wsus\\a.dll",
                "ACCESS DENIED",
                "Desired Access: Generic Write, Read Attributes",
                "NT AUTHORITY\\NETWORK SERVICE")
            + CsvFixtures.row(
                "9:00 AM",
                "w3wp.exe",
                "1",
                "CreateFile",
                "D:\\WSUS\\WsusContent\\a.cab",
                "ACCESS DENIED",
                "Desired Access: Generic Read, Impersonating: WSUS01\\IUSR_WSUS01",
                "NT AUTHORITY\\NETWORK SERVICE");
    Path policy = dir.resolve("iis6.yaml");
    int rc =
        run(
            "diagnose",
            "--procmon",
            file("iis6.csv", csv).toString(),
            "--emit-policy",
            policy.toString());
    assertEquals(3, rc, err.toString());
    assertTrue(
        out.toString()
            .startsWith("w3wp.exe: the IIS anonymous account IUSR_WSUS01 is denied" + " read on "),
        out.toString());
    JsonNode y = new ObjectMapper(new YAMLFactory()).readTree(policy.toFile());
    JsonNode m = y.get("memberships").get(0);
    assertEquals("BUILTIN\\Users", m.get("group").asText());
    assertEquals("[\"IUSR_%COMPUTERNAME%\"]", m.get("members").toString());
    assertEquals("ensure", m.get("mode").asText());
    JsonNode rules = y.get("rules");
    assertEquals("D:\\WSUS\\WsusContent", rules.get(2).get("path").asText());
    assertEquals(
        "IUSR_%COMPUTERNAME%",
        rules.get(2).get("grants").get(0).get("trustee").asText(),
        "outside %windir% the account itself gets the right");
    assertEquals("BUILTIN\\Users", rules.get(0).get("grants").get(0).get("trustee").asText());
    JsonNode temp = rules.get(1);
    assertEquals(
        "%windir%\\Microsoft.NET\\Framework\\v2.0.50727\\Temporary ASP.NET Files\\wsus",
        temp.get("path").asText());
    assertEquals(
        "NT AUTHORITY\\NETWORK SERVICE", temp.get("grants").get(0).get("trustee").asText());
    assertEquals("Modify", temp.get("grants").get(0).get("rights").asText());
  }

  @Test
  void nothingFoundExits0AndWritesNoPolicy() throws Exception {
    Path log =
        file(
            "ok.log",
            "2021-08-28\t11:05:07:920\t 576\ta70\tMisc\t===========  Logging initialized (build: 7.6.7600.256, tz: +0530)  ===========\r\n");
    Path policy = dir.resolve("none.yaml");
    int rc = run("diagnose", "--wu-log", log.toString(), "--emit-policy", policy.toString());
    assertEquals(0, rc);
    assertFalse(Files.exists(policy));
    assertTrue(out.toString().startsWith("No WSUS failure and no denied access found"));
    assertTrue(err.toString().contains("no policy was written"));
  }

  @Test
  void realWindows10SampleHasNoWsusServerFindingAndExits0() throws Exception {
    Path log =
        org.wsusfix.diagnose.Samples.require(
            "windowsupdate/findingsanity-Logs_1809_wsus-https_403_WindowsUpdate.log");
    int rc = run("diagnose", "--wu-log", log.toString());
    assertEquals(0, rc, out.toString());
    String verdict = out.toString().split("\n")[0];
    assertTrue(verdict.startsWith("No failure against the WSUS server"), verdict);
    assertTrue(verdict.contains("tlu.dl.delivery.mp.microsoft.com"), verdict);
    assertFalse(out.toString().contains("forbids"), out.toString());
    assertTrue(out.toString().contains("lines 81-3242  none (Microsoft Update)"), out.toString());
  }

  @Test
  void windows11ClientWithoutWsusIsNotToldTheWsusServerForbidsTheRequest() throws Exception {
    Path log =
        file(
            "win11.log",
            String.join(
                "\r\n",
                "2024-04-11 08:00:00.0000000 4412  1200  Agent           WU client version 10.0.22621.3235",
                "2024-04-11 08:00:00.1000000 4412  1200  Agent           WSUS server: (null)",
                "2024-04-11 08:02:00.1000000 4412  1400  DownloadManager Downloading from http://tlu.dl.delivery.mp.microsoft.com/filestreamingservice/files/5855b13a?P1=1 to C:\\x (full file)",
                "2024-04-11 08:02:05.0100000 4412  1600  DownloadManager DO job {2C552B4A-A637-451F-8243-9308B611DECE} 403'd, updateId = FF95561B-934D-4F58-AF55-CABBDFFB1A92.1, hr = 0x80190193, BG_ERROR_CONTEXT = 5",
                ""));
    int rc = run("diagnose", "--json", "--wu-log", log.toString());
    assertEquals(0, rc, out.toString());
    JsonNode root = new ObjectMapper().readTree(out.toString());
    String verdict = root.get("verdict").asText();
    assertFalse(verdict.contains("forbids"), verdict);
    assertTrue(verdict.contains("the client has no WSUS server"), verdict);
    JsonNode sig = root.get("signatures").get(0);
    assertEquals("download", sig.get("endpoint").asText());
    assertFalse(sig.get("againstWsus").asBoolean());
    JsonNode setting = root.get("wsusServers").get(0);
    assertTrue(setting.get("server").isNull());
    assertEquals(2, setting.get("firstLine").asInt());
  }

  @Test
  void controlCharactersFromALogArePrintedAsEscapes() throws Exception {
    Path log =
        file(
            "esc.log",
            String.join(
                "\r\n",
                "2008-01-22\t10:06:25:500\t 988\t7c4\tAgent\t  * WSUS server: http://wsus01\u001b[31m\u202e",
                "2008-01-22\t10:10:14:310\t 988\t9a0\tPT\t  + Last proxy send request failed with hr = 0x800710DD, HTTP status code = 401",
                ""));
    int rc = run("diagnose", "--wu-log", log.toString());
    assertEquals(3, rc, out.toString());
    assertFalse(out.toString().contains("\u001b"), out.toString());
    assertFalse(out.toString().contains("\u202e"), out.toString());
    assertTrue(out.toString().contains("http://wsus01\\x1b[31m\\u202e"), out.toString());
  }

  @Test
  void garbledInputIsOneLineWithFileAndLineAndExit1() throws Exception {
    Path bad = file("bad.log", "first\nsecond\n");
    Path policy = dir.resolve("p.yaml");
    int rc = run("diagnose", "--wu-log", bad.toString(), "--emit-policy", policy.toString());
    assertEquals(1, rc);
    assertEquals("", out.toString());
    String[] lines = err.toString().split("\n");
    assertEquals(1, lines.length, err.toString());
    assertTrue(lines[0].startsWith("wsusfix: " + bad + ":1:1: not a WindowsUpdate.log record"));
    assertFalse(Files.exists(policy), "bad input changes nothing");
  }

  @Test
  void missingFileIsOneLine() {
    int rc = run("diagnose", "--procmon", dir.resolve("nope.csv").toString());
    assertEquals(1, rc);
    assertEquals("wsusfix: " + dir.resolve("nope.csv") + ": no such file", err.toString().strip());
  }

  @Test
  void noEvidenceIsAUsageError() {
    assertEquals(1, run("diagnose"));
    assertTrue(
        err.toString()
            .startsWith(
                "wsusfix: give at least one --wu-log FILE, --procmon FILE or --iis-log FILE|DIR"));
  }

  @Test
  void explainKnowsTheCodeInEveryForm() {
    for (String form :
        List.of("0x800710DD", "800710dd", "-2147020579", "2147946717", "ERROR_INVALID_OPERATION")) {
      out.getBuffer().setLength(0);
      assertEquals(0, run("explain", form));
      assertTrue(
          out.toString().startsWith("0x800710DD  ERROR_INVALID_OPERATION\n"), out.toString());
      assertTrue(out.toString().contains("server permissions: only together with HTTP 401"));
    }
    out.getBuffer().setLength(0);
    assertEquals(0, run("explain", "0x80244017"));
    assertTrue(out.toString().contains("HTTP:     401"));
    assertTrue(out.toString().contains("server permissions: yes"));
    out.getBuffer().setLength(0);
    assertEquals(0, run("explain", "0x80072EE2"));
    assertTrue(out.toString().contains("server permissions: no"));
  }

  @Test
  void explainRejectsUnknownCodes() {
    assertEquals(1, run("explain", "0x12345678"));
    assertEquals(
        "wsusfix: 0x12345678 is not in the catalogue; 'wsusfix explain --all' lists the known"
            + " codes",
        err.toString().strip());
    err.getBuffer().setLength(0);
    assertEquals(1, run("explain", "banana"));
    assertTrue(err.toString().startsWith("wsusfix: 'banana' is not an error code"));
  }

  @Test
  void explainAllAsJson() throws Exception {
    assertEquals(0, run("explain", "--all", "--json"));
    JsonNode list = new ObjectMapper().readTree(out.toString());
    assertTrue(list.size() >= 15);
    assertEquals("0x800710DD", list.get(0).get("code").asText());
  }
}
