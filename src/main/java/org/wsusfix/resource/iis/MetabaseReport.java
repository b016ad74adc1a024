package org.wsusfix.resource.iis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
  private static final Map<String, Integer> FLAGS =
      Map.of("authanonymous", 1, "authbasic", 2, "authntlm", 4, "authmd5", 16, "authpassport", 64);

  static void report(PlanContext context, String file, byte[] bytes, IisSite iis) {
    IisAudit.Result r;
    try {
      r = audit(file, bytes, iis);
    } catch (FormatException e) {
      throw new PlanException(e.getMessage());
    }
    if (r.site() != null) {
      context.checked();
    }
    r.findings(r.site() == null ? iis.site() : r.site()).forEach(context::add);
  }

  static IisAudit.Result audit(String file, byte[] bytes, IisSite iis) {
    XmlTree.Element root;
    String text = new String(bytes, StandardCharsets.UTF_8).replace("\uFEFF", "");
    try {
      root = XmlTree.parse(text);
    } catch (XmlTree.Malformed e) {
      throw new FormatException(file, e.line, e.column, e.getMessage());
    }
    Map<String, XmlTree.Element> keys = new java.util.HashMap<>();
    collect(root, keys);
    Optional<String> server =
        keys.entrySet().stream()
            .filter(
                e ->
                    e.getValue().name().equals("IIsWebServer")
                        && e.getValue()
                            .value("ServerComment")
                            .map(c -> c.equalsIgnoreCase(iis.site()))
                            .orElse(false))
            .map(Map.Entry::getKey)
            .findFirst();
    if (server.isEmpty()) {
      return new IisAudit.Result(
          file,
          6,
          null,
          List.of(),
          List.of(
              new Finding(
                  Finding.Severity.CONFLICT,
                  "IIS " + iis.site(),
                  "no web site '" + iis.site() + "' in " + file + " (IIS 6)")));
    }
    List<IisAudit.Check> checks = new ArrayList<>();
    List<Finding> notes = new ArrayList<>();
    for (IisSite.Application app : iis.applications()) {
      String key =
          server.get()
              + "/root"
              + (app.path().equals("/") ? "" : app.path().toLowerCase(Locale.ROOT));
      if (!keys.containsKey(key)) {
        notes.add(
            new Finding(
                Finding.Severity.WARNING,
                iis.site() + app.path(),
                "no such virtual directory in "
                    + file
                    + " (IIS 6); its settings were skipped ("
                    + app.at()
                    + ")"));
        continue;
      }
      Optional<XmlTree.Attr> authFlags = inherited(keys, key, "AuthFlags");
      int flags = flags(authFlags.map(XmlTree.Attr::value).orElse("AuthAnonymous"));
      for (Map.Entry<String, String> want : app.settings().entrySet()) {
        Optional<XmlTree.Attr> from = authFlags;
        String now =
            switch (want.getKey()) {
              case "anonymousAuthentication.enabled" -> Boolean.toString((flags & ANONYMOUS) != 0);
              case "windowsAuthentication.enabled" -> Boolean.toString((flags & NTLM) != 0);
              default -> {
                from = inherited(keys, key, "AnonymousUserName");
                yield from.map(XmlTree.Attr::value).orElse("");
              }
            };
        String at = from.map(a -> XmlTree.position(file, text, a.nameStart())).orElse(null);
        checks.add(
            new IisAudit.Check(
                app.path(),
                want.getKey(),
                want.getValue(),
                now,
                at,
                now.equalsIgnoreCase(want.getValue()),
                false,
                Finding.Severity.CONFLICT,
                want.getKey()
                    + " is "
                    + now
                    + ", must be "
                    + want.getValue()
                    + " ("
                    + (at == null ? file : at)
                    + ", IIS 6 AuthFlags; wsusfix does"
                    + " not write the metabase: set it in IIS Manager, Directory Security) ("
                    + app.at()
                    + ")"));
      }
    }
    String site = keys.get(server.get()).value("ServerComment").orElse(iis.site());
    return new IisAudit.Result(file, 6, site, checks, notes);
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
  private static Optional<XmlTree.Attr> inherited(
      Map<String, XmlTree.Element> keys, String key, String attr) {
    for (String k = key;
        !k.isEmpty();
        k = k.lastIndexOf('/') > 0 ? k.substring(0, k.lastIndexOf('/')) : "") {
      XmlTree.Element e = keys.get(k);
      if (e != null && e.attr(attr).isPresent()) {
        return e.attr(attr);
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
