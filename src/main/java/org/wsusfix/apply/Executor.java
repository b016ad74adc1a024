package org.wsusfix.apply;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.wsusfix.machine.AuditLog;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.TargetException;
import org.wsusfix.plan.Plan;
import org.wsusfix.plan.ResourceKinds;
import org.wsusfix.resource.Applier;
import org.wsusfix.resource.ApplyContext;
import org.wsusfix.resource.Change;
import org.wsusfix.resource.ResourceKind;
import org.wsusfix.resource.UndoPayload;
import org.wsusfix.resource.WalkProgress;
import org.wsusfix.security.Sid;

/**
 * Applies a plan, change by change through the change's resource kind: check the live state against
 * the plan (drift), journal the intent and force it to disk, change, re-read and verify, journal
 * that it is done. Any failure after the first change rolls back what was done, newest first.
 */
public final class Executor {
  private final Target target;
  private final Sid domain;
  private final PrintWriter progress;
  private final WalkProgress walkProgress;
  private final AuditLog audit;
  private final ResourceKinds kinds;

  /**
   * @param progress where rollback notes go when an apply fails part-way
   * @param walkProgress hears how far each walk below a propagating change has got
   */
  public Executor(Target target, PrintWriter progress, WalkProgress walkProgress) {
    this(target, progress, walkProgress, ResourceKinds.STANDARD);
  }

  public Executor(
      Target target, PrintWriter progress, WalkProgress walkProgress, ResourceKinds kinds) {
    this.target = target;
    this.domain = target.machineSid().orElse(null);
    this.progress = progress;
    this.walkProgress = walkProgress;
    this.audit = AuditLog.of(target);
    this.kinds = kinds;
  }

  /** What happened. {@code failure} is null on success. */
  public record Outcome(int applied, long descendants, String failure, Rollback.Result rollback) {
    public boolean ok() {
      return failure == null;
    }
  }

  /**
   * Why this target cannot take the plan, found before the first change: a kind it cannot write,
   * and each kind's own checks (rights, elevation, paths). Empty when it can.
   */
  public List<String> problems(Plan plan) {
    List<String> out = unwritable(plan);
    if (out.isEmpty()) {
      for (ResourceKind<?, ?> kind : kinds.all()) {
        out.addAll(problems(kind, plan.changes()));
      }
    }
    return out;
  }

  /** The kinds of the plan this target cannot change, one line each. */
  private List<String> unwritable(Plan plan) {
    List<String> out = new ArrayList<>();
    for (ResourceKind<?, ?> kind : kinds.all()) {
      if (!ResourceKinds.changesOf(kind, plan.changes()).isEmpty()
          && !kind.capability(target).canWrite()) {
        out.add(target.readOnlyReason() + " (it cannot change " + kind.noun() + "s)");
      }
    }
    return out;
  }

  private <C extends Change> List<String> problems(ResourceKind<C, ?> kind, List<Change> changes) {
    List<C> mine = ResourceKinds.changesOf(kind, changes);
    return mine.isEmpty() ? List.of() : kind.writeProblems(target, mine);
  }

  /**
   * Lines for changes that would newly give broad groups write access (refused unless asked for).
   */
  public List<String> broadWrites(Plan plan) {
    List<String> out = new ArrayList<>();
    for (Change c : plan.changes()) {
      out.addAll(ResourceKinds.broadWrites(kinds.of(c), c, domain));
    }
    return out;
  }

  /**
   * The journal must not exist yet; the caller has confirmed, checked rights and taken the lock.
   */
  public Outcome apply(Plan plan, Path journalFile, String toolVersion) throws IOException {
    refuseUnwritable(plan);
    return apply(plan, UndoJournal.create(journalFile, kinds), toolVersion);
  }

  /**
   * @throws TargetException before anything is written when the target cannot change a kind of the
   *     plan
   */
  private void refuseUnwritable(Plan plan) {
    List<String> refused = unwritable(plan);
    if (!refused.isEmpty()) {
      throw new TargetException("refused before changing anything: " + String.join("; ", refused));
    }
  }

