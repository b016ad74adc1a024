package org.wsusfix.files;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An input file refused before or while it was read: missing, not a regular file, or too large. The
 * message is one line, {@code FILE: reason}; {@link #reason()} is the part after the name, for
 * callers that print the file their own way.
 */
public final class RefusedFileException extends IOException {
  private final Path file;
  private final String reason;

  public RefusedFileException(Path file, String reason) {
    super(file + ": " + reason);
    this.file = file;
    this.reason = reason;
  }

  public Path file() {
    return file;
  }

  public String reason() {
    return reason;
  }
}
