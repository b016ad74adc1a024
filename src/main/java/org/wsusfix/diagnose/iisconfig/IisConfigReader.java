package org.wsusfix.diagnose.iisconfig;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.wsusfix.diagnose.iisconfig.IisConfig.Application;
import org.wsusfix.diagnose.iisconfig.IisConfig.Identity;
import org.wsusfix.diagnose.iisconfig.IisConfig.Role;
import org.wsusfix.diagnose.iislog.IisEndpoint;
import org.wsusfix.diagnose.input.InputFormatException;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads applicationHost.config (IIS 7 and later) or MetaBase.xml (IIS 6) with the JDK's SAX parser,
 * DOCTYPE declarations refused and external entities off, so a hostile file can neither read local
 * files nor reach the network.
 */
public final class IisConfigReader {
  /** The WSUS application pool on IIS 7+ servers. */
  public static final String WSUS_POOL = "WsusPool";

  private IisConfigReader() {}

  /** applicationHost.config where Windows keeps it, when this is Windows and it exists. */
  public static Path windowsDefault() {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
      return null;
    }
    String windir = System.getenv("windir");
    if (windir == null) {
      windir = System.getenv("SystemRoot");
    }
    if (windir == null) {
      return null;
    }
    // A 32-bit JVM on 64-bit Windows sees System32 redirected; Sysnative reaches the real one.
    for (String dir : new String[] {"Sysnative", "System32"}) {
      Path p = Path.of(windir, dir, "inetsrv", "config", "applicationHost.config");
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  public static IisConfig read(Path file) throws IOException {
    String name = file.toString();
    // The text too, so a setting is reported on the line of its attribute rather than where a
    // multi-line start tag ends (the metabase writes one attribute a line).
    List<String> text =
        Files.size(file) <= (64L << 20)
            ? new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.UTF_8)
                .lines()
                .toList()
            : List.of();
    Handler h = new Handler(name, text);
    try (InputStream in = Files.newInputStream(file)) {
      SAXParser parser = factory().newSAXParser();
      InputSource src = new InputSource(in);
      src.setSystemId(file.toUri().toString());
      parser.parse(src, h);
    } catch (SAXParseException e) {
      String what = e.getMessage() == null ? "not well-formed XML" : e.getMessage();
      if (e.getException() instanceof java.io.CharConversionException
          || what.startsWith("Invalid byte")) {
        throw badBytes(name, file, e); // the parser puts these at 1:1
      }
      if (what.contains("DOCTYPE")) {
        what = "DOCTYPE declarations are not accepted in IIS configuration files";
      }
      throw e.getColumnNumber() > 0
          ? InputFormatException.at(name, Math.max(1, e.getLineNumber()), e.getColumnNumber(), what)
          : InputFormatException.at(name, Math.max(1, e.getLineNumber()), what);
    } catch (java.io.UnsupportedEncodingException e) {
      throw InputFormatException.at(
          name, 1, "the XML declaration names an encoding Java does not know");
    } catch (java.io.CharConversionException e) {
      throw badBytes(name, file, e);
    } catch (InputFormatException e) {
      throw e; // the handler's own, already in words
    } catch (SAXException | ParserConfigurationException | RuntimeException e) {
      // The XML parser's own internal errors ("Scanner State 24 not Recognized") say nothing
      // useful.
      throw new InputFormatException(name + ": not well-formed XML", e);
    }
    return h.result();
  }

  /** Bytes that are not valid in the file's encoding, at the line and column of the first one. */
  private static InputFormatException badBytes(String name, Path file, Exception cause)
      throws IOException {
    byte[] b = Files.readAllBytes(file);
    java.nio.charset.CharsetDecoder d = java.nio.charset.StandardCharsets.UTF_8.newDecoder();
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(b.length + 1);
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(b);
    if (!d.decode(in, out, true).isError()) {
      return new InputFormatException(
          name + ": bytes that do not match the file's encoding", cause);
    }
    out.flip();
    String before = out.toString();
    long line = 1 + before.chars().filter(c -> c == '\n').count();
    long column = before.length() - before.lastIndexOf('\n');
    return InputFormatException.at(
        name,
        line,
        column,
        String.format("byte 0x%02x is not valid UTF-8", b[in.position()] & 0xFF));
  }

  private static SAXParserFactory factory() throws ParserConfigurationException, SAXException {
    SAXParserFactory f = SAXParserFactory.newInstance();
    f.setNamespaceAware(false);
    f.setValidating(false);
    f.setXIncludeAware(false);
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    f.setFeature("http://xml.org/sax/features/external-general-entities", false);
    f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    return f;
  }

