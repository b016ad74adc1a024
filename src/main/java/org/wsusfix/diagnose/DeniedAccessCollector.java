package org.wsusfix.diagnose;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.wsusfix.diagnose.procmon.CountedSink;
import org.wsusfix.diagnose.procmon.ProcmonEvent;
import org.wsusfix.diagnose.procmon.ProcmonText;

/**
 * Groups the denied events of any number of captures by result, process, identity, folder to fix
 * and operation. Memory grows with the number of distinct groups, not with the capture.
 */
public final class DeniedAccessCollector implements CountedSink {
  /** Beyond this many groups further distinct ones are only counted. */
  private static final int MAX_GROUPS = 100_000;

  private final Map<String, Group> groups = new LinkedHashMap<>();
  private String windowsDir;
  private boolean fromHeader;
  private long events;
  private long overflow;
  private ProcmonEvent last;
  private Group lastGroup;

  /**
   * Display values are the smallest seen rather than the first, so the groups do not depend on the
   * order events arrive in (captures are scanned in parallel).
   */
  private static final class Group {
    final String result;
    String process;
    String identity;
    String processUser;
    String folder;
    final String operation;
    String example;
    final boolean fileSystem;
    final Set<String> access = new LinkedHashSet<>();
    String lastAccess;
    long count;

    Group(ProcmonEvent e, String identity, String folder) {
      this.result = e.result();
      this.process = e.process();
      this.identity = identity;
      this.processUser = e.user();
      this.folder = folder;
      this.operation = e.operation();
      this.example = e.path();
      this.fileSystem = Folders.isFileSystem(folder);
    }
  }

  /** The Windows directory of the captured machine when the capture says so (PML header). */
  public void windowsDir(String dir) {
    if (dir != null && !dir.isBlank()) {
      windowsDir = dir;
      fromHeader = true;
    }
  }

  public String windowsDir() {
    return windowsDir;
  }

  @Override
  public synchronized void accept(ProcmonEvent e, long times) {
    if (!ProcmonText.isInteresting(e.result()) || times <= 0) {
      return;
    }
    events += times;
    // Captures repeat the same denial many times in a row; skip the grouping work for those.
    if (last != null && lastGroup != null && sameGroup(last, e)) {
      lastGroup.count += times;
      addAccess(lastGroup, e);
      return;
    }
    String identity =
        e.impersonating() != null && !e.impersonating().isBlank() ? e.impersonating() : e.user();
    String folder = Folders.folderToFix(e.path(), e.directory());
    String dir = Folders.windowsDirOf(folder);
    if (dir != null && !fromHeader) {
      windowsDir = min(windowsDir, dir);
    }
    String key =
        String.join(
            "\u0000",
            e.result(),
            lower(e.process()),
            lower(identity),
            lower(folder),
            e.operation());
    Group g = groups.get(key);
    if (g == null) {
      if (groups.size() >= MAX_GROUPS) {
        overflow += times;
        return;
      }
      g = new Group(e, identity, folder);
      groups.put(key, g);
    }
    g.process = min(g.process, e.process());
    g.identity = min(g.identity, identity);
    g.processUser = min(g.processUser, e.user());
    g.folder = min(g.folder, folder);
    g.example = min(g.example, e.path());
    g.count += times;
    addAccess(g, e);
    last = e;
    lastGroup = g;
  }

  private static void addAccess(Group g, ProcmonEvent e) {
    if (e.desiredAccess() != null
        && g.access.size() < 32
        && !e.desiredAccess().equals(g.lastAccess)) {
      for (String right : org.wsusfix.diagnose.procmon.DetailText.splitList(e.desiredAccess())) {
        g.access.add(right);
      }
      g.lastAccess = e.desiredAccess();
    }
  }

  /** Exactly the same strings as the previous event: the same group, the same display values. */
  private static boolean sameGroup(ProcmonEvent a, ProcmonEvent b) {
    return a.result().equals(b.result())
        && a.process().equals(b.process())
        && a.user().equals(b.user())
        && java.util.Objects.equals(a.impersonating(), b.impersonating())
        && a.path().equals(b.path())
        && a.directory() == b.directory()
        && a.operation().equals(b.operation());
  }

  private static String min(String a, String b) {
    return b != null && (a == null || b.compareTo(a) < 0) ? b : a;
  }

  private static String lower(String s) {
    return s == null ? "" : s.toLowerCase(Locale.ROOT);
  }

  /** Denied events seen. */
  public long events() {
    return events;
  }

  /** Events not grouped because there were too many distinct groups. */
  public long overflow() {
    return overflow;
  }

  /** Groups of one result, w3wp.exe and the WSUS identities first, then files, then by count. */
  public List<DeniedPath> groups(String result) {
    List<DeniedPath> out = new ArrayList<>();
    for (Group g : groups.values()) {
      if (!g.result.equals(result)) {
        continue;
      }
      out.add(
          new DeniedPath(
              g.result,
              g.process,
              g.identity,
              g.processUser,
              g.folder,
              g.operation,
              g.access.isEmpty() ? null : String.join(", ", g.access),
              g.count,
              g.example,
              g.fileSystem));
    }
    out.sort(ORDER);
    return out;
  }

  /** The anonymous identity first: its denials are what clients see as 401. */
  private static int identityRank(String identity) {
    switch (IisAccounts.kind(identity)) {
      case ANONYMOUS:
      case ANONYMOUS_IIS6:
        return 0;
      case POOL:
        return 1;
      default:
        return 2;
    }
  }

  static final Comparator<DeniedPath> ORDER =
      Comparator.comparing((DeniedPath d) -> !d.process().equalsIgnoreCase("w3wp.exe"))
          .thenComparing(d -> identityRank(d.identity()))
          .thenComparing(d -> !d.fileSystem())
          .thenComparing(Comparator.comparingLong(DeniedPath::count).reversed())
          .thenComparing(d -> d.path().toLowerCase(Locale.ROOT))
          .thenComparing(DeniedPath::operation);
}
