package org.wsusfix.fuzz;

import java.util.List;

/** What an error message must not be: several lines, raw control characters, Java internals. */
final class Messages {
  private Messages() {}

  /** Text that only Java itself writes into exception messages. */
  private static final List<String> JAVA_TEXT =
      List.of(
          "Exception",
          "java.",
          "javax.",
          "org.yaml",
          "com.fasterxml",
          "Cannot invoke",
          "because \"",
          "out of bounds",
          "Index ",
          "Input length =",
          "Scanner State",
          "URLDecoder",
          "<org.",
          "null pointer",
          "For input string");

  /** String.substring's complaint, "begin 35, end 1, length 1". */
  private static final java.util.regex.Pattern INDEX_TEXT =
      java.util.regex.Pattern.compile("begin -?\\d+, end -?\\d+");

  /** Why the message is unacceptable, or null. */
  static String problem(String message) {
    if (message == null || message.isBlank()) {
      return "no message";
    }
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      if (c == '\n' || c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029) {
        return "more than one line";
      }
      if (Character.isISOControl(c)
          || (c >= 0x202a && c <= 0x202e)
          || (c >= 0x2066 && c <= 0x2069)) {
        return String.format("raw control character U+%04X", (int) c);
      }
    }
    if (INDEX_TEXT.matcher(message).find()) {
      return "Java text (string index)";
    }
    for (String j : JAVA_TEXT) {
      if (message.contains(j)) {
        return "Java text '" + j + "'";
      }
    }
    return null;
  }

  /** The message with control characters shown as escapes, for a readable failure. */
  static String visible(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder();
    s.chars()
        .forEach(
            c ->
                out.append(
                    c < 0x20 || c >= 0x7f
                        ? String.format("\\u%04x", c)
                        : String.valueOf((char) c)));
    return out.length() > 300 ? out.substring(0, 300) + "..." : out.toString();
  }
}
