package org.wsusfix.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Failures while running: one line; the stack trace only with --debug or WSUSFIX_DEBUG=1. */
final class OneLineExecutionErrors implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
    boolean debug = "1".equals(System.getenv("WSUSFIX_DEBUG")) || hasDebugFlag(parsed);
    String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    // Messages quote file names and evidence: no control character may reach the terminal raw.
    cmd.getErr().println("wsusfix: " + Printable.escape(message));
    if (debug) {
      ex.printStackTrace(cmd.getErr());
    }
    cmd.getErr().flush();
    if (ex instanceof UserError user) {
      return user.exitCode();
    }
    return 1;
  }

  private static boolean hasDebugFlag(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--debug")) {
        return true;
      }
    }
    return false;
  }
}
