package org.wsusfix.diagnose.iisconfig;

/** applicationHost.config and MetaBase.xml text shaped like a WSUS server's. */
public final class IisConfigFixtures {
  private IisConfigFixtures() {}

  /**
   * A Server 2019 WSUS server: WsusPool with the given processModel attributes, IUSR server-wide,
   * and an override for ClientWebService when {@code clientAnonymous} is not null.
   */
  public static String applicationHost(String processModel, String clientAnonymous) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
        + "<configuration>\r\n"
        + "  <system.applicationHost>\r\n"
        + "    <applicationPools>\r\n"
        + "      <add name=\"DefaultAppPool\" />\r\n"
        + "      <add name=\"WsusPool\" managedRuntimeVersion=\"v4.0\" queueLength=\"2000\">\r\n"
        + (processModel == null ? "" : "        <processModel " + processModel + " />\r\n")
        + "        <recycling><periodicRestart privateMemory=\"1843200\" /></recycling>\r\n"
        + "      </add>\r\n"
        + "      <applicationPoolDefaults managedRuntimeVersion=\"v4.0\">\r\n"
        + "        <processModel identityType=\"ApplicationPoolIdentity\" loadUserProfile=\"true\" />\r\n"
        + "      </applicationPoolDefaults>\r\n"
        + "    </applicationPools>\r\n"
        + "    <sites>\r\n"
        + "      <site name=\"Default Web Site\" id=\"1\">\r\n"
        + "        <application path=\"/\">\r\n"
        + "          <virtualDirectory path=\"/\" physicalPath=\"%SystemDrive%\\inetpub\\wwwroot\" />\r\n"
        + "        </application>\r\n"
        + "      </site>\r\n"
        + "      <site name=\"WSUS Administration\" id=\"1197933354\">\r\n"
        + "        <application path=\"/\" applicationPool=\"WsusPool\">\r\n"
        + "          <virtualDirectory path=\"/\" physicalPath=\"C:\\Program Files\\Update Services\\WebServices\\Root\" />\r\n"
        + "          <virtualDirectory path=\"/Content\" physicalPath=\"D:\\WSUS\\WsusContent\" />\r\n"
        + "        </application>\r\n"
        + "        <application path=\"/ClientWebService\" applicationPool=\"WsusPool\">\r\n"
        + "          <virtualDirectory path=\"/\" physicalPath=\"C:\\Program Files\\Update Services\\WebServices\\ClientWebService\" />\r\n"
        + "        </application>\r\n"
        + "        <application path=\"/SimpleAuthWebService\" applicationPool=\"WsusPool\">\r\n"
        + "          <virtualDirectory path=\"/\" physicalPath=\"C:\\Program Files\\Update Services\\WebServices\\SimpleAuthWebService\" />\r\n"
        + "        </application>\r\n"
        + "        <bindings><binding protocol=\"http\" bindingInformation=\"*:8530:\" /></bindings>\r\n"
        + "      </site>\r\n"
        + "      <applicationDefaults applicationPool=\"DefaultAppPool\" />\r\n"
        + "    </sites>\r\n"
        + "  </system.applicationHost>\r\n"
        + "  <system.webServer>\r\n"
        + "    <security>\r\n"
        + "      <authentication>\r\n"
        + "        <anonymousAuthentication enabled=\"true\" userName=\"IUSR\" />\r\n"
        + "      </authentication>\r\n"
        + "    </security>\r\n"
        + "  </system.webServer>\r\n"
        + (clientAnonymous == null
            ? ""
            : "  <location path=\"WSUS Administration/ClientWebService\">\r\n"
                + "    <system.webServer><security><authentication>\r\n"
                + "      <anonymousAuthentication enabled=\"true\" userName=\""
                + clientAnonymous
                + "\" />\r\n"
                + "    </authentication></security></system.webServer>\r\n"
                + "  </location>\r\n")
        + "</configuration>\r\n";
  }

  /** An IIS 6 metabase of WSUS 3.0 on the Default Web Site of WSUS01. */
  public static String metabase(String poolAttributes) {
    return "<?xml version =\"1.0\"?>\r\n"
        + "<configuration xmlns=\"urn:microsoft-catalog:XML_Metabase_V64_0\">\r\n"
        + "<MBProperty>\r\n"
        + "<IIsWebService\tLocation =\"/LM/W3SVC\"\r\n"
        + "\t\tAnonymousUserName=\"IUSR_WSUS01\"\r\n"
        + "\t\tAppPoolId=\"DefaultAppPool\"\r\n"
        + "\t>\r\n"
        + "</IIsWebService>\r\n"
        + "<IIsApplicationPools\tLocation =\"/LM/W3SVC/AppPools\"\r\n"
        + "\t\tAppPoolIdentityType=\"2\"\r\n"
        + "\t>\r\n"
        + "</IIsApplicationPools>\r\n"
        + "<IIsApplicationPool\tLocation =\"/LM/W3SVC/AppPools/WsusPool\"\r\n"
        + "\t\t"
        + poolAttributes
        + "\r\n"
        + "\t>\r\n"
        + "</IIsApplicationPool>\r\n"
        + "<IIsWebServer\tLocation =\"/LM/W3SVC/1\"\r\n"
        + "\t\tServerComment=\"Default Web Site\"\r\n"
        + "\t>\r\n"
        + "</IIsWebServer>\r\n"
        + "<IIsWebVirtualDir\tLocation =\"/LM/W3SVC/1/ROOT\"\r\n"
        + "\t\tPath=\"c:\\inetpub\\wwwroot\"\r\n"
        + "\t>\r\n"
        + "</IIsWebVirtualDir>\r\n"
        + "<IIsWebVirtualDir\tLocation =\"/LM/W3SVC/1/ROOT/ClientWebService\"\r\n"
        + "\t\tAppPoolId=\"WsusPool\"\r\n"
        + "\t\tPath=\"C:\\Program Files\\Update Services\\WebServices\\ClientWebService\"\r\n"
        + "\t>\r\n"
        + "</IIsWebVirtualDir>\r\n"
        + "<IIsWebVirtualDir\tLocation =\"/LM/W3SVC/1/ROOT/Content\"\r\n"
        + "\t\tPath=\"D:\\WSUS\\WsusContent\"\r\n"
        + "\t>\r\n"
        + "</IIsWebVirtualDir>\r\n"
        + "</MBProperty>\r\n"
        + "</configuration>\r\n";
  }
}
