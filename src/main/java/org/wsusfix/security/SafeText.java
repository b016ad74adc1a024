package org.wsusfix.security;

/**
 * Text taken from input, made fit for a one-line error message: line breaks of every kind, other
 * control characters and the characters that reorder text on a terminal become visible escapes
 * ({@code \x00}, {@code \u2028}), so an error stays one line and a file cannot recolour, retitle or
 * rearrange what the operator reads. Every error type of the parsers applies it.
 */
public final class SafeText {
  private SafeText() {}

  public static String escape(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (needsEscape(c)) {
        if (out == null) {
          out = new StringBuilder(text.length() + 16).append(text, 0, i);
        }
        out.append(
            c <= 0xFF ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }

  static boolean needsEscape(char c) {
    return Character.isISOControl(c)
        || c == 0x2028
        || c == 0x2029
        || (c >= 0x202A && c <= 0x202E)
        || (c >= 0x2066 && c <= 0x2069)
        || c == 0x200E
        || c == 0x200F
        || c == 0x061C;
  }
}
