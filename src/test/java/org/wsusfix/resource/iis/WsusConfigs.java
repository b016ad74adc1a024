package org.wsusfix.resource.iis;

/**
 * applicationHost.config files in the shape IIS writes them for a WSUS server (WSUS 3.0 SP2 on IIS
 * 7.5 and WSUS on Windows Server 2012+ put the same applications in the site "WSUS
 * Administration"), written here for the tests.
 */
final class WsusConfigs {
  private WsusConfigs() {}

  static final String SITE = "WSUS Administration";

  /**
   * Anonymous authentication turned off on ClientWebService by a later location block: the 401.2
   * fault.
   */
  static final String BROKEN =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <!-- IIS configuration of a WSUS server -->
      <configuration>
          <system.applicationHost>
              <sites>
                  <site name="Default Web Site" id="1">
                      <application path="/" applicationPool="DefaultAppPool" />
                  </site>
                  <site name="WSUS Administration" id="1197933354">
                      <application path="/" applicationPool="WsusPool">
                          <virtualDirectory path="/" physicalPath="C:\\Program Files\\Update Services\\WebServices\\Root" />
                      </application>
                      <application path="/ClientWebService" applicationPool="WsusPool" />
                      <application path="/SimpleAuthWebService" applicationPool="WsusPool" />
                      <application path="/ApiRemoting30" applicationPool="WsusPool" />
                  </site>
              </sites>
          </system.applicationHost>
          <system.webServer>
              <security>
                  <authentication>
                      <anonymousAuthentication enabled="true" userName="IUSR" />
                      <windowsAuthentication enabled="false" />
                  </authentication>
              </security>
          </system.webServer>
          <location path="WSUS Administration">
              <system.webServer>
                  <security>
                      <authentication>
                          <anonymousAuthentication enabled="true" />
                      </authentication>
                  </security>
              </system.webServer>
          </location>
          <location path="WSUS Administration/ClientWebService">
              <system.webServer>
                  <security>
                      <authentication>
                          <anonymousAuthentication enabled="true" userName="" />
                      </authentication>
                  </security>
              </system.webServer>
          </location>
          <location path="WSUS Administration/ApiRemoting30">
              <system.webServer>
                  <security>
                      <authentication>
                          <anonymousAuthentication enabled="false" />
                          <windowsAuthentication enabled="true" />
                      </authentication>
                  </security>
              </system.webServer>
          </location>
          <!-- added by another product installed on the same site -->
          <location path="WSUS Administration/ClientWebService">
              <system.webServer>
                  <security>
                      <authentication>
                          <anonymousAuthentication enabled="false" />
                      </authentication>
                  </security>
              </system.webServer>
          </location>
      </configuration>
      """;

  static final String POLICY =
      """
      apiVersion: wsusfix/v1
      kind: Policy
      metadata:
        name: iis
      iis:
        site: WSUS Administration
        applications:
          - path: /ClientWebService
            anonymousAuthentication: {enabled: true, userName: ''}
            windowsAuthentication: {enabled: false}
          - path: /SimpleAuthWebService
            anonymousAuthentication: {enabled: true}
          - path: /ApiRemoting30
            anonymousAuthentication: {enabled: false}
            windowsAuthentication: {enabled: true}
      """;
}
