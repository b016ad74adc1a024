package org.wsusfix.diagnose.procmon.csv;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.wsusfix.diagnose.input.InputFormatException;
import org.wsusfix.diagnose.input.MappedFile;
import org.wsusfix.diagnose.input.Segments;
import org.wsusfix.diagnose.procmon.CountedSink;
import org.wsusfix.diagnose.procmon.DetailText;
import org.wsusfix.diagnose.procmon.ProcmonEvent;
import org.wsusfix.diagnose.procmon.ProcmonText;

/**
 * Streams a Process Monitor CSV export with bounded memory.
 *
 * <p>In {@link Mode#INTERESTING} mode the bytes are searched for the quoted result texts ({@code
 * "ACCESS DENIED"} and friends) with a skip search, and only rows around a hit are parsed; captures
 * of many gigabytes are mostly SUCCESS rows, so most bytes are never looked at. A hit is accepted
 * only when a proper CSV parse of its row puts it exactly in the Result column, so the same text
 * inside a Detail or Path field is not counted. {@link Mode#ALL} parses every row.
 *
 * <p>Captures repeat the same denial over and over: a row whose event columns are byte for byte
 * those of an earlier row is handed out as the event already made for it, and a {@link CountedSink}
 * gets each distinct event once with its count.
 *
 * <p>Columns are found by header name (users add and reorder columns); the time columns are never
 * needed, so any locale's time format is fine.
 */
public final class ProcmonCsvReader {
  /** Which rows to hand out. */
  public enum Mode {
    ALL,
    INTERESTING
  }

  private static final String[] RESULT_TEXTS = {
    ProcmonText.ACCESS_DENIED, ProcmonText.PRIVILEGE_NOT_HELD, ProcmonText.BAD_IMPERSONATION
  };

  /** Read size: small enough that the search runs over bytes still in the CPU cache. */
  private static final int CHUNK = 1 << 20;

  /**
   * Bytes kept before the search position so a hit's row start is usually still in the buffer; rows
   * that start earlier are re-read from the file.
   */
  private static final int HISTORY = 64 << 10;

  /** Below this many bytes of rows one thread is fast enough. */
  private static final long PARALLEL_MIN = 64L << 20;

  private static final int MAX_THREADS = 8;

  /** The widest window read around a hit whose row is not in the buffer. */
  private static final int MAX_ROW_WINDOW = 64 << 20;

  private final int chunk;
  private final int history;
  private static final int MAX_BUFFER = 64 << 20;
  private static final int NEED_MORE = -1;
  private static final int MALFORMED = -2;

  /** Row-start candidates tried before a hit is declared a broken row. */
  private static final int MAX_CANDIDATES = 32;

  private final Path file;
  private final String name;
  private final Mode mode;
  private Consumer<ProcmonEvent> sink;

  /** The sink when it takes counts, else null. */
  private CountedSink counted;

  /** Hits starting at or after this file offset belong to the next segment. */
  private long stopAt = Long.MAX_VALUE;

  private int maxPattern;
  private int threads = 1;
  private long parallelMin = Long.MAX_VALUE;
  private MappedFile in;
  private long fileSize;

  /** Set by locateRow when no row start was found before the hit. */
  private boolean noRowStart;

  private byte[] buf;
  private int len;

  /** File offset of buf[0]. */
  private long base;

  private boolean eof;

  private int colProcess = -1;
  private int colPid = -1;
  private int colOperation = -1;
  private int colPath = -1;
  private int colResult = -1;
  private int colDetail = -1;
  private int colUser = -1;
  private int columns;
  private long headerEnd;

  /** The columns an event is made of, the ones present. */
  private int[] eventColumns = new int[0];

  private int[] fieldStart = new int[64];
  private int[] fieldEnd = new int[64];
  private boolean[] fieldEscaped = new boolean[64];
  private int fields;
  private String malformedWhy;
  private int malformedAt;
  private int[] hits = new int[256];
  private int nHits;

  /** Four search cursors, then their limits. */
  private final int[] cursors = new int[8];

  // Parallel segments: the segment's number, the shared turn (null when alone), and the events
  // held back until the earlier segments are done, within a count and a size (so that even
  // eight segments of distinct rows stay well inside a small heap).
  private static final int MAX_HELD = 1 << 16;
  private static final long MAX_HELD_BYTES = 8 << 20;
  private int segment;
  private int maxHeld = MAX_HELD;
  private Turn turn;
  private boolean ownTurn;
  private final List<ProcmonEvent> held = new ArrayList<>();
  private final List<Long> heldTimes = new ArrayList<>();
  private long heldBytes;

