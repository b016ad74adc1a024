package org.wsusfix.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.wsusfix.security.AccessMask;
import org.wsusfix.security.AceFlags;
import org.wsusfix.security.InheritFlags;
import org.wsusfix.security.Rights;
import org.wsusfix.security.Sid;
import org.wsusfix.security.WellKnownSids;

class ShippedPolicyTest {
  private static final Path DIR = Path.of("policies");
  private static final int OI_CI = AceFlags.OBJECT_INHERIT | AceFlags.CONTAINER_INHERIT;

  static List<String> shipped() {
    return PolicyLoader.BUILTIN;
  }

  @Test
  void builtinListNamesEveryFileInPoliciesFolder() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      List<String> names =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".yaml"))
              .map(n -> n.substring(0, n.length() - 5))
              .sorted()
              .toList();
      assertEquals(names, PolicyLoader.BUILTIN.stream().sorted().toList());
    }
  }

  @ParameterizedTest
  @MethodSource("shipped")
  void loadsFromFileAndFromJarAlike(String name) throws Exception {
    Path file = DIR.resolve(name + ".yaml");
    Policy fromFile = PolicyLoader.load(file);
    Policy builtin = PolicyLoader.loadBuiltin(name);
    byte[] bytes = Files.readAllBytes(file);
    assertArrayEquals(bytes, PolicyLoader.builtinBytes(name));
    assertEquals(
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
        fromFile.digest());
    assertEquals(fromFile.digest(), builtin.digest());
    assertEquals(name, fromFile.name());
    assertEquals("builtin:" + name, builtin.source());
    assertEquals(file.toString(), fromFile.source());
    assertFalse(fromFile.rules().isEmpty());
    assertFalse(fromFile.expect().isEmpty());
    assertNotNull(fromFile.description());
  }

  @ParameterizedTest
  @MethodSource("shipped")
  void usersMayReadTheFrameworkAndDenyEntriesAreRemoved(String name) {
    Policy p = PolicyLoader.loadBuiltin(name);
    Rule net = rule(p, "%windir%\\Microsoft.NET");
    assertTrue(
        net.grants().stream()
            .anyMatch(
                g ->
                    sid(g.trustee()).equals(Optional.of(WellKnownSids.USERS))
                        && AccessMask.covers(g.rights().mask(), AccessMask.READ_AND_EXECUTE)
                        && g.inheritance().bits() == OI_CI));
    assertNotNull(net.forbidDeny());
    assertTrue(net.forbidDeny().remove(), "removing deny entries is the fix");
    assertTrue(
        net.forbidDeny().trustees().stream()
            .anyMatch(t -> sid(t).equals(Optional.of(WellKnownSids.EVERYONE))));
    assertTrue(net.propagate());
    // Every shipped policy is additive: no write access for the broad groups (safety rule 6).
    for (Rule r : p.rules()) {
      for (Grant g : r.grants()) {
        Optional<Sid> s = sid(g.trustee());
        if (s.isPresent()
            && List.of(
                    WellKnownSids.EVERYONE,
                    WellKnownSids.USERS,
                    WellKnownSids.AUTHENTICATED_USERS,
                    WellKnownSids.ANONYMOUS,
                    WellKnownSids.GUESTS)
                .contains(s.get())) {
          assertEquals(
              0,
              g.rights().mask()
                  & (AccessMask.FILE_WRITE_DATA
                      | AccessMask.FILE_APPEND_DATA
                      | AccessMask.DELETE
                      | AccessMask.WRITE_DAC),
              r.path() + " grants write to " + g.trustee());
        }
      }
    }
  }

  @Test
  void iis6MakesTheAnonymousAccountAMemberOfUsers() {
    Policy p = PolicyLoader.loadBuiltin("wsus-iis6");
    Membership m = p.memberships().get(0);
    assertEquals(Optional.of(WellKnownSids.USERS), sid(m.group()));
    assertEquals(List.of("IUSR_%COMPUTERNAME%"), m.members().stream().map(Trustee::text).toList());
    assertEquals(Trustee.Kind.NAME, m.members().get(0).kind());
    assertEquals(Membership.Mode.ENSURE, m.mode());
    assertEquals(Rights.of(AccessMask.MODIFY), rule(p, "%windir%\\Temp").grants().get(0).rights());
    assertEquals(
        Optional.of(WellKnownSids.NETWORK_SERVICE),
        sid(rule(p, "%windir%\\Temp").grants().get(0).trustee()));
    Expectation e = p.expect().get(0);
    assertEquals("IUSR_%COMPUTERNAME%", e.identity().text());
    assertEquals("%windir%\\Microsoft.NET\\Framework", e.path());
    assertEquals(Expectation.LogonKind.NETWORK, e.logon());
    assertEquals(Rights.of(AccessMask.READ_AND_EXECUTE), e.access());
  }

  @Test
  void iis7CarriesTheDocumentedWebServiceEntries() {
    Policy p = PolicyLoader.loadBuiltin("wsus-iis7");
    for (String ws :
        List.of(
            "ApiRemoting30",
            "ClientWebService",
            "DssAuthWebService",
            "ReportingWebService",
            "ServerSyncWebService",
            "SimpleAuthWebService")) {
      Rule r = rule(p, "%ProgramFiles%\\Update Services\\WebServices\\" + ws);
      assertEquals(
          List.of(
              WellKnownSids.NETWORK_SERVICE,
              WellKnownSids.USERS,
              WellKnownSids.AUTHENTICATED_USERS,
              WellKnownSids.ADMINISTRATORS,
              WellKnownSids.LOCAL_SYSTEM),
          r.grants().stream().map(g -> sid(g.trustee()).orElseThrow()).toList());
      assertEquals(
          List.of(
              AccessMask.READ,
              AccessMask.READ,
              AccessMask.READ,
              AccessMask.FULL_CONTROL,
              AccessMask.FULL_CONTROL),
          r.grants().stream().map(g -> g.rights().mask()).toList());
      assertTrue(r.grants().stream().allMatch(g -> g.inheritance().bits() == OI_CI));
    }
    assertTrue(
        p.expect().stream()
            .anyMatch(e -> sid(e.identity()).equals(Optional.of(WellKnownSids.IUSR))));
  }

  @Test
  void server2012NamesThePoolIdentity() {
    Policy p = PolicyLoader.loadBuiltin("wsus-2012");
    Rule temp =
        rule(p, "%windir%\\Microsoft.NET\\Framework64\\v4.0.30319\\Temporary ASP.NET Files");
    assertTrue(
        temp.grants().stream()
            .anyMatch(
                g ->
                    g.trustee().text().equals("IIS APPPOOL\\WsusPool")
                        && g.trustee().kind() == Trustee.Kind.NAME));
    Rule x86 = rule(p, "%windir%\\Microsoft.NET\\Framework");
    assertEquals(Trustee.Kind.ALIAS, x86.grants().get(0).trustee().kind());
    assertEquals(Rights.of(AccessMask.READ_AND_EXECUTE), x86.grants().get(0).rights());
    assertEquals(InheritFlags.of(OI_CI), x86.grants().get(0).inheritance());
  }

  /** Microsoft's "Permissions on WSUS Directories and Registry Keys" and the IIS 7+ user rights. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"wsus-iis7", "wsus-2012"})
  void iis7AndLaterCarryTheWsusKeysAndIisRights(String name) {
    Policy p = PolicyLoader.loadBuiltin(name);
    RegistryRule server = p.registry().get(0);
    assertEquals("HKLM\\SOFTWARE\\Microsoft\\Update Services\\Server", server.key());
    assertEquals(Rights.of(AccessMask.KEY_READ), server.grants().get(0).rights());
    assertEquals(Optional.of(WellKnownSids.USERS), sid(server.grants().get(0).trustee()));
    RegistryRule setup = p.registry().get(1);
    assertEquals(server.key() + "\\Setup", setup.key());
    assertEquals(4, setup.grants().size());
    assertTrue(
        setup.grants().stream().allMatch(g -> g.rights().mask() == AccessMask.KEY_ALL_ACCESS));
    assertTrue(
        setup.grants().stream()
            .allMatch(
                g -> g.inheritance().bits() == org.wsusfix.security.AceFlags.CONTAINER_INHERIT));
    assertEquals(
        java.util.List.of("SeImpersonatePrivilege", "SeBatchLogonRight", "SeDenyNetworkLogonRight"),
        p.userRights().stream().map(UserRight::right).toList());
    assertEquals("IUSR", p.userRights().get(2).forbid().get(0).text());
  }

  /**
   * The same WSUS directories everywhere: anonymous on the client-facing ones, Windows on
   * ApiRemoting30.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"wsus-iis6", "wsus-iis7", "wsus-2012"})
  void everyGenerationCarriesTheDocumentedAuthentication(String name) {
    Policy p = PolicyLoader.loadBuiltin(name);
    java.util.Map<String, java.util.Map<String, String>> apps = new java.util.LinkedHashMap<>();
    p.iis().applications().forEach(a -> apps.put(a.path(), a.settings()));
    assertEquals(
        List.of(
            "/ClientWebService",
            "/SimpleAuthWebService",
            "/DssAuthWebService",
            "/ServerSyncWebService",
            "/ReportingWebService",
            "/Inventory",
            "/Content",
            "/SelfUpdate",
            "/ApiRemoting30"),
        List.copyOf(apps.keySet()));
    apps.forEach(
        (path, settings) ->
            assertEquals(
                path.equals("/ApiRemoting30")
                    ? java.util.Map.of(
                        "anonymousAuthentication.enabled",
                        "false",
                        "windowsAuthentication.enabled",
                        "true")
                    : java.util.Map.of("anonymousAuthentication.enabled", "true"),
                settings,
                path));
    assertEquals(
        name.equals("wsus-iis6") ? "Default Web Site" : "WSUS Administration", p.iis().site());
    if (!name.equals("wsus-iis6")) {
      assertEquals(
          List.of(
              "/ClientWebService",
              "/SimpleAuthWebService",
              "/DssAuthWebService",
              "/ServerSyncWebService",
              "/ReportingWebService",
              "/ApiRemoting30"),
          p.iis().report().noAspNetImpersonation());
    }
  }

  private static Rule rule(Policy p, String path) {
    return p.rules().stream()
        .filter(r -> r.path().equals(path))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no rule for " + path + " in " + p.name()));
  }

  private static Optional<Sid> sid(Trustee t) {
    return PolicySyntax.wellKnownSid(t);
  }
}
