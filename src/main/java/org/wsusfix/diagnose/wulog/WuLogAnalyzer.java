package org.wsusfix.diagnose.wulog;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Groups log records into sync attempts and turns the catalogued codes into {@link Signature}s,
 * each attributed to the endpoint its request went to. 0x800710DD counts as the 401 signature only
 * when the same attempt also shows HTTP 401 (or 0x80244017): on its own it is a generic "invalid
 * operation".
 *
 * <p>Whether a failure can be the WSUS server's follows from what the agent printed before it: the
 * {@code WSUS server:} setting in force ({@code (null)} / {@code <NULL>} means Microsoft Update),
 * the service the thread last talked to ({@code ServiceId = {...}, Server URL = ...}), and, for
 * downloads, the host the agent last downloaded from. A URL on the failing line itself decides over
 * all of these.
 */
public final class WuLogAnalyzer {
  private static final Pattern CODE =
      Pattern.compile("(?<![0-9A-Za-z])(?:0x)?(8[0-9A-Fa-f]{7})(?![0-9A-Za-z])");
  // "HTTP status code = 401", "http status code[403]", "HTTP status code '401 (0x191)'"
  private static final Pattern HTTP_STATUS =
      Pattern.compile(
          "HTTP[ _]?status(?:[ _]?code)?\\s*[=:\\['\"]?\\s*(\\d{3})\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern WSUS_SERVER =
      Pattern.compile("WSUS server:\\s*(\\S+)", Pattern.CASE_INSENSITIVE);
  private static final Pattern WSUS_STATUS_SERVER =
      Pattern.compile("WSUS status server:\\s*(\\S+)", Pattern.CASE_INSENSITIVE);
  private static final Pattern SERVICE_ID =
      Pattern.compile(
          "Service\\s?ID\\s*=\\s*\\{?([0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12})",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern URL =
      Pattern.compile("(?i)\\bhttps?://([^/\\s\"',:;\\]]+)(?::(\\d+))?[^\\s\"',]*");
  private static final Pattern DOWNLOAD_FROM =
      Pattern.compile("(?i)Downloading from\\s+(https?://\\S+)");
  private static final Pattern LEGACY_BUILD =
      Pattern.compile("Logging initialized \\(build:\\s*([0-9.]+)");
  private static final Pattern CLIENT_VERSION = Pattern.compile("WU client version\\s+([0-9.]+)");
  private static final Pattern START = Pattern.compile("\\*{1,2}\\s*START\\s*\\*{1,2}");

  /** A quiet spell this long closes an attempt even without a START marker. */
  private static final Duration GAP = Duration.ofMinutes(10);

  private final Map<String, Acc> accs = new LinkedHashMap<>();
  private final List<ServerSetting> settings = new ArrayList<>();
  private String currentServer;
  private String currentStatusServer;

  /** Whether this file has printed a WSUS server setting yet. */
  private boolean serverKnown;

  private long lastLine;
  private String currentBuild;
  private String currentFile;

  /** Per thread id, the service it last talked to. */
  private final Map<String, Service> serviceByThread = new HashMap<>();

  private Service lastService;
  private String lastDownloadHost;
  private Attempt attempt;
  private LocalDateTime lastTime;
  private long records;

  /** What a thread was talking to: a known service, a host, or both. */
  private record Service(UpdateService service, String host) {}

  /** Reads one log; call for each file, then {@link #signatures()}. */
  public void add(Path file) throws IOException {
    currentFile = file.toString();
    currentServer = null;
    currentStatusServer = null;
    serverKnown = false;
    currentBuild = null;
    lastTime = null;
    lastLine = 0;
    serviceByThread.clear();
    lastService = null;
    lastDownloadHost = null;
    WuLogReader.read(file, this::accept);
    closeAttempt();
    closeSetting();
  }

  /** Feeds one record; {@link #finish()} closes the last attempt. */
  public void accept(WuLogLine line) {
    records++;
    String text = line.text();
    boolean boundary =
        attempt == null
            || (lastTime != null && Duration.between(lastTime, line.time()).compareTo(GAP) > 0);
    Matcher m = LEGACY_BUILD.matcher(text);
    if (m.find()) {
      currentBuild = m.group(1);
      boundary = true;
    } else if ((m = CLIENT_VERSION.matcher(text)).find()) {
      currentBuild = m.group(1);
      boundary = true;
    } else if (line.component().equalsIgnoreCase("Agent") && START.matcher(text).find()) {
      boundary = true;
    }
    if (boundary) {
      closeAttempt();
      attempt = new Attempt();
    }
    lastTime = line.time();
    lastLine = line.lineNumber();
    serverSetting(text, line.lineNumber());
    service(line);
    m = DOWNLOAD_FROM.matcher(text);
    if (m.find()) {
      lastDownloadHost = host(m.group(1));
    }
    m = HTTP_STATUS.matcher(text);
    while (m.find()) {
      attempt.httpStatuses.add(Integer.parseInt(m.group(1)));
    }
    m = CODE.matcher(text);
    Set<Long> onLine = new LinkedHashSet<>();
    while (m.find()) {
      long code = Long.parseLong(m.group(1), 16);
      if (ErrorCatalog.find(code).isPresent()) {
        onLine.add(code);
      }
    }
    for (long code : onLine) {
      Target t = target(line, code);
      Occ occ =
          attempt.codes.computeIfAbsent(code + "/" + t.endpoint, k -> new Occ(code, t.endpoint));
      occ.lines++;
      if (occ.first == null) {
        occ.first = line.time();
      }
      occ.last = line.time();
      if (t.server != null) {
        occ.servers.add(t.server);
      }
    }
    if (!onLine.isEmpty() && attempt.build == null) {
      attempt.build = currentBuild;
    }
  }

  public void finish() {
    closeAttempt();
    closeSetting();
  }

  public long records() {
    return records;
  }

  /** The WSUS server settings the logs went through, in file and line order. */
  public List<ServerSetting> serverSettings() {
    return List.copyOf(settings);
  }

  private void serverSetting(String text, long lineNo) {
    Matcher m = WSUS_STATUS_SERVER.matcher(text);
    if (m.find()) {
      currentStatusServer = setting(m.group(1));
      ServerSetting open = openSetting();
      if (open != null && !java.util.Objects.equals(open.statusServer(), currentStatusServer)) {
        settings.set(
            settings.size() - 1,
            new ServerSetting(
                open.file(), open.server(), currentStatusServer, open.firstLine(), -1));
      }
      return;
    }
    m = WSUS_SERVER.matcher(text);
    if (!m.find()) {
      return;
    }
    String server = setting(m.group(1));
    if (serverKnown && java.util.Objects.equals(server, currentServer)) {
      return;
    }
    lastLine = lineNo - 1;
    closeSetting();
    lastLine = lineNo;
    serverKnown = true;
    currentServer = server;
    settings.add(new ServerSetting(currentFile, server, null, lineNo, -1));
  }

  /** The setting of the current file still in force, or null. */
  private ServerSetting openSetting() {
    if (settings.isEmpty()) {
      return null;
    }
    ServerSetting s = settings.get(settings.size() - 1);
    return s.lastLine() < 0 ? s : null;
  }

  /** Ends the open setting at the last record read. */
  private void closeSetting() {
    ServerSetting s = openSetting();
    if (s != null) {
      settings.set(
          settings.size() - 1,
          new ServerSetting(
              s.file(),
              s.server(),
              s.statusServer(),
              s.firstLine(),
              Math.max(s.firstLine(), lastLine)));
    }
  }

  /** (null), <NULL> and an empty value all mean "no WSUS server". */
  private static String setting(String value) {
    return value.startsWith("(") || value.startsWith("<") || value.isEmpty() ? null : value;
  }

  private void service(WuLogLine line) {
    String text = line.text();
    Matcher m = SERVICE_ID.matcher(text);
    UpdateService svc = null;
    boolean named = false;
    if (m.find()) {
      named = true;
      svc = UpdateService.of(m.group(1)).orElse(null);
    }
    String host = null;
    int url = text.indexOf("Server URL");
    if (url < 0) {
      url = text.indexOf("Client/Server URL");
    }
    if (url >= 0) {
      Matcher u = URL.matcher(text);
      if (u.find(url)) {
        host = host(u.group());
      }
    }
    if (!named && host == null) {
      return;
    }
    Service before = serviceByThread.get(line.tid());
    if (!named && before != null && before.service != null) {
      // a second URL line of the same service (SimpleAuthWebService after ClientWebService)
      svc = before.service;
    }
    Service s =
        new Service(svc, host != null ? host : named ? null : before == null ? null : before.host);
    serviceByThread.put(line.tid(), s);
    lastService = s;
  }

  /** Where the request behind a failing line went, and which server to name for it. */
  private record Target(Endpoint endpoint, String server) {}

  private Target target(WuLogLine line, long code) {
    String text = line.text();
    String component = line.component().toLowerCase(Locale.ROOT);
    if (code == 0x8024401BL) {
      return new Target(Endpoint.PROXY, null);
    }
    String wsusHost = currentServer == null ? null : host(currentServer);
    boolean download =
        code >>> 16 == 0x8019L
            || component.startsWith("dnldmgr")
            || component.startsWith("downloadmanager")
            || component.equals("deliveryoptimization")
            || text.toLowerCase(Locale.ROOT).contains("download");
    Matcher u = URL.matcher(text);
    if (u.find()) {
      String h = host(u.group());
      if (h != null) {
        if (sameHost(h, wsusHost)) {
          return new Target(
              download || u.group().toLowerCase(Locale.ROOT).contains("/content/")
                  ? Endpoint.WSUS_CONTENT
                  : Endpoint.WSUS_CLIENT_WEB_SERVICE,
              currentServer);
        }
        if (h.startsWith("sls.")) {
          return new Target(Endpoint.SLS, h);
        }
        if (download) {
          return new Target(Endpoint.DOWNLOAD, h);
        }
        return new Target(
            serverKnown && currentServer == null || microsoft(h)
                ? Endpoint.MICROSOFT_UPDATE
                : Endpoint.UPDATE_SERVER,
            h);
      }
    }
    if (component.equals("sls")) {
      return new Target(Endpoint.SLS, null);
    }
    if (download) {
      String h = lastDownloadHost;
      if (h != null) {
        return sameHost(h, wsusHost)
            ? new Target(Endpoint.WSUS_CONTENT, currentServer)
            : new Target(Endpoint.DOWNLOAD, h);
      }
      if (currentServer != null) {
        return new Target(Endpoint.WSUS_CONTENT, currentServer);
      }
      return serverKnown
              || lastService != null
                  && lastService.service != null
                  && lastService.service != UpdateService.WSUS
          ? new Target(Endpoint.DOWNLOAD, null)
          : new Target(Endpoint.UPDATE_SERVER, null);
    }
    Service s = serviceByThread.getOrDefault(line.tid(), lastService);
    if (s != null) {
      if (s.service == UpdateService.WSUS || s.host != null && sameHost(s.host, wsusHost)) {
        return new Target(
            Endpoint.WSUS_CLIENT_WEB_SERVICE, currentServer != null ? currentServer : s.host);
      }
      if (s.service != null) {
        return new Target(
            s.service.store() ? Endpoint.STORE : Endpoint.MICROSOFT_UPDATE,
            s.host != null ? s.host : s.service.displayName());
      }
      if (s.host != null && microsoft(s.host)) {
        return new Target(Endpoint.MICROSOFT_UPDATE, s.host);
      }
    }
    if (currentServer != null) {
      return new Target(Endpoint.WSUS_CLIENT_WEB_SERVICE, currentServer);
    }
    return serverKnown
        ? new Target(Endpoint.MICROSOFT_UPDATE, null)
        : new Target(Endpoint.UPDATE_SERVER, s != null ? s.host : null);
  }

  /** The lower-case host of a URL, without port; null when it has none. */
  static String host(String url) {
    try {
      String h = URI.create(url.replace("\"", "").replace(" ", "%20")).getHost();
      return h == null ? null : h.toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      Matcher m = URL.matcher(url);
      return m.find() ? m.group(1).toLowerCase(Locale.ROOT) : null;
    }
  }

  /** wsus01 and wsus01.contoso.com are one server: policies often name it either way. */
  private static boolean sameHost(String a, String b) {
    if (a == null || b == null) {
      return false;
    }
    if (a.equals(b)) {
      return true;
    }
    boolean aShort = a.indexOf('.') < 0;
    boolean bShort = b.indexOf('.') < 0;
    if (aShort == bShort) {
      return false;
    }
    String full = aShort ? b : a;
    String bare = aShort ? a : b;
    return full.startsWith(bare + ".");
  }

  private static boolean microsoft(String host) {
    return host.endsWith(".microsoft.com")
        || host.endsWith(".windowsupdate.com")
        || host.endsWith(".windows.com");
  }

  private void closeAttempt() {
    if (attempt == null) {
      return;
    }
    Attempt a = attempt;
    attempt = null;
    boolean saw401 =
        a.httpStatuses.contains(401)
            || a.codes.values().stream().anyMatch(o -> o.code == 0x80244017L);
    for (Occ o : a.codes.values()) {
      long code = o.code;
      ErrorCatalog.Entry entry = ErrorCatalog.find(code).orElseThrow();
      Integer http = entry.httpStatus();
      boolean perm = entry.permissionRelated();
      String meaning = entry.meaning();
      if (code == ErrorCatalog.INVALID_OPERATION) {
        if (saw401) {
          http = 401;
          meaning = "HTTP 401 with 0x800710DD: the WSUS web service refused the client";
        } else {
          perm = false;
          meaning =
              "0x800710DD without HTTP 401 in the same attempt: generic, not the 401 signature";
        }
      }
      if (!o.endpoint.wsus()) {
        // the catalogue's server-side causes are a WSUS server's; this answer came from elsewhere
        meaning =
            (http != null ? "HTTP " + http + " from " : entry.name() + " from ")
                + o.endpoint.description()
                + ", not from a WSUS server";
      }
      String key = code + "/" + http + "/" + perm + "/" + o.endpoint;
      Acc acc = accs.get(key);
      if (acc == null) {
        acc = new Acc(code, entry.name(), http, perm, meaning, o.endpoint);
        accs.put(key, acc);
      }
      acc.count++;
      acc.lines += o.lines;
      if (acc.first == null || o.first.isBefore(acc.first)) {
        acc.first = o.first;
      }
      if (acc.last == null || o.last.isAfter(acc.last)) {
        acc.last = o.last;
      }
      acc.servers.addAll(o.servers);
      if (a.build != null) {
        acc.builds.add(a.build);
      }
      if (currentFile != null) {
        acc.files.add(currentFile);
      }
    }
  }

  /** Failures that may be the WSUS server's first, permission-related first, then by attempts. */
  public List<Signature> signatures() {
    List<Signature> out = new ArrayList<>();
    for (Acc a : accs.values()) {
      out.add(
          new Signature(
              a.code,
              a.name,
              a.http,
              a.perm,
              a.meaning,
              a.endpoint,
              a.count,
              a.lines,
              a.first,
              a.last,
              List.copyOf(a.servers),
              List.copyOf(a.builds),
              List.copyOf(a.files)));
    }
    out.sort(
        Comparator.comparing((Signature s) -> !s.isAuth401())
            .thenComparing(s -> !s.againstWsus())
            .thenComparing(s -> !s.permissionRelated())
            .thenComparing(Comparator.comparingLong(Signature::count).reversed())
            // the agent's own protocol code names the failure better than the BITS echo of it
            .thenComparing(s -> !s.name().startsWith("WU_E_"))
            .thenComparingLong(Signature::code));
    return out;
  }

  private static final class Attempt {
    final Map<String, Occ> codes = new LinkedHashMap<>();
    final Set<Integer> httpStatuses = new LinkedHashSet<>();
    String build;
  }

  private static final class Occ {
    final long code;
    final Endpoint endpoint;
    final Set<String> servers = new LinkedHashSet<>();
    long lines;
    LocalDateTime first;
    LocalDateTime last;

    Occ(long code, Endpoint endpoint) {
      this.code = code;
      this.endpoint = endpoint;
    }
  }

  private static final class Acc {
    final long code;
    final String name;
    final Integer http;
    final boolean perm;
    final String meaning;
    final Endpoint endpoint;
    long count;
    long lines;
    LocalDateTime first;
    LocalDateTime last;
    final Set<String> servers = new LinkedHashSet<>();
    final Set<String> builds = new LinkedHashSet<>();
    final Set<String> files = new LinkedHashSet<>();

    Acc(long code, String name, Integer http, boolean perm, String meaning, Endpoint endpoint) {
      this.code = code;
      this.name = name;
      this.http = http;
      this.perm = perm;
      this.meaning = meaning;
      this.endpoint = endpoint;
    }
  }
}
