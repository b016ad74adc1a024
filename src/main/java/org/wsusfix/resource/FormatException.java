package org.wsusfix.resource;

/** A plan or journal file that is not what it claims to be: {@code FILE:LINE: what is wrong}. */
public class FormatException extends RuntimeException {
  public FormatException(String file, int line, String problem) {
    super(file + ":" + line + ": " + problem);
  }

  public FormatException(String file, int line, int column, String problem) {
    super(file + ":" + line + ":" + column + ": " + problem);
  }
}