  // Events already made, keyed by the raw bytes of the columns an event is built from.
  /** Distinct rows remembered before the cache is handed over and emptied. */
  private static final int CACHE_ROWS = 4096;

  /** Rows whose event columns are longer than this are not remembered. */
  private static final int CACHE_KEY_MAX = 16 << 10;

  /** Key bytes remembered before the cache is handed over and emptied. */
  private static final long CACHE_BYTES = 2 << 20;

  private long cachedBytes;

  /** Rows looked up, and how many of them were repeats; few repeats turn the cache off. */
  private long lookups;

  private long repeats;
  private boolean caching = true;
  private byte[] key = new byte[1024];
  private final int[] slotHash = new int[2 * CACHE_ROWS];
  private final byte[][] slotKey = new byte[2 * CACHE_ROWS][];
  private final ProcmonEvent[] slotEvent = new ProcmonEvent[2 * CACHE_ROWS];
  private final long[] slotCount = new long[2 * CACHE_ROWS];

  /** Used slots in the order their rows were first seen. */
  private final int[] slotOrder = new int[CACHE_ROWS];

  private int cachedRows;

  // Multi-pattern skip search (Wu-Manber with two-byte blocks) over the shortest pattern length:
  // the pair of bytes at the window's end decides how far to jump, and pairs found in no pattern
  // (nearly all of them) jump almost a whole window.
  private final byte[][] patterns;
  private final int window;
  private final byte[] shift = new byte[1 << 16];

  private ProcmonCsvReader(
      Path file, Mode mode, Consumer<ProcmonEvent> sink, int chunk, int history) {
    this.chunk = chunk;
    this.history = history;
    this.buf = new byte[chunk + history];
    this.file = file;
    this.name = file.toString();
    this.mode = mode;
    sink(sink);
    patterns = new byte[RESULT_TEXTS.length][];
    int min = Integer.MAX_VALUE;
    for (int i = 0; i < RESULT_TEXTS.length; i++) {
      patterns[i] = ('"' + RESULT_TEXTS[i] + '"').getBytes(StandardCharsets.US_ASCII);
      min = Math.min(min, patterns[i].length);
    }
    window = min;
    for (byte[] p : patterns) {
      maxPattern = Math.max(maxPattern, p.length);
    }
    java.util.Arrays.fill(shift, (byte) (window - 1));
    for (byte[] p : patterns) {
      // Align every pattern's last `window` bytes with the search window.
      int off = p.length - window;
      for (int j = 1; j < window; j++) {
        int pair = (p[off + j - 1] & 0xFF) << 8 | (p[off + j] & 0xFF);
        shift[pair] = (byte) Math.min(shift[pair], window - 1 - j);
      }
    }
  }

  private void sink(Consumer<ProcmonEvent> s) {
    sink = s;
    counted = s instanceof CountedSink c ? c : null;
  }

