package org.wsusfix.diagnose.iislog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.wsusfix.diagnose.input.InputFormatException;

/**
 * Reads HTTP.sys error logs ({@code %windir%\System32\LogFiles\HTTPERR\httperr*.log}): W3C text
 * with their own {@code #Fields} ({@code date time c-ip c-port s-ip s-port cs-version cs-method
 * cs-uri streamid sc-status s-siteid s-reason s-queuename}; {@code streamid} only on newer
 * Windows), one line per request HTTP.sys refused or dropped. The same rules as for IIS logs hold:
 * a UTF-8 byte order mark is skipped, UTF-16 is refused, the columns follow the last {@code
 * #Fields}, a record must have as many fields as it names, and a last line cut short is an error.
 * HTTP.sys rolls these files at a few megabytes, so they are read line by line.
 */
public final class HttpErrLogReader {
  private static final int MAX_LINE = 1 << 20;

  /** How much of a file is looked at to tell an HTTPERR log from an IIS log. */
  private static final int PEEK = 64 << 10;

  private final Map<String, Group> groups = new LinkedHashMap<>();

  private static final class Group {
    final IisEndpoint endpoint;
    final String url;
    final int status;
    final String reason;
    final String queue;
    final Set<String> clients = new HashSet<>();
    final Set<String> files = new LinkedHashSet<>();
    long count;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;

    Group(IisEndpoint endpoint, String url, int status, String reason, String queue) {
      this.endpoint = endpoint;
      this.url = url;
      this.status = status;
      this.reason = reason;
      this.queue = queue;
    }
  }

