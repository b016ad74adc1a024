package org.wsusfix.policy;

import org.wsusfix.security.SafeText;

/**
 * A policy file that cannot be used. The message is complete and fits on one line: {@code
 * FILE:LINE:COLUMN: what is wrong} followed by {@code ; hint} where a hint helps.
 */
public class PolicyException extends RuntimeException {
  private final String file;
  private final int line;
  private final int column;
  private final String problem;
  private final String hint;

  public PolicyException(SourceLocation at, String problem, String hint) {
    this(at, problem, hint, null);
  }

  public PolicyException(SourceLocation at, String problem, String hint, Throwable cause) {
    super(format(at, problem, hint), cause);
    this.file = at.file();
    this.line = at.line();
    this.column = at.column();
    this.problem = problem;
    this.hint = hint;
  }

  private static String format(SourceLocation at, String problem, String hint) {
    String where =
        at.line() <= 0 ? at.file() : at.column() <= 0 ? at.file() + ":" + at.line() : at.toString();
    // Problems quote the input; escaped here, so no value can break the line or the terminal.
    return SafeText.escape(
        where + ": " + problem + (hint == null || hint.isEmpty() ? "" : "; " + hint));
  }

  public String file() {
    return file;
  }

  /** 1-based; 0 when the error concerns the whole file. */
  public int line() {
    return line;
  }

  /** 1-based; 0 when unknown. */
  public int column() {
    return column;
  }

  /** What is wrong, without location or hint. */
  public String problem() {
    return problem;
  }

  /** How to fix it, or null. */
  public String hint() {
    return hint;
  }
}