  /** Reads a capture; returns the number of events handed to the sink. */
  public static long read(Path file, Mode mode, Consumer<ProcmonEvent> sink) throws IOException {
    return read(file, mode, sink, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Reads a capture with at most {@code scanners} threads (at most 8; large captures are split into
   * one segment per thread), as on a machine with that many processors.
   */
  public static long read(Path file, Mode mode, Consumer<ProcmonEvent> sink, int scanners)
      throws IOException {
    return read(
        file,
        mode,
        sink,
        CHUNK,
        HISTORY,
        Math.max(1, Math.min(MAX_THREADS, scanners)),
        PARALLEL_MIN);
  }

  /** With small buffers, so tests cross many buffer boundaries with little data. */
  static long read(Path file, Mode mode, Consumer<ProcmonEvent> sink, int chunk, int history)
      throws IOException {
    return read(file, mode, sink, chunk, history, 1, Long.MAX_VALUE);
  }

  /** With small buffers and a chosen number of segments, for tests. */
  static long read(
      Path file,
      Mode mode,
      Consumer<ProcmonEvent> sink,
      int chunk,
      int history,
      int threads,
      long parallelMin)
      throws IOException {
    return read(file, mode, sink, chunk, history, threads, parallelMin, MAX_HELD);
  }

  /** Also with a chosen number of events a segment may hold back, for tests. */
  static long read(
      Path file,
      Mode mode,
      Consumer<ProcmonEvent> sink,
      int chunk,
      int history,
      int threads,
      long parallelMin,
      int maxHeld)
      throws IOException {
    ProcmonCsvReader r = new ProcmonCsvReader(file, mode, sink, chunk, history);
    r.threads = threads;
    r.parallelMin = parallelMin;
    r.maxHeld = maxHeld;
    try (MappedFile in = new MappedFile(file)) {
      r.in = in;
      r.fileSize = in.size();
      return r.run();
    }
  }

  private long run() throws IOException {
    fill();
    int start = 0;
    if (len >= 3 && (buf[0] & 0xFF) == 0xEF && (buf[1] & 0xFF) == 0xBB && (buf[2] & 0xFF) == 0xBF) {
      start = 3;
    } else if (len >= 2
        && ((buf[0] & 0xFF) == 0xFF && (buf[1] & 0xFF) == 0xFE
            || (buf[0] & 0xFF) == 0xFE && (buf[1] & 0xFF) == 0xFF)) {
      throw InputFormatException.at(
          name,
          1,
          1,
          "UTF-16 text; Process Monitor writes CSV as UTF-8, re-save the export as UTF-8");
    }
    if (len == start) {
      throw InputFormatException.at(name, 1, "empty file, expected a Process Monitor CSV export");
    }
    int end;
    while ((end = parseRow(start)) == NEED_MORE) {
      if (!ensureMore(0)) {
        throw InputFormatException.at(name, 1, "header line longer than 64 MB");
      }
    }
    if (end == MALFORMED) {
      throw error(malformedAt, "not a CSV header: " + malformedWhy);
    }
    readHeader();
    headerEnd = base + end;
    if (mode == Mode.ALL) {
      return readAll(end);
    }
    if (threads > 1 && fileSize - headerEnd >= parallelMin) {
      return scanParallel(end, threads);
    }
    long n = scanInteresting(end);
    flushCache();
    return n;
  }

  /**
   * Splits the rows into one segment per processor and scans them at once. A hit belongs to the
   * segment its text starts in; rows that cross a boundary are re-read around the hit, so each row
   * is seen exactly once. The sink gets the segments' events in segment order, as from a single
   * scan: a segment keeps its events until the ones before it are done (and pauses when it holds
   * too many), so results never depend on thread timing.
   */
  private long scanParallel(int pos, int threads) throws IOException {
    long body = fileSize - headerEnd;
    long[] bounds = new long[threads + 1];
    for (int i = 0; i <= threads; i++) {
      bounds[i] = headerEnd + body * i / threads;
    }
    Turn turn = new Turn(threads);
    stopAt = bounds[1];
    long[] counts = new long[threads];
    segment = 0;
    this.turn = turn;
    Throwable[] failures =
        Segments.run(
            threads,
            name,
            k -> {
              try {
                if (k == 0) {
                  counts[0] = scanInteresting(pos);
                  flushCache();
                  return;
                }
                try (MappedFile src = new MappedFile(file)) {
                  ProcmonCsvReader part = new ProcmonCsvReader(file, mode, sink, chunk, history);
                  part.copyHeaderFrom(this);
                  part.in = src;
                  part.segment = k;
                  part.maxHeld = maxHeld;
                  part.turn = turn;
                  src.seek(bounds[k]);
                  part.base = bounds[k];
                  part.stopAt = bounds[k + 1];
                  part.fill();
                  counts[k] = part.scanInteresting(0);
                  part.flushCache();
                  part.finishSegment();
                }
              } finally {
                turn.pass(k);
              }
            });
    for (Throwable f : failures) {
      Segments.rethrow(f);
    }
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    return total;
  }

  /** Which segment may hand events to the sink: each in turn, in file order. */
  private static final class Turn {
    private final boolean[] done;
    private int current;

    Turn(int segments) {
      done = new boolean[segments];
    }

    synchronized void await(int segment) throws InterruptedException {
      while (current < segment) {
        wait();
      }
    }

    synchronized boolean has(int segment) {
      return current >= segment;
    }

    /**
     * Marks a segment done; the turn moves past it once the earlier ones are done too. A segment
     * that fails is marked at once, so no later segment waits for it forever.
     */
    synchronized void pass(int segment) {
      done[segment] = true;
      while (current < done.length && done[current]) {
        current++;
      }
      notifyAll();
    }
  }

  /** Hands over events, held back while earlier segments still have theirs to give. */
  private void emit(ProcmonEvent e, long times) throws IOException {
    if (!ownTurn && turn != null) {
      ownTurn = turn.has(segment);
      if (!ownTurn) {
        if (held.size() < maxHeld && heldBytes < MAX_HELD_BYTES) {
          held.add(e);
          heldTimes.add(times);
          heldBytes += size(e);
          return;
        }
        awaitTurn();
      }
      giveHeld();
    }
    give(e, times);
  }

  private void give(ProcmonEvent e, long times) {
    if (counted != null) {
      counted.accept(e, times);
    } else {
      for (long i = 0; i < times; i++) {
        sink.accept(e);
      }
    }
  }

  private void awaitTurn() throws IOException {
    try {
      turn.await(segment);
    } catch (InterruptedException x) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading " + name, x);
    }
    ownTurn = true;
  }

  private void giveHeld() {
    for (int i = 0; i < held.size(); i++) {
      give(held.get(i), heldTimes.get(i));
    }
    held.clear();
    heldTimes.clear();
    heldBytes = 0;
  }

  /** Roughly the heap an event takes: its strings (one byte a character) and the objects. */
  private static long size(ProcmonEvent e) {
    return 256L
        + len(e.process())
        + len(e.operation())
        + len(e.path())
        + len(e.result())
        + len(e.user())
        + len(e.impersonating())
        + len(e.desiredAccess());
  }

  private static int len(String s) {
    return s == null ? 0 : s.length();
  }

  /** Waits for this segment's turn and hands over what it held back. */
  private void finishSegment() throws IOException {
    if (!ownTurn) {
      awaitTurn();
    }
    giveHeld();
  }

  private void copyHeaderFrom(ProcmonCsvReader h) {
    colProcess = h.colProcess;
    colPid = h.colPid;
    colOperation = h.colOperation;
    colPath = h.colPath;
    colResult = h.colResult;
    colDetail = h.colDetail;
    colUser = h.colUser;
    eventColumns = h.eventColumns;
    columns = h.columns;
    headerEnd = h.headerEnd;
    fileSize = h.fileSize;
  }

  private void readHeader() {
    Map<String, Integer> idx = new HashMap<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < fields; i++) {
      String n = field(i).strip();
      names.add(n);
      idx.putIfAbsent(n.toLowerCase(java.util.Locale.ROOT), i);
    }
    columns = fields;
    colProcess = idx.getOrDefault("process name", -1);
    colPid = idx.getOrDefault("pid", -1);
    colOperation = idx.getOrDefault("operation", -1);
    colPath = idx.getOrDefault("path", -1);
    colResult = idx.getOrDefault("result", -1);
    colDetail = idx.getOrDefault("detail", -1);
    colUser = idx.getOrDefault("user", -1);
    int[] used = {colProcess, colPid, colOperation, colPath, colResult, colDetail, colUser};
    int present = 0;
    for (int c : used) {
      if (c >= 0) {
        used[present++] = c;
      }
    }
    eventColumns = Arrays.copyOf(used, present);
    if (idx.containsKey("frame") && idx.containsKey("module") && colResult < 0) {
      throw InputFormatException.at(
          name,
          1,
          1,
          "this is a Process Monitor stack export (Frame, Module, Location, ...), not an event list;"
              + " export the events with File > Save > CSV");
    }
    List<String> missing = new ArrayList<>();
    if (colProcess < 0) {
      missing.add("Process Name");
    }
    if (colOperation < 0) {
      missing.add("Operation");
    }
    if (colPath < 0) {
      missing.add("Path");
    }
    if (colResult < 0) {
      missing.add("Result");
    }
    if (!missing.isEmpty()) {
      String shown = String.join(", ", names.subList(0, Math.min(6, names.size())));
      throw InputFormatException.at(
          name,
          1,
          1,
          "not a Process Monitor event CSV: the header lacks "
              + String.join(", ", missing)
              + " (found: "
              + shorten(shown)
              + ")");
    }
  }

