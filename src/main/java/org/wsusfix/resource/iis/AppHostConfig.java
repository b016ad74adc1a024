package org.wsusfix.resource.iis;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.wsusfix.resource.FormatException;

/**
 * An applicationHost.config (IIS 7 and later) as far as wsusfix reads and edits it: the sites and
 * their applications, and the effective authentication settings of each application. Effective
 * values follow IIS: the server-wide {@code system.webServer}, then {@code <location>} blocks from
 * the site down to the application, a later block with the same path over an earlier one, a missing
 * attribute meaning the level above (or the schema default).
 *
 * <p>The text is kept exactly as read, with its byte order mark and encoding, so an edit changes
 * nothing but the characters it replaces.
 */
final class AppHostConfig {
  /** The settings wsusfix manages, by the name policies and plans use. */
  enum Setting {
    ANONYMOUS_ENABLED(
        "anonymousAuthentication.enabled", "anonymousAuthentication", "enabled", "false"),
    ANONYMOUS_USER("anonymousAuthentication.userName", "anonymousAuthentication", "userName", ""),
    WINDOWS_ENABLED("windowsAuthentication.enabled", "windowsAuthentication", "enabled", "false");

    final String key;
    final String element;
    final String attribute;

    /** The IIS schema's default, used when no level sets the attribute. */
    final String schemaDefault;

    Setting(String key, String element, String attribute, String schemaDefault) {
      this.key = key;
      this.element = element;
      this.attribute = attribute;
      this.schemaDefault = schemaDefault;
    }

    static Optional<Setting> named(String key) {
      return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
    }
  }

  /** Where the authentication elements live below {@code system.webServer}. */
  static final List<String> AUTHENTICATION = List.of("security", "authentication");

  /** A value and the element that set it (null when it is the schema default). */
  record Value(String value, XmlTree.Element setBy, String locationPath) {
    boolean isDefault() {
      return setBy == null;
    }
  }

  final String file;
  final String text;
  final XmlTree.Element root;
  private final byte[] bom;
  private final Charset charset;

  private AppHostConfig(
      String file, String text, XmlTree.Element root, byte[] bom, Charset charset) {
    this.file = file;
    this.text = text;
    this.root = root;
    this.bom = bom;
    this.charset = charset;
  }

