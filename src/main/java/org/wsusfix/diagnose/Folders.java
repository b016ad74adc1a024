package org.wsusfix.diagnose;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns denied paths into the folder to fix, and folders into policy paths. */
public final class Folders {
  private static final Pattern WINDOWS_DIR =
      Pattern.compile("([A-Za-z]:\\\\(?:WINDOWS|WINNT))(?:\\\\.*)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern PROGRAM_FILES =
      Pattern.compile("([A-Za-z]:\\\\Program Files)(?:\\\\.*)?", Pattern.CASE_INSENSITIVE);

  private Folders() {}

  /** Files and folders on a drive or share; registry keys and network endpoints are not. */
  public static boolean isFileSystem(String path) {
    return (path.length() >= 3
            && isAsciiLetter(path.charAt(0))
            && path.charAt(1) == ':'
            && path.charAt(2) == '\\')
        || path.startsWith("\\\\");
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  /**
   * The folder whose ACL decides the access: the path itself when it is a directory, else its
   * parent. Without a directory hint, a last component without a file extension is taken for a
   * folder ({@code Framework}, {@code v2.0.50727}).
   */
  public static String folderToFix(String path, boolean directory) {
    String p = path;
    while (p.length() > 3 && p.endsWith("\\")) {
      p = p.substring(0, p.length() - 1);
    }
    if (!isFileSystem(p)) {
      return p;
    }
    int slash = p.lastIndexOf('\\');
    String last = p.substring(slash + 1);
    boolean wildcard = last.indexOf('*') >= 0 || last.indexOf('?') >= 0;
    if (!wildcard && (directory || !looksLikeFile(last))) {
      return p;
    }
    if (slash <= 2) {
      return p.substring(0, slash + 1);
    }
    return p.substring(0, slash);
  }

  static boolean looksLikeFile(String name) {
    if (name.equalsIgnoreCase("Microsoft.NET")) {
      return false;
    }
    int dot = name.lastIndexOf('.');
    if (dot <= 0 || dot == name.length() - 1) {
      return false;
    }
    String ext = name.substring(dot + 1);
    if (ext.length() > 9) { // .config, .manifest, .resources are common here
      return false;
    }
    boolean letter = false;
    for (int i = 0; i < ext.length(); i++) {
      char c = ext.charAt(i);
      if (!Character.isLetterOrDigit(c)) {
        return false;
      }
      letter |= Character.isLetter(c);
    }
    return letter;
  }

  /** The Windows directory a path lies in ({@code C:\WINDOWS}), or null. */
  public static String windowsDirOf(String path) {
    if (!isFileSystem(path) || path.length() < 8) {
      return null;
    }
    char c = path.charAt(3);
    if (c != 'W' && c != 'w') {
      return null;
    }
    Matcher m = WINDOWS_DIR.matcher(path);
    return m.matches() ? m.group(1) : null;
  }

  /**
   * The path as a policy writes it: the Windows directory as {@code %windir%}, Program Files as
   * {@code %ProgramFiles%}, so the policy fits every server.
   */
  public static String policyPath(String folder, String windowsDir) {
    if (windowsDir != null && !windowsDir.isEmpty()) {
      String w =
          windowsDir.endsWith("\\") ? windowsDir.substring(0, windowsDir.length() - 1) : windowsDir;
      if (folder.equalsIgnoreCase(w)
          || folder.toLowerCase(Locale.ROOT).startsWith(w.toLowerCase(Locale.ROOT) + "\\")) {
        return "%windir%" + folder.substring(w.length());
      }
    }
    Matcher m = WINDOWS_DIR.matcher(folder);
    if (m.matches()) {
      return "%windir%" + folder.substring(m.group(1).length());
    }
    m = PROGRAM_FILES.matcher(folder);
    if (m.matches()) {
      return "%ProgramFiles%" + folder.substring(m.group(1).length());
    }
    return folder;
  }
}
