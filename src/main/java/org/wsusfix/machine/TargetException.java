package org.wsusfix.machine;

import org.wsusfix.security.SafeText;

/** A target could not do what was asked; the message names the path or account. */
public class TargetException extends RuntimeException {
  public TargetException(String message) {
    super(SafeText.escape(message));
  }

  public TargetException(String message, Throwable cause) {
    super(SafeText.escape(message), cause);
  }
}
