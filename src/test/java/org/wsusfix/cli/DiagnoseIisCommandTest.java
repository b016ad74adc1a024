package org.wsusfix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsusfix.diagnose.iisconfig.IisConfig;
import org.wsusfix.diagnose.iisconfig.IisConfigFixtures;
import org.wsusfix.diagnose.iislog.W3cFixtures;
import org.wsusfix.diagnose.procmon.CsvFixtures;

class DiagnoseIisCommandTest {
  private static final String POOL_SID = IisConfig.appPoolSid("WsusPool");
  @TempDir Path dir;

  private Path file(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  private Path deniedLog() throws Exception {
    return file(
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
                "/ApiRemoting30/WebService.asmx",
                "10.0.0.9",
                401,
                2,
                0)
            .req(
                "2026-11-20 08:00:03",
                "POST",
                "/ApiRemoting30/WebService.asmx",
                "10.0.0.9",
                200,
                0,
                0)
            .text());
  }

  private Path config(String processModel, String clientAnonymous) throws Exception {
    return file(
        "applicationHost.config", IisConfigFixtures.applicationHost(processModel, clientAnonymous));
  }

  @Test
  void logAndConfigGiveTheVerdictTheIdentityAndExit3() throws Exception {
    CliRun r =
        CliRun.of(
            "diagnose",
            "--iis-log",
            deniedLog().toString(),
            "--iis-config",
            config("identityType=\"ApplicationPoolIdentity\"", "").toString());
    assertEquals(3, r.exit(), r.toString());
    String[] lines = r.out().split("\n");
    assertEquals(
        "IIS refuses WSUS requests with HTTP 401.3 on /ClientWebService/ (2 requests from 2"
            + " clients): WsusPool (the pool identity, which also serves anonymous requests here) is denied"
            + " by a file-system ACL; the denied folder is not in this evidence",
        lines[0]);
    assertTrue(
        r.out()
            .contains(
                "  2x  HTTP 401.3  /ClientWebService/  2 clients, 2026-11-20 08:00:01 .."
                    + " 2026-11-20 08:00:02 UTC\n      win32 status 5 access denied\n"),
        r.out());
    assertTrue(r.out().contains("(1 401 was the normal authentication challenge"), r.out());
    assertTrue(
        r.out()
            .contains(
                "pool      IIS APPPOOL\\WsusPool ("
                    + POOL_SID
                    + "): applicationHost.config:7"
                    + " application pool WsusPool processModel identityType=ApplicationPoolIdentity"),
        r.out());
    assertFalse(
        r.out().contains("HTTP 401.2  /ApiRemoting30/"), "the handshake is not listed as a fault");
  }

  @Test
  void jsonKeepsTheExistingFieldsAndAddsIisAndIdentities() throws Exception {
    CliRun r =
        CliRun.of(
            "diagnose",
            "--json",
            "--iis-log",
            deniedLog().toString(),
            "--iis-config",
            config("identityType=\"NetworkService\"", null).toString());
    assertEquals(3, r.exit(), r.toString());
    JsonNode root = new ObjectMapper().readTree(r.out());
    for (String field :
        List.of(
            "verdict",
            "signatures",
            "deniedPaths",
            "privilegeNotHeld",
            "badImpersonation",
            "nextStep",
            "policy",
            "iis",
            "iisIdentities")) {
      assertTrue(root.has(field), field);
    }
    JsonNode acl = root.get("iis").get(0);
    assertEquals("/ClientWebService/", acl.get("endpoint").asText());
    assertEquals("permission", acl.get("kind").asText());
    assertEquals(401, acl.get("httpStatus").asInt());
    assertEquals(3, acl.get("subStatus").asInt());
    assertTrue(acl.get("permissionRelated").asBoolean());
    assertEquals(2, acl.get("count").asInt());
    assertEquals(2, acl.get("clients").asInt());
    assertEquals("2026-11-20T08:00:01", acl.get("firstSeen").asText());
    assertEquals(5, acl.get("win32Status").get(0).get("code").asInt());
    assertEquals("NT AUTHORITY\\IUSR", acl.get("identity").asText());
    JsonNode hs = root.get("iis").get(1);
    assertEquals("handshake", hs.get("kind").asText());
    assertFalse(hs.get("fault").asBoolean());
    List<String> accounts = new ArrayList<>();
    root.get("iisIdentities")
        .forEach(i -> accounts.add(i.get("role").asText() + " " + i.get("account").asText()));
    assertEquals(
        List.of("anonymous NT AUTHORITY\\IUSR", "pool NT AUTHORITY\\NETWORK SERVICE"), accounts);
  }

