package org.wsusfix.resource.iis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.wsusfix.machine.TargetException;

/**
 * The smallest textual edit of an applicationHost.config that gives settings new values: an
 * attribute value replaced, an attribute added to an existing element, the missing elements added
 * inside the application's {@code <location>}, or one new {@code <location>} block. Every other
 * character of the file stays as it was. The edited file is parsed again and every setting of every
 * application compared: anything that differs from what was asked aborts the edit.
 */
final class ConfigEdit {
  private ConfigEdit() {}

  /** One setting of one application ({@code Site/App}) and the value it must have. */
  record Wanted(String sitePath, AppHostConfig.Setting setting, String value) {}

  static AppHostConfig apply(AppHostConfig config, List<Wanted> wanted, String site) {
    AppHostConfig now = config;
    for (Wanted w : wanted) {
      if (!now.effective(w.sitePath(), w.setting()).value().equals(w.value())) {
        now = now.withText(set(now, w));
      }
    }
    verify(config, now, wanted, site);
    return now;
  }

  private static String set(AppHostConfig c, Wanted w) {
    String text = c.text;
    String attr = w.setting().attribute;
    String value = XmlTree.escape(w.value());
    List<AppHostConfig.Block> exact = new ArrayList<>();
    for (AppHostConfig.Block b : c.blocks()) {
      if (b.path().equalsIgnoreCase(AppHostConfig.normalize(w.sitePath()))
          && b.element().name().equals("location")) {
        exact.add(b);
      }
    }
    // The last block for the path that already holds the element: IIS lets a later block win.
    for (int i = exact.size() - 1; i >= 0; i--) {
      AppHostConfig.Block b = exact.get(i);
      if (b.systemWebServer() == null) {
        continue;
      }
      Optional<XmlTree.Element> el =
          AppHostConfig.authentication(b.systemWebServer(), w.setting().element);
      if (el.isPresent()) {
        XmlTree.Element e = el.get();
        refuseProtected(c, e);
        Optional<XmlTree.Attr> a = e.attr(attr);
        if (a.isPresent()) {
          return text.substring(0, a.get().valueStart())
              + value
              + text.substring(a.get().valueEnd());
        }
        int after =
            e.attrs().isEmpty()
                ? e.start() + 1 + e.name().length()
                : e.attrs().get(e.attrs().size() - 1).valueEnd() + 1;
        return text.substring(0, after) + " " + attr + "=\"" + value + "\"" + text.substring(after);
      }
    }
    List<String> chain = new ArrayList<>(List.of("system.webServer"));
    chain.addAll(AppHostConfig.AUTHENTICATION);
    if (!exact.isEmpty()) {
      XmlTree.Element deepest = exact.get(exact.size() - 1).element();
      int depth = 0;
      for (String name : chain) {
        List<XmlTree.Element> next = deepest.children(name);
        if (next.isEmpty()) {
          break;
        }
        deepest = next.get(next.size() - 1);
        depth++;
      }
      refuseProtected(c, deepest);
      return insertInside(
          c, deepest, chain.subList(depth, chain.size()), w.setting().element, attr, value);
    }
    XmlTree.Element root = c.root;
    List<String> all = new ArrayList<>(List.of("location"));
    all.addAll(chain);
    String pathAttr = " path=\"" + XmlTree.escape(AppHostConfig.normalize(w.sitePath())) + "\"";
    return insertInside(c, root, all, w.setting().element, attr, value, pathAttr);
  }

  private static String insertInside(
      AppHostConfig c,
      XmlTree.Element parent,
      List<String> names,
      String element,
      String attr,
      String value) {
    return insertInside(c, parent, names, element, attr, value, "");
  }

