package org.wsusfix.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
    name = "wsusfix",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Finds and fixes the permission faults that break Windows Server Update Services.")
public final class WsusfixCommand implements Callable<Integer> {
  /** Exit code of a command line that names no command: a usage error, as in most tools. */
  static final int USAGE = 2;

  /**
   * Every subcommand, in the order help lists them. Main registers only the one being run when it
   * can tell which: building picocli's model of all of them costs most of the start-up time.
   */
  static final List<Class<?>> SUBCOMMANDS =
      List.of(
          DiagnoseCommand.class,
          PlanCommand.class,
          ApplyCommand.class,
          RollbackCommand.class,
          CheckCommand.class,
          ShowCommand.class,
          ExplainCommand.class,
          PolicyCommand.class,
          SddlCommand.class,
          CompletionCommand.class,
          picocli.CommandLine.HelpCommand.class);

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  /**
   * Without a command there is nothing to do: the usage goes to stderr, as for other usage errors.
   */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    spec.commandLine().getErr().flush();
    return USAGE;
  }
}
