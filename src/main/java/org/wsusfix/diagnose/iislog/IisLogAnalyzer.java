package org.wsusfix.diagnose.iislog;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.wsusfix.diagnose.input.InputFormatException;
import org.wsusfix.diagnose.input.MappedFile;
import org.wsusfix.diagnose.input.Segments;

/**
 * Reads IIS W3C extended logs and groups the failed responses of the WSUS endpoints.
 *
 * <p>One eight-bytes-at-a-time pass finds each line's end and the spaces between its fields (W3C
 * fields never hold a space), so the {@code sc-status} field is at hand; only lines whose status is
 * 401, 403 or 5xx are parsed further, and what they repeat (stems, client addresses, dates, groups)
 * is looked up by its bytes rather than built again. A line with more or fewer fields than its
 * {@code #Fields} is an error only when it is such a failure: its status is then found by counting
 * spaces from the nearer end. A 401 that is not an ACL refusal is a challenge when a success from
 * the same client and endpoint follows within a short time: the lines right after it are checked at
 * once, and what is not settled there is left to a second pass that walks forward from each open
 * 401.
 *
 * <p>The {@code #Fields} directive decides the columns and may change anywhere in a file (IIS
 * writes a new directive block when it restarts logging). Files are taken in the order given; a
 * challenge at the end of one file may be answered at the start of the next.
 *
 * <p>A large file is split at line starts into one segment per processor, and the first pass runs
 * on all segments at once. A segment after the first cannot know which {@code #Fields} are in force
 * where it starts until the segments before it are done, so it assumes those of the file's opening
 * directive block (what IIS logs nearly always keep) and is scanned again, after the others, when
 * that turns out wrong. Each segment groups its own findings and keeps its open 401s; they are
 * merged in file order, so the result is the same as from one scan. The second pass, which follows
 * open 401s forward, stays sequential.
 */
public final class IisLogAnalyzer {
  /** How long after a 401 a success from the same client still answers it. */
  static final long HANDSHAKE_WINDOW_SECONDS = 120;

  private static final int CHUNK = 4 << 20;
  private static final int MAX_LINE = 1 << 20;

  /** Below this many bytes one thread is fast enough. */
  private static final long PARALLEL_MIN = 32L << 20;

  private static final int MAX_THREADS = 8;

  /** How much of a file's start is read for the directive block the segments start from. */
  private static final int HEADER_PEEK = 64 << 10;

  /** Eight bytes at a time, for the newline search. */
  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
          long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  /** The columns one {@code #Fields} directive names, and the {@code #Date} in force. */
  static final class Columns {
    final long offset;
    final List<String> names;
    final int count;
    int date = -1;
    int time = -1;
    int stem = -1;
    int query = -1;
    int clientIp = -1;
    int status = -1;
    int subStatus = -1;
    int win32 = -1;
    int site = -1;
    long directiveDay = Long.MIN_VALUE;

    Columns(long offset, List<String> names) {
      this.offset = offset;
      this.names = List.copyOf(names);
      this.count = names.size();
      for (int i = 0; i < names.size(); i++) {
        switch (names.get(i).toLowerCase(java.util.Locale.ROOT)) {
          case "date" -> date = i;
          case "time" -> time = i;
          case "cs-uri-stem" -> stem = i;
          case "cs-uri-query" -> query = i;
          case "c-ip" -> clientIp = i;
          case "sc-status" -> status = i;
          case "sc-substatus" -> subStatus = i;
          case "sc-win32-status" -> win32 = i;
          case "s-sitename" -> site = i;
          default -> {}
        }
      }
    }

    /** The block as a segment that continues it sees it: its own #Date lines may re-date it. */
    Columns copy() {
      Columns c = new Columns(offset, names);
      c.directiveDay = directiveDay;
      return c;
    }
  }

  /**
   * What the lines of a segment depend on from before it: the block in force and the last #Date.
   */
  private record Entry(List<String> names, long directiveDay, long pendingDay) {
    static Entry of(Columns c, long pendingDay) {
      return c == null
          ? new Entry(null, Long.MIN_VALUE, pendingDay)
          : new Entry(c.names, c.directiveDay, pendingDay);
    }
  }

  /** One failed request to a WSUS endpoint. */
  private record Hit(
      IisEndpoint endpoint,
      String stem,
      String client,
      String site,
      int status,
      int subStatus,
      long win32,
      long epoch) {}

  /** A 401 that is not an ACL refusal: a challenge, unless nobody answers it. */
  private static final class Candidate {
    final Hit hit;
    final long lineEnd;
    final String key;
    final String file;
    boolean open = true;

    Candidate(Hit hit, long lineEnd, String file) {
      this.hit = hit;
      this.lineEnd = lineEnd;
      this.key = hit.client + '\u0000' + hit.endpoint.ordinal();
      this.file = file;
    }
  }

  private static final class Group {
    final IisEndpoint endpoint;
    final IisLogFinding.Kind kind;
    final int status;
    final int subStatus;
    final String example;
    // win32 codes and their counts: a group sees very few distinct codes, so a linear search over
    // two arrays beats a boxed map on every failed line
    long[] win32Codes = new long[4];
    long[] win32Counts = new long[4];
    int win32Size;
    final Set<String> clients = new HashSet<>();
    final Set<String> sites = new java.util.TreeSet<>();
    final Set<String> files = new LinkedHashSet<>();
    private String lastFile;
    long count;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;

    Group(Hit h, IisLogFinding.Kind kind) {
      this(h.endpoint, h.stem, h.status, h.subStatus, kind);
    }

    Group(
        IisEndpoint endpoint, String example, int status, int subStatus, IisLogFinding.Kind kind) {
      this.endpoint = endpoint;
      this.kind = kind;
      this.status = status;
      this.subStatus = subStatus;
      this.example = example;
    }

