package org.wsusfix.resource;

/** Planning could not go on: an unknown account, an unreadable path. The message says which. */
public class PlanException extends RuntimeException {
  public PlanException(String message) {
    super(message);
  }
}