  @Test
  void emittedPolicyGrantsTheConfiguredIdentitiesAndPassesValidateAndPlan() throws Exception {
    Path policy = dir.resolve("fix.yaml");
    CliRun r =
        CliRun.of(
            "diagnose",
            "--iis-log",
            deniedLog().toString(),
            "--iis-config",
            config("identityType=\"ApplicationPoolIdentity\"", "").toString(),
            "--procmon",
            file("cap.csv", CsvFixtures.wsusCapture()).toString(),
            "--emit-policy",
            policy.toString());
    assertEquals(3, r.exit(), r.toString());
    String yaml = Files.readString(policy);
    assertTrue(
        yaml.contains(
            "#   "
                + POOL_SID
                + " = IIS APPPOOL\\WsusPool (pool): applicationHost.config:7"
                + " application pool WsusPool processModel identityType=ApplicationPoolIdentity\n"),
        yaml);
    assertTrue(
        yaml.contains(
            "#   IUSR = NT AUTHORITY\\IUSR (anonymous): applicationHost.config:39"
                + " server-wide anonymousAuthentication userName=\"IUSR\"\n"),
        yaml);
    JsonNode y = new ObjectMapper(new YAMLFactory()).readTree(policy.toFile());
    List<String> expect = new ArrayList<>();
    y.get("expect")
        .forEach(
            e ->
                expect.add(
                    e.get("identity").asText()
                        + " "
                        + e.get("path").asText()
                        + " "
                        + e.get("logon").asText()));
    assertTrue(expect.contains(POOL_SID + " %windir%\\Microsoft.NET service"), expect.toString());
    assertTrue(expect.contains("IUSR %windir%\\Microsoft.NET network"), expect.toString());
    JsonNode client = null;
    for (JsonNode rule : y.get("rules")) {
      if (rule.get("path").asText().endsWith("\\ClientWebService")) {
        client = rule;
      }
    }
    assertNotNull(client, yaml);
    assertEquals(
        "%ProgramFiles%\\Update Services\\WebServices\\ClientWebService",
        client.get("path").asText());
    assertEquals(
        POOL_SID,
        client.get("grants").get(0).get("trustee").asText(),
        "the override makes the pool identity serve anonymous requests there");
    assertEquals("ReadAndExecute", client.get("grants").get(0).get("rights").asText());

    assertEquals(0, CliRun.of("policy", "validate", policy.toString()).exit());
    Path example = Path.of("examples", "wsus01-broken.icacls");
    Assumptions.assumeTrue(
        Files.isRegularFile(example),
        "examples/wsus01-broken.icacls is absent; plan check skipped");
    CliRun plan =
        CliRun.of(
            "plan",
            "-p",
            policy.toString(),
            "--target",
            "snapshot:" + example + "?computer=WSUS01");
    assertEquals(2, plan.exit(), plan.toString());
    assertTrue(plan.out().contains("0 unmet expectations"), plan.out());
  }

  @Test
  void logAndConfigAloneSuggestTheServiceFolder() throws Exception {
    Path policy = dir.resolve("fix.yaml");
    CliRun r =
        CliRun.of(
            "diagnose",
            "--iis-log",
            deniedLog().toString(),
            "--iis-config",
            config("identityType=\"NetworkService\"", null).toString(),
            "--emit-policy",
            policy.toString());
    assertEquals(3, r.exit(), r.toString());
    JsonNode y = new ObjectMapper(new YAMLFactory()).readTree(policy.toFile());
    assertEquals(1, y.get("rules").size());
    JsonNode g = y.get("rules").get(0).get("grants").get(0);
    assertEquals("IUSR", g.get("trustee").asText());
    assertEquals("IUSR", y.get("expect").get(0).get("identity").asText());
    assertEquals(0, CliRun.of("policy", "validate", policy.toString()).exit());
    Path example = Path.of("examples", "wsus01-broken.icacls");
    Assumptions.assumeTrue(Files.isRegularFile(example), "examples/wsus01-broken.icacls is absent");
    CliRun plan =
        CliRun.of(
            "plan",
            "-p",
            policy.toString(),
            "--target",
            "snapshot:" + example + "?computer=WSUS01");
    // The example holds C:\\Windows only, not the service folder the suggestion names: nothing is
    // checked.
    assertEquals(3, plan.exit(), plan.toString());
  }

