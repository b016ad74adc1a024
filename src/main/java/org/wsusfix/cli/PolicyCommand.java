package org.wsusfix.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code wsusfix policy ...}: work with policy files without touching any target. */
@Command(
    name = "policy",
    mixinStandardHelpOptions = true,
    description = {
      "Check policy files, print the policy JSON Schema, list the shipped policies.",
      "Wherever a policy is expected, NAME of a shipped policy works too (or builtin:NAME)."
    },
    subcommands = {PolicyValidateCommand.class, PolicySchemaCommand.class, PolicyListCommand.class})
public final class PolicyCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
