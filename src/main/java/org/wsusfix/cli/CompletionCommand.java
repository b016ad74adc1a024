package org.wsusfix.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = {
      "Prints a bash completion script for wsusfix.",
      "Use: source <(wsusfix completion)"
    })
public final class CompletionCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().getOut().print(BashCompletion.script(spec.root().commandLine()));
    spec.commandLine().getOut().flush();
  }
}