  Outcome apply(Plan plan, UndoJournal newJournal, String toolVersion) throws IOException {
    Path journalFile = newJournal.file();
    refuseUnwritable(plan);
    int applied = 0;
    try (UndoJournal journal = newJournal) {
      Run run = new Run(journal);
      journal.header(
          toolVersion,
          target.describe(),
          target.id(),
          plan.policyName(),
          plan.policyDigest(),
          domain);
      Map<ResourceKind<?, ?>, Applier<?>> appliers = new LinkedHashMap<>();
      String failure = null;
      for (Change change : plan.changes()) {
        try {
          ResourceKind<?, ?> kind = kinds.of(change);
          Applier<?> applier = appliers.get(kind);
          if (applier == null) {
            applier = applierFor(kind, run, plan.changes());
            appliers.put(kind, applier);
          }
          applyOne(applier, kind, change);
          applied++;
        } catch (RuntimeException e) {
          // Any failure, not only the target's own kind (a dropped connection surfaces as an
          // unchecked I/O error): what was done must be rolled back.
          failure = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
          break;
        } catch (IOException e) {
          // The journal could not be written (a full disk): make no further change, undo the rest.
          failure = "cannot write the undo journal " + journalFile + ": " + e.getMessage();
          break;
        }
      }
      if (failure == null) {
        journal.end("applied", null);
        return new Outcome(applied, run.descendants, null, null);
      }
      Journal written = UndoJournal.read(journalFile, kinds);
      List<JournalRecord> records = written.records();
      JournalRecord last = records.isEmpty() ? written.header() : records.get(records.size() - 1);
      // The change in flight was written by this run: restore it even if its read-back was odd.
      int inFlight = last instanceof JournalRecord.Intent i ? i.seq() : 0;
      Rollback.Result rb =
          new Rollback(target, progress, kinds).run(written, false, false, inFlight);
      // The end record follows below: this run did finish, so the summary must not say otherwise.
      rb =
          new Rollback.Result(
              rb.restored(), rb.skipped(), rb.refused(), rb.failed(), true, rb.problems());
      try {
        journal.end(rb.complete() ? "rolled-back" : "rollback-incomplete", failure);
      } catch (IOException e) {
        // Without an end record, rollback later says the run did not finish, which is still true
        // enough.
        failure +=
            "; the journal's end record could not be written either (" + e.getMessage() + ")";
      }
      audit.record(
          AuditLog.Kind.FAILED,
          "wsusfix apply failed on "
              + target.describe()
              + ": "
              + failure
              + "\n"
              + rb.summary()
              + "\nUndo journal: "
              + journalFile);
      return new Outcome(applied, run.descendants, failure, rb);
    }
  }

  private static <C extends Change> Applier<C> applierFor(
      ResourceKind<C, ?> kind, ApplyContext run, List<Change> all) {
    return kind.applier(run, ResourceKinds.changesOf(kind, all));
  }

  @SuppressWarnings("unchecked")
  private static <C extends Change> void applyOne(
      Applier<?> applier, ResourceKind<C, ?> kind, Change change) throws IOException {
    // The applier was made by this kind for its own change type.
    ((Applier<C>) applier).apply(kind.changeType().cast(change));
  }

  /** One apply run as the kinds see it. */
  private final class Run extends KindRun implements ApplyContext {
    private final UndoJournal journal;
    long descendants;

    Run(UndoJournal journal) {
      super(target, domain, audit);
      this.journal = journal;
    }

    @Override
    public WalkProgress progress() {
      return walkProgress;
    }

    @Override
    public Path journalFile() {
      return journal.file();
    }

    @Override
    public int intent(ResourceKind<?, ?> kind, UndoPayload payload) throws IOException {
      return journal.intent(kind, payload);
    }

    @Override
    public void done(int intentSeq) throws IOException {
      journal.done(intentSeq);
    }

    @Override
    public void rewrote(long n) {
      descendants += n;
    }
  }
}
