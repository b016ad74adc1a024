package org.wsusfix.target;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.wsusfix.target.snapshot.SnapshotTarget;

/**
 * Opens a target from its command-line form: {@code local}, {@code smb://USER@HOST[:PORT]/SHARE},
 * or {@code snapshot:FILE[?base=DIR]}.
 */
public final class TargetSpec {
  private TargetSpec() {}

  /** Targets registered by the packages that implement them (SMB, Windows). */
  public interface Opener {
    Target open(String spec, Map<String, String> query, Map<String, String> vars);
  }

  private static final Map<String, Opener> OPENERS = new LinkedHashMap<>();

  public static synchronized void register(String scheme, Opener opener) {
    OPENERS.put(scheme, opener);
  }

  /** The default when --target is not given: the local machine on Windows, nothing elsewhere. */
  public static String defaultSpec() {
    return isWindows() ? "local" : null;
  }

  public static boolean isWindows() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
  }

  public static Target open(String spec, Map<String, String> vars) {
    if (spec == null) {
      throw new TargetException("no target: give --target smb://USER@HOST/SHARE or --target snapshot:FILE"
          + " (the local machine is the default only on Windows)");
    }
    Map<String, String> lowerVars = new LinkedHashMap<>();
    vars.forEach((k, v) -> lowerVars.put(k.toLowerCase(Locale.ROOT), v));
    if (spec.startsWith("snapshot:")) {
      return snapshot(spec.substring("snapshot:".length()), lowerVars);
    }
    String scheme = spec.equals("local") ? "local" : spec.startsWith("smb://") ? "smb" : null;
    if (scheme == null) {
      throw new TargetException("unknown target '" + spec + "': use local, smb://USER@HOST[:PORT]/SHARE or snapshot:FILE[?base=DIR]");
    }
    if (scheme.equals("local") && !isWindows()) {
      throw new TargetException("--target local needs Windows; from here use smb://USER@HOST[:PORT]/SHARE"
          + " or an offline snapshot:FILE made with icacls /save");
    }
    Opener opener = OPENERS.get(scheme);
    if (opener == null) {
      loadBuiltIns();
      opener = OPENERS.get(scheme);
    }
    if (opener == null) {
      throw new TargetException("the " + scheme + " target is not part of this build");
    }
    int q = spec.indexOf('?');
    return opener.open(q < 0 ? spec : spec.substring(0, q), query(q < 0 ? "" : spec.substring(q + 1)), lowerVars);
  }

  /** Targets live in packages that register themselves when loaded; load them by name. */
  private static void loadBuiltIns() {
    for (String cls : new String[] {"org.wsusfix.target.smb.SmbTargets", "org.wsusfix.target.windows.WindowsTargets"}) {
      try {
        Class.forName(cls);
      } catch (ClassNotFoundException ignored) {
        // not in this build
      }
    }
  }

  private static Target snapshot(String rest, Map<String, String> vars) {
    int q = rest.indexOf('?');
    String file = q < 0 ? rest : rest.substring(0, q);
    Map<String, String> query = query(q < 0 ? "" : rest.substring(q + 1));
    Path path = Path.of(file);
    if (!Files.isRegularFile(path)) {
      throw new TargetException("snapshot file not found: " + file);
    }
    String base = query.getOrDefault("base", vars.getOrDefault("windir", "C:\\Windows"));
    Map<String, String> v = new LinkedHashMap<>(vars);
    if (query.containsKey("computer")) {
      v.put("computername", query.get("computer"));
    }
    for (String key : query.keySet()) {
      if (!key.equals("base") && !key.equals("computer")) {
        throw new TargetException("unknown snapshot option '" + key + "' (base, computer)");
      }
    }
    return SnapshotTarget.load(path, base, v);
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
      out.put(k.toLowerCase(Locale.ROOT), URLDecoder.decode(v.replace("+", "%2B"), StandardCharsets.UTF_8));
    }
    return out;
  }
}
