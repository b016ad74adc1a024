package org.wsusfix.security;

/**
 * SDDL text that Windows would refuse. {@link #position()} is the 0-based index of the character
 * where the problem was found; {@link #reason()} says what is wrong there.
 */
public class SddlException extends IllegalArgumentException {
  private final int position;
  private final String reason;

  public SddlException(int position, String reason) {
    super("at position " + position + ": " + SafeText.escape(reason));
    this.position = position;
    this.reason = reason;
  }

  public int position() {
    return position;
  }

  public String reason() {
    return reason;
  }
}
