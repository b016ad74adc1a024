package org.wsusfix.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.TargetException;
import org.wsusfix.machine.Targets;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** --target and --var, shared by every command that reads or changes a target. */
public final class TargetOptions {
  @Option(names = {"-t", "--target"}, paramLabel = "TARGET",
      description = "local (Windows, the default there), smb://USER@HOST[:PORT]/SHARE[?root=C:\\&signing=off], "
          + "or snapshot:FILE[?base=DIR&computer=NAME] (an icacls /save file)")
  String target;

  @Option(names = "--var", paramLabel = "NAME=VALUE",
      description = "Value of a policy variable on this target, e.g. --var windir=D:\\Windows")
  Map<String, String> vars = new LinkedHashMap<>();

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  public String spec() {
    return target != null ? target : Targets.defaultSpec();
  }

  public Target open(int exitCode) {
    try {
      Target t = Targets.open(spec(), vars);
      PrintWriter err = command != null ? command.commandLine().getErr() : new PrintWriter(System.err, true);
      for (String w : t.warnings()) {
        err.println("wsusfix: warning: " + Printable.escape(w));
      }
      err.flush();
      return t;
    } catch (TargetException | IllegalArgumentException e) {
      throw new UserError(e.getMessage(), exitCode, e);
    }
  }
}
