package org.wsusfix.diagnose.iisconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wsusfix.diagnose.iisconfig.IisConfig.Application;
import org.wsusfix.diagnose.iisconfig.IisConfig.Role;
import org.wsusfix.diagnose.iislog.IisEndpoint;
import org.wsusfix.diagnose.input.InputFormatException;

class IisConfigReaderTest {
  @TempDir Path dir;

  private IisConfig read(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return IisConfigReader.read(p);
  }

  @Test
  void virtualAccountSidFollowsFromThePoolName() {
    // the well-known SID of IIS APPPOOL\DefaultAppPool
    assertEquals(
        "S-1-5-82-3006700770-424185619-1745488364-794895919-4004696415",
        IisConfig.appPoolSid("DefaultAppPool"));
    assertEquals(IisConfig.appPoolSid("wsuspool"), IisConfig.appPoolSid("WsusPool"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "identityType=\"ApplicationPoolIdentity\"|IIS APPPOOL\\WsusPool|POOLSID",
        "identityType=\"NetworkService\"|NT AUTHORITY\\NETWORK SERVICE|S-1-5-20",
        "identityType=\"LocalSystem\"|NT AUTHORITY\\SYSTEM|S-1-5-18",
        "identityType=\"LocalService\"|NT AUTHORITY\\LOCAL SERVICE|S-1-5-19",
        "identityType=\"SpecificUser\" userName=\"CONTOSO\\svc-wsus\" password=\"[enc:x]\"|CONTOSO\\svc-wsus|",
        // no processModel on the pool: applicationPoolDefaults decides
        "|IIS APPPOOL\\WsusPool|POOLSID"
      })
  void eachPoolIdentityType(String processModel, String account, String sid) throws Exception {
    IisConfig c =
        read("applicationHost.config", IisConfigFixtures.applicationHost(processModel, null));
    assertEquals(7, c.iisVersion());
    Application client = c.forEndpoint(IisEndpoint.CLIENT).orElseThrow();
    assertEquals("WSUS Administration", client.site());
    assertEquals("/ClientWebService", client.path());
    assertEquals("WsusPool", client.pool());
    assertEquals(
        "C:\\Program Files\\Update Services\\WebServices\\ClientWebService", client.physicalPath());
    assertEquals(account, client.poolIdentity().account());
    assertEquals(
        "POOLSID".equals(sid) ? IisConfig.appPoolSid("WsusPool") : sid,
        client.poolIdentity().sid());
    assertEquals(Role.POOL, client.poolIdentity().role());
    assertTrue(
        client.poolIdentity().source().startsWith("applicationHost.config:"),
        client.poolIdentity().source());
    assertEquals("NT AUTHORITY\\IUSR", client.anonymous().account());
    assertEquals("S-1-5-17", client.anonymous().sid());
    assertEquals(
        "applicationHost.config:"
            + (processModel == null ? 38 : 39)
            + " server-wide anonymousAuthentication userName=\"IUSR\"",
        client.anonymous().source());
  }

  @Test
  void locationOverrideWithEmptyUserNameMeansThePoolIdentity() throws Exception {
    IisConfig c =
        read(
            "applicationHost.config",
            IisConfigFixtures.applicationHost("identityType=\"ApplicationPoolIdentity\"", ""));
    Application client = c.forEndpoint(IisEndpoint.CLIENT).orElseThrow();
    assertEquals("IIS APPPOOL\\WsusPool", client.anonymous().account());
    assertEquals(Role.ANONYMOUS, client.anonymous().role());
    assertEquals(
        "applicationHost.config:45 <location path=\"WSUS Administration/ClientWebService\">"
            + " anonymousAuthentication userName=\"\": anonymous requests run as the pool identity",
        client.anonymous().source());
    // the override applies to ClientWebService only
    assertEquals(
        "NT AUTHORITY\\IUSR",
        c.forEndpoint(IisEndpoint.SIMPLE_AUTH).orElseThrow().anonymous().account());
    Application content = c.forEndpoint(IisEndpoint.CONTENT).orElseThrow();
    assertEquals("D:\\WSUS\\WsusContent", content.physicalPath());
    assertEquals("WsusPool", content.pool(), "a virtual directory runs in its application's pool");
    assertEquals(3, c.applications().size());
  }

  @Test
  void namedAnonymousAccount() throws Exception {
    IisConfig c =
        read(
            "applicationHost.config",
            IisConfigFixtures.applicationHost(
                "identityType=\"NetworkService\"", "WSUS01\\wsus-anon"));
    assertEquals(
        "WSUS01\\wsus-anon", c.forEndpoint(IisEndpoint.CLIENT).orElseThrow().anonymous().account());
    assertNull(c.forEndpoint(IisEndpoint.CLIENT).orElseThrow().anonymous().sid());
    assertEquals(3, c.identities().size(), "IUSR, wsus-anon, NETWORK SERVICE: " + c.identities());
  }

  @Test
  void iis6MetabaseNetworkServiceByInheritance() throws Exception {
    IisConfig c = read("MetaBase.xml", IisConfigFixtures.metabase("AppPoolQueueLength=\"4000\""));
    assertEquals(6, c.iisVersion());
    assertEquals("WSUS01", c.computerName());
    Application client = c.forEndpoint(IisEndpoint.CLIENT).orElseThrow();
    assertEquals("Default Web Site", client.site());
    assertEquals("IUSR_WSUS01", client.anonymous().account());
    assertEquals("MetaBase.xml:5 AnonymousUserName=\"IUSR_WSUS01\"", client.anonymous().source());
    assertEquals("NT AUTHORITY\\NETWORK SERVICE", client.poolIdentity().account());
    assertEquals("WsusPool", client.pool());
    assertEquals("DefaultAppPool", c.forEndpoint(IisEndpoint.CONTENT).orElseThrow().pool());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "AppPoolIdentityType=\"0\"|NT AUTHORITY\\SYSTEM",
        "AppPoolIdentityType=\"1\"|NT AUTHORITY\\LOCAL SERVICE",
        "AppPoolIdentityType=\"2\"|NT AUTHORITY\\NETWORK SERVICE",
        "AppPoolIdentityType=\"3\" WAMUserName=\"WSUS01\\IWAM_WSUS01\"|WSUS01\\IWAM_WSUS01"
      })
  void iis6PoolIdentityTypes(String attrs, String account) throws Exception {
    IisConfig c = read("MetaBase.xml", IisConfigFixtures.metabase(attrs));
    assertEquals(account, c.forEndpoint(IisEndpoint.CLIENT).orElseThrow().poolIdentity().account());
  }