    void add(Hit h, String file) {
      add(h.client, h.site, h.win32, h.epoch, file, 1);
    }

    void add(String client, String site, long win32, long epoch, String file, long n) {
      count += n;
      if (site != null) {
        sites.add(site);
      }
      countWin32(win32, n);
      clients.add(client);
      if (file != lastFile) {
        files.add(file);
        lastFile = file;
      }
      if (epoch < first) {
        first = epoch;
      }
      if (epoch > last) {
        last = epoch;
      }
    }

    private void countWin32(long code, long n) {
      for (int i = 0; i < win32Size; i++) {
        if (win32Codes[i] == code) {
          win32Counts[i] += n;
          return;
        }
      }
      if (win32Size == win32Codes.length) {
        win32Codes = java.util.Arrays.copyOf(win32Codes, win32Size * 2);
        win32Counts = java.util.Arrays.copyOf(win32Counts, win32Size * 2);
      }
      win32Codes[win32Size] = code;
      win32Counts[win32Size++] = n;
    }

    TreeMap<Long, Long> win32() {
      TreeMap<Long, Long> m = new TreeMap<>();
      for (int i = 0; i < win32Size; i++) {
        m.put(win32Codes[i], win32Counts[i]);
      }
      return m;
    }

    /** Adds a later segment's group of the same key. */
    void merge(Group o) {
      count += o.count;
      for (int i = 0; i < o.win32Size; i++) {
        countWin32(o.win32Codes[i], o.win32Counts[i]);
      }
      clients.addAll(o.clients);
      sites.addAll(o.sites);
      files.addAll(o.files);
      lastFile = null;
      first = Math.min(first, o.first);
      last = Math.max(last, o.last);
    }
  }

  private static String key(Hit h, IisLogFinding.Kind kind) {
    return h.endpoint.ordinal() + "/" + kind.ordinal() + "/" + h.status + "/" + h.subStatus;
  }

  /** A decoded cs-uri-stem and the WSUS endpoint it belongs to (null outside WSUS). */
  private record Stem(String text, IisEndpoint endpoint) {}

  /** Slots of the caches of recent stems and client addresses. */
  private static final int RECENT = 64;

  /** Slots of the cache of client addresses: a server has many clients, each often back. */
  private static final int CLIENTS = 1024;

  /** A cache slot of a client address, from all its bytes (they are few). */
  private static int clientSlot(byte[] b, int s, int e) {
    int h = 0;
    for (int i = s; i < e; i++) {
      h = 31 * h + b[i];
    }
    h *= 0x9E3779B9;
    return h >>> 22;
  }

  /** A cache slot from the length and the last bytes, where stems differ. */
  private static int slot(byte[] b, int s, int e) {
    int n = e - s;
    int h = n;
    for (int i = Math.max(s, e - 4); i < e; i++) {
      h = 31 * h + b[i];
    }
    if (n > 8) {
      h = 31 * h + b[s + n / 2];
    }
    return (h ^ h >>> 6 ^ h >>> 12) & (RECENT - 1);
  }

  private final int chunk;
  private final int threads;
  private final long parallelMin;
  private final Map<String, Group> groups = new LinkedHashMap<>();
  private final Map<String, ArrayDeque<Candidate>> pendingByKey = new HashMap<>();
  private final ArrayDeque<Candidate> pendingInOrder = new ArrayDeque<>();
  private int pending;
  private long records;

  // Per file: the directive blocks and the 401s left open by the first pass, in file order.
  private Path path;
  private String name;
  private Scan main;

  /** Set when the first segment fails: what the later ones would find no longer matters. */
  private volatile boolean abandoned;

  private final List<Columns> blocks = new ArrayList<>();
  private final List<Candidate> candidates = new ArrayList<>();

  /** Where the lines start: after a UTF-8 byte order mark. */
  private long bodyStart;