  /**
   * Adds {@code names} nested, then the element with its attribute, as the last child of {@code
   * parent}, indented one step more than the parent.
   *
   * @param firstAttrs attributes of the first added element ({@code path} of a new location)
   */
  private static String insertInside(
      AppHostConfig c,
      XmlTree.Element parent,
      List<String> names,
      String element,
      String attr,
      String value,
      String firstAttrs) {
    if (parent.selfClosing()) {
      throw new TargetException(
          c.at(parent.start())
              + ": <"
              + parent.name()
              + "/> would have to be rewritten to take"
              + " the setting; change it by hand or write it as <"
              + parent.name()
              + "></"
              + parent.name()
              + ">");
    }
    String le = c.lineEnd();
    String unit = indentUnit(c);
    String base = indentOf(c.text, parent.start());
    StringBuilder s = new StringBuilder();
    String indent = base;
    List<String> open = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      indent += unit;
      s.append(le)
          .append(indent)
          .append('<')
          .append(names.get(i))
          .append(i == 0 ? firstAttrs : "")
          .append('>');
      open.add(indent);
    }
    s.append(le)
        .append(indent)
        .append(unit)
        .append('<')
        .append(element)
        .append(' ')
        .append(attr)
        .append("=\"")
        .append(value)
        .append("\" />");
    for (int i = names.size() - 1; i >= 0; i--) {
      s.append(le).append(open.get(i)).append("</").append(names.get(i)).append('>');
    }
    // Before the whitespace that precedes the end tag, so the end tag keeps its own line and
    // indent.
    int at = parent.endTagStart();
    while (at > parent.startTagEnd()
        && (c.text.charAt(at - 1) == ' ' || c.text.charAt(at - 1) == '\t')) {
      at--;
    }
    if (at > parent.startTagEnd() && c.text.charAt(at - 1) == '\n') {
      at--;
      if (at > parent.startTagEnd() && c.text.charAt(at - 1) == '\r') {
        at--;
      }
      return c.text.substring(0, at) + s + c.text.substring(at);
    }
    return c.text.substring(0, parent.endTagStart())
        + s
        + le
        + base
        + c.text.substring(parent.endTagStart());
  }

  private static void refuseProtected(AppHostConfig c, XmlTree.Element e) {
    if (e.attr("configProtectionProvider").isPresent()) {
      throw new TargetException(
          c.at(e.start())
              + ": <"
              + e.name()
              + "> is encrypted (configProtectionProvider);"
              + " wsusfix does not edit protected configuration");
    }
    for (XmlTree.Attr a : e.attrs()) {
      if (a.value().startsWith("[enc:")) {
        throw new TargetException(
            c.at(a.nameStart())
                + ": "
                + a.name()
                + " is encrypted; wsusfix does not edit"
                + " protected configuration");
      }
    }
  }

  /** The whitespace before an element on its line, or "" when something else precedes it. */
  static String indentOf(String text, int offset) {
    int i = offset;
    while (i > 0 && (text.charAt(i - 1) == ' ' || text.charAt(i - 1) == '\t')) {
      i--;
    }
    return i == 0 || text.charAt(i - 1) == '\n' ? text.substring(i, offset) : "";
  }

  /** One step of indentation as the file writes it: the first child of the root, or four spaces. */
  static String indentUnit(AppHostConfig c) {
    if (!c.root.children().isEmpty()) {
      String first = indentOf(c.text, c.root.children().get(0).start());
      String rootIndent = indentOf(c.text, c.root.start());
      if (first.length() > rootIndent.length() && first.startsWith(rootIndent)) {
        return first.substring(rootIndent.length());
      }
    }
    return "    ";
  }

  /**
   * Every application's every setting is as before, except the wanted ones, which are as wanted.
   */
  private static void verify(
      AppHostConfig before, AppHostConfig after, List<Wanted> wanted, String site) {
    List<String> sitePaths = new ArrayList<>();
    String siteName = before.siteName(site).orElse(site);
    for (String app : before.applications(site).orElse(List.of())) {
      sitePaths.add(app.equals("/") ? siteName : siteName + app);
    }
    for (Wanted w : wanted) {
      if (sitePaths.stream().noneMatch(p -> p.equalsIgnoreCase(w.sitePath()))) {
        sitePaths.add(w.sitePath());
      }
    }
    for (String p : sitePaths) {
      for (AppHostConfig.Setting s : AppHostConfig.Setting.values()) {
        String was = before.effective(p, s).value();
        String now = after.effective(p, s).value();
        Optional<Wanted> asked =
            wanted.stream()
                .filter(
                    w ->
                        w.setting() == s
                            && w.sitePath()
                                .toLowerCase(Locale.ROOT)
                                .equals(p.toLowerCase(Locale.ROOT)))
                .findFirst();
        String expected = asked.map(Wanted::value).orElse(was);
        if (!now.equals(expected)) {
          throw new TargetException(
              before.file
                  + ": the edit would leave "
                  + s.key
                  + " of "
                  + p
                  + " at '"
                  + now
                  + "' instead of '"
                  + expected
                  + "'; nothing was changed");
        }
      }
    }
  }
}
