package org.wsusfix.cli;

import picocli.CommandLine;

/** Process entry point: builds the command tree and maps failures to one-line errors. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line without exiting; tests call this. */
  public static int run(String... args) {
    return newCommandLine().execute(args);
  }

  public static CommandLine newCommandLine() {
    CommandLine cli = new CommandLine(new WsusfixCommand());
    cli.setParameterExceptionHandler(new OneLineParameterErrors());
    cli.setExecutionExceptionHandler(new OneLineExecutionErrors());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli;
  }
}
