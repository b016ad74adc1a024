package org.wsusfix.cli;

/**
 * A failure caused by the user's input or environment: printed as one line, never with a stack
 * trace. The exit code is chosen by the command, since the conventions differ (plan, check, ...).
 */
public class UserError extends RuntimeException {
  private final int exitCode;

  public UserError(String message) {
    this(message, 1);
  }

  public UserError(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  public UserError(String message, int exitCode, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