  private long readAll(int pos) throws IOException {
    long count = 0;
    while (true) {
      if (pos >= len) {
        if (eof) {
          return count;
        }
        ensureMore(pos);
        pos = 0;
        continue;
      }
      int end = parseRow(pos);
      if (end == NEED_MORE) {
        if (!ensureMore(pos)) {
          throw error(pos, "row longer than 64 MB");
        }
        pos = 0;
        continue;
      }
      if (end == MALFORMED) {
        throw error(malformedAt, malformedWhy);
      }
      if (!(fields == 1 && fieldEnd[0] == fieldStart[0])) { // a blank line is not a row
        if (fields != columns) {
          throw error(pos, "row has " + fields + " fields, the header has " + columns);
        }
        count++;
        sink.accept(event(count));
      }
      pos = end;
    }
  }

  private long scanInteresting(int pos) throws IOException {
    long count = 0;
    int nextEnd = pos + window - 1; // window ends below this were searched
    while (true) {
      int n = findAll(nextEnd);
      nextEnd = Math.max(nextEnd, len);
      for (int i = 0; i < n; i++) {
        int hit = hits[i];
        if (hit < pos) {
          continue; // inside a row already handled
        }
        if (base + hit >= stopAt) {
          return count;
        }
        int end = locateRow(hit);
        if (end == NEED_MORE
            || (end == MALFORMED && noRowStart && base + floorIndex() > headerEnd)) {
          // The row reaches beyond the buffer: read it from the file around the hit.
          if (resolveFromFile(base + hit)) {
            count++;
          }
          pos = hit + 1;
          continue;
        }
        if (end == MALFORMED) {
          throw error(hit, "broken CSV row around this result: " + malformedWhy);
        }
        if (end == 0) {
          pos = hit + 1; // the text sat inside another field
          continue;
        }
        count++;
        deliver();
        pos = end;
      }
      if (eof || base + len - maxPattern >= stopAt) {
        return count;
      }
      // Keep what a pattern ending beyond the buffer may start in, plus history for row starts.
      // Measured from the search position, not from the last row handled: a stretch without a
      // hit must still be dropped, or the buffer fills up and no further byte is ever read.
      int keepFrom = Math.max(0, Math.min(len, nextEnd - maxPattern - history));
      if (!ensureMore(keepFrom)) {
        throw error(pos, "row longer than 64 MB"); // a full buffer that nothing may leave
      }
      pos = Math.max(0, pos - keepFrom);
      nextEnd -= keepFrom;
    }
  }

