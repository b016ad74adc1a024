package org.wsusfix.policy;

/**
 * A single value that breaks the policy syntax, before its place in the file is known; the loader
 * adds the location and turns it into a {@link PolicyException}.
 */
public final class InvalidValue extends Exception {
  private final String hint;

  public InvalidValue(String problem, String hint) {
    super(problem, null, false, false);
    this.hint = hint;
  }

  public String problem() {
    return getMessage();
  }

  public String hint() {
    return hint;
  }

  PolicyException at(SourceLocation where) {
    return new PolicyException(where, problem(), hint);
  }
}
