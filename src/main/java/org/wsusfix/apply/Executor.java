package org.wsusfix.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.wsusfix.plan.Change;
import org.wsusfix.plan.DaclChange;
import org.wsusfix.plan.Descriptors;
import org.wsusfix.plan.MembershipChange;
import org.wsusfix.plan.Plan;
import org.wsusfix.plan.Propagation;
import org.wsusfix.plan.WalkProgress;
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;
import org.wsusfix.machine.AuditLog;
import org.wsusfix.machine.HeldDescriptors;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.TargetException;
import org.wsusfix.machine.WindowsPaths;

/**
 * Applies a plan: per change, check the live state against the plan (drift), journal the intent
 * and force it to disk, change, re-read and verify, journal that it is done. Any failure after the
 * first change rolls back what was done, newest first.
 */
public final class Executor {
  /** Descendants journaled per intent record when wsusfix propagates by itself (one fsync each). */
  static final int BATCH = 256;

  private final Target target;
  private final Sid domain;
  private final PrintWriter progress;
  private final WalkProgress walkProgress;
  /** Paths of this plan's DACL changes (keys) that an earlier change re-inherited: before and after. */
  private final Map<String, Propagation.Step> reinherited = new java.util.HashMap<>();
  private final Set<String> planned = new java.util.HashSet<>();
  private final AuditLog audit;
  private Path journalFile;

  /**
   * @param progress where rollback notes go when an apply fails part-way
   * @param walkProgress hears how far each walk below a propagating change has got
   */
  public Executor(Target target, PrintWriter progress, WalkProgress walkProgress) {
    this.target = target;
    this.domain = target.machineSid().orElse(null);
    this.progress = progress;
    this.walkProgress = walkProgress;
    this.audit = AuditLog.of(target);
  }

  /** What happened. {@code failure} is null on success. */
  public record Outcome(int applied, long descendants, String failure, Rollback.Result rollback) {
    public boolean ok() {
      return failure == null;
    }
  }

  /** The journal must not exist yet; the caller has confirmed, checked rights and taken the lock. */
  public Outcome apply(Plan plan, Path journalFile, String toolVersion) throws IOException {
    return apply(plan, UndoJournal.create(journalFile), toolVersion);
  }

  Outcome apply(Plan plan, UndoJournal newJournal, String toolVersion) throws IOException {
    Path journalFile = newJournal.file();
    int applied = 0;
    long[] descendants = {0};
    this.journalFile = journalFile;
    for (DaclChange d : plan.daclChanges()) {
      planned.add(WindowsPaths.key(d.path()));
    }
    try (UndoJournal journal = newJournal) {
      ObjectNode header = UndoJournal.record("header");
      header.put("formatVersion", UndoJournal.FORMAT_VERSION);
      header.put("tool", toolVersion);
      header.put("target", target.describe());
      header.put("targetId", target.id().toString());
      header.put("policy", plan.policyName());
      header.put("policyDigest", plan.policyDigest());
      header.put("started", Instant.now().toString());
      if (domain != null) {
        header.put("domainSid", domain.toString());
      }
      journal.append(header);
      String failure = null;
      for (Change change : plan.changes()) {
        try {
          if (change instanceof DaclChange d) {
            applyDacl(d, journal, descendants);
          } else if (change instanceof MembershipChange m) {
            applyMembership(m, journal);
          }
          applied++;
        } catch (RuntimeException e) {
          // Any failure, not only the target's own kind (a dropped connection surfaces as an
          // unchecked I/O error): what was done must be rolled back.
          failure = e.getMessage() != null ? e.getMessage() : e.toString();
          break;
        } catch (IOException e) {
          // The journal could not be written (a full disk): make no further change, undo the rest.
          failure = "cannot write the undo journal " + journalFile + ": " + e.getMessage();
          break;
        }
      }
      if (failure == null) {
        end(journal, "applied", null);
        return new Outcome(applied, descendants[0], null, null);
      }
      List<JsonNode> records = UndoJournal.read(journalFile);
      JsonNode last = records.get(records.size() - 1);
      // The change in flight was written by this run: restore it even if its read-back was odd.
      int inFlight = "intent".equals(last.path("type").asText()) ? last.path("seq").asInt() : 0;
      Rollback.Result rb = new Rollback(target, progress).run(records, false, false, inFlight);
      // The end record follows below: this run did finish, so the summary must not say otherwise.
      rb = new Rollback.Result(rb.restored(), rb.skipped(), rb.refused(), rb.failed(), true, rb.problems());
      try {
        end(journal, rb.complete() ? "rolled-back" : "rollback-incomplete", failure);
      } catch (IOException e) {
        // Without an end record, rollback later says the run did not finish, which is still true enough.
        failure += "; the journal's end record could not be written either (" + e.getMessage() + ")";
      }
      audit.record(AuditLog.Kind.FAILED, "wsusfix apply failed on " + target.describe() + ": " + failure + "\n"
          + rb.summary() + "\nUndo journal: " + journalFile);
      return new Outcome(applied, descendants[0], failure, rb);
    }
  }

