package org.wsusfix.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the command line in-process and keeps what it printed. */
public record CliRun(int exit, String out, String err) {
  public static CliRun of(String... args) {
    return run(Main.newCommandLine(), args);
  }

  /** As {@code main} builds it: only the named subcommand, where that is enough. */
  public static CliRun asLaunched(String... args) {
    return run(Main.newCommandLine(args.length > 0 ? args[0] : null), args);
  }

  private static CliRun run(CommandLine cli, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    // Compare text the same way on every OS: println ends lines with \r\n on Windows.
    return new CliRun(
        exit, out.toString().replace("\r\n", "\n"), err.toString().replace("\r\n", "\n"));
  }

  @Override
  public String toString() {
    return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
  }
}
