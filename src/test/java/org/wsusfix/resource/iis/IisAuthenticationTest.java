package org.wsusfix.resource.iis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsusfix.apply.Executor;
import org.wsusfix.apply.Fixture;
import org.wsusfix.apply.Rollback;
import org.wsusfix.apply.UndoJournal;
import org.wsusfix.machine.ConfigFileWriter;
import org.wsusfix.machine.TargetException;
import org.wsusfix.machine.memory.MemoryTarget;
import org.wsusfix.plan.Plan;
import org.wsusfix.plan.PlanJson;
import org.wsusfix.plan.PlanText;
import org.wsusfix.plan.Planner;
import org.wsusfix.resource.WalkProgress;

class IisAuthenticationTest {
  static final String FILE = "C:\\Windows\\System32\\inetsrv\\config\\applicationHost.config";
  static final byte[] BROKEN = WsusConfigs.BROKEN.getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;
  final StringWriter out = new StringWriter();

  static MemoryTarget server() {
    return server(new MemoryTarget("memory:iis"));
  }

  static MemoryTarget server(MemoryTarget t) {
    Fixture.populate(t).configFile(FILE, BROKEN);
    return t;
  }

  static Plan plan(MemoryTarget t) {
    return new Planner(t).plan(Fixture.policy(WsusConfigs.POLICY));
  }

  @Test
  void plansTheOneWrongSettingWithWhereItIsSet() {
    Plan plan = plan(server());
    List<IisChange> changes = plan.changes(IisChange.class);
    assertEquals(1, changes.size(), () -> new PlanText(Object::toString, null, false).render(plan));
    IisChange c = changes.get(0);
    assertEquals(
        List.of(
            new IisChange.Setting(
                "/ClientWebService", "anonymousAuthentication.enabled", "false", "true")),
        c.settings());
    assertTrue(c.reasons().get(0).contains("set at " + FILE + ":"), c.reasons().toString());
    String text = new PlanText(Object::toString, null, false).render(plan);
    assertTrue(
        text.contains("/ClientWebService anonymousAuthentication.enabled: false -> true"), text);
    assertTrue(text.contains("Plan: 1 change (1 IIS configuration)"), text);
    assertEquals(plan.changes(), PlanJson.read("p.json", PlanJson.write(plan)).changes());
  }

  @Test
  void aSiteTheConfigurationDoesNotHoldSkipsTheSectionAsAMissingFolderSkipsItsRule() {
    String other = WsusConfigs.POLICY.replace("site: WSUS Administration", "site: Contoso Updates");
    assertTrue(other.contains("Contoso Updates"), "the fixture policy names its site");
    Plan plan = new Planner(server()).plan(Fixture.policy(other));
    assertTrue(plan.changes().isEmpty(), plan.changes().toString());
    assertEquals(1, plan.findings().size(), plan.findings().toString());
    org.wsusfix.resource.Finding f = plan.findings().get(0);
    assertEquals(org.wsusfix.resource.Finding.Severity.WARNING, f.severity());
    assertTrue(f.message().startsWith("no site 'Contoso Updates' in " + FILE), f.message());
  }

  @Test
  void applyChangesOnlyThatAttributeAndRollbackRestoresTheFileByteForByte() throws IOException {
    MemoryTarget t = server();
    Path journal = dir.resolve("undo.jsonl");
    Executor.Outcome o =
        new Executor(t, new PrintWriter(out), WalkProgress.NONE).apply(plan(t), journal, "test");
    assertTrue(o.ok(), o::failure);
    String after = new String(t.fileContent(FILE).orElseThrow(), StandardCharsets.UTF_8);
    int at = WsusConfigs.BROKEN.lastIndexOf("enabled=\"false\"");
    assertEquals(
        WsusConfigs.BROKEN.substring(0, at)
            + "enabled=\"true\""
            + WsusConfigs.BROKEN.substring(at + "enabled=\"false\"".length()),
        after,
        "one attribute value, nothing else");
    assertTrue(plan(t).changes(IisChange.class).isEmpty(), "a second plan finds nothing to do");

    Rollback.Result r =
        new Rollback(t, new PrintWriter(out)).run(UndoJournal.read(journal), false, false);
    assertTrue(r.complete(), r::summary);
    assertArrayEquals(BROKEN, t.fileContent(FILE).orElseThrow());
    Rollback.Result again =
        new Rollback(t, new PrintWriter(out)).run(UndoJournal.read(journal), false, false);
    assertEquals(0, again.restored(), "already as before");
  }

