package org.wsusfix.resource.folder;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.wsusfix.machine.AuditLog;
import org.wsusfix.machine.DaclWriter;
import org.wsusfix.machine.HeldDescriptors;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.TargetException;
import org.wsusfix.machine.WindowsPaths;
import org.wsusfix.resource.Applier;
import org.wsusfix.resource.ApplyContext;
import org.wsusfix.resource.Digest;
import org.wsusfix.resource.DriftException;
import org.wsusfix.security.Inheritance;
import org.wsusfix.security.Sddl;
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;

/**
 * Writes the DACL changes of one apply run: per change, check the live state against the plan
 * (drift), journal, write, read back and verify, then the descendants that re-inherit.
 */
final class DaclApplier implements Applier<DaclChange> {
  /**
   * Objects held open at once while propagating: changed ones waiting for their journal batch plus
   * the ones being read; so also the most descendants journaled per intent record (one fsync each).
   * Below 256, which leaves the server room for the apply lock and a folder listing.
   */
  static final int WINDOW = 240;

  /** When fewer handles than this are left in the window, the pending batch is written first. */
  private static final int LEAST_READ = 16;

  private final FolderDacls kind;
  private final ApplyContext context;
  private final Target target;
  private final DaclWriter writer;
  private final Sid domain;

  /**
   * Paths of this plan's DACL changes (keys) that an earlier change re-inherited: before and after.
   */
  private final Map<String, Propagation.Step> reinherited = new HashMap<>();

  private final Set<String> planned = new HashSet<>();

  DaclApplier(FolderDacls kind, ApplyContext context, List<DaclChange> changes) {
    this.kind = kind;
    this.context = context;
    this.target = context.target();
    this.writer =
        target.daclWriter().orElseThrow(() -> new TargetException(target.readOnlyReason()));
    this.domain = context.domain();
    for (DaclChange d : changes) {
      planned.add(WindowsPaths.key(d.path()));
    }
  }

  @Override
  public void apply(DaclChange d) throws IOException {
    SecurityDescriptor live = target.read(d.path());
    String liveSddl = Sddl.format(live, domain);
    SecurityDescriptor after = Sddl.parse(d.after(), domain);
    if (!Digest.sha256(liveSddl).equals(d.beforeSha256())) {
      Propagation.Step ours = reinherited.get(WindowsPaths.key(d.path()));
      if (ours == null
          || !DaclWrites.sameDacl(live, ours.after())
          || !Digest.sha256(Sddl.format(ours.before(), domain)).equals(d.beforeSha256())) {
        throw new DriftException(
            d.path()
                + ": changed since the plan was made (drift); nothing more was changed."
                + " Now: "
                + liveSddl);
      }
      // A change earlier in this plan re-inherited this path: keep what it inherited, add the
      // plan's own entries.
      after =
          Inheritance.recomputeChild(
              target.read(WindowsPaths.parent(d.path())), after, d.container());
    }
    String afterSddl = Sddl.format(after, domain);
    boolean walk = d.propagate() && d.container();
    List<Propagation.Step> expected = new ArrayList<>();
    if (walk && target.propagatesBySelf()) {
      // The target rewrites descendants itself: journal their before-states first.
      new Propagation(target, context.progress()).walk(d.path(), after, expected::add);
      expected.forEach(this::remember);
    }
    List<DaclUndo.Entry> below = new ArrayList<>(expected.size());
    for (Propagation.Step s : expected) {
      below.add(entry(s));
    }
    int seq =
        context.intent(
            kind,
            new DaclUndo(
                List.of(new DaclUndo.Entry(d.path(), d.container(), liveSddl, afterSddl)),
                below,
                false));
    writeAndVerify(d.path(), after);
    context.done(seq);
    context.rewrote(expected.size());
    long rewritten = expected.size();
    if (walk && !target.propagatesBySelf()) {
      rewritten =
          propagate(
              d.path(), after, d.descendants() instanceof Descendants.Counted c ? c.count() : -1);
      context.rewrote(rewritten);
    }
    context
        .audit()
        .record(
            AuditLog.Kind.APPLIED,
            "wsusfix changed the DACL of "
                + d.path()
                + " ("
                + rewritten
                + " descendant"
                + (rewritten == 1 ? "" : "s")
                + " re-inherited)\nBefore: "
                + liveSddl
                + "\nAfter: "
                + d.after()
                + "\nUndo journal: "
                + context.journalFile());
  }

  private DaclUndo.Entry entry(Propagation.Step s) {
    return new DaclUndo.Entry(
        s.path(), s.container(), Sddl.format(s.before(), domain), Sddl.format(s.after(), domain));
  }

