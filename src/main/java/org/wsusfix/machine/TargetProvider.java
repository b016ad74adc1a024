package org.wsusfix.machine;

import java.util.Map;

/**
 * Opens one scheme of target ({@code smb://...}, {@code snapshot:...}, {@code local}). Providers
 * are found with {@link java.util.ServiceLoader} from {@code META-INF/services}, so the core names
 * no target package and a build without one simply lacks that scheme.
 */
public interface TargetProvider {
  /** The scheme this provider opens, as written before {@code :} in a target string. */
  String scheme();

  /**
   * @param spec the whole target string without its {@code ?query}
   * @param query the decoded query options, lower-case keys
   * @param vars policy variables given with {@code --var}, lower-case keys
   */
  Target open(String spec, Map<String, String> query, Map<String, String> vars);
}
