package org.wsusfix.apply;

/** An undo journal that is missing, unreadable, tampered with or truncated. */
public class JournalException extends RuntimeException {
  public JournalException(String message) {
    super(message);
  }
}
