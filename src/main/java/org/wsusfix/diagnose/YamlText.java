package org.wsusfix.diagnose;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * YAML scalars and comments that hold text from evidence and still mean exactly that text.
 *
 * <p>Evidence is hostile input: a path or account name may carry any character, and YAML 1.1 (which
 * the policy loader reads) ends a line not only at CR and LF but also at U+0085, U+2028 and U+2029.
 * A comment that contained one would end there and let the rest become policy. So comments carry no
 * line break or other control or format character at all (each is written as an escape), and a
 * scalar is plain only when nothing in it can mean anything to YAML, single-quoted when it holds
 * only characters that stand for themselves, and double-quoted with escapes otherwise.
 */
final class YamlText {
  private YamlText() {}

  private static final Pattern PLAIN =
      Pattern.compile("[A-Za-z][A-Za-z0-9_.\\\\-]*( [A-Za-z0-9_.\\\\-]+)*");

  /** Plain words YAML 1.1 or 1.2 would read as something other than text. */
  private static final Set<String> SPECIAL =
      Set.of("y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf");

  /** The text as a YAML scalar that reads back as exactly this text. */
  static String scalar(String s) {
    if (PLAIN.matcher(s).matches() && !SPECIAL.contains(s.toLowerCase(Locale.ROOT))) {
      return s;
    }
    if (s.codePoints().allMatch(YamlText::standsForItself) && !s.isEmpty()) {
      return "'" + s.replace("'", "''") + "'";
    }
    StringBuilder out = new StringBuilder(s.length() + 8).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))
          && standsForItself(Character.toCodePoint(c, s.charAt(i + 1)))) {
        out.append(c).append(s.charAt(++i));
      } else if (standsForItself(c)) {
        out.append(c);
      } else {
        // Every other character, a lone surrogate included, as \\uXXXX (YAML 1.1 and 1.2 alike).
        out.append(String.format("\\u%04X", (int) c));
      }
    }
    return out.append('"').toString();
  }

  /**
   * Text for a comment: on one line whatever it holds. Line breaks, control, format (bidi) and
   * other non-printing characters become visible {@code \\uXXXX} escapes.
   */
  static String comment(String s) {
    StringBuilder out = new StringBuilder(s.length());
    s.codePoints()
        .forEach(
            c -> {
              if (standsForItself(c)) {
                out.appendCodePoint(c);
              } else if (c == '\t') {
                out.append(' ');
              } else if (c > 0xFFFF) {
                out.append(String.format("\\U%08X", c));
              } else {
                out.append(String.format("\\u%04X", c));
              }
            });
    return out.toString();
  }

  /**
   * Whether a character can be written as it is in a quoted scalar or a comment: printable in
   * YAML's sense, no line break, and nothing that reorders or hides text on a terminal.
   */
  static boolean standsForItself(int c) {
    if (c >= 0x20 && c <= 0x7E) {
      return true;
    }
    if (c < 0xA0 || c == 0xFEFF || c == 0xFFFE || c == 0xFFFF || c > 0x10FFFF) {
      return false;
    }
    switch (Character.getType(c)) {
      case Character.CONTROL:
      case Character.FORMAT:
      case Character.LINE_SEPARATOR:
      case Character.PARAGRAPH_SEPARATOR:
      case Character.SURROGATE:
      case Character.PRIVATE_USE:
      case Character.UNASSIGNED:
        return false;
      default:
        return true;
    }
  }
}
