package org.wsusfix.diagnose.input;

import org.wsusfix.security.SafeText;

/**
 * Evidence that cannot be read. The message already names the place: {@code FILE:LINE:COLUMN: what}
 * for text, {@code FILE: event N at offset 0x...: what} for binary captures.
 */
public class InputFormatException extends RuntimeException {
  public InputFormatException(String message) {
    super(SafeText.escape(message));
  }

  public InputFormatException(String message, Throwable cause) {
    super(SafeText.escape(message), cause);
  }

  public static InputFormatException at(String file, long line, String what) {
    return new InputFormatException(file + ":" + line + ": " + what);
  }

  public static InputFormatException at(String file, long line, long column, String what) {
    return new InputFormatException(file + ":" + line + ":" + column + ": " + what);
  }
}