  @Test
  void aFileChangedSincePlanningIsDrift() throws IOException {
    MemoryTarget t = server();
    Plan plan = plan(t);
    byte[] edited =
        WsusConfigs.BROKEN.replace("<!-- IIS", "<!-- edited IIS").getBytes(StandardCharsets.UTF_8);
    t.configFile(FILE, edited);
    Executor.Outcome o =
        new Executor(t, new PrintWriter(out), WalkProgress.NONE)
            .apply(plan, dir.resolve("u.jsonl"), "t");
    assertFalse(o.ok());
    assertTrue(o.failure().contains("changed since the plan was made"), o.failure());
    assertArrayEquals(edited, t.fileContent(FILE).orElseThrow());
  }

  /** A later change of the same plan fails: the file written earlier is put back. */
  @Test
  void aLaterFailureRollsTheFileBack() throws IOException {
    MemoryTarget t =
        server(
            new MemoryTarget("memory:iis") {
              @Override
              public void writeDacl(String path, org.wsusfix.security.SecurityDescriptor sd) {
                throw new TargetException(path + ": injected write failure");
              }
            });
    Fixture.State before = Fixture.state(t);
    Plan plan =
        new Planner(t)
            .plan(
                Fixture.policy(
                    WsusConfigs.POLICY.replace(
                        "iis:\n",
                        Fixture.POLICY.substring(Fixture.POLICY.indexOf("rules:")) + "iis:\n")));
    // memberships, then DACLs, then IIS: make the IIS change come before a failing DACL write
    assertEquals(1, plan.changes(IisChange.class).size());
    Executor.Outcome o =
        new Executor(t, new PrintWriter(out), WalkProgress.NONE)
            .apply(reordered(plan), dir.resolve("u.jsonl"), "t");
    assertFalse(o.ok());
    assertTrue(o.rollback().complete(), () -> o.rollback().problems().toString());
    assertArrayEquals(BROKEN, t.fileContent(FILE).orElseThrow());
    Fixture.assertSameState(before, Fixture.state(t));
  }

  /** The IIS change first, so the failing DACL write comes after the file was replaced. */
  static Plan reordered(Plan p) {
    List<org.wsusfix.resource.Change> changes =
        new java.util.ArrayList<>(p.changes(IisChange.class));
    p.changes().stream().filter(c -> !(c instanceof IisChange)).forEach(changes::add);
    return new Plan(
        p.formatVersion(),
        p.target(),
        p.policyName(),
        p.policyDigest(),
        changes,
        p.findings(),
        p.expectations(),
        false);
  }

  @Test
  void aTargetWithoutTheFileSaysSo() {
    MemoryTarget t = Fixture.populate(new MemoryTarget("memory:nofile"));
    Plan plan = plan(t);
    assertTrue(plan.changes().isEmpty());
    assertTrue(
        plan.findings().stream().anyMatch(f -> f.message().contains("not found on memory:nofile")),
        plan.findings().toString());
    assertTrue(plan.nothingChecked(), "nothing of the policy could be checked");
  }

  @Test
  void aReadOnlyTargetIsRefusedBeforeAnyChange() {
    MemoryTarget t =
        server(
            new MemoryTarget("memory:ro") {
              @Override
              public Optional<ConfigFileWriter> configFileWriter() {
                return Optional.empty();
              }
            });
    Plan plan = plan(t);
    List<String> problems = new Executor(t, new PrintWriter(out), WalkProgress.NONE).problems(plan);
    assertEquals(List.of("memory:ro is read-only (it cannot change IIS configurations)"), problems);
  }