  /**
   * @throws FormatException {@code FILE:LINE:COLUMN: what is wrong} when it is not such a file
   */
  static AppHostConfig parse(String file, byte[] bytes) {
    byte[] bom = new byte[0];
    Charset cs = StandardCharsets.UTF_8;
    if (bytes.length >= 3
        && (bytes[0] & 0xff) == 0xef
        && (bytes[1] & 0xff) == 0xbb
        && (bytes[2] & 0xff) == 0xbf) {
      bom = Arrays.copyOf(bytes, 3);
    } else if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xfe) {
      bom = Arrays.copyOf(bytes, 2);
      cs = StandardCharsets.UTF_16LE;
    } else if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xfe && (bytes[1] & 0xff) == 0xff) {
      bom = Arrays.copyOf(bytes, 2);
      cs = StandardCharsets.UTF_16BE;
    }
    String text;
    try {
      text =
          cs.newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes, bom.length, bytes.length - bom.length))
              .toString();
    } catch (CharacterCodingException e) {
      throw new FormatException(file, 1, "not " + cs.name() + " text");
    }
    return parse(file, text, bom, cs);
  }

  private static AppHostConfig parse(String file, String text, byte[] bom, Charset cs) {
    XmlTree.Element root;
    try {
      root = XmlTree.parse(text);
    } catch (XmlTree.Malformed e) {
      throw new FormatException(file, e.line, e.column, e.getMessage());
    }
    if (!root.name().equals("configuration")) {
      throw new FormatException(
          file,
          root.line(),
          "not an applicationHost.config (root <" + root.name() + ">, not <configuration>)");
    }
    return new AppHostConfig(file, text, root, bom, cs);
  }

  /** The same file with {@code text} as its content, checked again. */
  AppHostConfig withText(String newText) {
    return parse(file, newText, bom, charset);
  }

  /** The bytes to write: the original byte order mark and encoding. */
  byte[] bytes() {
    byte[] body = text.getBytes(charset);
    byte[] out = Arrays.copyOf(bom, bom.length + body.length);
    System.arraycopy(body, 0, out, bom.length, body.length);
    return out;
  }

  /** The line end the file uses, for inserted lines. */
  String lineEnd() {
    return text.contains("\r\n") ? "\r\n" : "\n";
  }

  // --- sites and applications ---

  /**
   * The application and virtual directory paths of a site ({@code /}, {@code /ClientWebService},
   * {@code /Content} ...), as configured.
   */
  Optional<List<String>> applications(String site) {
    for (XmlTree.Element sites : path(root, "system.applicationHost", "sites")) {
      for (XmlTree.Element s : sites.children("site")) {
        if (s.value("name").map(n -> n.equalsIgnoreCase(site)).orElse(false)) {
          List<String> apps = new ArrayList<>();
          for (XmlTree.Element a : s.children("application")) {
            String app = a.value("path").orElse("/");
            apps.add(app);
            // Virtual directories (Content, Inventory ...) take settings by their URL path too.
            for (XmlTree.Element v : a.children("virtualDirectory")) {
              String dir = v.value("path").orElse("/");
              if (!dir.equals("/")) {
                apps.add(app.equals("/") ? dir : app + dir);
              }
            }
          }
          return Optional.of(apps);
        }
      }
    }
    return Optional.empty();
  }

  /** The site's name as the file writes it (policies may differ in case). */
  Optional<String> siteName(String site) {
    for (XmlTree.Element sites : path(root, "system.applicationHost", "sites")) {
      for (XmlTree.Element s : sites.children("site")) {
        Optional<String> name = s.value("name");
        if (name.map(n -> n.equalsIgnoreCase(site)).orElse(false)) {
          return name;
        }
      }
    }
    return Optional.empty();
  }

  // --- effective values ---

  /** A block of settings: the server-wide one (path "") or a {@code <location>}. */
  record Block(String path, XmlTree.Element element, XmlTree.Element systemWebServer) {}

  /** Every settings block in document order. */
  List<Block> blocks() {
    return blocks("system.webServer");
  }

  /**
   * Every block of one section ({@code system.webServer}, {@code system.web}) in document order.
   */
  List<Block> blocks(String section) {
    List<Block> out = new ArrayList<>();
    for (XmlTree.Element child : root.children()) {
      if (child.name().equals(section)) {
        out.add(new Block("", child, child));
      } else if (child.name().equals("location")) {
        String p = normalize(child.value("path").orElse(""));
        for (XmlTree.Element sws : child.children(section)) {
          out.add(new Block(p, child, sws));
        }
        if (child.children(section).isEmpty()) {
          out.add(new Block(p, child, null));
        }
      }
    }
    return out;
  }

  /** {@code Site/App} with no trailing slash; "" and "." mean the whole server. */
  static String normalize(String locationPath) {
    String p = locationPath.trim();
    if (p.equals(".")) {
      return "";
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  /**
   * The effective value of a setting for {@code Site/App} (the site alone for its root
   * application).
   */
  Value effective(String sitePath, Setting setting) {
    return effective(
        sitePath,
        new String[] {"security", "authentication", setting.element},
        setting.attribute,
        setting.schemaDefault);
  }

  /**
   * The effective value of an attribute of the element at {@code below} under {@code
   * system.webServer}, for {@code Site/App}.
   */
  Value effective(String sitePath, String[] below, String attribute, String schemaDefault) {
    return effective("system.webServer", sitePath, below, attribute, schemaDefault);
  }

  /**
   * As {@link #effective(String, String[], String, String)}, below another section such as {@code
   * system.web}.
   */
  Value effective(
      String section, String sitePath, String[] below, String attribute, String schemaDefault) {
    String target = normalize(sitePath).toLowerCase(Locale.ROOT);
    Value best = new Value(schemaDefault, null, null);
    int bestDepth = -1;
    for (Block b : blocks(section)) {
      if (b.systemWebServer() == null) {
        continue;
      }
      String p = b.path().toLowerCase(Locale.ROOT);
      boolean applies = p.isEmpty() || target.equals(p) || target.startsWith(p + "/");
      if (!applies) {
        continue;
      }
      if (!p.equals(target)
          && "false".equalsIgnoreCase(b.element().value("inheritInChildApplications").orElse(""))) {
        continue;
      }
      int depth = p.isEmpty() ? 0 : p.split("/").length;
      if (depth < bestDepth) {
        continue;
      }
      List<XmlTree.Element> found = path(b.systemWebServer(), below);
      Optional<XmlTree.Element> el =
          found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
      Optional<String> v = el.flatMap(e -> e.value(attribute));
      if (v.isPresent()) {
        best = new Value(v.get(), el.get(), b.path());
        bestDepth = depth;
      }
    }
    return best;
  }

  /**
   * {@code security/authentication/<element>} below a {@code system.webServer}, the last one if
   * several.
   */
  static Optional<XmlTree.Element> authentication(XmlTree.Element systemWebServer, String element) {
    List<XmlTree.Element> found = path(systemWebServer, "security", "authentication", element);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
  }

  /** All elements reached by following the names from {@code from}, in document order. */
  static List<XmlTree.Element> path(XmlTree.Element from, String... names) {
    List<XmlTree.Element> level = List.of(from);
    for (String n : names) {
      List<XmlTree.Element> next = new ArrayList<>();
      for (XmlTree.Element e : level) {
        next.addAll(e.children(n));
      }
      level = next;
    }
    return level;
  }

  /** Line and column of an offset, for messages. */
  String at(int offset) {
    return XmlTree.position(file, text, offset);
  }

  /**
   * An application pool's settings as IIS resolves them: the pool, then applicationPoolDefaults,
   * then the schema.
   */
  Optional<Pool> pool(String name) {
    for (XmlTree.Element pools : path(root, "system.applicationHost", "applicationPools")) {
      List<XmlTree.Element> defaults = pools.children("applicationPoolDefaults");
      for (XmlTree.Element add : pools.children("add")) {
        if (add.value("name").map(n -> n.equalsIgnoreCase(name)).orElse(false)) {
          XmlTree.Element d = defaults.isEmpty() ? null : defaults.get(0);
          return Optional.of(
              new Pool(
                  name,
                  poolValue(
                      add,
                      d,
                      new String[] {"processModel"},
                      "identityType",
                      "ApplicationPoolIdentity"),
                  poolValue(add, d, new String[] {}, "queueLength", "1000"),
                  poolValue(
                      add, d, new String[] {"recycling", "periodicRestart"}, "privateMemory", "0"),
                  poolValue(add, d, new String[] {}, "autoStart", "true"),
                  poolValue(add, d, new String[] {}, "managedPipelineMode", "Integrated"),
                  poolSetting(add, d, "managedRuntimeVersion"),
                  add.start()));
        }
      }
    }
    return Optional.empty();
  }

  private static String poolValue(
      XmlTree.Element pool,
      XmlTree.Element defaults,
      String[] below,
      String attr,
      String schemaDefault) {
    for (XmlTree.Element from : new XmlTree.Element[] {pool, defaults}) {
      if (from == null) {
        continue;
      }
      List<XmlTree.Element> at = below.length == 0 ? List.of(from) : path(from, below);
      for (XmlTree.Element e : at) {
        Optional<String> v = e.value(attr);
        if (v.isPresent()) {
          return v.get();
        }
      }
    }
    return schemaDefault;
  }

  /**
   * The pool's own attribute, else applicationPoolDefaults', with the offset of the element that
   * sets it.
   */
  private static Optional<Value> poolSetting(
      XmlTree.Element pool, XmlTree.Element defaults, String attr) {
    for (XmlTree.Element from : new XmlTree.Element[] {pool, defaults}) {
      if (from != null && from.value(attr).isPresent()) {
        return Optional.of(new Value(from.value(attr).get(), from, ""));
      }
    }
    return Optional.empty();
  }

  /**
   * An application pool's settings that WSUS depends on.
   *
   * @param runtimeVersion managedRuntimeVersion where the pool or applicationPoolDefaults sets it
   *     (its schema default differs between IIS versions, so nothing is assumed)
   */
  record Pool(
      String name,
      String identityType,
      String queueLength,
      String privateMemory,
      String autoStart,
      String pipelineMode,
      Optional<Value> runtimeVersion,
      int offset) {}

  /** The application pool an application (or the site root) runs in, as configured. */
  Optional<String> poolOf(String site, String application) {
    for (XmlTree.Element sites : path(root, "system.applicationHost", "sites")) {
      for (XmlTree.Element s : sites.children("site")) {
        if (s.value("name").map(n -> n.equalsIgnoreCase(site)).orElse(false)) {
          for (XmlTree.Element a : s.children("application")) {
            if (a.value("path").orElse("/").equalsIgnoreCase(application)) {
              return a.value("applicationPool");
            }
          }
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The application pool that serves a URL path of a site: that of the application with the longest
   * path that contains it, else the site's or the server's applicationDefaults, else IIS's
   * DefaultAppPool.
   */
  String poolServing(String site, String urlPath) {
    String url = urlPath.toLowerCase(Locale.ROOT);
    for (XmlTree.Element sites : path(root, "system.applicationHost", "sites")) {
      for (XmlTree.Element s : sites.children("site")) {
        if (!s.value("name").map(n -> n.equalsIgnoreCase(site)).orElse(false)) {
          continue;
        }
        XmlTree.Element best = null;
        int bestLength = -1;
        for (XmlTree.Element a : s.children("application")) {
          String app = a.value("path").orElse("/").toLowerCase(Locale.ROOT);
          boolean contains = app.equals("/") || url.equals(app) || url.startsWith(app + "/");
          if (contains && app.length() > bestLength) {
            best = a;
            bestLength = app.length();
          }
        }
        if (best != null && best.value("applicationPool").isPresent()) {
          return best.value("applicationPool").get();
        }
        for (XmlTree.Element d : s.children("applicationDefaults")) {
          if (d.value("applicationPool").isPresent()) {
            return d.value("applicationPool").get();
          }
        }
      }
      for (XmlTree.Element d : sites.children("applicationDefaults")) {
        if (d.value("applicationPool").isPresent()) {
          return d.value("applicationPool").get();
        }
      }
    }
    return "DefaultAppPool";
  }

  /**
   * The folder an application (or a virtual directory) serves, as configured (may hold
   * %variables%).
   */
  Optional<String> physicalPath(String site, String urlPath) {
    for (XmlTree.Element sites : path(root, "system.applicationHost", "sites")) {
      for (XmlTree.Element s : sites.children("site")) {
        if (!s.value("name").map(n -> n.equalsIgnoreCase(site)).orElse(false)) {
          continue;
        }
        for (XmlTree.Element a : s.children("application")) {
          String app = a.value("path").orElse("/");
          for (XmlTree.Element v : a.children("virtualDirectory")) {
            String dir = v.value("path").orElse("/");
            String full = dir.equals("/") ? app : app.equals("/") ? dir : app + dir;
            if (full.equalsIgnoreCase(urlPath)) {
              return v.value("physicalPath");
            }
          }
        }
      }
    }
    return Optional.empty();
  }
}
