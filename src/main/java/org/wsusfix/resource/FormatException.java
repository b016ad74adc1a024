package org.wsusfix.resource;

/**
 * A plan or journal file that is not what it claims to be: {@code FILE:LINE: what is wrong}. Text
 * from the file that the message quotes is shown with control, line-separator and bidi characters
 * escaped, so a hostile file cannot add a line or reorder the terminal's text.
 */
public class FormatException extends RuntimeException {
  public FormatException(String file, int line, String problem) {
    super(escape(file) + ":" + line + ": " + escape(problem));
  }

  public FormatException(String file, int line, int column, String problem) {
    super(escape(file) + ":" + line + ":" + column + ": " + escape(problem));
  }

  static String escape(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean hidden =
          c < 0x20
              || (c >= 0x7f && c <= 0x9f)
              || c == 0x2028
              || c == 0x2029
              || (c >= 0x202a && c <= 0x202e)
              || (c >= 0x2066 && c <= 0x2069)
              || c == 0x200e
              || c == 0x200f
              || c == 0xfeff
              || Character.isSurrogate(c) && !validPair(text, i);
      if (hidden && out == null) {
        out = new StringBuilder(text.length() + 8).append(text, 0, i);
      }
      if (out != null) {
        if (hidden) {
          out.append(String.format("\\u%04x", (int) c));
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? text : out.toString();
  }

  private static boolean validPair(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