  @Test
  void theReportFindsSslOnContentASmallQueueAndAWebConfigThatOverrides() {
    String config =
        WsusConfigs.BROKEN
            .replace(
                "<sites>",
                "<applicationPools>\n            <add name=\"WsusPool\" queueLength=\"1000\">\n"
                    + "                <processModel identityType=\"NetworkService\" />\n            </add>\n"
                    + "        </applicationPools>\n        <sites>")
            .replace(
                "<virtualDirectory path=\"/\" physicalPath=\"C:\\Program Files\\Update Services\\WebServices\\Root\" />",
                "<virtualDirectory path=\"/\" physicalPath=\"C:\\Program Files\\Update Services\\WebServices\\Root\" />\n"
                    + "                    <virtualDirectory path=\"/Content\" physicalPath=\"D:\\WSUS\\WsusContent\" />")
            .replace(
                "</configuration>",
                "    <location path=\"WSUS Administration/Content\">\n        <system.webServer>\n"
                    + "            <security><access sslFlags=\"Ssl\" /></security>\n        </system.webServer>\n"
                    + "    </location>\n</configuration>");
    MemoryTarget t = Fixture.populate(new MemoryTarget("memory:report"));
    t.configFile(FILE, config.getBytes(StandardCharsets.UTF_8));
    t.configFile(
        "C:\\Program Files\\Update Services\\WebServices\\Root\\web.config",
        "<configuration><system.webServer><security><authentication><anonymousAuthentication enabled=\"false\" />"
            .concat("</authentication></security></system.webServer></configuration>")
            .getBytes(StandardCharsets.UTF_8));
    String policy =
        WsusConfigs.POLICY.replace(
            "    - path: /SimpleAuthWebService",
            "    - path: /\n      anonymousAuthentication: {enabled: true}\n    - path: /SimpleAuthWebService");
    assertFalse(policy.equals(WsusConfigs.POLICY));
    policy =
        policy
            + "  report:\n    sslNotRequired: [/Content, /SelfUpdate]\n"
            + "    applicationPool: {name: WsusPool, identityType: NetworkService, minQueueLength: 2000, privateMemory: 0}\n";
    Plan plan = new Planner(t).plan(Fixture.policy(policy));
    List<String> found =
        plan.findings().stream()
            .map(f -> f.severity() + " " + f.subject() + ": " + f.message())
            .toList();
    assertTrue(
        found.stream()
            .anyMatch(
                f ->
                    f.startsWith(
                        "CONFLICT WSUS Administration/Content: requires SSL (sslFlags=\"Ssl\"")),
        found.toString());
    assertTrue(
        found.stream().noneMatch(f -> f.contains("SelfUpdate: requires SSL")), found.toString());
    assertTrue(
        found.stream()
            .anyMatch(f -> f.startsWith("WARNING pool WsusPool: queueLength 1000 is below 2000")),
        found.toString());
    assertTrue(
        found.stream().noneMatch(f -> f.contains("runs as")), "identity as expected: " + found);
    assertTrue(
        found.stream().anyMatch(f -> f.contains("web.config sets anonymousAuthentication too")),
        found.toString());
    assertFalse(plan.compliant(), "SSL required on Content blocks compliance");
  }

  private static final String SIMPLE_AUTH =
      "C:\\Program Files\\Update Services\\WebServices\\SimpleAuthWebService";

  /**
   * A plan of the report's noAspNetImpersonation against a site whose SimpleAuthWebService has this
   * web.config.
   */
  private static List<String> impersonationFindings(String pipeline, String webConfig) {
    String config =
        WsusConfigs.BROKEN
            .replace(
                "<sites>",
                "<applicationPools>\n            <add name=\"WsusPool\""
                    + pipeline
                    + ">\n"
                    + "                <processModel identityType=\"NetworkService\" />\n            </add>\n"
                    + "        </applicationPools>\n        <sites>")
            .replace(
                "<application path=\"/SimpleAuthWebService\" applicationPool=\"WsusPool\" />",
                "<application path=\"/SimpleAuthWebService\" applicationPool=\"WsusPool\">\n"
                    + "                        <virtualDirectory path=\"/\" physicalPath=\""
                    + SIMPLE_AUTH
                    + "\" />\n"
                    + "                    </application>");
    MemoryTarget t = Fixture.populate(new MemoryTarget("memory:impersonation"));
    t.configFile(FILE, config.getBytes(StandardCharsets.UTF_8));
    t.configFile(SIMPLE_AUTH + "\\web.config", webConfig.getBytes(StandardCharsets.UTF_8));
    Plan plan =
        new Planner(t)
            .plan(
                Fixture.policy(
                    WsusConfigs.POLICY
                        + "  report:\n    noAspNetImpersonation: [/SimpleAuthWebService, /ClientWebService]\n"));
    assertEquals(
        1, plan.changes(IisChange.class).size(), "the authentication change is planned as before");
    return plan.findings().stream()
        .map(f -> f.severity() + " " + f.subject() + ": " + f.message())
        .toList();
  }

  private static final String IMPERSONATING =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<configuration>\r\n"
          + "  <system.web>\r\n    <compilation targetFramework=\"4.0\" />\r\n    <identity impersonate=\"true\" />\r\n"
          + "  </system.web>\r\n</configuration>\r\n";

  @Test
  void impersonationInAWebConfigIs500_24InTheIntegratedPipelineNamedByFileAndLine() {
    List<String> found = impersonationFindings("", IMPERSONATING);
    assertEquals(
        List.of(
            "CONFLICT WSUS Administration/SimpleAuthWebService: ASP.NET impersonation is on (<identity"
                + " impersonate=\"true\"> at "
                + SIMPLE_AUTH
                + "\\web.config:5:5) and pool WsusPool runs the integrated"
                + " pipeline with validateIntegratedModeConfiguration on: IIS answers every request with HTTP 500.24; remove"
                + " that identity element or set impersonate=\"false\" (reported only, not changed) (fixture.yaml:17:5)"),
        found.stream().filter(f -> f.contains("impersonat")).toList());
  }

