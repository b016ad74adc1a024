package org.wsusfix.policy;

import java.util.List;
import java.util.Map;

/**
 * The policy's {@code iis} section: the authentication each application of one IIS site must have.
 * Example:
 *
 * <pre>
 * iis:
 *   site: WSUS Administration
 *   applications:
 *     - path: /ClientWebService
 *       anonymousAuthentication: {enabled: true, userName: ''}
 *       windowsAuthentication: {enabled: false}
 *   report:
 *     sslNotRequired: [/Content, /Inventory]
 *     noAspNetImpersonation: [/ClientWebService]
 *     applicationPool: {name: WsusPool, identityType: NetworkService, minQueueLength: 2000, privateMemory: 0}
 * </pre>
 */
public record IisSite(
    String site, List<Application> applications, Report report, SourceLocation at) {
  public IisSite {
    applications = List.copyOf(applications);
  }

  /**
   * What is checked and shown but never changed by apply ({@code report}).
   *
   * @param sslNotRequired applications that must not require SSL (clients fetch content over HTTP)
   * @param noAspNetImpersonation applications where ASP.NET impersonation must be off ({@code
   *     <system.web><identity impersonate="true"/>}, in applicationHost.config or a web.config): in
   *     the integrated pipeline IIS answers it with HTTP 500.24
   * @param pool what the application pool must look like; null for no check
   */
  public record Report(
      List<String> sslNotRequired,
      List<String> noAspNetImpersonation,
      Pool pool,
      SourceLocation at) {
    public Report {
      sslNotRequired = List.copyOf(sslNotRequired);
      noAspNetImpersonation = List.copyOf(noAspNetImpersonation);
    }
  }

  /**
   * @param identityType null for any
   * @param minQueueLength null for any
   * @param privateMemory the private-memory recycling limit in KB (0: none); null for any
   */
  public record Pool(
      String name,
      String identityType,
      Long minQueueLength,
      Long privateMemory,
      SourceLocation at) {}

  /**
   * @param path the application's URL path, {@code /ClientWebService}
   * @param settings wanted values by setting name ({@code anonymousAuthentication.enabled} ...), as
   *     IIS writes them ({@code true}, {@code false}, an account name)
   */
  public record Application(String path, Map<String, String> settings, SourceLocation at) {
    public Application {
      settings = Map.copyOf(settings);
    }
  }
}
