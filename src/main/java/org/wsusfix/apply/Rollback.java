package org.wsusfix.apply;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.wsusfix.machine.AuditLog;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.TargetException;
import org.wsusfix.plan.ResourceKinds;
import org.wsusfix.resource.ResourceKind;
import org.wsusfix.resource.RestoreContext;
import org.wsusfix.resource.Restorer;
import org.wsusfix.resource.UndoPayload;
import org.wsusfix.resource.WalkProgress;
import org.wsusfix.security.Sid;

/**
 * Restores the before-states an undo journal recorded, newest change first, each through the
 * resource kind that journaled it. What is at its recorded after-state is restored, what is already
 * at its before-state is skipped, and anything else means someone changed it since: it is left
 * alone unless forced.
 */
public final class Rollback {
  private final Target target;
  private final PrintWriter out;
  private final AuditLog audit;
  private final ResourceKinds kinds;
  private WalkProgress progress = WalkProgress.NONE;

  public Rollback(Target target, PrintWriter out) {
    this(target, out, ResourceKinds.STANDARD);
  }

  public Rollback(Target target, PrintWriter out, ResourceKinds kinds) {
    this.target = target;
    this.out = out;
    this.audit = AuditLog.of(target);
    this.kinds = kinds;
  }

  /** Reports how many journaled items have been handled, for a progress line. */
  public Rollback withProgress(WalkProgress progress) {
    this.progress = progress;
    return this;
  }

  /** Counts per outcome, and one line per refusal or failure. */
  public record Result(
      int restored,
      int skipped,
      int refused,
      int failed,
      boolean finishedRun,
      List<String> problems) {
    public boolean complete() {
      return refused == 0 && failed == 0;
    }

    public String summary() {
      return String.format(
          "rollback: %d restored, %d already as before, %d refused, %d failed%s",
          restored,
          skipped,
          refused,
          failed,
          finishedRun ? "" : " (the journal has no end record: that run did not finish)");
    }
  }

  /**
   * Why this target cannot restore the journal, found before the first change: a kind it cannot
   * write, and each kind's own checks. Empty when it can.
   */
  public List<String> problems(Journal journal) {
    List<UndoPayload> payloads =
        journal.intents().stream().map(JournalRecord.Intent::payload).toList();
    List<String> found = new ArrayList<>();
    for (ResourceKind<?, ?> kind : kinds.all()) {
      if (ResourceKinds.payloadsOf(kind, payloads).isEmpty()) {
        continue;
      }
      if (!kind.capability(target).canWrite()) {
        found.add(target.readOnlyReason() + " (it cannot change " + kind.noun() + "s)");
      } else {
        found.addAll(restoreProblems(kind, payloads));
      }
    }
    return found;
  }

  private <U extends UndoPayload> List<String> restoreProblems(
      ResourceKind<?, U> kind, List<UndoPayload> payloads) {
    return kind.restoreProblems(target, ResourceKinds.payloadsOf(kind, payloads));
  }

  public Result run(Journal journal, boolean force, boolean dryRun) {
    return run(journal, force, dryRun, 0);
  }

  /**
   * As {@link #run(Journal, boolean, boolean)}, restoring intent {@code forcedIntent} (its sequence
   * number; 0 for none) even when its state is unexpected: the executor passes the change it was
   * making when it failed, whose read-back may show neither state.
   */
  Result run(Journal journal, boolean force, boolean dryRun, int forcedIntent) {
    Context context = new Context(journal.header().domainSid(), dryRun);
    List<JournalRecord.Intent> intents = journal.intents();
    for (JournalRecord.Intent i : intents) {
      context.total += ResourceKinds.restoreUnits(kind(i), i.payload());
    }
    Map<ResourceKind<?, ?>, Restorer<?>> restorers = new LinkedHashMap<>();
    try {
      for (int k = intents.size() - 1; k >= 0; k--) {
        JournalRecord.Intent intent = intents.get(k);
        ResourceKind<?, ?> kind = kind(intent);
        Restorer<?> restorer = restorers.computeIfAbsent(kind, x -> x.restorer(context));
        try {
          restoreOne(restorer, kind, intent.payload(), force || intent.seq() == forcedIntent);
        } catch (TargetException e) {
          context.failed(e.getMessage());
        }
      }
    } finally {
      progress.finished();
    }
    out.flush();
    return new Result(
        context.restored,
        context.skipped,
        context.refused,
        context.failed,
        journal.finished(),
        context.problems);
  }

  private ResourceKind<?, ?> kind(JournalRecord.Intent intent) {
    return kinds
        .named(intent.resource())
        .orElseThrow(
            () ->
                new JournalException(
                    "journal line "
                        + intent.seq()
                        + ": unknown resource kind '"
                        + intent.resource()
                        + "'"));
  }

  @SuppressWarnings("unchecked")
  private static <U extends UndoPayload> void restoreOne(
      Restorer<?> restorer, ResourceKind<?, U> kind, UndoPayload payload, boolean force) {
    // The restorer was made by this kind for its own payload type.
    ((Restorer<U>) restorer).restore(kind.payloadType().cast(payload), force);
  }

  /** One rollback run as the kinds see it, and its tally. */
  private final class Context extends KindRun implements RestoreContext {
    private final boolean dryRun;
    int restored;
    int skipped;
    int refused;
    int failed;
    long done;
    long total;
    final List<String> problems = new ArrayList<>();

    Context(Sid domain, boolean dryRun) {
      super(target, domain, audit);
      this.dryRun = dryRun;
    }

    @Override
    public PrintWriter out() {
      return out;
    }

    @Override
    public boolean dryRun() {
      return dryRun;
    }

    @Override
    public void restored() {
      restored++;
    }

    @Override
    public void skipped() {
      skipped++;
    }

    @Override
    public void refused(String problem) {
      refused++;
      problems.add(problem);
      out.println("  refused: " + problem);
    }

    @Override
    public void failed(String problem) {
      failed++;
      problems.add(problem);
      out.println("  failed: " + problem);
    }

    @Override
    public void handled(long units) {
      done += units;
      progress.walked("journaled paths handled", done, total);
    }
  }
}
