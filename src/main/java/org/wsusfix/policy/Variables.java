package org.wsusfix.policy;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The {@code %name%} variables a policy may use, expanded per target. */
public final class Variables {
  private Variables() {}

  /** Names a policy may use; anything else between percent signs is an error. */
  public static final Set<String> KNOWN =
      Set.of(
          "windir",
          "systemroot",
          "programfiles",
          "computername",
          "programdata",
          "systemdrive",
          "wsuscontentdir",
          "wsuscontentdrive");

  /**
   * Replaces every {@code %name%} (case-insensitive) with its value from {@code values}, whose keys
   * are lower case.
   *
   * @throws IllegalArgumentException naming the variable when it has no value on this target
   */
  public static String expand(String text, Map<String, String> values) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    int i = 0;
    while (i < text.length()) {
      int start = text.indexOf('%', i);
      if (start < 0) {
        out.append(text, i, text.length());
        break;
      }
      int end = text.indexOf('%', start + 1);
      if (end < 0) {
        throw new IllegalArgumentException("unclosed variable in '" + text + "'");
      }
      String name = text.substring(start + 1, end).toLowerCase(Locale.ROOT);
      String value = values.get(name);
      if (value == null) {
        throw new IllegalArgumentException("variable %" + name + "% has no value on this target");
      }
      out.append(text, i, start).append(value);
      i = end + 1;
    }
    return out.toString();
  }
}