  /** An attribute value and the line that set it. */
  private record Setting(String value, int line) {}

  private static final class Pool {
    String name;
    int line;
    Setting identityType;
    Setting userName;
  }

  private static final class App {
    String site;
    String path;
    String pool;
    int line;
    final Map<String, String> vdirs = new LinkedHashMap<>();
  }

  private static final class Handler extends DefaultHandler {
    private final String file;
    private final String shortName;
    private Locator locator;
    private final List<String> stack = new ArrayList<>();
    private boolean metabase;
    private boolean rootSeen;

    // applicationHost.config
    private final Map<String, Pool> pools = new LinkedHashMap<>();
    private Pool defaults = new Pool();
    private Pool currentPool;
    private String currentSite;
    private String siteDefaultPool;
    private final Map<String, String> siteDefaultPools = new HashMap<>();
    private String globalDefaultPool;
    private final Map<String, String> siteIds = new HashMap<>();
    private App currentApp;
    private final List<App> apps = new ArrayList<>();
    private String location;
    private final Map<String, Setting> anonymousUser = new HashMap<>();
    private final Map<String, String> locationAsWritten = new HashMap<>();

    // MetaBase.xml: attributes per Location key, the line of each, and the element names.
    private final Map<String, Map<String, Setting>> nodes = new LinkedHashMap<>();
    private final Map<String, String> nodeTypes = new HashMap<>();

    private final List<String> text;

    Handler(String file, List<String> text) {
      this.file = file;
      this.text = text;
      this.shortName = Path.of(file).getFileName().toString();
    }

    @Override
    public void setDocumentLocator(Locator l) {
      this.locator = l;
    }

    private int line() {
      return locator == null ? 0 : locator.getLineNumber();
    }

    /** The line of attribute {@code attr} in the start tag that ends on the current line. */
    private int line(String attr) {
      int end = line();
      java.util.regex.Pattern p =
          java.util.regex.Pattern.compile(
              "(^|\\s)" + java.util.regex.Pattern.quote(attr) + "\\s*=");
      for (int l = end; l >= 1 && l > end - 200 && l <= text.size(); l--) {
        String t = text.get(l - 1);
        if (p.matcher(t).find()) {
          return l;
        }
        if (t.contains("<")) {
          break; // the start of the tag
        }
      }
      return end;
    }

    private String where(int line) {
      return shortName + ":" + line;
    }

    @Override
    public void startElement(String uri, String local, String qName, Attributes a) {
      String el = qName.contains(":") ? qName.substring(qName.indexOf(':') + 1) : qName;
      if (!rootSeen) {
        rootSeen = true;
        if (!el.equals("configuration")) {
          throw new InputFormatException(
              file
                  + ":"
                  + line()
                  + ": not an IIS configuration file:"
                  + " the root element is <"
                  + el
                  + ">, expected <configuration>");
        }
      }
      String parent = stack.isEmpty() ? "" : stack.get(stack.size() - 1);
      stack.add(el);
      String loc = a.getValue("Location");
      if (loc != null && el.startsWith("IIs")) {
        metabase = true;
        String key = normLoc(loc);
        Map<String, Setting> attrs = nodes.computeIfAbsent(key, k -> new HashMap<>());
        nodeTypes.put(key, el);
        for (int i = 0; i < a.getLength(); i++) {
          attrs.put(a.getQName(i), new Setting(a.getValue(i), line(a.getQName(i))));
        }
        return;
      }
      switch (el) {
        case "location" -> {
          String written = a.getValue("path") == null ? "" : a.getValue("path");
          location = normPath(written);
          locationAsWritten.putIfAbsent(location, written);
        }
        case "add" -> {
          if (parent.equals("applicationPools")) {
            currentPool = new Pool();
            currentPool.name = a.getValue("name");
            currentPool.line = line();
            if (currentPool.name != null) {
              pools.put(currentPool.name.toLowerCase(Locale.ROOT), currentPool);
            }
          }
        }
        case "applicationPoolDefaults" -> currentPool = defaults;
        case "processModel" -> {
          if (currentPool != null) {
            if (a.getValue("identityType") != null) {
              currentPool.identityType =
                  new Setting(a.getValue("identityType"), line("identityType"));
            }
            if (a.getValue("userName") != null) {
              currentPool.userName = new Setting(a.getValue("userName"), line("userName"));
            }
          }
        }
        case "site" -> {
          currentSite = a.getValue("name");
          if (currentSite != null && a.getValue("id") != null) {
            siteIds.put(a.getValue("id").trim(), currentSite);
          }
          siteDefaultPool = null;
        }
        case "applicationDefaults" -> {
          String p = a.getValue("applicationPool");
          if (p != null) {
            if (currentSite != null) {
              siteDefaultPools.put(currentSite, p);
              siteDefaultPool = p;
            } else if (parent.equals("sites")) {
              globalDefaultPool = p;
            }
          }
        }
        case "application" -> {
          if (currentSite != null) {
            currentApp = new App();
            currentApp.site = currentSite;
            currentApp.path = a.getValue("path") == null ? "/" : a.getValue("path");
            currentApp.pool = a.getValue("applicationPool");
            currentApp.line = line();
            apps.add(currentApp);
          }
        }
        case "virtualDirectory" -> {
          if (currentApp != null && a.getValue("path") != null) {
            currentApp.vdirs.put(a.getValue("path"), a.getValue("physicalPath"));
          }
        }
        case "anonymousAuthentication" -> {
          String user = a.getValue("userName");
          if (user != null && stack.contains("system.webServer")) {
            anonymousUser.put(
                location == null ? "" : location, new Setting(user, line("userName")));
          }
        }
        default -> {}
      }
    }

