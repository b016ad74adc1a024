package org.wsusfix.resource.folder;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.wsusfix.machine.RegistryAccess;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.TargetException;
import org.wsusfix.policy.InvalidValue;
import org.wsusfix.policy.PolicySyntax;
import org.wsusfix.security.SafeText;

/**
 * Where this WSUS server keeps its update files: the folder named by {@code ContentDir} under
 * {@code ...\Server\Setup}, which setup writes and the web services read, holds {@code
 * WSUSContent}. It differs per server, so policies name it {@code %WsusContentDir%} (and its drive
 * {@code %WsusContentDrive%}) and it is looked up on the target when a rule needs it.
 */
final class ContentLocation {
  static final String SETUP_KEY = "HKLM\\SOFTWARE\\Microsoft\\Update Services\\Server\\Setup";
  static final String VALUE = "ContentDir";
  static final String DIR = "wsuscontentdir";
  static final String DRIVE = "wsuscontentdrive";

  /** The variables' values, or why there are none on this target. */
  private final Map<String, String> values;

  private final String unavailable;

  private ContentLocation(Map<String, String> values, String unavailable) {
    this.values = values;
    this.unavailable = unavailable;
  }

  /** Whether {@code path} (as written in the policy) uses one of these variables. */
  static boolean usedBy(String path) {
    String p = path.toLowerCase(Locale.ROOT);
    return p.contains("%" + DIR + "%") || p.contains("%" + DRIVE + "%");
  }

  static ContentLocation lookup(Target target) {
    Optional<RegistryAccess> registry = target.registry();
    if (registry.isEmpty()) {
      return none("the registry cannot be read on " + target.describe());
    }
    String raw;
    try {
      raw = registry.get().stringValue(SETUP_KEY, VALUE).orElse(null);
    } catch (TargetException e) {
      return none(SETUP_KEY + "\\" + VALUE + " cannot be read: " + e.getMessage());
    }
    if (raw == null) {
      return none(
          SETUP_KEY
              + "\\"
              + VALUE
              + " does not exist on "
              + target.describe()
              + " (is WSUS installed, with its content stored locally?)");
    }
    String dir;
    try {
      dir = PolicySyntax.path(raw.strip());
    } catch (InvalidValue e) {
      // a UNC share (content on another server) lands here too: its ACLs live on that server
      return none(
          VALUE
              + " is '"
              + SafeText.escape(raw)
              + "', not a folder on this server ("
              + e.getMessage()
              + ")");
    }
    if (dir.indexOf('%') >= 0 || dir.length() < 2 || dir.charAt(1) != ':') {
      return none(
          VALUE + " is '" + SafeText.escape(raw) + "', not a folder on a drive of this server");
    }
    return new ContentLocation(Map.of(DIR, dir, DRIVE, dir.substring(0, 2)), null);
  }

  private static ContentLocation none(String why) {
    return new ContentLocation(Map.of(), why);
  }

  /** The values to expand with, or empty when the folder is not known here. */
  Optional<Map<String, String>> values() {
    return unavailable == null ? Optional.of(values) : Optional.empty();
  }

  /** Why the folder is not known, for the unverified finding. */
  String unavailable() {
    return unavailable;
  }
}
