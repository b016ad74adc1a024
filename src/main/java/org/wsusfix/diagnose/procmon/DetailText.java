package org.wsusfix.diagnose.procmon;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the Detail column ({@code Desired Access: Read Data/List Directory, Synchronize,
 * Disposition: Open, Options: Directory, ..., Impersonating: NT AUTHORITY\IUSR}). Values are
 * themselves comma lists, so a new key starts only where a part looks like {@code Key: value}.
 */
public final class DetailText {
  private DetailText() {}

  public static Map<String, String> parse(String detail) {
    Map<String, String> out = new LinkedHashMap<>();
    if (detail == null || detail.isEmpty()) {
      return out;
    }
    String key = null;
    StringBuilder value = new StringBuilder();
    for (String part : splitList(detail)) {
      int colon = part.indexOf(": ");
      if (colon > 0 && looksLikeKey(part, colon)) {
        if (key != null) {
          out.put(key, value.toString());
        }
        key = part.substring(0, colon);
        value.setLength(0);
        value.append(part, colon + 2, part.length());
      } else if (key != null) {
        value.append(", ").append(part);
      }
    }
    if (key != null) {
      out.put(key, value.toString());
    }
    return out;
  }

  /** Splits a ", " separated list without going through a regular expression. */
  public static java.util.List<String> splitList(String s) {
    java.util.List<String> out = new java.util.ArrayList<>();
    int from = 0;
    int at;
    while ((at = s.indexOf(", ", from)) >= 0) {
      out.add(s.substring(from, at));
      from = at + 2;
    }
    out.add(s.substring(from));
    return out;
  }

  private static boolean looksLikeKey(String part, int colon) {
    for (int i = 0; i < colon; i++) {
      char c = part.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == ' ' || c == '/' || c == '_' || c == '-')) {
        return false;
      }
    }
    return Character.isUpperCase(part.charAt(0));
  }

  /** Whether an Options value lists the Directory create option (not "Non-Directory File"). */
  public static boolean hasDirectoryOption(String options) {
    if (options == null) {
      return false;
    }
    for (String o : splitList(options)) {
      if (o.equals("Directory")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether an event targets a directory: the Directory create option, or a directory listing whose
   * path carries no wildcard filter.
   */
  public static boolean isDirectory(String operation, String path, boolean directoryOption) {
    if (directoryOption) {
      return true;
    }
    if ("QueryDirectory".equals(operation) || "NotifyChangeDirectory".equals(operation)) {
      int slash = path.lastIndexOf('\\');
      String last = path.substring(slash + 1);
      return last.indexOf('*') < 0 && last.indexOf('?') < 0;
    }
    return false;
  }
}