  @Test
  void impersonationWithValidationOffOrTheClassicPipelineIsAWarning() {
    List<String> off =
        impersonationFindings(
            "",
            IMPERSONATING.replace(
                "</configuration>",
                "<system.webServer><validation validateIntegratedModeConfiguration=\"false\" /></system.webServer>\r\n"
                    + "</configuration>"));
    List<String> warned = off.stream().filter(f -> f.contains("impersonat")).toList();
    assertEquals(1, warned.size(), off.toString());
    assertTrue(
        warned
            .get(0)
            .startsWith(
                "WARNING WSUS Administration/SimpleAuthWebService: ASP.NET impersonation is on"
                    + " (<identity impersonate=\"true\"> at "
                    + SIMPLE_AUTH
                    + "\\web.config:5:5); IIS lets it pass here"
                    + " (validateIntegratedModeConfiguration=\"false\" at "
                    + SIMPLE_AUTH
                    + "\\web.config:7:19)"),
        warned.get(0));
    List<String> classic =
        impersonationFindings(" managedPipelineMode=\"Classic\"", IMPERSONATING).stream()
            .filter(f -> f.contains("impersonat"))
            .toList();
    assertEquals(1, classic.size(), classic.toString());
    assertTrue(
        classic.get(0).contains("(pool WsusPool runs the classic pipeline)"), classic.get(0));
    assertTrue(
        impersonationFindings("", IMPERSONATING.replace("\"true\"", "\"false\"")).stream()
            .noneMatch(f -> f.contains("impersonat")),
        "impersonate=false is what the policy wants");
  }

  @Test
  void aMalformedWebConfigIsNotReadAsImpersonating() {
    assertTrue(
        impersonationFindings("", "<configuration><system.web><identity impersonate=\"true\">")
            .stream()
            .noneMatch(f -> f.contains("impersonat")));
  }

  @Test
  void iis6MetabaseIsReportedNotWritten() {
    String metabase =
        """
        <?xml version="1.0"?>
        <configuration xmlns="urn:microsoft-catalog:XML_Metabase_V64_0">
        <MBProperty>
        <IIsWebService Location="/LM/W3SVC" AuthFlags="AuthAnonymous | AuthNTLM" AnonymousUserName="IUSR_WSUS01" />
        <IIsWebServer Location="/LM/W3SVC/1" ServerComment="Default Web Site" />
        <IIsWebVirtualDir Location="/LM/W3SVC/1/ROOT" AuthFlags="AuthAnonymous" />
        <IIsWebVirtualDir Location="/LM/W3SVC/1/ROOT/ClientWebService" AuthFlags="AuthNTLM" />
        <IIsWebVirtualDir Location="/LM/W3SVC/1/ROOT/SimpleAuthWebService" />
        <IIsWebVirtualDir Location="/LM/W3SVC/1/ROOT/ApiRemoting30" AuthFlags="4" />
        </MBProperty>
        </configuration>
        """;
    MemoryTarget t = Fixture.populate(new MemoryTarget("memory:iis6"));
    t.configFile(
        "C:\\Windows\\System32\\inetsrv\\MetaBase.xml", metabase.getBytes(StandardCharsets.UTF_8));
    Plan plan =
        new Planner(t)
            .plan(
                Fixture.policy(
                    WsusConfigs.POLICY.replace("WSUS Administration", "Default Web Site")));
    assertTrue(plan.changes(IisChange.class).isEmpty(), "IIS 6 is never written");
    List<String> found =
        plan.findings().stream()
            .map(f -> f.severity() + " " + f.subject() + ": " + f.message())
            .toList();
    assertTrue(
        found.stream()
            .anyMatch(
                f ->
                    f.startsWith(
                        "CONFLICT Default Web Site/ClientWebService:"
                            + " anonymousAuthentication.enabled is false, must be true")),
        found.toString());
    assertTrue(
        found.stream()
            .anyMatch(
                f ->
                    f.startsWith(
                        "CONFLICT Default Web Site/ClientWebService:"
                            + " anonymousAuthentication.userName is IUSR_WSUS01, must be ")),
        "inherited from /LM/W3SVC: " + found);
    assertTrue(
        found.stream()
            .noneMatch(f -> f.contains("SimpleAuthWebService: anonymousAuthentication.enabled")),
        "inherits AuthAnonymous from ROOT: " + found);
    assertTrue(
        found.stream().noneMatch(f -> f.contains("ApiRemoting30")),
        "AuthFlags=4 is NTLM only: " + found);
    assertFalse(plan.nothingChecked());
  }
}