  private int floorIndex() {
    long h = headerEnd - base;
    return h < 0 ? 0 : (int) h;
  }

  /**
   * Resolves the row around a hit from a window read straight from the file, widening it until the
   * whole row fits. Hands the event to the sink and returns true when the hit is a result.
   */
  private boolean resolveFromFile(long absHit) throws IOException {
    byte[] savedBuf = buf;
    int savedLen = len;
    long savedBase = base;
    boolean savedEof = eof;
    try {
      for (int w = Math.max(256 << 10, history); ; w *= 4) {
        long from = Math.max(headerEnd, absHit - w);
        long to = Math.min(fileSize, absHit + w);
        buf = in.readAt(from, (int) (to - from));
        len = buf.length;
        base = from;
        eof = to == fileSize;
        int end = locateRow((int) (absHit - from));
        boolean tooSmall = end == NEED_MORE || (end == MALFORMED && noRowStart && from > headerEnd);
        if (tooSmall) {
          if (w >= MAX_ROW_WINDOW) {
            throw error((int) (absHit - from), "row longer than 64 MB");
          }
          continue;
        }
        if (end == MALFORMED) {
          throw error((int) (absHit - from), "broken CSV row around this result: " + malformedWhy);
        }
        if (end == 0) {
          return false;
        }
        deliver();
        return true;
      }
    } finally {
      buf = savedBuf;
      len = savedLen;
      base = savedBase;
      eof = savedEof;
    }
  }

  /**
   * Finds every pattern whose last byte lies in [firstEnd, len) and leaves their start indexes,
   * ascending, in {@link #hits}. Four cursors walk four quarters of the range at once: each jump
   * depends on the bytes just read, so a single cursor waits on memory, while four keep the
   * processor busy. The loops that run over every byte are kept small, so the JIT compiles them
   * quickly; what happens at a candidate is rare and lives outside them.
   */
  private int findAll(int firstEnd) {
    nHits = 0;
    int lo = Math.max(firstEnd, window - 1);
    int hi = len;
    if (lo >= hi) {
      return 0;
    }
    byte[] b = buf;
    byte[] t = shift;
    int q = (hi - lo) / 4;
    if (q < 1024) {
      walk(b, t, lo, hi);
    } else {
      int[] c = cursors;
      for (int k = 0; k < 4; k++) {
        c[k] = lo + k * q;
        c[4 + k] = k == 3 ? hi : lo + (k + 1) * q;
      }
      int k;
      while ((k = skip4(b, t, c)) >= 0) {
        check(b, c[k]);
        c[k]++;
      }
      for (k = 0; k < 4; k++) {
        walk(b, t, c[k], c[4 + k]);
      }
      Arrays.sort(hits, 0, nHits);
    }
    return nHits;
  }

