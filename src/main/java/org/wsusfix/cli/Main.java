package org.wsusfix.cli;

import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** Process entry point: builds the command tree and maps failures to one-line errors. */
public final class Main {
  /** Commands that describe the others (help lists them, completion completes them). */
  private static final Set<Class<?>> NEED_ALL = Set.of(CompletionCommand.class, HelpCommand.class);

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line without exiting; tests call this. */
  public static int run(String... args) {
    return newCommandLine(args.length > 0 ? args[0] : null).execute(args);
  }

  /** The whole command tree. */
  public static CommandLine newCommandLine() {
    return newCommandLine(null);
  }

  /**
   * The command tree with only {@code first} as a subcommand when it names one (and the command
   * does not need the others), otherwise with all of them.
   */
  static CommandLine newCommandLine(String first) {
    CommandLine cli = new CommandLine(new WsusfixCommand());
    Class<?> only = null;
    for (Class<?> c : WsusfixCommand.SUBCOMMANDS) {
      if (!NEED_ALL.contains(c) && c.getAnnotation(Command.class).name().equals(first)) {
        only = c;
      }
    }
    for (Class<?> c : WsusfixCommand.SUBCOMMANDS) {
      if (only == null || c == only) {
        cli.addSubcommand(c);
      }
    }
    cli.setParameterExceptionHandler(new OneLineParameterErrors());
    cli.setExecutionExceptionHandler(new OneLineExecutionErrors());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli;
  }
}
