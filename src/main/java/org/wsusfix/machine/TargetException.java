package org.wsusfix.machine;

/** A target could not do what was asked; the message names the path or account. */
public class TargetException extends RuntimeException {
  public TargetException(String message) {
    super(message);
  }

  public TargetException(String message, Throwable cause) {
    super(message, cause);
  }
}