    @Override
    public void endElement(String uri, String local, String qName) {
      String el = stack.remove(stack.size() - 1);
      switch (el) {
        case "location" -> location = null;
        case "add", "applicationPoolDefaults" -> {
          if (stack.size() > 0 && stack.get(stack.size() - 1).equals("applicationPools")) {
            currentPool = null;
          }
        }
        case "site" -> currentSite = null;
        case "application" -> currentApp = null;
        default -> {}
      }
    }

    @Override
    public void endDocument() {
      if (!rootSeen) {
        throw new InputFormatException(file + ":1: empty configuration file");
      }
    }

    IisConfig result() {
      return metabase ? metabaseResult() : applicationHostResult();
    }

    // ---- applicationHost.config ---------------------------------------------------------------

    private IisConfig applicationHostResult() {
      List<Application> out = new ArrayList<>();
      for (App app : apps) {
        String poolName =
            app.pool != null
                ? app.pool
                : siteDefaultPools.getOrDefault(
                    app.site, globalDefaultPool != null ? globalDefaultPool : "DefaultAppPool");
        for (Map.Entry<String, String> v : app.vdirs.entrySet()) {
          String url = joinUrl(app.path, v.getKey());
          IisEndpoint e = endpointOf(url);
          if (e == null) {
            continue;
          }
          Identity pool = poolIdentity(poolName, app.line);
          Identity anon = anonymous(app.site, url, pool);
          out.add(new Application(app.site, url, e, v.getValue(), poolName, anon, pool));
        }
      }
      List<Identity> fallback = new ArrayList<>();
      if (out.isEmpty()) {
        if (pools.containsKey(WSUS_POOL.toLowerCase(Locale.ROOT))) {
          Identity pool =
              poolIdentity(WSUS_POOL, pools.get(WSUS_POOL.toLowerCase(Locale.ROOT)).line);
          fallback.add(anonymous(null, "/", pool));
          fallback.add(pool);
        }
      }
      return new IisConfig(file, 7, null, out, fallback, siteIds);
    }

    private Identity poolIdentity(String poolName, int appLine) {
      Pool p = pools.get(poolName.toLowerCase(Locale.ROOT));
      Setting type = p != null && p.identityType != null ? p.identityType : defaults.identityType;
      Setting user = p != null && p.userName != null ? p.userName : defaults.userName;
      String kind = type == null ? "ApplicationPoolIdentity" : type.value();
      String from =
          type == null
              ? where(p != null ? p.line : appLine)
                  + " application pool "
                  + poolName
                  + " (identityType not set: ApplicationPoolIdentity, the IIS 7.5+ default)"
              : where(type.line())
                  + " application pool "
                  + poolName
                  + " processModel identityType="
                  + kind;
      switch (kind) {
        case "ApplicationPoolIdentity":
          return new Identity(
              "IIS APPPOOL\\" + poolName, IisConfig.appPoolSid(poolName), Role.POOL, from);
        case "NetworkService":
          return new Identity("NT AUTHORITY\\NETWORK SERVICE", "S-1-5-20", Role.POOL, from);
        case "LocalService":
          return new Identity("NT AUTHORITY\\LOCAL SERVICE", "S-1-5-19", Role.POOL, from);
        case "LocalSystem":
          return new Identity("NT AUTHORITY\\SYSTEM", "S-1-5-18", Role.POOL, from);
        case "SpecificUser":
          if (user == null || user.value().isBlank()) {
            throw InputFormatException.at(
                file,
                type.line(),
                "application pool " + poolName + " has identityType SpecificUser but no userName");
          }
          return new Identity(user.value(), null, Role.POOL, from + " userName=" + user.value());
        default:
          throw InputFormatException.at(
              file,
              type.line(),
              "application pool " + poolName + ": unknown identityType '" + kind + "'");
      }
    }