  /** Whether the file's first #Fields directive is HTTP.sys's (it names s-reason). */
  public static boolean looksLikeHttpErr(Path file) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(PEEK);
    }
    String text = new String(head, StandardCharsets.ISO_8859_1);
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.startsWith("\u00EF\u00BB\u00BF")) {
        l = l.substring(3);
      }
      if (l.startsWith("#Fields:")) {
        return fieldNames(l).contains("s-reason");
      }
      if (!l.isEmpty() && !l.startsWith("#")) {
        return false;
      }
    }
    return false;
  }

  private static List<String> fieldNames(String directive) {
    List<String> names = new ArrayList<>();
    for (String n : directive.substring(8).trim().split(" +")) {
      if (!n.isEmpty()) {
        names.add(n.toLowerCase(Locale.ROOT));
      }
    }
    return names;
  }

  /** Reads one HTTPERR log. */
  public void add(Path file) throws IOException {
    String name = file.toString();
    byte[] all;
    try (InputStream in = Files.newInputStream(file)) {
      all = in.readAllBytes();
    }
    int pos = 0;
    if (all.length == 0) {
      throw InputFormatException.at(name, 1, "empty file, expected an HTTP.sys error log");
    }
    if (all.length >= 3
        && (all[0] & 0xFF) == 0xEF
        && (all[1] & 0xFF) == 0xBB
        && (all[2] & 0xFF) == 0xBF) {
      pos = 3;
    } else if (all.length >= 2
        && ((all[0] & 0xFF) == 0xFF && (all[1] & 0xFF) == 0xFE
            || (all[0] & 0xFF) == 0xFE && (all[1] & 0xFF) == 0xFF)) {
      throw InputFormatException.at(
          name, 1, 1, "UTF-16 text; HTTP.sys writes its error logs as UTF-8");
    }
    if (pos >= all.length || all[pos] != '#') {
      throw InputFormatException.at(
          name,
          1,
          1,
          "not an HTTP.sys error log: it does not start with a #Software or #Fields directive");
    }
    Map<String, Integer> cols = null;
    int count = 0;
    long day = Long.MIN_VALUE;
    long lineNo = 0;
    while (pos < all.length) {
      lineNo++;
      int eol = pos;
      while (eol < all.length && all[eol] != '\n') {
        eol++;
      }
      if (eol - pos > MAX_LINE) {
        throw InputFormatException.at(name, lineNo, "line longer than 1 MB");
      }
      int end = eol > pos && all[eol - 1] == '\r' ? eol - 1 : eol;
      String line = new String(all, pos, end - pos, StandardCharsets.UTF_8);
      pos = eol + 1;
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("#")) {
        if (line.startsWith("#Fields:")) {
          List<String> names = fieldNames(line);
          cols = new LinkedHashMap<>();
          for (int i = 0; i < names.size(); i++) {
            cols.putIfAbsent(names.get(i), i);
          }
          count = names.size();
          if (!cols.containsKey("s-reason")) {
            throw InputFormatException.at(
                name, lineNo, 1, "#Fields has no s-reason column: not an HTTP.sys error log");
          }
        } else if (line.startsWith("#Date:")) {
          String v = line.substring(6).trim();
          byte[] vb = v.getBytes(StandardCharsets.ISO_8859_1);
          day = IisLogAnalyzer.day(vb, 0, vb.length);
        }
        continue;
      }
      if (cols == null) {
        throw InputFormatException.at(name, lineNo, 1, "request line before any #Fields directive");
      }
      String[] f = line.split(" ", -1);
      if (f.length != count) {
        int col = columnOfField(line, Math.min(f.length, count));
        throw InputFormatException.at(
            name,
            lineNo,
            col,
            (f.length < count ? "truncated record: " : "record has extra fields: ")
                + f.length
                + " fields where #Fields names "
                + count);
      }
      record(name, lineNo, line, f, cols, day);
    }
  }

  private static int columnOfField(String line, int field) {
    int col = 1;
    int n = 0;
    for (int i = 0; i < line.length() && n < field; i++) {
      if (line.charAt(i) == ' ') {
        n++;
        col = i + 2;
      }
    }
    return n < field ? line.length() + 1 : col;
  }

  private void record(
      String name,
      long lineNo,
      String line,
      String[] f,
      Map<String, Integer> cols,
      long directiveDay)
      throws IOException {
    String reason = value(f, cols, "s-reason");
    if (reason.isEmpty()) {
      return;
    }
    String statusText = value(f, cols, "sc-status");
    int parsed = -1;
    if (!statusText.isEmpty()) {
      try {
        parsed = Integer.parseInt(statusText);
      } catch (NumberFormatException e) {
        throw InputFormatException.at(
            name,
            lineNo,
            columnOfField(line, cols.get("sc-status")),
            "sc-status is not a number: " + statusText);
      }
    }
    int status = parsed;
    String uri = value(f, cols, "cs-uri");
    String path = uri;
    int scheme = path.indexOf("://");
    if (scheme >= 0) {
      int slash = path.indexOf('/', scheme + 3);
      path = slash < 0 ? "/" : path.substring(slash);
    }
    int q = path.indexOf('?');
    if (q >= 0) {
      path = path.substring(0, q);
    }
    path =
        IisLogAnalyzer.decode(
            path.getBytes(StandardCharsets.UTF_8), 0, path.getBytes(StandardCharsets.UTF_8).length);
    IisEndpoint endpoint = path.isEmpty() ? null : IisEndpoint.of(path);
    String queue = value(f, cols, "s-queuename");
    String client = value(f, cols, "c-ip");
    long epoch = epoch(name, lineNo, line, f, cols, directiveDay);
    String key =
        (endpoint == null ? "?" + path : endpoint.name())
            + "\u0000"
            + status
            + "\u0000"
            + reason.toLowerCase(Locale.ROOT)
            + "\u0000"
            + queue.toLowerCase(Locale.ROOT);
    Group g = groups.computeIfAbsent(key, k -> new Group(endpoint, uri, status, reason, queue));
    g.count++;
    g.clients.add(client);
    g.files.add(name);
    g.first = Math.min(g.first, epoch);
    g.last = Math.max(g.last, epoch);
  }

  private static String value(String[] f, Map<String, Integer> cols, String column) {
    Integer i = cols.get(column);
    if (i == null) {
      return "";
    }
    String v = f[i];
    return v.equals("-") ? "" : v;
  }

  private static long epoch(
      String name,
      long lineNo,
      String line,
      String[] f,
      Map<String, Integer> cols,
      long directiveDay)
      throws IOException {
    long day = directiveDay == Long.MIN_VALUE ? 0 : directiveDay;
    Integer d = cols.get("date");
    if (d != null) {
      byte[] b = f[d].getBytes(StandardCharsets.ISO_8859_1);
      day = b.length == 10 ? IisLogAnalyzer.day(b, 0, 10) : Long.MIN_VALUE;
      if (day == Long.MIN_VALUE) {
        throw InputFormatException.at(
            name, lineNo, columnOfField(line, d), "date is not yyyy-mm-dd");
      }
    }
    long seconds = 0;
    Integer t = cols.get("time");
    if (t != null) {
      String v = f[t];
      if (!v.matches("\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?")) {
        throw InputFormatException.at(name, lineNo, columnOfField(line, t), "time is not hh:mm:ss");
      }
      seconds =
          Integer.parseInt(v.substring(0, 2)) * 3600L
              + Integer.parseInt(v.substring(3, 5)) * 60L
              + Integer.parseInt(v.substring(6, 8));
    }
    return day * 86400 + seconds;
  }

  /** The groups, faults first, most requests first. */
  public List<HttpErrFinding> findings() {
    List<HttpErrFinding> out = new ArrayList<>();
    for (Group g : groups.values()) {
      out.add(
          new HttpErrFinding(
              g.endpoint,
              g.url,
              g.status,
              g.reason,
              g.queue,
              g.count,
              g.clients.size(),
              time(g.first),
              time(g.last),
              List.copyOf(g.files)));
    }
    out.sort(
        Comparator.comparing((HttpErrFinding h) -> !h.fault())
            .thenComparing(h -> h.cause().ordinal())
            .thenComparing(h -> -h.count()));
    return out;
  }

  private static LocalDateTime time(long epoch) {
    return LocalDateTime.ofEpochSecond(epoch, 0, ZoneOffset.UTC);
  }
}
