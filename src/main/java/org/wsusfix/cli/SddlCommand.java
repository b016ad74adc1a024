package org.wsusfix.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code wsusfix sddl ...}: tools for security descriptors as text and bytes. */
@Command(
    name = "sddl",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Works with security descriptors in SDDL and binary form.",
    subcommands = {SddlConvertCommand.class})
public final class SddlCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
