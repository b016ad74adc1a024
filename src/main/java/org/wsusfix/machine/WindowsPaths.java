package org.wsusfix.machine;

import java.util.Locale;

/** Small rules for absolute Windows paths, shared by every target. */
public final class WindowsPaths {
  private WindowsPaths() {}

  /** Backslashes, no trailing backslash (except after a drive), as typed otherwise. */
  public static String normalize(String path) {
    String p = path.replace('/', '\\');
    while (p.length() > 3 && p.endsWith("\\")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  /** Key for case-insensitive maps: NTFS compares names without case. */
  public static String key(String path) {
    return normalize(path).toUpperCase(Locale.ROOT);
  }

  public static String join(String dir, String name) {
    String d = normalize(dir);
    return d.endsWith("\\") ? d + name : d + "\\" + name;
  }

  /** The parent folder, or null for a drive root. */
  public static String parent(String path) {
    String p = normalize(path);
    int cut = p.lastIndexOf('\\');
    if (cut < 0 || p.length() <= 3) {
      return null;
    }
    return cut == 2 ? p.substring(0, 3) : p.substring(0, cut);
  }

  /** True when {@code path} is {@code ancestor} itself or lies below it. */
  public static boolean isWithin(String path, String ancestor) {
    String p = key(path);
    String a = key(ancestor);
    return p.equals(a) || p.startsWith(a.endsWith("\\") ? a : a + "\\");
  }
}
