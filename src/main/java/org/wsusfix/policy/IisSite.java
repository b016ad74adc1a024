package org.wsusfix.policy;

import java.util.List;
import java.util.Map;

/**
 * The policy's {@code iis} section: the authentication each application of one IIS site must
 * have. Example:
 *
 * <pre>
 * iis:
 *   site: WSUS Administration
 *   applications:
 *     - path: /ClientWebService
 *       anonymousAuthentication: {enabled: true, userName: ''}
 *       windowsAuthentication: {enabled: false}
 * </pre>
 */
public record IisSite(String site, List<Application> applications, SourceLocation at) {
  public IisSite {
    applications = List.copyOf(applications);
  }

  /**
   * @param path the application's URL path, {@code /ClientWebService}
   * @param settings wanted values by setting name ({@code anonymousAuthentication.enabled} ...),
   *     as IIS writes them ({@code true}, {@code false}, an account name)
   */
  public record Application(String path, Map<String, String> settings, SourceLocation at) {
    public Application {
      settings = Map.copyOf(settings);
    }
  }
}