  private static void end(UndoJournal journal, String status, String failure) throws IOException {
    ObjectNode end = UndoJournal.record("end");
    end.put("status", status);
    if (failure != null) {
      end.put("failure", failure);
    }
    end.put("finished", Instant.now().toString());
    journal.append(end);
  }

  private void applyDacl(DaclChange d, UndoJournal journal, long[] descendants) throws IOException {
    SecurityDescriptor live = target.read(d.path());
    String liveSddl = Descriptors.sddl(live, domain);
    SecurityDescriptor after = Descriptors.parse(d.after(), domain);
    if (!Descriptors.sha256(liveSddl).equals(d.beforeSha256())) {
      Propagation.Step ours = reinherited.get(WindowsPaths.key(d.path()));
      if (ours == null || !DaclWrites.sameDacl(live, ours.after())
          || !Descriptors.sha256(Descriptors.sddl(ours.before(), domain)).equals(d.beforeSha256())) {
        throw new DriftException(d.path() + ": changed since the plan was made (drift); nothing more was changed."
            + " Now: " + liveSddl);
      }
      // A change earlier in this plan re-inherited this path: keep what it inherited, add the plan's own entries.
      after = Descriptors.inheritInto(target.read(WindowsPaths.parent(d.path())), after, d.container());
    }
    String afterSddl = Descriptors.sddl(after, domain);
    boolean walk = d.propagate() && d.container();
    List<Propagation.Step> expected = new ArrayList<>();
    if (walk && target.propagatesBySelf()) {
      // The target rewrites descendants itself: journal their before-states first.
      new Propagation(target, walkProgress).walk(d.path(), after, expected::add);
      expected.forEach(this::remember);
    }
    ObjectNode intent = intent("dacl");
    addEntry(intent.putArray("entries"), d.path(), d.container(), liveSddl, afterSddl);
    if (!expected.isEmpty()) {
      ArrayNode desc = intent.putArray("descendants");
      for (Propagation.Step s : expected) {
        addEntry(desc, s.path(), s.container(), Descriptors.sddl(s.before(), domain), Descriptors.sddl(s.after(), domain));
      }
    }
    int seq = journal.append(intent);
    writeAndVerify(d.path(), after);
    done(journal, seq);
    descendants[0] += expected.size();
    long rewritten = expected.size();
    if (walk && !target.propagatesBySelf()) {
      rewritten = propagate(d.path(), after, d.descendants(), journal);
      descendants[0] += rewritten;
    }
    audit.record(AuditLog.Kind.APPLIED, "wsusfix changed the DACL of " + d.path() + " (" + rewritten
        + " descendant" + (rewritten == 1 ? "" : "s") + " re-inherited)\nBefore: " + liveSddl + "\nAfter: " + d.after()
        + "\nUndo journal: " + journalFile);
  }

