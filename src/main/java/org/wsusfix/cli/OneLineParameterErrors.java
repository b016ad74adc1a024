package org.wsusfix.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/** Usage mistakes: one line, the synopsis, and where to read more. */
final class OneLineParameterErrors implements IParameterExceptionHandler {
  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("wsusfix: " + ex.getMessage());
    if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
      err.print("Usage: " + cmd.getHelp().synopsis(0));
    }
    err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return 1;
  }
}
