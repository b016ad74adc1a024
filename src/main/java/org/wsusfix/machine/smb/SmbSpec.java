package org.wsusfix.machine.smb;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;
import org.wsusfix.machine.TargetException;
import org.wsusfix.machine.TargetId;
import org.wsusfix.machine.Targets;
import org.wsusfix.machine.WindowsPaths;

/**
 * The parts of {@code smb://[DOMAIN;]USER@HOST[:PORT]/SHARE[?root=C:\]}, and the way back to that
 * text: {@link #describe()} gives a spec that opens the same target again (plans and undo journals
 * record it). {@code DOMAIN\USER} is accepted for the user too. The password never appears in it.
 *
 * <p>{@code root} is the Windows folder the share root stands for (default {@code C:\}): with
 * {@code root=C:\}, {@code C:\Windows\Microsoft.NET} is {@code Windows\Microsoft.NET} on the share.
 *
 * <p>Every message is signed and every answer's signature checked (encrypted instead where the
 * server requires encryption); nothing turns that off. {@code signing=on} says so explicitly, and
 * {@code sign=always}, which earlier versions wrote, is still accepted.
 */
public record SmbSpec(
    String domain, String user, String host, int port, String share, String root) {
  public static final int DEFAULT_PORT = 445;
  public static final String DEFAULT_ROOT = "C:\\";
  private static final Pattern ROOT = Pattern.compile("[A-Za-z]:(\\\\.*)?");

  /** Parses a spec without its query ({@code smb://...}) and the decoded query options. */
  public static SmbSpec parse(String spec, Map<String, String> query) {
    if (!spec.startsWith("smb://")) {
      throw bad(spec, "it must start with smb://");
    }
    String rest = spec.substring("smb://".length());
    int at = rest.lastIndexOf('@');
    if (at <= 0) {
      throw bad(
          spec,
          "no user: write smb://USER@HOST/SHARE (the password comes from WSUSFIX_SMB_PASSWORD or a prompt)");
    }
    String userInfo = decode(rest.substring(0, at));
    if (userInfo.indexOf(':') >= 0) {
      throw bad(
          spec,
          "a password does not belong in the target (it would end up in plans and journals);"
              + " set WSUSFIX_SMB_PASSWORD or answer the prompt");
    }
    String domain = "";
    String user = userInfo;
    int sep = Math.max(userInfo.indexOf(';'), userInfo.indexOf('\\'));
    if (sep >= 0) {
      domain = userInfo.substring(0, sep);
      user = userInfo.substring(sep + 1);
    }
    if (user.isEmpty()) {
      throw bad(spec, "empty user name");
    }
    String hostPart = rest.substring(at + 1);
    int slash = hostPart.indexOf('/');
    if (slash < 0) {
      throw bad(spec, "no share: write smb://USER@HOST/SHARE");
    }
    String hostPort = hostPart.substring(0, slash);
    String share = hostPart.substring(slash + 1);
    while (share.endsWith("/")) {
      share = share.substring(0, share.length() - 1);
    }
    if (share.isEmpty()) {
      throw bad(spec, "no share: write smb://USER@HOST/SHARE");
    }
    if (share.contains("/")) {
      throw bad(
          spec,
          "give only the share name, not a folder in it: paths come from the policy"
              + " (use ?root= when the share root is not C:\\)");
    }
    String host = hostPort;
    int port = DEFAULT_PORT;
    int colon = hostPort.lastIndexOf(':');
    if (colon >= 0 && colon > hostPort.lastIndexOf(']')) {
      host = hostPort.substring(0, colon);
      try {
        port = Integer.parseInt(hostPort.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 1 || port > 65535) {
        throw bad(
            spec, "port '" + hostPort.substring(colon + 1) + "' is not a number from 1 to 65535");
      }
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isEmpty()) {
      throw bad(spec, "no host");
    }
    String root = DEFAULT_ROOT;
    for (Map.Entry<String, String> q : query.entrySet()) {
      switch (q.getKey()) {
        case "root" -> root = q.getValue();
        case "signing", "sign" -> {
          if (!q.getValue().equals(q.getKey().equals("sign") ? "always" : "on")) {
            throw bad(
                spec,
                q.getKey()
                    + "='"
                    + q.getValue()
                    + "': wsusfix signs every SMB message and checks every"
                    + " answer's signature; that cannot be turned off");
          }
        }
        default ->
            throw bad(
                spec,
                "unknown option '" + q.getKey() + "' (the smb target takes root= and signing=)");
      }
    }
    if (!ROOT.matcher(root).matches()) {
      throw bad(
          spec, "root '" + root + "' is not an absolute Windows folder such as C:\\ or D:\\Data");
    }
    root =
        Character.toUpperCase(root.charAt(0))
            + WindowsPaths.normalize(root.length() == 2 ? root + "\\" : root).substring(1);
    return new SmbSpec(domain, user, host, port, share, root);
  }

  /** The spec again, canonical: opening it gives this target. */
  public String describe() {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return "smb://"
        + (domain.isEmpty() ? "" : domain + ";")
        + user
        + "@"
        + h
        + (port == DEFAULT_PORT ? "" : ":" + port)
        + "/"
        + share
        + (root.equals(DEFAULT_ROOT) ? "" : "?root=" + root);
  }

  /**
   * The server, share and the folder it stands for: the same for every user and option such as
   * sign=always, since those change how the target is reached, not which files are changed.
   */
  public TargetId id() {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return new TargetId("smb", h + ":" + port + "/" + share + "/" + root);
  }

  /** {@code DOMAIN\USER} or {@code user}, for prompts and messages. */
  public String account() {
    return domain.isEmpty() ? user : domain + "\\" + user;
  }

  /** The drive of the root, {@code C:}. */
  public String drive() {
    return root.substring(0, 2);
  }

  /**
   * The share-relative path of a Windows path ("" for the root itself).
   *
   * @throws TargetException when the path lies outside the folder the share stands for
   */
  public String relative(String windowsPath) {
    String p = WindowsPaths.normalize(windowsPath);
    if (!WindowsPaths.isWithin(p, root)) {
      throw new TargetException(
          p
              + " is outside "
              + root
              + ", the folder that "
              + describe()
              + " stands for (set ?root= to the Windows folder the share root is)");
    }
    String r = root.endsWith("\\") ? root : root + "\\";
    return p.length() <= r.length() ? "" : p.substring(r.length());
  }

  /** The Windows path of a share-relative path. */
  public String windowsPath(String relative) {
    return relative.isEmpty() ? root : WindowsPaths.join(root, relative);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static TargetException bad(String spec, String why) {
    return new TargetException("bad smb target '" + Targets.shown(spec) + "': " + why);
  }
}