  private void walk(byte[] b, byte[] t, int e, int end) {
    while ((e = skip1(b, t, e, end)) < end) {
      check(b, e);
      e++;
    }
  }

  /**
   * The first window end from e on (below end) whose last two bytes end some pattern's window, or a
   * value at or past end when there is none.
   */
  private static int skip1(byte[] b, byte[] t, int e, int end) {
    while (e < end) {
      int s = t[(b[e - 1] & 0xFF) << 8 | (b[e] & 0xFF)];
      if (s == 0) {
        return e;
      }
      e += s;
    }
    return e;
  }

  /**
   * Moves the four cursors c[0..3] (each below its limit c[4..7]) until one stops at a candidate,
   * whose number it returns, or one reaches its limit (-1).
   */
  private static int skip4(byte[] b, byte[] t, int[] c) {
    int e0 = c[0];
    int e1 = c[1];
    int e2 = c[2];
    int e3 = c[3];
    int x0 = c[4];
    int x1 = c[5];
    int x2 = c[6];
    int x3 = c[7];
    int found = -1;
    while (e0 < x0 && e1 < x1 && e2 < x2 && e3 < x3) {
      int s0 = t[(b[e0 - 1] & 0xFF) << 8 | (b[e0] & 0xFF)];
      int s1 = t[(b[e1 - 1] & 0xFF) << 8 | (b[e1] & 0xFF)];
      int s2 = t[(b[e2 - 1] & 0xFF) << 8 | (b[e2] & 0xFF)];
      int s3 = t[(b[e3 - 1] & 0xFF) << 8 | (b[e3] & 0xFF)];
      if ((s0 - 1 | s1 - 1 | s2 - 1 | s3 - 1) < 0) { // some shift is 0
        found = s0 == 0 ? 0 : s1 == 0 ? 1 : s2 == 0 ? 2 : 3;
        break;
      }
      e0 += s0;
      e1 += s1;
      e2 += s2;
      e3 += s3;
    }
    c[0] = e0;
    c[1] = e1;
    c[2] = e2;
    c[3] = e3;
    return found;
  }

  /** Records the patterns that end at e. */
  private void check(byte[] b, int e) {
    for (byte[] p : patterns) {
      int start = e - p.length + 1;
      if (start >= 0 && e < len && matchAt(b, start, p)) {
        if (nHits == hits.length) {
          hits = java.util.Arrays.copyOf(hits, nHits * 2);
        }
        hits[nHits++] = start;
      }
    }
  }

