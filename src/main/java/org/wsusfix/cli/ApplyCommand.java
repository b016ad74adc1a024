package org.wsusfix.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.wsusfix.apply.ApplyLock;
import org.wsusfix.apply.Executor;
import org.wsusfix.apply.JournalLocation;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.TargetException;
import org.wsusfix.plan.Plan;
import org.wsusfix.plan.PlanJson;
import org.wsusfix.plan.PlanText;
import org.wsusfix.resource.FormatException;
import org.wsusfix.resource.TrusteeResolver;
import org.wsusfix.resource.WalkProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "apply",
    mixinStandardHelpOptions = true,
    description = {
      "Makes the changes of a policy or a saved plan, after confirmation, writing an undo journal"
          + " before each change. A failure part-way rolls back what was done.",
      "Exit codes: 0 done (or nothing to do), 1 error (after automatic rollback)."
    })
public final class ApplyCommand implements Callable<Integer> {
  @Option(
      names = {"-p", "--policy"},
      paramLabel = "POLICY",
      completionCandidates = PolicyOption.ShippedNames.class,
      description = "Policy file, or a shipped policy by name: wsus-iis6, wsus-iis7, wsus-2012")
  String policy;

  @Option(
      names = "--plan",
      paramLabel = "PLAN.json",
      description =
          "A plan written by 'wsusfix plan --out'; changes whose live state differs are refused")
  Path planFile;

  @Mixin TargetOptions target;
  @Mixin DebugOption debug;
  @Spec CommandSpec spec;

  @Option(names = "--yes", description = "Do not ask for confirmation (for scripts)")
  boolean yes;

  @Option(names = "--dry-run", description = "Show the plan and change nothing (no journal either)")
  boolean dryRun;

  @Option(
      names = "--undo",
      paramLabel = "FILE",
      description =
          "Undo journal to write (default: a new file in "
              + "%%ProgramData%%\\wsusfix\\undo on Windows, ./wsusfix-undo elsewhere)")
  Path undo;

  @Option(
      names = "--allow-broad-write",
      description =
          "Allow write, modify or full control for Everyone, Users,"
              + " Authenticated Users, Anonymous or Guests")
  boolean allowBroadWrite;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Loaded loaded = load();
    try (Target t = loaded.target) {
      Plan plan = loaded.plan;
      out.print(loaded.text.render(plan));
      out.flush();
      if (plan.changes().isEmpty()) {
        out.println("Nothing to apply.");
        return 0;
      }
      if (dryRun) {
        out.println("Dry run: nothing was changed.");
        return 0;
      }
      refuseUnsafe(plan, t);
      confirm(plan, t, out);
      Path journal =
          undo != null ? undo : JournalLocation.newJournal(JournalLocation.defaultDirectory());
      Path journalDir = journal.toAbsolutePath().getParent();
      try (ApplyLock lock = ApplyLock.take(journalDir, t)) {
        if (Files.exists(journal)) {
          throw new UserError(
              "undo journal " + journal + " exists already; give a new --undo file");
        }
        out.println("Undo journal: " + journal);
        out.flush();
        Executor.Outcome outcome =
            new Executor(t, out, ProgressLine.forTerminal())
                .apply(plan, journal, new VersionProvider().getVersion()[0]);
        if (outcome.ok()) {
          out.printf(
              "Applied %d change%s (%,d descendant%s rewritten). To undo: wsusfix rollback %s%n",
              outcome.applied(),
              outcome.applied() == 1 ? "" : "s",
              outcome.descendants(),
              outcome.descendants() == 1 ? "" : "s",
              journal);
          out.flush();
          return 0;
        }
        out.println(outcome.rollback().summary());
        out.flush();
        throw new UserError(
            "apply failed: "
                + outcome.failure()
                + "; "
                + (outcome.rollback().complete()
                    ? "every change was rolled back"
                    : "ROLLBACK INCOMPLETE, see above; journal " + journal));
      }
    } catch (TargetException | IOException e) {
      throw new UserError(e.getMessage(), 1, e);
    }
  }

  private record Loaded(Target target, Plan plan, PlanText text) {}

  private Loaded load() {
    if ((policy == null) == (planFile == null)) {
      throw new ParameterException(spec.commandLine(), "give either -p POLICY or --plan PLAN.json");
    }
    if (planFile == null) {
      PolicyOption option = new PolicyOption();
      option.policy = policy;
      // With --yes nobody reads the plan before the write: do not walk the tree twice to count.
      PlannedTarget run = PlannedTarget.of(option, target, 1, !yes || dryRun);
      return new Loaded(run.target, run.plan, run.text());
    }
    Plan plan;
    try {
      plan = PlanJson.read(planFile);
    } catch (FormatException e) {
      throw new UserError(e.getMessage());
    }
    if (target.target == null && plan.target().equals("local") && "local".equals(target.spec())) {
      target.target = "local"; // this machine: nothing leaves it
    }
    if (target.target == null) {
      // A plan file is not authenticated: it must not choose, by itself, where credentials go.
      String shown = Printable.escape(plan.target());
      if (yes || System.console() == null) {
        throw new UserError(
            "the plan was made for "
                + shown
                + "; give --target with that server to apply it there"
                + " (wsusfix connects only to a target you name)");
      }
      Confirmation.require(
          spec.commandLine().getOut(),
          "The plan was made for " + shown + ". Connect to it?",
          "connect");
      target.target = plan.target();
    }
    Target t = target.open(1);
    if (!t.describe().equals(plan.target())) {
      t.close();
      throw new UserError(
          "the plan was made for " + Printable.escape(plan.target()) + ", not " + t.describe());
    }
    TrusteeResolver names = new TrusteeResolver(t);
    return new Loaded(
        t,
        plan,
        new PlanText(names::nameOf, t.machineSid().orElse(null), Terminal.colour())
            .showingTarget(target.shown()));
  }

  private void refuseUnsafe(Plan plan, Target t) {
    Executor executor =
        new Executor(t, new PrintWriter(java.io.Writer.nullWriter()), WalkProgress.NONE);
    if (!allowBroadWrite) {
      List<String> broad = executor.broadWrites(plan);
      if (!broad.isEmpty()) {
        throw new UserError(
            "refused: "
                + broad.get(0)
                + (broad.size() > 1 ? " (and " + (broad.size() - 1) + " more)" : ""));
      }
    }
    List<String> problems = executor.problems(plan);
    if (!problems.isEmpty()) {
      throw new UserError("refused before changing anything: " + String.join("; ", problems));
    }
  }

  private void confirm(Plan plan, Target t, PrintWriter out) {
    if (yes) {
      return;
    }
    Confirmation.require(
        out,
        String.format(
            "Apply %d change%s to %s?",
            plan.changes().size(), plan.changes().size() == 1 ? "" : "s", t.describe()),
        "apply");
  }
}
