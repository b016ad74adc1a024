package org.wsusfix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsusfix.diagnose.iisconfig.IisConfigFixtures;
import org.wsusfix.policy.IisSite;
import org.wsusfix.policy.Policy;
import org.wsusfix.policy.PolicyLoader;
import org.wsusfix.policy.UserRight;

/**
 * diagnose and the IIS settings: the log's 401.1, 401.2 and 500.24 in --emit-policy, and
 * --iis-config alone.
 */
class DiagnoseIisSettingsCommandTest {
  private static final String EXAMPLE_CONFIG = "examples/wsus01-applicationHost.config";
  private static final String FIELDS =
      "date time s-sitename s-ip cs-method cs-uri-stem cs-uri-query s-port"
          + " cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken";
  @TempDir Path dir;

  private Path file(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  /** IIS 10's W3C lines with s-sitename, as a site whose logging adds that field writes them. */
  private static String log(String site, String... requests) {
    StringBuilder sb =
        new StringBuilder(
            "#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n"
                + "#Date: 2026-11-20 08:00:00\r\n#Fields: "
                + (site == null ? FIELDS.replace(" s-sitename", "") : FIELDS)
                + "\r\n");
    for (String r : requests) {
      String[] f = r.split(" ");
      // time stem client status sub win32
      sb.append("2026-11-20 ")
          .append(f[0])
          .append(site == null ? "" : " " + site)
          .append(" 10.0.0.5 POST ")
          .append(f[1])
          .append(" - 8530 - ")
          .append(f[2])
          .append(" Windows-Update-Agent/10.0.10011.16384+Client-Protocol/2.50 - ")
          .append(f[3])
          .append(' ')
          .append(f[4])
          .append(' ')
          .append(f[5])
          .append(" 15\r\n");
    }
    return sb.toString();
  }

  private static String siteRenamed(String name) throws Exception {
    return Files.readString(Path.of(EXAMPLE_CONFIG)).replace("WSUS Administration", name);
  }

  @Test
  void the401_2_401_1And500_24OfTheLogBecomeIisSettingsAUserRightAndAReportItem() throws Exception {
    Path config = file("applicationHost.config", siteRenamed("WSUS Site 2"));
    Path log =
        file(
            "u_ex261120.log",
            log(
                "W3SVC1197933354",
                "08:00:01 /ClientWebService/client.asmx 10.0.1.21 401 2 5",
                "08:00:02 /ClientWebService/client.asmx 10.0.1.22 401 2 5",
                "08:00:03 /Content/3F/ABC.cab 10.0.1.22 401 1 1326",
                "08:00:04 /SimpleAuthWebService/SimpleAuth.asmx 10.0.1.23 500 24 50",
                // the console's NTLM challenge, answered: not a setting to change
                "08:00:05 /ApiRemoting30/WebService.asmx 10.0.0.9 401 2 5",
                "08:00:05 /ApiRemoting30/WebService.asmx 10.0.0.9 200 0 0"));
    Path out = dir.resolve("fix.yaml");
    CliRun r =
        CliRun.of(
            "diagnose",
            "--iis-log",
            log.toString(),
            "--iis-config",
            config.toString(),
            "--emit-policy",
            out.toString());
    assertEquals(3, r.exit(), r.toString());
    assertTrue(r.out().contains("Anonymous Authentication is off on ClientWebService"), r.out());
    assertTrue(r.out().contains("the anonymous account cannot log on"), r.out());
    assertTrue(
        r.out()
            .contains(
                "\nIIS configuration behind these failures (held against wsus-2012):\n"
                    + "  /ClientWebService anonymousAuthentication.enabled is false, expected true  ("
                    + config
                    + ":83:21)\n\n"),
        r.out());
    JsonNode json =
        new ObjectMapper()
            .readTree(
                CliRun.of(
                        "diagnose",
                        "--json",
                        "--iis-log",
                        log.toString(),
                        "--iis-config",
                        config.toString())
                    .out());
    assertEquals(1, json.get("iisConfigChecks").size(), json.toString());
    assertEquals(config + ":83:21", json.get("iisConfigChecks").get(0).get("setAt").asText());
    String yaml = Files.readString(out);
    Policy p = PolicyLoader.parse("fix.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    IisSite iis = p.iis();
    assertEquals(
        "WSUS Site 2",
        iis.site(),
        "W3SVC1197933354 is the site the configuration gives that id: " + yaml);
    List<String> apps = new ArrayList<>();
    iis.applications().forEach(a -> apps.add(a.path() + " " + a.settings()));
    assertEquals(
        List.of(
            "/ClientWebService {anonymousAuthentication.enabled=true}",
            "/SimpleAuthWebService {anonymousAuthentication.enabled=true}"),
        apps,
        yaml);
    assertEquals(List.of("/SimpleAuthWebService"), iis.report().noAspNetImpersonation(), yaml);
    assertEquals(1, p.userRights().size(), yaml);
    UserRight deny = p.userRights().get(0);
    assertEquals("SeDenyNetworkLogonRight", deny.right());
    assertEquals(List.of("IUSR"), deny.forbid().stream().map(t -> t.text()).toList());
    assertTrue(p.rules().isEmpty(), "no ACL was refused: " + yaml);
    assertTrue(
        yaml.contains(
            "# IIS log: HTTP 401.1 on /Content/ x1 from 1 client, never answered: the anonymous"
                + " account NT AUTHORITY\\IUSR (applicationHost.config:52 server-wide anonymousAuthentication"
                + " userName=\"IUSR\") failed to log on over the network"),
        yaml);
    assertFalse(
        yaml.contains("ApiRemoting30"), "the answered challenge is not in the policy: " + yaml);
    assertEquals(0, CliRun.of("policy", "validate", out.toString()).exit());

    // and it plans against the configuration it came from: the one setting the log points at
    CliRun plan =
        CliRun.of(
            "plan",
            "-p",
            out.toString(),
            "--target",
            "snapshot:examples/wsus01-broken.icacls?iis=" + config);
    assertEquals(2, plan.exit(), plan.toString());
    assertTrue(
        plan.out().contains("/ClientWebService anonymousAuthentication.enabled: false -> true"),
        plan.out());
    assertTrue(plan.out().contains("Plan: 1 change (1 IIS configuration)"), plan.out());
  }

  @Test
  void withoutAConfigurationTheSiteIsWsusAdministrationAndTheLogsSiteIsNamed() throws Exception {
    Path log =
        file(
            "W3SVC5/u_ex261120.log",
            log(null, "08:00:01 /Inventory/inventory.asmx 10.0.1.21 401 2 5"));
    Path out = dir.resolve("fix.yaml");
    CliRun r =
        CliRun.of(
            "diagnose", "--iis-log", log.getParent().toString(), "--emit-policy", out.toString());
    assertEquals(3, r.exit(), r.toString());
    String yaml = Files.readString(out);
    Policy p = PolicyLoader.parse("fix.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    assertEquals("WSUS Administration", p.iis().site());
    assertEquals("/Inventory", p.iis().applications().get(0).path());
    assertTrue(
        yaml.contains(
            "# the log names site W3SVC5, which no configuration given names; WSUS Administration"
                + " assumed"),
        yaml);
  }

  @Test
  void aSpecificAnonymousAccountThatCannotLogOnIsAlsoOfferedThePoolIdentity() throws Exception {
    Path config =
        file(
            "applicationHost.config",
            IisConfigFixtures.applicationHost(
                "identityType=\"NetworkService\"", "CORP\\wsus-anon"));
    Path log =
        file(
            "u_ex261120.log",
            log(null, "08:00:01 /ClientWebService/client.asmx 10.0.1.21 401 1 1326"));
    Path out = dir.resolve("fix.yaml");
    assertEquals(
        3,
        CliRun.of(
                "diagnose",
                "--iis-log",
                log.toString(),
                "--iis-config",
                config.toString(),
                "--emit-policy",
                out.toString())
            .exit());
    Policy p = PolicyLoader.parse("fix.yaml", Files.readAllBytes(out));
    assertEquals("CORP\\wsus-anon", p.userRights().get(0).forbid().get(0).text());
    assertEquals(
        "", p.iis().applications().get(0).settings().get("anonymousAuthentication.userName"));
  }

  @Test
  void anAnonymousAccountThatIsThePoolsOwnUserGetsOnlyTheRight() throws Exception {
    Path config =
        file(
            "applicationHost.config",
            IisConfigFixtures.applicationHost(
                "identityType=\"SpecificUser\" userName=\"CORP\\svc-wsus\"", ""));
    Path log =
        file(
            "u_ex261120.log",
            log(null, "08:00:01 /ClientWebService/client.asmx 10.0.1.21 401 1 1326"));
    Path out = dir.resolve("fix.yaml");
    assertEquals(
        3,
        CliRun.of(
                "diagnose",
                "--iis-log",
                log.toString(),
                "--iis-config",
                config.toString(),
                "--emit-policy",
                out.toString())
            .exit());
    Policy p = PolicyLoader.parse("fix.yaml", Files.readAllBytes(out));
    assertEquals("CORP\\svc-wsus", p.userRights().get(0).forbid().get(0).text());
    assertEquals(null, p.iis(), "userName '' is what it has already");
  }

  @Test
  void aChallengeAnsweredBySuccessSuggestsNoIisSetting() throws Exception {
    Path log =
        file(
            "u_ex261120.log",
            log(
                null,
                "08:00:01 /ClientWebService/client.asmx 10.0.1.21 401 2 5",
                "08:00:01 /ClientWebService/client.asmx 10.0.1.21 200 0 0"));
    Path out = dir.resolve("fix.yaml");
    CliRun r = CliRun.of("diagnose", "--iis-log", log.toString(), "--emit-policy", out.toString());
    assertEquals(0, r.exit(), r.toString());
    assertFalse(Files.exists(out));
  }

  @Test
  void theExampleConfigurationAloneIsAuditedAgainstWsus2012() {
    CliRun r = CliRun.of("diagnose", "--iis-config", EXAMPLE_CONFIG);
    assertEquals(3, r.exit(), r.toString());
    String[] lines = r.out().split("\n");
    assertEquals("IIS configuration differs from wsus-2012: 1 of 23 settings", lines[0]);
    assertEquals(
        "  policy  wsus-2012: WsusPool runs .NET v4.0 ("
            + EXAMPLE_CONFIG
            + ":7:13): WSUS 4 or later,"
            + " Windows Server 2012 and later",
        lines[2]);
    assertTrue(
        r.out()
            .contains(
                "/ClientWebService\n  FAIL  anonymousAuthentication.enabled: expected true, is false"
                    + "  ("
                    + EXAMPLE_CONFIG
                    + ":83:21)\n"),
        r.out());
    assertTrue(
        r.out()
            .contains(
                "/SimpleAuthWebService\n  ok    anonymousAuthentication.enabled: expected true, is"
                    + " true  ("
                    + EXAMPLE_CONFIG
                    + ":52:17)\n"),
        r.out());
    assertTrue(
        r.out()
            .contains(
                "  ok    identity.impersonate: expected false, is false  (IIS default: nothing sets"
                    + " it)\n"),
        r.out());
    assertEquals("", r.err());
  }

  @Test
  void jsonListsEveryCheck() throws Exception {
    CliRun r = CliRun.of("diagnose", "--iis-config", EXAMPLE_CONFIG, "--json");
    assertEquals(3, r.exit(), r.toString());
    JsonNode root = new ObjectMapper().readTree(r.out());
    assertEquals("wsus-2012", root.get("policy").asText());
    assertEquals("WSUS Administration", root.get("site").asText());
    assertFalse(root.get("compliant").asBoolean());
    List<String> failed = new ArrayList<>();
    for (JsonNode c : root.get("checks")) {
      if (!c.get("ok").asBoolean()) {
        failed.add(
            c.get("application").asText()
                + " "
                + c.get("setting").asText()
                + " "
                + c.get("expected").asText()
                + " "
                + c.get("actual").asText()
                + " "
                + c.get("setAt").asText()
                + " "
                + c.get("changedByApply"));
      }
    }
    assertEquals(
        List.of(
            "/ClientWebService anonymousAuthentication.enabled true false "
                + EXAMPLE_CONFIG
                + ":83:21 true"),
        failed);
  }

  @Test
  void aMatchingConfigurationExits0AndIis7IsToldByItsNet2Pool() throws Exception {
    String fixed =
        Files.readString(Path.of(EXAMPLE_CONFIG))
            .replace("<!-- added by another product installed on the same site -->", "<!--")
            .replace("</configuration>", "-->\n</configuration>")
            .replace("managedRuntimeVersion=\"v4.0\"", "managedRuntimeVersion=\"v2.0\"");
    CliRun r =
        CliRun.of("diagnose", "--iis-config", file("applicationHost.config", fixed).toString());
    assertEquals(0, r.exit(), r.toString());
    assertTrue(
        r.out().startsWith("IIS configuration matches wsus-iis7 (23 settings checked)\n"), r.out());
    assertTrue(r.out().contains("WsusPool runs .NET v2.0"), r.out());
  }

  @Test
  void impersonationInALocationBlockIs500_24WithItsLine() throws Exception {
    String text =
        Files.readString(Path.of(EXAMPLE_CONFIG))
            .replace(
                "</configuration>",
                "    <location path=\"WSUS Administration/ServerSyncWebService\">\n"
                    + "        <system.web>\n            <identity impersonate=\"true\" />\n        </system.web>\n"
                    + "    </location>\n</configuration>");
    Path config = file("applicationHost.config", text);
    CliRun r = CliRun.of("diagnose", "--iis-config", config.toString());
    assertEquals(3, r.exit(), r.toString());
    assertTrue(
        r.out().contains("/ServerSyncWebService\n  ok    anonymousAuthentication.enabled"),
        r.out());
    assertTrue(
        r.out()
            .contains(
                "  FAIL  identity.impersonate: expected false, is true  ("
                    + config
                    + ":90:13)\n"
                    + "        ASP.NET impersonation is on (<identity impersonate=\"true\"> at "
                    + config
                    + ":90:13) and pool"
                    + " WsusPool runs the integrated pipeline with validateIntegratedModeConfiguration on: IIS answers every"
                    + " request with HTTP 500.24"),
        r.out());
  }

  @Test
  void aMetabaseIsAuditedAgainstWsusIis6() throws Exception {
    // Windows authentication only on ClientWebService: the 401.2 fault on IIS 6
    Path mb =
        file(
            "MetaBase.xml",
            IisConfigFixtures.metabase("AppPoolIdentityType=\"2\"")
                .replace(
                    "\t\tAppPoolId=\"WsusPool\"\r\n",
                    "\t\tAppPoolId=\"WsusPool\"\r\n\t\tAuthFlags=\"AuthNTLM\"\r\n"));
    CliRun r = CliRun.of("diagnose", "--iis-config", mb.toString());
    assertEquals(3, r.exit(), r.toString());
    assertTrue(
        r.out().contains("  policy  wsus-iis6: MetaBase.xml: IIS 6, Windows Server 2003\n"),
        r.out());
    assertTrue(r.out().contains("  site    Default Web Site\n"), r.out());
    assertTrue(
        r.out()
            .contains(
                "/ClientWebService\n  FAIL  anonymousAuthentication.enabled: expected true, is false"
                    + "  ("
                    + mb
                    + ":27:3)\n"),
        r.out());
    assertTrue(
        r.out()
            .contains(
                "/Content\n  ok    anonymousAuthentication.enabled: expected true, is true"
                    + "  (IIS default: nothing sets it)\n"),
        r.out());
    assertTrue(
        r.out().contains("Next step: set the differing values in IIS Manager (Directory Security)"),
        r.out());
    assertTrue(
        r.out()
            .contains("warning Default Web Site/SimpleAuthWebService: no such virtual directory"),
        r.out());
  }

  @Test
  void badXmlIsOneLineWithItsPlace() throws Exception {
    Path bad =
        file(
            "applicationHost.config",
            "<configuration>\n  <system.webServer>\n    <oops\n</configuration>\n");
    CliRun r = CliRun.of("diagnose", "--iis-config", bad.toString());
    assertEquals(1, r.exit(), r.toString());
    assertEquals("", r.out());
    assertTrue(
        r.err()
            .matches(
                "wsusfix: " + java.util.regex.Pattern.quote(bad.toString()) + ":4:\\d+: [^\n]+\n"),
        r.err());
    CliRun emit =
        CliRun.of(
            "diagnose",
            "--iis-config",
            EXAMPLE_CONFIG,
            "--emit-policy",
            dir.resolve("x.yaml").toString());
    assertEquals(1, emit.exit());
    assertTrue(emit.err().contains("--emit-policy needs evidence of failures"), emit.err());
  }
}
