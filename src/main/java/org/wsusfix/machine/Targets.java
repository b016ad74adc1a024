package org.wsusfix.machine;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import org.wsusfix.security.SafeText;

/**
 * Opens a target from its command-line form: {@code local}, {@code smb://USER@HOST[:PORT]/SHARE},
 * or {@code snapshot:FILE[?base=DIR]}, through the {@link TargetProvider} of its scheme.
 */
public final class Targets {
  private Targets() {}

  /** The default when --target is not given: the local machine on Windows, nothing elsewhere. */
  public static String defaultSpec() {
    return isWindows() ? "local" : null;
  }

  public static boolean isWindows() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
  }

  public static Target open(String spec, Map<String, String> vars) {
    if (spec == null) {
      throw new TargetException(
          "no target: give --target smb://USER@HOST/SHARE or --target snapshot:FILE"
              + " (the local machine is the default only on Windows)");
    }
    Map<String, String> lowerVars = new LinkedHashMap<>();
    vars.forEach((k, v) -> lowerVars.put(k.toLowerCase(Locale.ROOT), v));
    String scheme =
        spec.equals("local") || spec.startsWith("local?")
            ? "local"
            : spec.indexOf(':') > 0 ? spec.substring(0, spec.indexOf(':')) : null;
    if (scheme == null) {
      throw new TargetException(
          "unknown target '"
              + shown(spec)
              + "': use local, smb://USER@HOST[:PORT]/SHARE or snapshot:FILE[?base=DIR]");
    }
    if (scheme.equals("local") && !isWindows()) {
      throw new TargetException(
          "--target local needs Windows; from here use smb://USER@HOST[:PORT]/SHARE"
              + " or an offline snapshot:FILE made with icacls /save");
    }
    TargetProvider provider = provider(scheme, spec);
    int q = spec.indexOf('?');
    return provider.open(
        q < 0 ? spec : spec.substring(0, q), query(q < 0 ? "" : spec.substring(q + 1)), lowerVars);
  }

  private static TargetProvider provider(String scheme, String spec) {
    // Schemes are letters only, so a Windows path such as C:\\x is never taken for one.
    if (!scheme.matches("[a-z]{2,}")) {
      throw new TargetException(
          "unknown target '"
              + shown(spec)
              + "': use local, smb://USER@HOST[:PORT]/SHARE or snapshot:FILE[?base=DIR]");
    }
    for (TargetProvider p :
        ServiceLoader.load(TargetProvider.class, Targets.class.getClassLoader())) {
      if (p.scheme().equals(scheme)) {
        return p;
      }
    }
    throw new TargetException(
        "unknown target '"
            + shown(spec)
            + "': use local, smb://USER@HOST[:PORT]/SHARE or snapshot:FILE[?base=DIR]");
  }

  /**
   * A target as the user wrote it, fit to print: control and text-reordering characters escaped,
   * and a password in a URL's user part (which no target accepts, but a mistyped one may carry,
   * percent-encoded or not) replaced by {@code ***}, so that no message ever echoes it.
   */
  public static String shown(String spec) {
    if (spec == null) {
      return "(no target)";
    }
    String s = spec;
    int scheme = s.indexOf("://");
    if (scheme > 0) {
      int hostStart = scheme + 3;
      int slash = s.indexOf('/', hostStart);
      int end = slash < 0 ? s.length() : slash;
      int at = s.lastIndexOf('@', end - 1);
      if (at >= hostStart) {
        String userInfo = s.substring(hostStart, at);
        int colon = userInfo.indexOf(':');
        int encoded = userInfo.toLowerCase(Locale.ROOT).indexOf("%3a");
        int cut = colon < 0 ? encoded : encoded < 0 ? colon : Math.min(colon, encoded);
        if (cut >= 0) {
          s = s.substring(0, hostStart + cut) + ":***" + s.substring(at);
        }
      }
    }
    return SafeText.escape(s);
  }

  /** {@code a=1&b=2} with percent-decoding; backslashes in Windows paths need no escaping. */
  public static Map<String, String> query(String q) {
    Map<String, String> out = new LinkedHashMap<>();
    if (q.isEmpty()) {
      return out;
    }
    for (String pair : q.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        out.put(
            k.toLowerCase(Locale.ROOT),
            URLDecoder.decode(v.replace("+", "%2B"), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new TargetException("option '" + k + "': bad %-escape in '" + v + "'");
      }
    }
    return out;
  }
}
