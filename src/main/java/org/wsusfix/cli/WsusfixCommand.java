package org.wsusfix.cli;

import picocli.CommandLine.Command;

@Command(
    name = "wsusfix",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Finds and fixes the permission faults that break Windows Server Update Services.",
    subcommands = {
      picocli.CommandLine.HelpCommand.class,
      PlanCommand.class,
      CheckCommand.class,
      ShowCommand.class,
      ApplyCommand.class,
      RollbackCommand.class,
      CompletionCommand.class,
      SddlCommand.class,
      PolicyCommand.class,
    })
public final class WsusfixCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
