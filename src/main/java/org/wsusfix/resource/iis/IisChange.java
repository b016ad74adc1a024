package org.wsusfix.resource.iis;

import java.util.List;
import org.wsusfix.resource.Change;

/**
 * New values for settings of one applicationHost.config, written in one replacement of the file.
 *
 * @param file the configuration file, a Windows path on the target
 * @param beforeSha256 SHA-256 of the file as planned from: apply refuses when it changed (drift)
 */
public record IisChange(
    String file, String beforeSha256, String site, List<Setting> settings, List<String> reasons)
    implements Change {
  public IisChange {
    settings = List.copyOf(settings);
    reasons = List.copyOf(reasons);
  }

  @Override
  public String kind() {
    return "iis-config";
  }

  /**
   * One setting of one application.
   *
   * @param application the URL path, {@code /ClientWebService}
   * @param name {@code anonymousAuthentication.enabled} ...
   * @param before the effective value now (the schema default when nothing sets it)
   */
  public record Setting(String application, String name, String before, String after) {}
}