    /** The most specific anonymousAuthentication userName for site/url; empty = the pool. */
    private Identity anonymous(String site, String url, Identity pool) {
      List<String> keys = new ArrayList<>();
      if (site != null) {
        String rest = normPath(url);
        String k = normPath(site) + (rest.isEmpty() ? "" : "/" + rest);
        while (true) {
          keys.add(k);
          int slash = k.lastIndexOf('/');
          if (slash < 0) {
            break;
          }
          k = k.substring(0, slash);
        }
      }
      keys.add("");
      for (String k : keys) {
        Setting s = anonymousUser.get(k);
        if (s == null) {
          continue;
        }
        String at =
            k.isEmpty()
                ? "server-wide"
                : "<location path=\"" + locationAsWritten.getOrDefault(k, k) + "\">";
        String from =
            where(s.line()) + " " + at + " anonymousAuthentication userName=\"" + s.value() + "\"";
        String v = s.value().trim();
        if (v.isEmpty()) {
          return new Identity(
              pool.account(),
              pool.sid(),
              Role.ANONYMOUS,
              from + ": anonymous requests run as the pool identity");
        }
        return userIdentity(v, from);
      }
      return new Identity(
          "NT AUTHORITY\\IUSR",
          "S-1-5-17",
          Role.ANONYMOUS,
          shortName + ": no anonymousAuthentication userName set; IIS uses IUSR");
    }

    // ---- MetaBase.xml -------------------------------------------------------------------------

    private Setting inherited(String loc, String attr) {
      String k = loc;
      while (true) {
        Map<String, Setting> m = nodes.get(k);
        if (m != null && m.containsKey(attr)) {
          return m.get(attr);
        }
        int slash = k.lastIndexOf('/');
        if (slash <= 0) {
          return null;
        }
        k = k.substring(0, slash);
      }
    }

    private IisConfig metabaseResult() {
      List<Application> out = new ArrayList<>();
      String computer = null;
      for (Map.Entry<String, Map<String, Setting>> n : nodes.entrySet()) {
        String loc = n.getKey();
        if (!nodeTypes.get(loc).equals("IIsWebVirtualDir")) {
          continue;
        }
        // /lm/w3svc/<site>/root/<vdir>
        String[] parts = loc.split("/");
        if (parts.length < 6 || !parts[4].equals("root")) {
          continue;
        }
        String url = "/" + String.join("/", java.util.Arrays.copyOfRange(parts, 5, parts.length));
        IisEndpoint e = endpointOf(url);
        if (e == null) {
          continue;
        }
        String siteLoc = "/lm/w3svc/" + parts[3];
        Setting siteName = nodes.getOrDefault(siteLoc, Map.of()).get("ServerComment");
        Setting pathS = n.getValue().get("Path");
        Setting poolS = inherited(loc, "AppPoolId");
        String poolName = poolS == null ? "DefaultAppPool" : poolS.value();
        Identity pool = metabasePool(poolName, poolS);
        Identity anon = metabaseAnonymous(loc);
        if (anon.account().toUpperCase(Locale.ROOT).startsWith("IUSR_") && computer == null) {
          computer = anon.account().substring(5);
        }
        out.add(
            new Application(
                siteName == null ? parts[3] : siteName.value(),
                e.prefix().substring(0, e.prefix().length() - 1),
                e,
                pathS == null ? null : pathS.value(),
                poolName,
                anon,
                pool));
      }
      List<Identity> fallback = new ArrayList<>();
      if (out.isEmpty() && inherited("/lm/w3svc", "AnonymousUserName") != null) {
        Identity anon = metabaseAnonymous("/lm/w3svc");
        fallback.add(anon);
        if (anon.account().toUpperCase(Locale.ROOT).startsWith("IUSR_")) {
          computer = anon.account().substring(5);
        }
      }
      for (Map.Entry<String, Map<String, Setting>> n : nodes.entrySet()) {
        String[] parts = n.getKey().split("/");
        Setting comment = n.getValue().get("ServerComment");
        if ("IIsWebServer".equals(nodeTypes.get(n.getKey()))
            && parts.length == 4
            && comment != null) {
          siteIds.put(parts[3], comment.value());
        }
      }
      return new IisConfig(file, 6, computer, out, fallback, siteIds);
    }

