package org.wsusfix.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/** Usage mistakes: one line, the synopsis, and where to read more. */
final class OneLineParameterErrors implements IParameterExceptionHandler {
  /** check's exit code for an error (0 compliant, 1 not compliant, 2 error, 3 nothing checked). */
  static final int CHECK_ERROR = 2;

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("wsusfix: " + Printable.escape(String.valueOf(ex.getMessage())));
    if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
      err.print("Usage: " + cmd.getHelp().synopsis(0));
    }
    err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    // A usage error exits with the command's own error code: for check, 1 means "not compliant",
    // so a typo in a detection script must not read as drift.
    return "check".equals(cmd.getCommandName()) ? CHECK_ERROR : 1;
  }
}