  private static boolean matchAt(byte[] b, int s, byte[] p) {
    for (int i = p.length - 2; i >= 0; i--) {
      if (b[s + i] != p[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Finds the row holding a hit and parses it. Returns the row end, 0 when the hit lies inside some
   * other field, NEED_MORE, or MALFORMED.
   */
  private int locateRow(int hit) {
    long h = headerEnd - base;
    int headerAt = h < 0 ? -1 : (int) h;
    int floor = Math.max(0, headerAt);
    int tried = 0;
    String firstWhy = null;
    noRowStart = false;
    for (int c = hit; c >= floor && tried < MAX_CANDIDATES; c--) {
      boolean rowStart = c == headerAt || (c > 0 && buf[c - 1] == '\n' && buf[c] == '"');
      if (!rowStart) {
        continue;
      }
      tried++;
      int end = parseRow(c);
      if (end == NEED_MORE) {
        return NEED_MORE;
      }
      if (end == MALFORMED || fields != columns || end <= hit) {
        if (firstWhy == null) {
          firstWhy =
              end == MALFORMED
                  ? malformedWhy
                  : end <= hit
                      ? "the row ends before the result"
                      : "row has " + fields + " fields, the header has " + columns;
        }
        continue;
      }
      // A well-formed row spanning the hit: a finding only if the hit is its Result field.
      return fieldStart[colResult] == hit + 1 ? end : 0;
    }
    noRowStart = firstWhy == null;
    malformedWhy = firstWhy == null ? "no row start found before it" : firstWhy;
    return MALFORMED;
  }

  /**
   * Parses one row starting at pos into the field arrays. Returns the index after its line end,
   * NEED_MORE when the buffer ends first, or MALFORMED (malformedWhy / malformedAt say why).
   */
  private int parseRow(int pos) {
    byte[] b = buf;
    int n = len;
    int i = pos;
    fields = 0;
    while (true) {
      if (i >= n) {
        if (!eof) {
          return NEED_MORE;
        }
        addField(i, i, false);
        return i;
      }
      int s;
      int e;
      boolean escaped = false;
      if (b[i] == '"') {
        s = i + 1;
        int j = s;
        while (true) {
          while (j < n && b[j] != '"') {
            j++;
          }
          if (j >= n) {
            if (!eof) {
              return NEED_MORE;
            }
            return malformed(i, "quoted field is not closed before the end of the file");
          }
          if (j + 1 < n && b[j + 1] == '"') {
            escaped = true;
            j += 2;
            continue;
          }
          if (j + 1 >= n && !eof) {
            return NEED_MORE;
          }
          break;
        }
        e = j;
        i = j + 1;
      } else {
        s = i;
        while (i < n && b[i] != ',' && b[i] != '\n' && b[i] != '\r') {
          if (b[i] == '"') {
            return malformed(i, "quote inside an unquoted field");
          }
          i++;
        }
        e = i;
        if (i >= n && !eof) {
          return NEED_MORE;
        }
      }
      addField(s, e, escaped);
      if (i >= n) {
        if (!eof) {
          return NEED_MORE;
        }
        return i;
      }
      byte c = b[i];
      if (c == ',') {
        i++;
        continue;
      }
      if (c == '\n') {
        return i + 1;
      }
      if (c == '\r') {
        if (i + 1 < n) {
          return b[i + 1] == '\n' ? i + 2 : i + 1;
        }
        return eof ? i + 1 : NEED_MORE;
      }
      return malformed(i, "unexpected text after a closing quote");
    }
  }

  private int malformed(int at, String why) {
    malformedAt = at;
    malformedWhy = why;
    return MALFORMED;
  }

  private void addField(int s, int e, boolean escaped) {
    if (fields == fieldStart.length) {
      int cap = fields * 2;
      fieldStart = java.util.Arrays.copyOf(fieldStart, cap);
      fieldEnd = java.util.Arrays.copyOf(fieldEnd, cap);
      fieldEscaped = java.util.Arrays.copyOf(fieldEscaped, cap);
    }
    fieldStart[fields] = s;
    fieldEnd[fields] = e;
    fieldEscaped[fields] = escaped;
    fields++;
  }

  private String field(int i) {
    if (i < 0 || i >= fields) {
      return "";
    }
    String s = new String(buf, fieldStart[i], fieldEnd[i] - fieldStart[i], StandardCharsets.UTF_8);
    return fieldEscaped[i] ? s.replace("\"\"", "\"") : s;
  }

  private ProcmonEvent event(long index) {
    String operation = field(colOperation);
    String path = field(colPath);
    String result = field(colResult);
    long pid = 0;
    if (colPid >= 0) {
      try {
        pid = Long.parseLong(field(colPid).strip());
      } catch (NumberFormatException ignored) {
        pid = 0;
      }
    }
    String access = null;
    String impersonating = null;
    boolean dirOption = false;
    if (colDetail >= 0 && (mode == Mode.INTERESTING || ProcmonText.isInteresting(result))) {
      Map<String, String> d = DetailText.parse(field(colDetail));
      access = d.get("Desired Access");
      impersonating = d.get("Impersonating");
      dirOption = DetailText.hasDirectoryOption(d.get("Options"));
    }
    return new ProcmonEvent(
        index,
        field(colProcess),
        pid,
        operation,
        path,
        result,
        field(colUser),
        impersonating,
        access,
        DetailText.isDirectory(operation, path, dirOption));
  }

  // ---- repeated rows ----------------------------------------------------------------------

  /** Hands out the event of the row just parsed, made once per distinct row. */
  private void deliver() throws IOException {
    int n = caching ? rowKey() : -1;
    if (n < 0) {
      emit(event(0), 1);
      return;
    }
    int h = hash(key, n);
    int mask = slotKey.length - 1;
    int i = h & mask;
    lookups++;
    for (byte[] k; (k = slotKey[i]) != null; i = (i + 1) & mask) {
      if (slotHash[i] == h && Arrays.equals(k, 0, k.length, key, 0, n)) {
        repeats++;
        if (counted != null) {
          slotCount[i]++;
        } else {
          emit(slotEvent[i], 1);
        }
        return;
      }
    }
    if (cachedRows == CACHE_ROWS || cachedBytes + n > CACHE_BYTES) {
      flushCache();
      if (repeats < lookups / 8) {
        // Nearly every row differs: remembering them costs more than it saves.
        caching = false;
        emit(event(0), 1);
        return;
      }
      i = h & mask;
    }
    ProcmonEvent e = event(0);
    slotHash[i] = h;
    slotKey[i] = Arrays.copyOf(key, n);
    slotEvent[i] = e;
    slotOrder[cachedRows++] = i;
    cachedBytes += n;
    if (counted != null) {
      slotCount[i] = 1;
    } else {
      emit(e, 1);
    }
  }

  /**
   * Copies the raw bytes of the columns an event is made of, each after its length, into {@link
   * #key}; returns the length, or -1 when the row is too long to remember.
   */
  private int rowKey() {
    int n = 0;
    for (int col : eventColumns) {
      int s = fieldStart[col];
      int l = fieldEnd[col] - s;
      if (n + 4 + l > CACHE_KEY_MAX) {
        return -1;
      }
      if (n + 4 + l > key.length) {
        key = Arrays.copyOf(key, Math.min(CACHE_KEY_MAX, Math.max(2 * key.length, n + 4 + l)));
      }
      key[n] = (byte) (l >>> 24);
      key[n + 1] = (byte) (l >>> 16);
      key[n + 2] = (byte) (l >>> 8);
      key[n + 3] = (byte) l;
      System.arraycopy(buf, s, key, n + 4, l);
      n += 4 + l;
    }
    return n;
  }

  private static int hash(byte[] b, int n) {
    int h = 1;
    for (int i = 0; i < n; i++) {
      h = 31 * h + b[i];
    }
    return h ^ (h >>> 16);
  }

  /** Gives a counting sink the remembered rows with their counts, and forgets them. */
  private void flushCache() throws IOException {
    for (int j = 0; j < cachedRows; j++) {
      int i = slotOrder[j];
      if (counted != null) {
        emit(slotEvent[i], slotCount[i]);
      }
      slotKey[i] = null;
      slotEvent[i] = null;
    }
    cachedRows = 0;
    cachedBytes = 0;
  }

  // ---- buffer management -------------------------------------------------------------------

  private void fill() throws IOException {
    while (len < buf.length && !eof) {
      int r = in.read(buf, len, Math.min(chunk, buf.length - len));
      if (r < 0) {
        eof = true;
      } else {
        len += r;
      }
    }
  }

  /**
   * Drops buf[0..keepFrom), grows the buffer when it is still full, and reads on. Returns false
   * when no progress is possible (a row larger than the largest buffer).
   */
  private boolean ensureMore(int keepFrom) throws IOException {
    if (keepFrom > 0) {
      System.arraycopy(buf, keepFrom, buf, 0, len - keepFrom);
      len -= keepFrom;
      base += keepFrom;
    }
    if (len == buf.length) {
      if (buf.length >= MAX_BUFFER) {
        return false;
      }
      buf = java.util.Arrays.copyOf(buf, Math.min(MAX_BUFFER, buf.length * 2));
    }
    fill();
    return true;
  }

  // ---- errors ------------------------------------------------------------------------------

  /** An error at buffer index i, with the line and column counted from the file's start. */
  private InputFormatException error(int i, String what) {
    long offset = base + i;
    long line = 1;
    long lineStart = 0;
    try (InputStream again = Files.newInputStream(file)) {
      byte[] b = new byte[1 << 16];
      long at = 0;
      int r;
      while (at < offset && (r = again.read(b, 0, (int) Math.min(b.length, offset - at))) > 0) {
        for (int k = 0; k < r; k++) {
          if (b[k] == '\n') {
            line++;
            lineStart = at + k + 1;
          }
        }
        at += r;
      }
    } catch (IOException e) {
      return new InputFormatException(name + ": byte " + offset + ": " + what);
    }
    return InputFormatException.at(name, line, offset - lineStart + 1, what);
  }

  private static String shorten(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