  /**
   * Rewrites descendants' inherited ACEs ourselves (SMB never propagates), folder by folder,
   * parents before children. Each child is read on a handle kept open for its write ({@link
   * DaclWriter#hold}), so the journaled before-state is exactly what the write replaces; batches of
   * at most {@link #WINDOW} are journaled (and forced to disk) before any of them is written. A
   * child that comes out unchanged is released at once, and not descended into, so no more than
   * {@link #WINDOW} objects are ever held open.
   *
   * @param expected the planned count for the progress line, or negative when not known
   */
  private long propagate(String path, SecurityDescriptor after, long expected) throws IOException {
    Deque<Propagation.Step> folders = new ArrayDeque<>();
    folders.push(new Propagation.Step(path, true, null, after));
    Pending pending = new Pending();
    long total = 0;
    try {
      while (!folders.isEmpty()) {
        Propagation.Step folder = folders.pop();
        List<Target.Entry> children = target.children(folder.path());
        List<Propagation.Step> subfolders = new ArrayList<>();
        int from = 0;
        while (from < children.size()) {
          if (WINDOW - pending.size() < LEAST_READ) {
            total += flush(pending);
            context.progress().walked("below " + path, total, expected);
          }
          int room = WINDOW - pending.size();
          List<Target.Entry> chunk = children.subList(from, Math.min(children.size(), from + room));
          from += chunk.size();
          List<String> paths = new ArrayList<>(chunk.size());
          chunk.forEach(c -> paths.add(WindowsPaths.join(folder.path(), c.name())));
          HeldDescriptors held = writer.hold(paths);
          Map<Integer, Propagation.Step> steps = new LinkedHashMap<>();
          pending.add(held, steps);
          for (int i = 0; i < chunk.size(); i++) {
            Target.Entry child = chunk.get(i);
            SecurityDescriptor before = held.descriptors().get(i);
            SecurityDescriptor childAfter =
                Inheritance.recomputeChild(folder.after(), before, child.container());
            if (childAfter.semanticallyEquals(before)) {
              held.release(
                  i); // unchanged (protected, or already right): nothing below it changes either
              continue;
            }
            Propagation.Step step =
                new Propagation.Step(paths.get(i), child.container(), before, childAfter);
            steps.put(i, step);
            remember(step);
            if (child.container() && !child.reparsePoint()) {
              subfolders.add(step);
            }
          }
        }
        for (int i = subfolders.size() - 1; i >= 0; i--) {
          folders.push(subfolders.get(i));
        }
      }
      total += flush(pending);
    } finally {
      pending.release();
      context.progress().finished();
    }
    return total;
  }

  /** Held children waiting for the next journal batch: per holding, the indexes that change. */
  private static final class Pending {
    private final List<HeldDescriptors> held = new ArrayList<>();
    private final List<Map<Integer, Propagation.Step>> steps = new ArrayList<>();

    void add(HeldDescriptors h, Map<Integer, Propagation.Step> changes) {
      held.add(h);
      steps.add(changes);
    }

    int size() {
      int n = 0;
      for (Map<Integer, Propagation.Step> s : steps) {
        n += s.size();
      }
      return n;
    }

    void release() {
      held.forEach(HeldDescriptors::close);
      held.clear();
      steps.clear();
    }
  }

  private void remember(Propagation.Step step) {
    String key = WindowsPaths.key(step.path());
    if (planned.contains(key)) {
      reinherited.putIfAbsent(key, step);
    }
  }

  /** Journals the pending steps, writes them with a read-back each, checks, marks them done. */
  private long flush(Pending pending) throws IOException {
    int n = pending.size();
    if (n == 0) {
      pending.release();
      return 0;
    }
    List<DaclUndo.Entry> entries = new ArrayList<>(n);
    for (Map<Integer, Propagation.Step> changes : pending.steps) {
      for (Propagation.Step s : changes.values()) {
        entries.add(entry(s));
      }
    }
    int seq = context.intent(kind, new DaclUndo(entries, List.of(), true));
    TargetException failure = null;
    for (int g = 0; g < pending.held.size() && failure == null; g++) {
      Map<Integer, Propagation.Step> changes = pending.steps.get(g);
      Map<Integer, SecurityDescriptor> writes = new LinkedHashMap<>();
      changes.forEach((i, s) -> writes.put(i, DaclWrites.forWrite(s.after())));
      Map<Integer, HeldDescriptors.Written> now = pending.held.get(g).writeAndRelease(writes);
      for (Map.Entry<Integer, Propagation.Step> c : changes.entrySet()) {
        HeldDescriptors.Written w = now.get(c.getKey());
        if (w.failure() != null) {
          failure = w.failure();
          break;
        }
        if (!DaclWrites.sameDacl(w.readBack(), c.getValue().after())) {
          failure =
              new TargetException(
                  c.getValue().path()
                      + ": the DACL read back after writing differs from what was written: "
                      + Sddl.format(w.readBack(), domain));
          break;
        }
      }
    }
    pending.release();
    if (failure != null) {
      throw failure;
    }
    context.done(seq);
    return n;
  }

  private void writeAndVerify(String path, SecurityDescriptor after) {
    writer.writeDacl(path, DaclWrites.forWrite(after));
    SecurityDescriptor now = target.read(path);
    if (!DaclWrites.sameDacl(now, after)) {
      throw new TargetException(
          path
              + ": the DACL read back after writing differs from what was written: "
              + Sddl.format(now, domain));
    }
  }
}
