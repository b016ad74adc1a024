package org.wsusfix.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.wsusfix.apply.ApplyLock;
import org.wsusfix.apply.IcaclsExport;
import org.wsusfix.apply.Journal;
import org.wsusfix.apply.JournalException;
import org.wsusfix.apply.RestoreRecipes;
import org.wsusfix.apply.Rollback;
import org.wsusfix.apply.UndoJournal;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.TargetException;
import org.wsusfix.machine.TargetId;
import org.wsusfix.resource.WalkProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description = {
      "Restores the before-states an undo journal recorded, newest first. Paths changed by someone"
          + " else since are left alone unless --force.",
      "Exit codes: 0 every change is back, 1 otherwise."
    })
public final class RollbackCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "UNDO", description = "The undo journal apply wrote")
  Path journal;

  @Mixin TargetOptions target;
  @Mixin DebugOption debug;
  @Spec CommandSpec spec;

  @Option(names = "--yes", description = "Do not ask for confirmation")
  boolean yes;

  @Option(names = "--dry-run", description = "Say what would be restored; change nothing")
  boolean dryRun;

  @Option(names = "--force", description = "Restore paths that someone changed since the apply")
  boolean force;

  @Option(
      names = "--export-icacls",
      paramLabel = "OUT",
      description =
          "Instead of restoring, write a file for 'icacls DIR /restore OUT' (and OUT-registry.ps1,"
              + " OUT-rights.inf for registry keys and user rights)")
  Path exportIcacls;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Journal records;
    try {
      records = UndoJournal.read(journal);
    } catch (JournalException e) {
      throw new UserError(e.getMessage());
    }
    if (exportIcacls != null) {
      try {
        Path keys = RestoreRecipes.writeRegistry(records, exportIcacls);
        Path rights = RestoreRecipes.writeRights(records, exportIcacls);
        if (IcaclsExport.hasDacls(records) || (keys == null && rights == null)) {
          String dir = IcaclsExport.write(records, exportIcacls);
          out.println(
              "Wrote " + exportIcacls + ". To restore without wsusfix, from an elevated prompt:");
          out.println("  icacls \"" + dir + "\" /restore \"" + exportIcacls + "\"");
        }
        if (keys != null) {
          out.println("Wrote " + keys + " for the registry keys; from an elevated PowerShell:");
          out.println("  powershell -ExecutionPolicy Bypass -File \"" + keys + "\"");
        }
        if (rights != null) {
          out.println("Wrote " + rights + " for the user rights; from an elevated prompt:");
          out.println(
              "  secedit /configure /db \"%TEMP%\\wsusfix-rights.sdb\" /cfg \""
                  + rights
                  + "\" /areas USER_RIGHTS");
        }
        out.flush();
        return 0;
      } catch (IOException e) {
        throw new UserError("cannot write " + exportIcacls + ": " + e.getMessage());
      }
    }
    String recorded = records.header().target();
    if (target.target == null && recorded.equals("local") && "local".equals(target.spec())) {
      target.target = "local"; // this machine: nothing leaves it
    }
    if (target.target == null) {
      // A journal is not authenticated: it must not choose, by itself, where credentials go.
      String shown = Printable.escape(recorded);
      if (yes || System.console() == null) {
        throw new UserError(
            "the journal was written for "
                + shown
                + "; give --target with that server to "
                + (dryRun ? "check" : "roll back")
                + " there (wsusfix connects only to a target you name)");
      }
      Confirmation.require(
          out, "The journal was written for " + shown + ". Connect to it?", "connect");
      target.target = recorded;
    }
    try (Target t = target.open(1)) {
      // Journals name the server by its identity: another account or signing option is the same
      // server.
      TargetId recordedId = records.header().targetId();
      boolean same = recordedId != null ? t.id().equals(recordedId) : t.describe().equals(recorded);
      if (!same && !force) {
        throw new UserError(
            "the journal was written for "
                + Printable.escape(recorded)
                + ", not "
                + t.describe()
                + "; nothing was changed (--force to roll back there anyway)");
      }
      Rollback rollback = new Rollback(t, out);
      if (!dryRun) {
        List<String> problems = rollback.problems(records);
        if (!problems.isEmpty()) {
          throw new UserError("refused before changing anything: " + String.join("; ", problems));
        }
      }
      if (!dryRun && !yes) {
        Confirmation.require(
            out,
            "Roll back the changes recorded in " + journal + " on " + t.describe() + "?",
            "roll back");
      }
      Rollback.Result result;
      // A dry run changes nothing: it takes no lock and leaves no lock file.
      try (AutoCloseable lock =
          dryRun ? () -> {} : ApplyLock.take(journal.toAbsolutePath().getParent(), t)) {
        result =
            rollback
                .withProgress(dryRun ? WalkProgress.NONE : ProgressLine.forTerminal())
                .run(records, force, dryRun);
      }
      out.println(result.summary() + (dryRun ? " (dry run: nothing was changed)" : ""));
      out.flush();
      return result.complete() ? 0 : 1;
    } catch (TargetException | JournalException | IllegalArgumentException e) {
      throw new UserError(e.getMessage(), 1, e);
    }
  }
}