    private Identity metabaseAnonymous(String loc) {
      Setting s = inherited(loc, "AnonymousUserName");
      if (s == null || s.value().isBlank()) {
        throw InputFormatException.at(
            file, s == null ? 1 : s.line(), "no AnonymousUserName for " + loc + " in the metabase");
      }
      return userIdentity(s.value(), where(s.line()) + " AnonymousUserName=\"" + s.value() + "\"");
    }

    private Identity metabasePool(String poolName, Setting poolRef) {
      String loc = "/lm/w3svc/apppools/" + poolName.toLowerCase(Locale.ROOT);
      Setting type = inherited(loc, "AppPoolIdentityType");
      String v = type == null ? "2" : type.value().trim();
      String from =
          (type == null
              ? shortName
                  + " application pool "
                  + poolName
                  + " (AppPoolIdentityType not set: 2, NETWORK SERVICE, the IIS 6 default)"
              : where(type.line()) + " application pool " + poolName + " AppPoolIdentityType=" + v);
      switch (v) {
        case "0":
          return new Identity(
              "NT AUTHORITY\\SYSTEM", "S-1-5-18", Role.POOL, from + " (LocalSystem)");
        case "1":
          return new Identity(
              "NT AUTHORITY\\LOCAL SERVICE", "S-1-5-19", Role.POOL, from + " (LocalService)");
        case "2":
          return new Identity(
              "NT AUTHORITY\\NETWORK SERVICE",
              "S-1-5-20",
              Role.POOL,
              type == null ? from : from + " (NetworkService)");
        case "3":
          {
            Setting user = inherited(loc, "WAMUserName");
            if (user == null || user.value().isBlank()) {
              throw InputFormatException.at(
                  file,
                  type.line(),
                  "application pool " + poolName + " has AppPoolIdentityType 3 but no WAMUserName");
            }
            return userIdentity(
                user.value(),
                from + " (configurable) WAMUserName=\"" + user.value() + "\"",
                Role.POOL);
          }
        default:
          throw InputFormatException.at(
              file,
              type.line(),
              "application pool " + poolName + ": unknown AppPoolIdentityType '" + v + "'");
      }
    }

    private static Identity userIdentity(String user, String from) {
      return userIdentity(user, from, Role.ANONYMOUS);
    }

    private static Identity userIdentity(String user, String from, Role role) {
      String upper = user.toUpperCase(Locale.ROOT);
      if (upper.equals("IUSR") || upper.equals("NT AUTHORITY\\IUSR")) {
        return new Identity("NT AUTHORITY\\IUSR", "S-1-5-17", role, from);
      }
      if (upper.equals("NETWORK SERVICE") || upper.equals("NT AUTHORITY\\NETWORK SERVICE")) {
        return new Identity("NT AUTHORITY\\NETWORK SERVICE", "S-1-5-20", role, from);
      }
      if (upper.startsWith("IIS APPPOOL\\")) {
        return new Identity(user, IisConfig.appPoolSid(user.substring(12)), role, from);
      }
      return new Identity(user, null, role, from);
    }
  }

  private static IisEndpoint endpointOf(String url) {
    String u = url.endsWith("/") ? url : url + "/";
    IisEndpoint e = IisEndpoint.of(u);
    // only the application itself, not folders below it
    return e != null && u.length() == e.prefix().length() ? e : null;
  }

  private static String joinUrl(String app, String vdir) {
    String a = app.endsWith("/") ? app.substring(0, app.length() - 1) : app;
    String v = vdir.equals("/") ? "" : (vdir.startsWith("/") ? vdir : "/" + vdir);
    String u = a + v;
    return u.isEmpty() ? "/" : u;
  }

  /** Location paths: no leading or trailing slash, "." is the root, case kept. */
  private static String normPath(String p) {
    String s = p.trim().replace('\\', '/');
    while (s.startsWith("/")) {
      s = s.substring(1);
    }
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s.equals(".") ? "" : s.toLowerCase(Locale.ROOT);
  }

  private static String normLoc(String loc) {
    String s = loc.trim().replace('\\', '/').toLowerCase(Locale.ROOT);
    while (s.endsWith("/") && s.length() > 1) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }
}
