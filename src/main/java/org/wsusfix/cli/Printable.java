package org.wsusfix.cli;

/** Text from files made printable: control and bidirectional-override characters become escapes. */
final class Printable {
  private Printable() {}

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            c -> {
              if (Character.isISOControl(c)
                  || c == 0x2028
                  || c == 0x2029
                  || (c >= 0x202A && c <= 0x202E)
                  || (c >= 0x2066 && c <= 0x2069)
                  || c == 0x200E
                  || c == 0x200F) {
                out.append(c <= 0xFF ? String.format("\\x%02x", c) : String.format("\\u%04x", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    return out.toString();
  }
}