  @Test
  void badFilesAreOneLineWithFileLineAndColumn() throws Exception {
    String good = IisConfigFixtures.applicationHost("identityType=\"NetworkService\"", null);
    Path cut = dir.resolve("cut.config");
    Files.writeString(cut, good.substring(0, good.indexOf("<system.webServer>") + 12));
    InputFormatException e =
        assertThrows(InputFormatException.class, () -> IisConfigReader.read(cut));
    assertTrue(
        e.getMessage().matches(java.util.regex.Pattern.quote(cut.toString()) + ":36:\\d+: .+"),
        e.getMessage());

    Path secret = dir.resolve("secret.txt");
    Files.writeString(secret, "password");
    String xxe =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE configuration [<!ENTITY x SYSTEM \""
            + secret.toUri()
            + "\">]>\n<configuration><system.webServer><security><authentication>"
            + "<anonymousAuthentication userName=\"&x;\"/></authentication></security></system.webServer>"
            + "</configuration>\n";
    Path evil = dir.resolve("evil.config");
    Files.writeString(evil, xxe);
    e = assertThrows(InputFormatException.class, () -> IisConfigReader.read(evil));
    assertTrue(e.getMessage().startsWith(evil + ":2:"), e.getMessage());
    assertTrue(
        e.getMessage()
            .endsWith("DOCTYPE declarations are not accepted in IIS configuration files"));

    e =
        assertThrows(
            InputFormatException.class,
            () -> read("web.xml", "<?xml version=\"1.0\"?>\n<web-app/>\n"));
    assertTrue(
        e.getMessage()
            .endsWith(
                "web.xml:2: not an IIS configuration file: the root element is"
                    + " <web-app>, expected <configuration>"),
        e.getMessage());

    e =
        assertThrows(
            InputFormatException.class,
            () ->
                read(
                    "unknown.config",
                    IisConfigFixtures.applicationHost("identityType=\"Robot\"", null)));
    assertTrue(
        e.getMessage()
            .endsWith(
                "unknown.config:7: application pool WsusPool: unknown identityType" + " 'Robot'"),
        e.getMessage());

    e =
        assertThrows(
            InputFormatException.class,
            () ->
                read(
                    "nouser.config",
                    IisConfigFixtures.applicationHost("identityType=\"SpecificUser\"", null)));
    assertTrue(
        e.getMessage()
            .endsWith(
                "nouser.config:7: application pool WsusPool has identityType"
                    + " SpecificUser but no userName"),
        e.getMessage());

    e =
        assertThrows(
            InputFormatException.class,
            () -> read("MetaBase.xml", IisConfigFixtures.metabase("AppPoolIdentityType=\"3\"")));
    assertTrue(
        e.getMessage()
            .endsWith(
                "MetaBase.xml:14: application pool WsusPool has AppPoolIdentityType 3"
                    + " but no WAMUserName"),
        e.getMessage());
  }
}