  public IisLogAnalyzer() {
    this(CHUNK, Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors()), PARALLEL_MIN);
  }

  /** With a small read size, so tests cross many buffer boundaries with little data. */
  IisLogAnalyzer(int chunk) {
    this(chunk, 1, Long.MAX_VALUE);
  }

  /** Also with a chosen number of segments for files of at least parallelMin bytes, for tests. */
  IisLogAnalyzer(int chunk, int threads, long parallelMin) {
    this.chunk = chunk;
    this.threads = Math.max(1, threads);
    this.parallelMin = parallelMin;
  }

  /** Reads one log file. */
  public void add(Path file) throws IOException {
    path = file;
    name = file.toString();
    blocks.clear();
    candidates.clear();
    abandoned = false;
    try (MappedFile f = new MappedFile(file)) {
      main = new Scan(f);
      scan();
      answerChallenges();
    } finally {
      main = null;
    }
  }

  /** Number of request lines parsed (for tests: the scan skips most lines). */
  long parsedRecords() {
    return records;
  }

  /** The groups found so far; 401s still waiting for an answer count as unanswered. */
  public List<IisLogFinding> findings() {
    for (Candidate c : pendingInOrder) {
      if (c.open) {
        add(c.hit, IisLogFinding.Kind.UNANSWERED_401, c.file);
      }
    }
    pendingInOrder.clear();
    pendingByKey.clear();
    pending = 0;
    List<IisLogFinding> out = new ArrayList<>();
    for (Group g : groups.values()) {
      out.add(
          new IisLogFinding(
              g.endpoint,
              g.kind,
              g.example,
              g.status,
              g.subStatus,
              new LinkedHashMap<>(g.win32()),
              g.count,
              g.clients.size(),
              time(g.first),
              time(g.last),
              List.copyOf(g.files),
              List.copyOf(g.sites)));
    }
    out.sort(
        Comparator.comparing((IisLogFinding f) -> f.kind().ordinal())
            .thenComparing(f -> -f.count())
            .thenComparing(f -> f.endpoint().ordinal()));
    return out;
  }

  private static LocalDateTime time(long epoch) {
    return LocalDateTime.ofEpochSecond(epoch, 0, ZoneOffset.UTC);
  }

  // ---- pass 1: skip search for interesting lines, one segment per processor ---------------------

  private void scan() throws IOException {
    MappedFile in = main.in;
    long size = in.size();
    byte[] buf = new byte[4];
    int head = in.readAt(0, buf, 0, (int) Math.min(size, 4));
    if (size == 0) {
      throw InputFormatException.at(name, 1, "empty file, expected an IIS W3C extended log");
    }
    int start = 0;
    if (head >= 3
        && (buf[0] & 0xFF) == 0xEF
        && (buf[1] & 0xFF) == 0xBB
        && (buf[2] & 0xFF) == 0xBF) {
      start = 3;
    } else if (head >= 2
        && ((buf[0] & 0xFF) == 0xFF && (buf[1] & 0xFF) == 0xFE
            || (buf[0] & 0xFF) == 0xFE && (buf[1] & 0xFF) == 0xFF)) {
      throw InputFormatException.at(
          name, 1, 1, "UTF-16 text; IIS writes W3C logs as UTF-8 or ANSI");
    }
    if (start >= head || buf[start] != '#') {
      throw InputFormatException.at(
          name,
          1,
          1,
          "not an IIS W3C extended log: it does not start with a #Software or #Fields directive");
    }
    bodyStart = start;
    long[] bounds = bounds(start, size);
    if (bounds.length == 2) {
      Scan s = new Scan(in);
      s.run(start, size, null, Long.MIN_VALUE);
      merge(s);
    } else {
      scanParallel(bounds);
    }
    checkLastLine(size);
  }

  /**
   * Segment starts: near equal shares of the file, each moved to the start of a line. A line of
   * more than a megabyte at a share's end stays whole in the earlier segment.
   */
  private long[] bounds(long start, long size) throws IOException {
    if (threads <= 1 || size - start < parallelMin) {
      return new long[] {start, size};
    }
    List<Long> b = new ArrayList<>();
    b.add(start);
    byte[] w = new byte[(int) Math.min(MAX_LINE, size - start)];
    for (int i = 1; i < threads; i++) {
      long p = start + (size - start) * i / threads;
      if (p <= start) {
        continue;
      }
      // the first newline at or after p - 1: a share that already ends at a line start keeps it
      int n = main.in.readAt(p - 1, w, 0, w.length);
      int nl = lineEnd(w, 0, n);
      long q = p + nl;
      if (nl < n && q < size && q > b.get(b.size() - 1)) {
        b.add(q);
      }
    }
    b.add(size);
    long[] out = new long[b.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.get(i);
    }
    return out;
  }

  private void scanParallel(long[] bounds) throws IOException {
    int n = bounds.length - 1;
    // what the segments after the first assume is in force where they start
    Scan header = new Scan(main.in);
    try {
      header.header(bounds[0], Math.min(bounds[1], bounds[0] + HEADER_PEEK));
    } catch (InputFormatException e) {
      header = new Scan(main.in); // the first segment reports it
    }
    Columns guess = header.cur;
    long guessDay = header.pendingDay;
    Entry assumed = Entry.of(guess, guessDay);
    Scan[] parts = new Scan[n];
    Throwable[] failures =
        Segments.run(
            n,
            name,
            k -> {
              if (k == 0) {
                try {
                  parts[0] = new Scan(main.in);
                  parts[0].run(bounds[0], bounds[1], null, Long.MIN_VALUE);
                } catch (Throwable e) {
                  abandoned = true; // the later segments' work can no longer count
                  throw e;
                }
                return;
              }
              try (MappedFile src = new MappedFile(path)) {
                Scan s = new Scan(src);
                parts[k] = s;
                s.run(bounds[k], bounds[k + 1], guess, guessDay);
              }
            });
    // In file order: the first failure is the one a single scan would have met first.
    Scan before = null;
    for (int k = 0; k < n; k++) {
      Scan s = parts[k];
      Throwable failure = failures[k];
      if (k > 0 && !assumed.equals(Entry.of(before.cur, before.pendingDay))) {
        s = new Scan(main.in);
        s.run(bounds[k], bounds[k + 1], before.cur, before.pendingDay);
        failure = null;
      }
      Segments.rethrow(failure);
      merge(s);
      before = s;
    }
  }

  /** Takes a segment's results after those of the segments before it. */
  private void merge(Scan s) {
    if (s.inherited != null && !blocks.isEmpty()) {
      // a #Date in this segment re-dated the block it continues, for the second pass too
      blocks.get(blocks.size() - 1).directiveDay = s.inherited.directiveDay;
    }
    blocks.addAll(s.blocks);
    candidates.addAll(s.candidates);
    records += s.records;
    for (Map.Entry<String, Group> e : s.groups.entrySet()) {
      Group g = groups.get(e.getKey());
      if (g == null) {
        groups.put(e.getKey(), e.getValue());
      } else {
        g.merge(e.getValue());
      }
    }
  }

  private static int lastNewline(byte[] b, int len) {
    for (int i = len - 1; i >= 0; i--) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static boolean startsWith(byte[] b, int from, int to, String prefix) {
    if (to - from < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (b[from + i] != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** Lines looked at after a 401 for the success that answers it, before leaving it to pass 2. */
  private static final int LOOKAHEAD = 32;

  /**
   * The index (0-7) of the lowest byte of t whose high bit is set, t having only high bits set. A
   * multiply instead of Long.numberOfTrailingZeros, which the quick compiler the launcher uses does
   * not turn into one instruction.
   */
  static int lowestFlaggedByte(long t) {
    return (int) ((((t & -t) >>> 7) * 0x0001020304050607L) >>> 56);
  }

  /** Index of the next newline at or after from, or limit. */
  private static int lineEnd(byte[] b, int from, int limit) {
    int i = from;
    while (i + 8 <= limit) {
      long x = (long) LONGS.get(b, i) ^ 0x0A0A0A0A0A0A0A0AL;
      // the lowest byte flagged is the first newline (bytes above it may be flagged falsely)
      long t = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
      if (t != 0) {
        return i + lowestFlaggedByte(t);
      }
      i += 8;
    }
    while (i < limit && b[i] != '\n') {
      i++;
    }
    return i;
  }

  /** A file that stops inside a record (copied while IIS was writing): the record must be whole. */
  private void checkLastLine(long size) throws IOException {
    int tail = (int) Math.min(size, MAX_LINE);
    byte[] b = new byte[tail];
    main.in.readAt(size - tail, b, 0, tail);
    int end = tail;
    if (end > 0 && b[end - 1] == '\n') {
      return;
    }
    int ls = lastNewline(b, end) + 1;
    if (ls >= end || b[ls] == '#') {
      return;
    }
    long offset = size - tail + ls;
    Columns c = blockAt(offset);
    if (c == null) {
      throw InputFormatException.at(
          name, main.lineNumber(offset), 1, "request line before any #Fields directive");
    }
    main.split(b, ls, end);
    if (main.fields != c.count) {
      throw InputFormatException.at(
          name,
          main.lineNumber(offset),
          end - ls + 1,
          "truncated record: " + main.fields + " fields where #Fields names " + c.count);
    }
  }

  private Columns blockAt(long offset) {
    int lo = 0;
    int hi = blocks.size() - 1;
    Columns found = null;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      Columns c = blocks.get(mid);
      if (c.offset < offset) {
        found = c;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /**
   * Reads lines of the current file through its own reader: one segment of the first pass (its
   * directive blocks, groups and open 401s kept apart until merged), or lines for the second.
   */
  private final class Scan {
    final MappedFile in;
    private int[] fieldStart = new int[64];
    private int[] fieldEnd = new int[64];
    private int fields;

    /** The block in force, and the day of the last #Date. */
    Columns cur;

    long pendingDay = Long.MIN_VALUE;

    /** This segment's copy of the block in force where it starts, or null. */
    Columns inherited;

    final List<Columns> blocks = new ArrayList<>();
    final List<Candidate> candidates = new ArrayList<>();
    final Map<String, Group> groups = new LinkedHashMap<>();
    long records;

    Scan(MappedFile in) {
      this.in = in;
    }

    /** The directive lines at the start of the file, up to the first request line. */
    void header(long from, long to) throws IOException {
      byte[] b = in.readAt(from, (int) (to - from));
      int ls = 0;
      while (ls < b.length) {
        int eol = lineEnd(b, ls, b.length);
        if (eol == b.length || b[ls] != '#' && !(eol - ls <= 1)) {
          return;
        }
        int end = eol > ls && b[eol - 1] == '\r' ? eol - 1 : eol;
        if (startsWith(b, ls, end, "#Fields:") || startsWith(b, ls, end, "#Date:")) {
          directive(b, ls, eol, from + ls);
        }
        ls = eol + 1;
      }
    }

    /** Scans the lines of [from, to), which starts at a line start, after the given state. */
    void run(long from, long to, Columns block, long day) throws IOException {
      cur = inherited = block == null ? null : block.copy();
      pendingDay = day;
      // a segment that fits is read whole: no line in it can be too long then, as with any size
      byte[] buf = new byte[(int) Math.min(chunk + MAX_LINE, to - from)];
      long base = from;
      int carry = 0;
      while (!abandoned) {
        int want = (int) Math.min(Math.min(chunk, buf.length - carry), to - base - carry);
        int n = in.readAt(base + carry, buf, carry, want);
        int len = carry + n;
        boolean eof = base + len >= to;
        int limit = len;
        if (!eof) {
          limit = lastNewline(buf, len) + 1;
          if (limit == 0) {
            if (len == buf.length) {
              throw InputFormatException.at(name, lineNumber(base), "line longer than 1 MB");
            }
            carry = len;
            continue;
          }
        }
        search(buf, limit, base);
        if (eof) {
          break;
        }
        carry = len - limit;
        System.arraycopy(buf, limit, buf, 0, carry);
        base += limit;
      }
    }

    /** Reads the lines of b[0, limit), which starts at a line start at file offset base. */
    private void search(byte[] b, int limit, long base) throws IOException {
      Columns c = cur;
      int ls = 0;
      while (ls < limit) {
        // one pass finds the line's end and its fields: on a broken server most lines are failures,
        // which need their fields, and a second pass over them cost as much as the first
        int eol = splitLine(b, ls, limit);
        int end = eol > ls && b[eol - 1] == '\r' ? eol - 1 : eol;
        if (end == ls) {
          ls = eol + 1;
          continue;
        }
        if (b[ls] == '#') {
          if (startsWith(b, ls, end, "#Fields:") || startsWith(b, ls, end, "#Date:")) {
            directive(b, ls, eol, base + ls);
            c = cur;
          }
          ls = eol + 1;
          continue;
        }
        long next = base + Math.min(eol + 1, limit);
        if (c == null) {
          record(c, b, ls, eol, base + ls, next); // reports the missing #Fields
        }
        int k = c.status;
        if (fields == c.count) {
          int fs = fieldStart[k];
          if (fieldEnd[k] - fs != 3) {
            record(c, b, ls, eol, base + ls, next); // not a number, or "-"
          } else {
            byte d0 = b[fs];
            byte d1 = b[fs + 1];
            byte d2 = b[fs + 2];
            if (d0 == '5' || d0 == '4' && d1 == '0' && (d2 == '1' || d2 == '3')) {
              int before = candidates.size();
              recordSplit(c, b, ls, base + ls, next);
              if (candidates.size() > before) {
                answerAhead(b, eol + 1, limit, base, c);
              }
            }
          }
          ls = eol + 1;
          continue;
        }
        // a line with more or fewer fields than #Fields names: only a failure is an error, as
        // where the status is found from the nearer end of the line
        int fs;
        int fe;
        int fromEnd = c.count - 1 - k;
        if (k <= fromEnd) {
          fs = ls;
          for (int n = 0; n < k && fs < end; fs++) {
            if (b[fs] == ' ') {
              n++;
            }
          }
          fe = fs;
          while (fe < end && b[fe] != ' ') {
            fe++;
          }
        } else {
          fe = end;
          for (int n = 0; n < fromEnd && fe > ls; fe--) {
            if (b[fe - 1] == ' ') {
              n++;
            }
          }
          // fe now stands on the space after the status field (or at the line end)
          fs = fe;
          while (fs > ls && b[fs - 1] != ' ') {
            fs--;
          }
        }
        if (fe - fs != 3 || fs == ls && k > 0) {
          // the line is shorter than #Fields says: let the full parse name the fault
          record(c, b, ls, eol, base + ls, next);
        } else {
          byte d0 = b[fs];
          byte d1 = b[fs + 1];
          byte d2 = b[fs + 2];
          if (d0 == '5' || d0 == '4' && d1 == '0' && (d2 == '1' || d2 == '3')) {
            int before = candidates.size();
            record(c, b, ls, eol, base + ls, next);
            if (candidates.size() > before) {
              answerAhead(b, eol + 1, limit, base, c);
            }
          }
        }
        ls = eol + 1;
      }
    }

    /**
     * The answer to a challenge nearly always follows within a few lines: look for it in the buffer
     * at once. What is not found here (or crosses a directive) is left to the second pass.
     */
    private void answerAhead(byte[] b, int from, int limit, long base, Columns c)
        throws IOException {
      Candidate cand = candidates.get(candidates.size() - 1);
      int q = from;
      for (int n = 0; n < LOOKAHEAD && q < limit; n++) {
        int e = lineEnd(b, q, limit);
        if (e == limit || b[q] == '#') {
          return;
        }
        split(b, q, e);
        if (fields != c.count) {
          return;
        }
        int sStart = fieldStart[c.status];
        int sLen = fieldEnd[c.status] - sStart;
        boolean success =
            sLen == 3
                && (b[sStart] == '2'
                    || b[sStart] == '3' && b[sStart + 1] == '0' && b[sStart + 2] == '4');
        if (success) {
          IisEndpoint endpoint = IisEndpoint.of(stem(b, c));
          String client = c.clientIp < 0 ? "-" : text(b, c.clientIp);
          if (endpoint == cand.hit.endpoint && client.equals(cand.hit.client)) {
            long t = epoch(b, c, base + q, q);
            if (t - cand.hit.epoch <= HANDSHAKE_WINDOW_SECONDS) {
              candidates.remove(candidates.size() - 1);
              add(cand.hit, IisLogFinding.Kind.HANDSHAKE);
            }
            return;
          }
        }
        q = e + 1;
      }
    }

    private void directive(byte[] b, int from, int to, long offset) throws IOException {
      if (to > from && b[to - 1] == '\r') {
        to--;
      }
      String line = new String(b, from, to - from, StandardCharsets.ISO_8859_1);
      if (line.startsWith("#Fields:")) {
        List<String> names = new ArrayList<>();
        for (String n : line.substring(8).trim().split(" +")) {
          if (!n.isEmpty()) {
            names.add(n);
          }
        }
        if (names.isEmpty()) {
          throw InputFormatException.at(name, lineNumber(offset), 9, "#Fields names no columns");
        }
        Columns c = new Columns(offset, names);
        c.directiveDay = pendingDay;
        if (c.status < 0) {
          throw InputFormatException.at(
              name,
              lineNumber(offset),
              1,
              "#Fields has no sc-status column; log the HTTP status to diagnose");
        }
        blocks.add(c);
        cur = c;
      } else if (line.startsWith("#Date:")) {
        String v = line.substring(6).trim();
        long day = day(v.getBytes(StandardCharsets.ISO_8859_1), 0, v.length());
        if (day == Long.MIN_VALUE) {
          throw InputFormatException.at(
              name, lineNumber(offset), 7, "#Date is not yyyy-mm-dd hh:mm:ss: " + v);
        }
        pendingDay = day;
        if (cur != null && cur.date < 0) {
          // a #Date after #Fields still dates the records that follow
          cur.directiveDay = day;
        }
      }
    }

    /**
     * Splits the request line b[from, to) at file offset `offset` into the fields of block c, which
     * must be as many as the block names.
     */
    void fields(Columns c, byte[] b, int from, int to, long offset) throws IOException {
      if (c == null) {
        throw InputFormatException.at(
            name, lineNumber(offset), 1, "request line before any #Fields directive");
      }
      split(b, from, to);
      if (fields != c.count) {
        int col =
            fields > c.count ? fieldStart[c.count] - from + 1 : fieldEnd[fields - 1] - from + 1;
        throw InputFormatException.at(
            name,
            lineNumber(offset),
            col,
            (fields < c.count ? "truncated record: " : "record has extra fields: ")
                + fields
                + " fields where"
                + " #Fields names "
                + c.count);
      }
    }

    /**
     * Parses the request line b[from, to) at file offset `offset` under block c; `next` is the
     * offset of the line after it. A failed request to a WSUS endpoint is grouped, or kept as a
     * possible challenge.
     */
    private void record(Columns c, byte[] b, int from, int to, long offset, long next)
        throws IOException {
      fields(c, b, from, to, offset);
      recordSplit(c, b, from, offset, next);
    }

    /** As record, for a line already split into as many fields as c names. */
    private void recordSplit(Columns c, byte[] b, int from, long offset, long next)
        throws IOException {
      records++;
      int status = (int) number(b, c.status, offset, from, "sc-status");
      if (!(status == 401 || status == 403 || status >= 500 && status < 600)) {
        return;
      }
      Stem stem = recentStem(b, c);
      long epoch = epoch(b, c, offset, from);
      if (stem.endpoint == null) {
        return;
      }
      String client = c.clientIp < 0 ? "-" : recentClient(b, c.clientIp);
      int sub = c.subStatus < 0 ? -1 : (int) number(b, c.subStatus, offset, from, "sc-substatus");
      long win32 = c.win32 < 0 ? -1 : number(b, c.win32, offset, from, "sc-win32-status");
      String site = c.site < 0 ? null : recentSite(b, c.site);
      IisLogFinding.Kind kind;
      if (IisStatusText.permissionDenied(status, sub, win32)) {
        kind = IisLogFinding.Kind.PERMISSION;
      } else if (status == 401) {
        Hit h = new Hit(stem.endpoint, stem.text, client, site, status, sub, win32, epoch);
        candidates.add(new Candidate(h, next, name));
        return;
      } else if (status == 403) {
        kind = IisLogFinding.Kind.FORBIDDEN;
      } else if (status == 503) {
        kind = IisLogFinding.Kind.UNAVAILABLE;
      } else {
        kind = IisLogFinding.Kind.SERVER_ERROR;
      }
      group(stem, status, sub, kind).add(client, site, win32, epoch, name, 1);
    }

    private void add(Hit h, IisLogFinding.Kind kind) {
      groups.computeIfAbsent(key(h, kind), k -> new Group(h, kind)).add(h, name);
    }

    // On a broken server nearly every line is a failure of one of a few kinds: the group of the
    // last few is kept by a numeric key, so that a line costs no key string and no map look-up.
    private final long[] recentKeys = {-1, -1, -1, -1};
    private final Group[] recentGroups = new Group[4];
    private int recentNext;

    private Group group(Stem stem, int status, int sub, IisLogFinding.Kind kind) {
      long k =
          sub < -1 || sub > 0xFFFF
              ? -1
              : (long) stem.endpoint.ordinal()
                  | (long) kind.ordinal() << 8
                  | (long) status << 16
                  | (long) (sub + 1) << 32;
      if (k >= 0) {
        for (int i = 0; i < recentKeys.length; i++) {
          if (recentKeys[i] == k) {
            return recentGroups[i];
          }
        }
      }
      String key = stem.endpoint.ordinal() + "/" + kind.ordinal() + "/" + status + "/" + sub;
      Group g =
          groups.computeIfAbsent(key, x -> new Group(stem.endpoint, stem.text, status, sub, kind));
      if (k >= 0) {
        recentKeys[recentNext] = k;
        recentGroups[recentNext] = g;
        recentNext = (recentNext + 1) & 3;
      }
      return g;
    }

    // Decoded stems and client addresses of recent lines, by their bytes: a log repeats a few of
    // each on nearly every line.
    private final byte[][] stemKeys = new byte[RECENT][];
    private final Stem[] stemValues = new Stem[RECENT];
    private final byte[][] clientKeys = new byte[CLIENTS][];
    private final String[] clientValues = new String[CLIENTS];

    private Stem recentStem(byte[] b, Columns c) {
      if (c.stem < 0) {
        return new Stem("", IisEndpoint.of(""));
      }
      int s = fieldStart[c.stem];
      int e = fieldEnd[c.stem];
      int slot = slot(b, s, e);
      byte[] k = stemKeys[slot];
      if (k != null && java.util.Arrays.equals(k, 0, k.length, b, s, e)) {
        return stemValues[slot];
      }
      String text = decode(b, s, e);
      Stem v = new Stem(text, IisEndpoint.of(text));
      stemKeys[slot] = java.util.Arrays.copyOfRange(b, s, e);
      stemValues[slot] = v;
      return v;
    }

    // A log's lines name one site or a few: the last one is kept by its bytes.
    private byte[] siteKey;
    private String siteValue;

    private String recentSite(byte[] b, int field) {
      int s = fieldStart[field];
      int e = fieldEnd[field];
      if (siteKey != null && java.util.Arrays.equals(siteKey, 0, siteKey.length, b, s, e)) {
        return siteValue;
      }
      String v = text(b, field);
      siteValue = v.equals("-") ? null : v;
      siteKey = java.util.Arrays.copyOfRange(b, s, e);
      return siteValue;
    }

    private String recentClient(byte[] b, int field) {
      int s = fieldStart[field];
      int e = fieldEnd[field];
      int slot = clientSlot(b, s, e);
      byte[] k = clientKeys[slot];
      if (k != null && java.util.Arrays.equals(k, 0, k.length, b, s, e)) {
        return clientValues[slot];
      }
      String v = text(b, field);
      clientKeys[slot] = java.util.Arrays.copyOfRange(b, s, e);
      clientValues[slot] = v;
      return v;
    }

    /**
     * Finds the end of the line at from (the next newline, or limit) and splits the line at single
     * spaces, as split does, in the same eight-bytes-at-a-time pass. Returns the end.
     */
    int splitLine(byte[] b, int from, int limit) {
      int[] starts = fieldStart;
      int[] ends = fieldEnd;
      int n = 0;
      int s = from;
      int i = from;
      int eol = -1;
      while (i + 8 <= limit) {
        long w = (long) LONGS.get(b, i);
        long x = w ^ 0x0A0A0A0A0A0A0A0AL;
        long nl = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
        long y = w ^ 0x2020202020202020L;
        long sp = ~(((y & 0x7F7F7F7F7F7F7F7FL) + 0x7F7F7F7F7F7F7F7FL) | y | 0x7F7F7F7F7F7F7F7FL);
        if (nl != 0) {
          long lowest = nl & -nl;
          sp &= lowest - 1; // only the spaces before the newline
          eol = i + lowestFlaggedByte(lowest);
        }
        while (sp != 0) {
          int at = i + lowestFlaggedByte(sp);
          if (n == starts.length) {
            fields = n;
            grow();
            starts = fieldStart;
            ends = fieldEnd;
          }
          starts[n] = s;
          ends[n++] = at;
          s = at + 1;
          sp &= sp - 1;
        }
        if (eol >= 0) {
          break;
        }
        i += 8;
      }
      if (eol < 0) {
        while (i < limit && b[i] != '\n') {
          if (b[i] == ' ') {
            if (n == starts.length) {
              fields = n;
              grow();
              starts = fieldStart;
              ends = fieldEnd;
            }
            starts[n] = s;
            ends[n++] = i;
            s = i + 1;
          }
          i++;
        }
        eol = i;
      }
      fields = n;
      int end = eol > s && b[eol - 1] == '\r' ? eol - 1 : eol;
      field(s, Math.max(s, end));
      return eol;
    }

    /** Splits b[from, to) at single spaces; eight bytes at a time, as the newline search. */
    void split(byte[] b, int from, int to) {
      if (to > from && b[to - 1] == '\r') {
        to--;
      }
      fields = 0;
      int s = from;
      int i = from;
      while (i + 8 <= to) {
        long x = (long) LONGS.get(b, i) ^ 0x2020202020202020L;
        // exact: a byte's high bit is set only where that byte was a space
        long t = ~(((x & 0x7F7F7F7F7F7F7F7FL) + 0x7F7F7F7F7F7F7F7FL) | x | 0x7F7F7F7F7F7F7F7FL);
        while (t != 0) {
          int at = i + lowestFlaggedByte(t);
          if (fields == fieldStart.length) {
            grow();
          }
          fieldStart[fields] = s;
          fieldEnd[fields++] = at;
          s = at + 1;
          t &= t - 1;
        }
        i += 8;
      }
      for (; i < to; i++) {
        if (b[i] == ' ') {
          field(s, i);
          s = i + 1;
        }
      }
      field(s, to);
    }

    private void field(int start, int end) {
      if (fields == fieldStart.length) {
        grow();
      }
      fieldStart[fields] = start;
      fieldEnd[fields] = end;
      fields++;
    }

    private void grow() {
      fieldStart = java.util.Arrays.copyOf(fieldStart, fields * 2);
      fieldEnd = java.util.Arrays.copyOf(fieldEnd, fields * 2);
    }

    String text(byte[] b, int field) {
      int s = fieldStart[field];
      int e = fieldEnd[field];
      if (e - s == 1 && b[s] == '-') {
        return "-";
      }
      return new String(b, s, e - s, StandardCharsets.UTF_8);
    }

    String stem(byte[] b, Columns c) {
      return c.stem < 0 ? "" : decode(b, fieldStart[c.stem], fieldEnd[c.stem]);
    }

    long number(byte[] b, int field, long offset, int from, String what) throws IOException {
      int s = fieldStart[field];
      int e = fieldEnd[field];
      if (e - s == 1 && b[s] == '-') {
        return -1;
      }
      long v = 0;
      if (s == e || e - s > 12) {
        throw InputFormatException.at(
            name, lineNumber(offset), s - from + 1, what + " is not a number");
      }
      for (int i = s; i < e; i++) {
        int d = b[i] - '0';
        if (d < 0 || d > 9) {
          throw InputFormatException.at(
              name,
              lineNumber(offset),
              s - from + 1,
              what + " is not a number: " + new String(b, s, e - s, StandardCharsets.ISO_8859_1));
        }
        v = v * 10 + d;
      }
      return v;
    }

    private final byte[] lastDate = new byte[10];
    private long lastDay = Long.MIN_VALUE;

    long epoch(byte[] b, Columns c, long offset, int from) throws IOException {
      long day;
      if (c.date >= 0) {
        int s = fieldStart[c.date];
        if (fieldEnd[c.date] - s != 10) {
          day = Long.MIN_VALUE;
        } else if (lastDay != Long.MIN_VALUE
            && java.util.Arrays.equals(lastDate, 0, 10, b, s, s + 10)) {
          day = lastDay; // a log is one day or a few: the date rarely changes between lines
        } else {
          day = day(b, s, 10);
          if (day != Long.MIN_VALUE) {
            System.arraycopy(b, s, lastDate, 0, 10);
            lastDay = day;
          }
        }
        if (day == Long.MIN_VALUE) {
          throw InputFormatException.at(
              name, lineNumber(offset), s - from + 1, "date is not yyyy-mm-dd");
        }
      } else {
        day = c.directiveDay == Long.MIN_VALUE ? 0 : c.directiveDay;
      }
      long seconds = 0;
      if (c.time >= 0) {
        int s = fieldStart[c.time];
        int e = fieldEnd[c.time];
        if (e - s < 8 || b[s + 2] != ':' || b[s + 5] != ':') {
          throw InputFormatException.at(
              name, lineNumber(offset), s - from + 1, "time is not hh:mm:ss");
        }
        seconds = two(b, s) * 3600L + two(b, s + 3) * 60L + two(b, s + 6);
        if (seconds < 0) {
          throw InputFormatException.at(
              name, lineNumber(offset), s - from + 1, "time is not hh:mm:ss");
        }
      }
      return day * 86400 + seconds;
    }

    long lineNumber(long offset) throws IOException {
      byte[] b = new byte[1 << 16];
      long line = 1;
      for (long p = 0; p < offset; ) {
        int n = in.readAt(p, b, 0, (int) Math.min(b.length, offset - p));
        if (n <= 0) {
          break;
        }
        for (int i = 0; i < n; i++) {
          if (b[i] == '\n') {
            line++;
          }
        }
        p += n;
      }
      return line;
    }
  }

  private static int two(byte[] b, int i) {
    int h = b[i] - '0';
    int l = b[i + 1] - '0';
    return h < 0 || h > 9 || l < 0 || l > 9 ? -100000 : h * 10 + l;
  }

  /** Days since 1970-01-01 of yyyy-mm-dd at b[s], or Long.MIN_VALUE when it is not one. */
  static long day(byte[] b, int s, int len) {
    if (len < 10 || b[s + 4] != '-' || b[s + 7] != '-') {
      return Long.MIN_VALUE;
    }
    int y1 = two(b, s);
    int y2 = two(b, s + 2);
    int m = two(b, s + 5);
    int d = two(b, s + 8);
    if (y1 < 0 || y2 < 0 || m < 1 || m > 12 || d < 1 || d > 31) {
      return Long.MIN_VALUE;
    }
    int y = y1 * 100 + y2;
    // days from civil (proleptic Gregorian)
    y -= m <= 2 ? 1 : 0;
    int era = y / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097L + doe - 719468;
  }

  /** %XX-decodes a logged URL part as UTF-8; '-' is the empty value. */
  static String decode(byte[] b, int s, int e) {
    if (e - s == 1 && b[s] == '-') {
      return "";
    }
    boolean plain = true;
    for (int i = s; i < e; i++) {
      if (b[i] == '%') {
        plain = false;
        break;
      }
    }
    if (plain) {
      return new String(b, s, e - s, StandardCharsets.UTF_8);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(e - s);
    for (int i = s; i < e; i++) {
      int h;
      int l;
      if (b[i] == '%'
          && i + 2 < e
          && (h = Character.digit(b[i + 1], 16)) >= 0
          && (l = Character.digit(b[i + 2], 16)) >= 0) {
        out.write(h << 4 | l);
        i += 2;
      } else {
        out.write(b[i]);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private void add(Hit h, IisLogFinding.Kind kind, String file) {
    groups.computeIfAbsent(key(h, kind), k -> new Group(h, kind)).add(h, file);
  }

  // ---- pass 2: does a success answer each 401? --------------------------------------------------

  private void answerChallenges() throws IOException {
    long size = main.in.size();
    byte[] buf = new byte[2 * MAX_LINE];
    long wBase = 0;
    int wLen = 0;
    int ci = 0;
    // 401s still open from the file before are followed from this file's first line
    long p = bodyStart;
    while (true) {
      while (ci < candidates.size() && candidates.get(ci).lineEnd <= p) {
        open(candidates.get(ci++));
      }
      if (pending == 0) {
        if (ci >= candidates.size()) {
          return;
        }
        p = candidates.get(ci).lineEnd;
        continue;
      }
      if (p >= size) {
        return; // still open: the next file may answer
      }
      if (p < wBase || p + MAX_LINE > wBase + wLen && wBase + wLen < size) {
        wBase = p;
        wLen = main.in.readAt(p, buf, 0, buf.length);
      }
      int from = (int) (p - wBase);
      int eol = lineEnd(buf, from, wLen);
      long next = wBase + Math.min(eol + 1, wLen);
      if (eol > from && buf[from] != '#' && !(eol - from == 1 && buf[from] == '\r')) {
        expire(follow(buf, from, eol, p));
      }
      p = next;
    }
  }

  /**
   * Parses the request line b[from, to) at file offset `offset`, which follows open 401s: a success
   * answers those of its client and endpoint. Returns the record's time.
   */
  private long follow(byte[] b, int from, int to, long offset) throws IOException {
    Columns c = blockAt(offset);
    Scan p = main;
    p.fields(c, b, from, to, offset);
    records++;
    int status = (int) p.number(b, c.status, offset, from, "sc-status");
    if (!(status >= 200 && status < 300 || status == 304)) {
      return p.epoch(b, c, offset, from);
    }
    IisEndpoint endpoint = IisEndpoint.of(p.stem(b, c));
    long epoch = p.epoch(b, c, offset, from);
    if (endpoint == null) {
      return epoch;
    }
    String client = c.clientIp < 0 ? "-" : p.text(b, c.clientIp);
    answer(client + '\u0000' + endpoint.ordinal(), epoch);
    return epoch;
  }

  private void open(Candidate c) {
    pendingByKey.computeIfAbsent(c.key, k -> new ArrayDeque<>()).add(c);
    pendingInOrder.add(c);
    pending++;
  }

  private void answer(String key, long epoch) {
    ArrayDeque<Candidate> q = pendingByKey.remove(key);
    if (q == null) {
      return;
    }
    for (Candidate c : q) {
      if (c.open && epoch - c.hit.epoch <= HANDSHAKE_WINDOW_SECONDS) {
        c.open = false;
        pending--;
        add(c.hit, IisLogFinding.Kind.HANDSHAKE, c.file);
      }
    }
  }

  private void expire(long now) {
    while (!pendingInOrder.isEmpty()) {
      Candidate c = pendingInOrder.peekFirst();
      if (c.open && now - c.hit.epoch <= HANDSHAKE_WINDOW_SECONDS) {
        return;
      }
      pendingInOrder.pollFirst();
      if (c.open) {
        c.open = false;
        pending--;
        ArrayDeque<Candidate> q = pendingByKey.get(c.key);
        if (q != null) {
          q.remove(c);
          if (q.isEmpty()) {
            pendingByKey.remove(c.key);
          }
        }
        add(c.hit, IisLogFinding.Kind.UNANSWERED_401, c.file);
      }
    }
  }
}