  /**
   * Rewrites descendants' inherited ACEs ourselves (SMB never propagates), folder by folder,
   * parents before children. Each child is read on a handle kept open for its write
   * ({@link Target#hold}), so the journaled before-state is exactly what the write replaces;
   * batches of about {@link #BATCH} are journaled (and forced to disk) before any of them is
   * written. A child that comes out unchanged is released, and not descended into.
   */
  private long propagate(String path, SecurityDescriptor after, long expected, UndoJournal journal) throws IOException {
    Deque<Propagation.Step> folders = new ArrayDeque<>();
    folders.push(new Propagation.Step(path, true, null, after));
    Pending pending = new Pending();
    long total = 0;
    try {
      while (!folders.isEmpty()) {
        Propagation.Step folder = folders.pop();
        List<Target.Entry> children = target.children(folder.path());
        List<Propagation.Step> subfolders = new ArrayList<>();
        for (int from = 0; from < children.size(); from += BATCH) {
          List<Target.Entry> chunk = children.subList(from, Math.min(children.size(), from + BATCH));
          List<String> paths = new ArrayList<>(chunk.size());
          chunk.forEach(c -> paths.add(WindowsPaths.join(folder.path(), c.name())));
          HeldDescriptors held = target.hold(paths);
          Map<Integer, Propagation.Step> steps = new LinkedHashMap<>();
          pending.add(held, steps);
          for (int i = 0; i < chunk.size(); i++) {
            Target.Entry child = chunk.get(i);
            SecurityDescriptor before = held.descriptors().get(i);
            SecurityDescriptor childAfter = Descriptors.inheritInto(folder.after(), before, child.container());
            if (childAfter.semanticallyEquals(before)) {
              continue;
            }
            Propagation.Step step = new Propagation.Step(paths.get(i), child.container(), before, childAfter);
            steps.put(i, step);
            remember(step);
            if (child.container() && !child.reparsePoint()) {
              subfolders.add(step);
            }
          }
          if (pending.size() >= BATCH) {
            total += flush(pending, journal);
            walkProgress.walked("below " + path, total, expected);
          }
        }
        for (int i = subfolders.size() - 1; i >= 0; i--) {
          folders.push(subfolders.get(i));
        }
      }
      total += flush(pending, journal);
    } finally {
      pending.release();
      walkProgress.finished();
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
  private long flush(Pending pending, UndoJournal journal) throws IOException {
    int n = pending.size();
    if (n == 0) {
      pending.release();
      return 0;
    }
    ObjectNode intent = intent("dacl");
    ArrayNode entries = intent.putArray("entries");
    for (Map<Integer, Propagation.Step> changes : pending.steps) {
      for (Propagation.Step s : changes.values()) {
        addEntry(entries, s.path(), s.container(), Descriptors.sddl(s.before(), domain), Descriptors.sddl(s.after(), domain));
      }
    }
    intent.put("inherited", true);
    int seq = journal.append(intent);
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
          failure = new TargetException(c.getValue().path() + ": the DACL read back after writing differs from what was written: "
              + Descriptors.sddl(w.readBack(), domain));
          break;
        }
      }
    }
    pending.release();
    if (failure != null) {
      throw failure;
    }
    done(journal, seq);
    return n;
  }

  private void writeAndVerify(String path, SecurityDescriptor after) {
    target.writeDacl(path, DaclWrites.forWrite(after));
    SecurityDescriptor now = target.read(path);
    if (!DaclWrites.sameDacl(now, after)) {
      throw new TargetException(path + ": the DACL read back after writing differs from what was written: "
          + Descriptors.sddl(now, domain));
    }
  }

  private void applyMembership(MembershipChange m, UndoJournal journal) throws IOException {
    Sid group = Sid.parse(m.group());
    Sid member = Sid.parse(m.member());
    Optional<Set<Sid>> members = target.groupMembers(group);
    if (members.isEmpty()) {
      throw new TargetException("members of " + m.groupName() + " cannot be read on " + target.describe());
    }
    if (members.get().contains(member) == m.add()) {
      throw new DriftException(m.memberName() + (m.add() ? " is already" : " is no longer") + " a member of "
          + m.groupName() + ": changed since the plan was made (drift); nothing more was changed");
    }
    ObjectNode intent = intent(m.kind());
    intent.put("group", m.group());
    intent.put("groupName", m.groupName());
    intent.put("member", m.member());
    intent.put("memberName", m.memberName());
    int seq = journal.append(intent);
    if (m.add()) {
      target.addGroupMember(group, member);
    } else {
      target.removeGroupMember(group, member);
    }
    boolean nowMember = target.groupMembers(group).orElse(Set.of()).contains(member);
    if (nowMember != m.add()) {
      throw new TargetException(m.memberName() + ": membership of " + m.groupName() + " did not change as asked");
    }
    done(journal, seq);
    audit.record(AuditLog.Kind.APPLIED, "wsusfix " + (m.add() ? "added " : "removed ") + m.memberName() + " ("
        + m.member() + ")" + (m.add() ? " to " : " from ") + m.groupName() + " (" + m.group() + ")\nUndo journal: "
        + journalFile);
  }

  private static ObjectNode intent(String kind) {
    ObjectNode n = UndoJournal.record("intent");
    n.put("kind", kind);
    return n;
  }

  private static void addEntry(ArrayNode entries, String path, boolean container, String before, String after) {
    ObjectNode e = entries.addObject();
    e.put("path", path);
    e.put("container", container);
    e.put("before", before);
    e.put("after", after);
  }

  private static void done(UndoJournal journal, int intentSeq) throws IOException {
    ObjectNode n = UndoJournal.record("done");
    n.put("intent", intentSeq);
    journal.append(n);
  }

  /** The live state is not what the plan was made from. */
  static final class DriftException extends RuntimeException {
    DriftException(String message) {
      super(message);
    }
  }
}