  @Test
  void iis6MetabaseAnonymousAccountJoinsUsers() throws Exception {
    Path mb = file("MetaBase.xml", IisConfigFixtures.metabase("AppPoolIdentityType=\"2\""));
    Path policy = dir.resolve("iis6.yaml");
    CliRun r =
        CliRun.of(
            "diagnose",
            "--iis-log",
            deniedLog().toString(),
            "--iis-config",
            mb.toString(),
            "--procmon",
            file("cap.csv", CsvFixtures.wsusCapture()).toString(),
            "--emit-policy",
            policy.toString());
    assertEquals(3, r.exit(), r.toString());
    JsonNode y = new ObjectMapper(new YAMLFactory()).readTree(policy.toFile());
    JsonNode m = y.get("memberships").get(0);
    assertEquals("BUILTIN\\Users", m.get("group").asText());
    assertEquals("[\"IUSR_%COMPUTERNAME%\"]", m.get("members").toString());
    assertTrue(
        Files.readString(policy)
            .contains(
                "#   IUSR_%COMPUTERNAME% = IUSR_WSUS01 (anonymous):"
                    + " MetaBase.xml:5 AnonymousUserName=\"IUSR_WSUS01\""),
        Files.readString(policy));
    assertEquals(0, CliRun.of("policy", "validate", policy.toString()).exit());
  }

  @Test
  void onlyHandshakesIsNothingFound() throws Exception {
    Path log =
        file(
            "u_ex261120.log",
            W3cFixtures.log("2026-11-20")
                .req(
                    "2026-11-20 08:00:03",
                    "POST",
                    "/ApiRemoting30/WebService.asmx",
                    "10.0.0.9",
                    401,
                    2,
                    0)
                .req(
                    "2026-11-20 08:00:03",
                    "POST",
                    "/ApiRemoting30/WebService.asmx",
                    "10.0.0.9",
                    401,
                    1,
                    0)
                .req(
                    "2026-11-20 08:00:03",
                    "POST",
                    "/ApiRemoting30/WebService.asmx",
                    "10.0.0.9",
                    200,
                    0,
                    0)
                .text());
    CliRun r = CliRun.of("diagnose", "--iis-log", dir.toString());
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().startsWith("No WSUS failure and no denied access found"), r.out());
    assertTrue(Files.exists(log));
  }

  @Test
  void badLogIsOneLineAndWritesNoPolicy() throws Exception {
    Path bad =
        file(
            "u_ex261120.log",
            W3cFixtures.log("2026-11-20").text()
                + "2026-11-20 08:00:01 10.0.0.5 POST /ClientWebService/client.asmx 401 3 5\r\n");
    Path policy = dir.resolve("p.yaml");
    CliRun r =
        CliRun.of("diagnose", "--iis-log", bad.toString(), "--emit-policy", policy.toString());
    assertEquals(1, r.exit());
    assertEquals("", r.out());
    String[] lines = r.err().split("\n");
    assertEquals(1, lines.length, r.err());
    assertTrue(lines[0].startsWith("wsusfix: " + bad + ":5:"), r.err());
    assertFalse(Files.exists(policy));
  }

  @Test
  void httpErrLogInAFolderGivesThePoolStoppedVerdictAndExit3() throws Exception {
    Path logs = Files.createDirectories(dir.resolve("LogFiles-HTTPERR"));
    Files.writeString(
        logs.resolve("httperr1.log"),
        String.join(
            "\r\n",
            "#Software: Microsoft HTTP API 2.0",
            "#Version: 1.0",
            "#Date: 2026-11-20 08:00:00",
            "#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri streamid sc-status"
                + " s-siteid s-reason s-queuename",
            "2026-11-20 08:00:01 10.1.2.3 50123 10.0.0.5 8530 HTTP/1.1 POST /ClientWebService/client.asmx"
                + " - 503 1197933354 AppOffline WsusPool",
            ""),
        StandardCharsets.UTF_8);
    CliRun run = CliRun.of("diagnose", "--iis-log", logs.toString());
    assertEquals(3, run.exit(), run.toString());
    String verdict = run.out().split("\n")[0];
    assertTrue(verdict.contains("AppOffline on /ClientWebService/"), verdict);
    assertTrue(verdict.contains("the WsusPool application pool is stopped"), verdict);
    assertTrue(run.out().contains("Next step: Start WsusPool"), run.out());

    CliRun json =
        CliRun.of("diagnose", "--json", "--iis-log", logs.resolve("httperr1.log").toString());
    JsonNode h = new ObjectMapper().readTree(json.out()).get("httpErr").get(0);
    assertEquals("pool-stopped", h.get("cause").asText());
    assertEquals("WsusPool", h.get("queue").asText());
    assertEquals(503, h.get("httpStatus").asInt());
  }
}
