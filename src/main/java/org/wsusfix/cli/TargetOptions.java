package org.wsusfix.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.TargetException;
import org.wsusfix.machine.Targets;
import picocli.CommandLine.Option;

/** --target and --var, shared by every command that reads or changes a target. */
public final class TargetOptions {
  @Option(
      names = {"-t", "--target"},
      paramLabel = "TARGET",
      description =
          "local (Windows, the default there), smb://USER@HOST[:PORT]/SHARE[?root=C:\\], "
              + "or snapshot:FILE[?base=DIR&computer=NAME] (an icacls /save file)")
  String target;

  @Option(
      names = "--var",
      paramLabel = "NAME=VALUE",
      description = "Value of a policy variable on this target, e.g. --var windir=D:\\Windows")
  Map<String, String> vars = new LinkedHashMap<>();

  public String spec() {
    return target != null ? target : Targets.defaultSpec();
  }

  /** The target as the user gave it, fit to print (see {@link Targets#shown}). */
  public String shown() {
    return Targets.shown(spec());
  }

  public Target open(int exitCode) {
    try {
      return Targets.open(spec(), vars);
    } catch (TargetException | IllegalArgumentException e) {
      throw new UserError(e.getMessage(), exitCode, e);
    }
  }
}
