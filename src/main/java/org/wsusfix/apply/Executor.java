package org.wsusfix.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
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
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;
import org.wsusfix.target.Target;
import org.wsusfix.target.TargetException;
import org.wsusfix.target.WindowsPaths;

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
  private final boolean showProgress;
  /** Paths of this plan's DACL changes (keys) that an earlier change re-inherited: before and after. */
  private final Map<String, Propagation.Step> reinherited = new java.util.HashMap<>();
  private final Set<String> planned = new java.util.HashSet<>();
  private final AuditLog audit;
  private Path journalFile;

  public Executor(Target target, PrintWriter progress, boolean showProgress) {
    this.target = target;
    this.domain = target.machineSid().orElse(null);
    this.progress = progress;
    this.showProgress = showProgress;
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
      new Propagation(target).walk(d.path(), after, expected::add);
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
      rewritten = propagate(d.path(), after, journal);
      descendants[0] += rewritten;
    }
    audit.record(AuditLog.Kind.APPLIED, "wsusfix changed the DACL of " + d.path() + " (" + rewritten
        + " descendant" + (rewritten == 1 ? "" : "s") + " re-inherited)\nBefore: " + liveSddl + "\nAfter: " + d.after()
        + "\nUndo journal: " + journalFile);
  }

  /** Rewrites descendants' inherited ACEs ourselves (SMB never propagates), journaled in batches. */
  private long propagate(String path, SecurityDescriptor after, UndoJournal journal) throws IOException {
    List<Propagation.Step> batch = new ArrayList<>(BATCH);
    long[] total = {0};
    IOException[] error = {null};
    new Propagation(target).walk(path, after, step -> {
      remember(step);
      batch.add(step);
      if (batch.size() < BATCH) {
        return true;
      }
      try {
        total[0] += flush(batch, journal);
      } catch (IOException e) {
        error[0] = e;
        return false;
      }
      return true;
    });
    if (error[0] != null) {
      throw error[0];
    }
    total[0] += flush(batch, journal);
    if (showProgress) {
      progress.print("\r");
      progress.flush();
    }
    return total[0];
  }

  private void remember(Propagation.Step step) {
    String key = WindowsPaths.key(step.path());
    if (planned.contains(key)) {
      reinherited.putIfAbsent(key, step);
    }
  }

  private long flush(List<Propagation.Step> batch, UndoJournal journal) throws IOException {
    if (batch.isEmpty()) {
      return 0;
    }
    ObjectNode intent = intent("dacl");
    ArrayNode entries = intent.putArray("entries");
    for (Propagation.Step s : batch) {
      addEntry(entries, s.path(), s.container(), Descriptors.sddl(s.before(), domain), Descriptors.sddl(s.after(), domain));
    }
    intent.put("inherited", true);
    int seq = journal.append(intent);
    Map<String, SecurityDescriptor> writes = new LinkedHashMap<>();
    List<String> paths = new ArrayList<>(batch.size());
    for (Propagation.Step s : batch) {
      writes.put(s.path(), DaclWrites.forWrite(s.after()));
      paths.add(s.path());
    }
    List<SecurityDescriptor> now = target.writeDaclsAndReadBack(writes);
    for (int i = 0; i < batch.size(); i++) {
      if (!DaclWrites.sameDacl(now.get(i), batch.get(i).after())) {
        throw new TargetException(paths.get(i) + ": the DACL read back after writing differs from what was written: "
            + Descriptors.sddl(now.get(i), domain));
      }
    }
    done(journal, seq);
    int n = batch.size();
    batch.clear();
    if (showProgress) {
      progress.print("\rpropagating inherited entries: " + seq + " batches written");
      progress.flush();
    }
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
