package org.wsusfix.diagnose.wulog;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.wsusfix.diagnose.wulog.ErrorCatalog;
import org.wsusfix.diagnose.wulog.Signature;

/**
 * Groups log records into sync attempts and turns the catalogued codes into {@link Signature}s.
 * 0x800710DD counts as the 401 signature only when the same attempt also shows HTTP 401 (or
 * 0x80244017): on its own it is a generic "invalid operation".
 */
public final class WuLogAnalyzer {
  private static final Pattern CODE =
      Pattern.compile("(?<![0-9A-Za-z])(?:0x)?(8[0-9A-Fa-f]{7})(?![0-9A-Za-z])");
  private static final Pattern HTTP_STATUS =
      Pattern.compile("HTTP[ _]?status(?:[ _]?code)?\\s*[=:]?\\s*(\\d{3})\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern WSUS_SERVER =
      Pattern.compile("WSUS server:\\s*(\\S+)", Pattern.CASE_INSENSITIVE);
  private static final Pattern SERVER_URL =
      Pattern.compile("Server URL\\s*=\\s*(https?://[^/\\s,]+)", Pattern.CASE_INSENSITIVE);
  private static final Pattern LEGACY_BUILD =
      Pattern.compile("Logging initialized \\(build:\\s*([0-9.]+)");
  private static final Pattern CLIENT_VERSION =
      Pattern.compile("WU client version\\s+([0-9.]+)");
  private static final Pattern START = Pattern.compile("\\*{1,2}\\s*START\\s*\\*{1,2}");
  /** A quiet spell this long closes an attempt even without a START marker. */
  private static final Duration GAP = Duration.ofMinutes(10);

  private final Map<String, Acc> accs = new LinkedHashMap<>();
  private String currentServer;
  private String currentBuild;
  private String currentFile;
  private Attempt attempt;
  private LocalDateTime lastTime;
  private long records;

  /** Reads one log; call for each file, then {@link #signatures()}. */
  public void add(Path file) throws IOException {
    currentFile = file.toString();
    currentServer = null;
    currentBuild = null;
    lastTime = null;
    WuLogReader.read(file, this::accept);
    closeAttempt();
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
    m = WSUS_SERVER.matcher(text);
    if (m.find()) {
      String s = m.group(1);
      currentServer = s.startsWith("(") || s.startsWith("<") ? null : s;
    }
    m = SERVER_URL.matcher(text);
    if (m.find() && attempt.serverUrl == null) {
      attempt.serverUrl = m.group(1);
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
      Occ occ = attempt.codes.computeIfAbsent(code, c -> new Occ());
      occ.lines++;
      if (occ.first == null) {
        occ.first = line.time();
      }
      occ.last = line.time();
    }
    if (!onLine.isEmpty()) {
      if (attempt.server == null) {
        attempt.server = currentServer;
      }
      if (attempt.build == null) {
        attempt.build = currentBuild;
      }
    }
  }

  public void finish() {
    closeAttempt();
  }

  public long records() {
    return records;
  }

  private void closeAttempt() {
    if (attempt == null) {
      return;
    }
    Attempt a = attempt;
    attempt = null;
    boolean saw401 =
        a.httpStatuses.contains(401) || a.codes.containsKey(0x80244017L);
    for (Map.Entry<Long, Occ> e : a.codes.entrySet()) {
      long code = e.getKey();
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
          meaning = "0x800710DD without HTTP 401 in the same attempt: generic, not the 401 signature";
        }
      }
      String key = code + "/" + http + "/" + perm;
      Acc acc = accs.get(key);
      if (acc == null) {
        acc = new Acc(code, entry.name(), http, perm, meaning);
        accs.put(key, acc);
      }
      Occ o = e.getValue();
      acc.count++;
      acc.lines += o.lines;
      if (acc.first == null || o.first.isBefore(acc.first)) {
        acc.first = o.first;
      }
      if (acc.last == null || o.last.isAfter(acc.last)) {
        acc.last = o.last;
      }
      String server = a.server != null ? a.server : a.serverUrl;
      if (server != null) {
        acc.servers.add(server);
      }
      if (a.build != null) {
        acc.builds.add(a.build);
      }
      if (currentFile != null) {
        acc.files.add(currentFile);
      }
    }
  }

  /** Permission-related first, then by attempts. */
  public List<Signature> signatures() {
    List<Signature> out = new ArrayList<>();
    for (Acc a : accs.values()) {
      out.add(
          new Signature(
              a.code, a.name, a.http, a.perm, a.meaning, a.count, a.lines, a.first, a.last,
              List.copyOf(a.servers), List.copyOf(a.builds), List.copyOf(a.files)));
    }
    out.sort(
        Comparator.comparing((Signature s) -> !s.isAuth401())
            .thenComparing(s -> !s.permissionRelated())
            .thenComparing(Comparator.comparingLong(Signature::count).reversed())
            // the agent's own protocol code names the failure better than the BITS echo of it
            .thenComparing(s -> !s.name().startsWith("WU_E_"))
            .thenComparingLong(Signature::code));
    return out;
  }

  private static final class Attempt {
    final Map<Long, Occ> codes = new LinkedHashMap<>();
    final Set<Integer> httpStatuses = new LinkedHashSet<>();
    String server;
    String serverUrl;
    String build;
  }

  private static final class Occ {
    long lines;
    LocalDateTime first;
    LocalDateTime last;
  }

  private static final class Acc {
    final long code;
    final String name;
    final Integer http;
    final boolean perm;
    final String meaning;
    long count;
    long lines;
    LocalDateTime first;
    LocalDateTime last;
    final Set<String> servers = new LinkedHashSet<>();
    final Set<String> builds = new LinkedHashSet<>();
    final Set<String> files = new LinkedHashSet<>();

    Acc(long code, String name, Integer http, boolean perm, String meaning) {
      this.code = code;
      this.name = name;
      this.http = http;
      this.perm = perm;
      this.meaning = meaning;
    }
  }
}
