package org.wsusfix.resource.iis;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.wsusfix.policy.IisSite;
import org.wsusfix.resource.Finding;
import org.wsusfix.resource.FormatException;
import org.wsusfix.resource.PlanContext;
import org.wsusfix.resource.PlanException;

/**
 * IIS 6 keeps authentication in MetaBase.xml as {@code AuthFlags} per metabase key, inherited from
 * the key above when a key does not set it. wsusfix reads and reports it; it does not write the
 * metabase (IIS 6 rewrites it itself, and IIS Manager is the safe way to change it).
 */
final class MetabaseReport {
  private MetabaseReport() {}

  static final String METABASE = "%windir%\\System32\\inetsrv\\MetaBase.xml";
  private static final int ANONYMOUS = 1;
  private static final int NTLM = 4;
  private static final Map<String, Integer> FLAGS = Map.of("authanonymous", 1, "authbasic", 2, "authntlm", 4,
      "authmd5", 16, "authpassport", 64);

  static void report(PlanContext context, String file, byte[] bytes, IisSite iis) {
    XmlTree.Element root;
    String text = new String(bytes, StandardCharsets.UTF_8).replace("\uFEFF", "");
    try {
      root = XmlTree.parse(text);
    } catch (XmlTree.Malformed e) {
      throw new PlanException(new FormatException(file, e.line, e.column, e.getMessage()).getMessage());
    }
    Map<String, XmlTree.Element> keys = new java.util.HashMap<>();
    collect(root, keys);
    Optional<String> server = keys.entrySet().stream()
        .filter(e -> e.getValue().name().equals("IIsWebServer")
            && e.getValue().value("ServerComment").map(c -> c.equalsIgnoreCase(iis.site())).orElse(false))
        .map(Map.Entry::getKey).findFirst();
    if (server.isEmpty()) {
      context.add(new Finding(Finding.Severity.CONFLICT, "IIS " + iis.site(), "no web site '" + iis.site() + "' in "
          + file + " (IIS 6)"));
      return;
    }
    context.checked();
    for (IisSite.Application app : iis.applications()) {
      String key = server.get() + "/root" + (app.path().equals("/") ? "" : app.path().toLowerCase(Locale.ROOT));
      if (!keys.containsKey(key)) {
        context.add(new Finding(Finding.Severity.WARNING, iis.site() + app.path(), "no such virtual directory in "
            + file + " (IIS 6); its settings were skipped (" + app.at() + ")"));
        continue;
      }
      int flags = flags(inherited(keys, key, "AuthFlags").orElse("AuthAnonymous"));
      for (Map.Entry<String, String> want : app.settings().entrySet()) {
        String now = switch (want.getKey()) {
          case "anonymousAuthentication.enabled" -> Boolean.toString((flags & ANONYMOUS) != 0);
          case "windowsAuthentication.enabled" -> Boolean.toString((flags & NTLM) != 0);
          default -> inherited(keys, key, "AnonymousUserName").orElse("");
        };
        if (!now.equalsIgnoreCase(want.getValue())) {
          context.add(new Finding(Finding.Severity.CONFLICT, iis.site() + app.path(), want.getKey() + " is " + now
              + ", must be " + want.getValue() + " (" + file + ", IIS 6 AuthFlags; wsusfix does not write the"
              + " metabase: set it in IIS Manager, Directory Security) (" + app.at() + ")"));
        }
      }
    }
  }

  private static void collect(XmlTree.Element e, Map<String, XmlTree.Element> keys) {
    e.value("Location").ifPresent(l -> keys.put(normalize(l), e));
    for (XmlTree.Element c : e.children()) {
      collect(c, keys);
    }
  }

  private static String normalize(String location) {
    String l = location.trim().toLowerCase(Locale.ROOT);
    while (l.endsWith("/") && l.length() > 1) {
      l = l.substring(0, l.length() - 1);
    }
    return l;
  }

  /** The attribute of the key or of the nearest key above it that sets it. */
  private static Optional<String> inherited(Map<String, XmlTree.Element> keys, String key, String attr) {
    for (String k = key; !k.isEmpty(); k = k.lastIndexOf('/') > 0 ? k.substring(0, k.lastIndexOf('/')) : "") {
      XmlTree.Element e = keys.get(k);
      if (e != null && e.value(attr).isPresent()) {
        return e.value(attr);
      }
    }
    return Optional.empty();
  }

  /** {@code AuthAnonymous | AuthNTLM}, or the number IIS 6 also accepts. */
  static int flags(String text) {
    int out = 0;
    for (String part : List.of(text.split("[|,\\s]+"))) {
      if (part.isEmpty()) {
        continue;
      }
      Integer bit = FLAGS.get(part.toLowerCase(Locale.ROOT));
      if (bit != null) {
        out |= bit;
      } else if (part.matches("[0-9]{1,9}")) {
        out |= Integer.parseInt(part);
      }
    }
    return out;
  }
}
