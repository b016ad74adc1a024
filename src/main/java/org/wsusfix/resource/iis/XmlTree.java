package org.wsusfix.resource.iis;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An XML document as elements with the character offsets of their tags and attributes, so that a
 * change can rewrite one attribute value and leave every other character (comments, order,
 * whitespace, line ends) as it was. Enough XML for IIS configuration files: elements, attributes,
 * comments, CDATA, processing instructions and a DOCTYPE without an internal subset.
 */
final class XmlTree {
  /** One attribute; {@code valueStart}/{@code valueEnd} bound the text between the quotes. */
  record Attr(String name, String value, int nameStart, int valueStart, int valueEnd) {}

  /**
   * One element.
   *
   * @param start offset of {@code <}
   * @param startTagEnd offset just after the start tag's {@code >}
   * @param endTagStart offset of the end tag's {@code <}; for a self-closing element, {@code end}
   * @param end offset just after the element ({@code />} or its end tag)
   * @param selfClosing written {@code <x/>}: children can only be added by rewriting the tag
   */
  record Element(
      String name,
      List<Attr> attrs,
      List<Element> children,
      int start,
      int startTagEnd,
      int endTagStart,
      int end,
      boolean selfClosing,
      int line) {
    Optional<Attr> attr(String attrName) {
      return attrs.stream().filter(a -> a.name().equals(attrName)).findFirst();
    }

    Optional<String> value(String attrName) {
      return attr(attrName).map(Attr::value);
    }

    List<Element> children(String childName) {
      return children.stream().filter(c -> c.name().equals(childName)).toList();
    }
  }

  /** Not well-formed: {@code line:column: what}. */
  static final class Malformed extends Exception {
    final int line;
    final int column;

    Malformed(int line, int column, String message) {
      super(message);
      this.line = line;
      this.column = column;
    }
  }

  private final String text;

  /** Offsets where lines start, for line numbers without rescanning. */
  private final int[] lineStarts;

  private int pos;

  private XmlTree(String text) {
    this.text = text;
    int n = 1;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        n++;
      }
    }
    lineStarts = new int[n];
    for (int i = 0, k = 1; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        lineStarts[k++] = i + 1;
      }
    }
  }

  /** {@code FILE:LINE:COLUMN} of an offset into {@code text}, for messages. */
  static String position(String file, String text, int offset) {
    int line = 1;
    int start = 0;
    for (int i = 0; i < offset && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        start = i + 1;
      }
    }
    return file + ":" + line + ":" + (offset - start + 1);
  }

  /** Parses the document and returns its root element. */
  static Element parse(String text) throws Malformed {
    XmlTree t = new XmlTree(text);
    return t.document();
  }

  private Element document() throws Malformed {
    Element root = null;
    while (true) {
      skipSpace();
      if (pos >= text.length()) {
        break;
      }
      if (text.startsWith("<?", pos)) {
        skipPast("?>", "processing instruction");
      } else if (text.startsWith("<!--", pos)) {
        skipComment();
      } else if (text.startsWith("<!DOCTYPE", pos)) {
        skipPast(">", "DOCTYPE");
      } else if (text.charAt(pos) == '<' && root == null) {
        root = element();
      } else {
        throw error(
            root == null ? "the document has no root element" : "content after the root element");
      }
    }
    if (root == null) {
      throw error("the document has no root element");
    }
    return root;
  }

  private Element element() throws Malformed {
    int start = pos;
    int line = lineAt(start);
    pos++;
    String name = name("an element name");
    List<Attr> attrs = new ArrayList<>();
    while (true) {
      boolean spaced = skipSpace();
      if (pos >= text.length()) {
        throw error("unterminated start tag <" + name + ">");
      }
      char c = text.charAt(pos);
      if (c == '/' || c == '>') {
        break;
      }
      if (!spaced) {
        throw error("whitespace expected between attributes");
      }
      int nameStart = pos;
      String attrName = name("an attribute name");
      skipSpace();
      expect('=');
      skipSpace();
      if (pos >= text.length() || (text.charAt(pos) != '"' && text.charAt(pos) != '\'')) {
        throw error("attribute " + attrName + ": a quoted value expected");
      }
      char quote = text.charAt(pos++);
      int valueStart = pos;
      int close = text.indexOf(quote, pos);
      if (close < 0) {
        throw error("attribute " + attrName + ": unterminated value");
      }
      String raw = text.substring(valueStart, close);
      if (raw.indexOf('<') >= 0) {
        throw error("attribute " + attrName + ": '<' in a value");
      }
      pos = close + 1;
      for (Attr a : attrs) {
        if (a.name().equals(attrName)) {
          pos = nameStart;
          throw error("attribute " + attrName + " appears twice");
        }
      }
      attrs.add(new Attr(attrName, unescape(raw, valueStart), nameStart, valueStart, close));
    }
    if (text.charAt(pos) == '/') {
      pos++;
      expect('>');
      return new Element(name, attrs, List.of(), start, pos, pos, pos, true, line);
    }
    pos++;
    int startTagEnd = pos;
    List<Element> children = new ArrayList<>();
    while (true) {
      int lt = text.indexOf('<', pos);
      if (lt < 0) {
        pos = text.length();
        throw error("element <" + name + "> is not closed");
      }
      checkText(pos, lt);
      pos = lt;
      if (text.startsWith("</", pos)) {
        int endTagStart = pos;
        pos += 2;
        String closing = name("an end tag name");
        if (!closing.equals(name)) {
          pos = endTagStart;
          throw error("</" + closing + "> closes <" + name + "> (line " + line + ")");
        }
        skipSpace();
        expect('>');
        return new Element(
            name, attrs, children, start, startTagEnd, endTagStart, pos, false, line);
      } else if (text.startsWith("<!--", pos)) {
        skipComment();
      } else if (text.startsWith("<![CDATA[", pos)) {
        skipPast("]]>", "CDATA section");
      } else if (text.startsWith("<?", pos)) {
        skipPast("?>", "processing instruction");
      } else {
        children.add(element());
      }
    }
  }

  private void checkText(int from, int to) throws Malformed {
    for (int i = from; i < to; i++) {
      if (text.charAt(i) == '&') {
        int semi = text.indexOf(';', i);
        if (semi < 0 || semi > to) {
          pos = i;
          throw error("'&' that starts no entity");
        }
      }
    }
  }

  private String unescape(String raw, int at) throws Malformed {
    if (raw.indexOf('&') < 0) {
      return raw;
    }
    StringBuilder out = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != '&') {
        out.append(c);
        continue;
      }
      int semi = raw.indexOf(';', i);
      String entity = semi < 0 ? "" : raw.substring(i + 1, semi);
      String value =
          switch (entity) {
            case "amp" -> "&";
            case "lt" -> "<";
            case "gt" -> ">";
            case "quot" -> "\"";
            case "apos" -> "'";
            default -> numeric(entity);
          };
      if (value == null) {
        pos = at + i;
        throw error("unknown entity &" + entity + ";");
      }
      out.append(value);
      i = semi;
    }
    return out.toString();
  }

  private static String numeric(String entity) {
    try {
      if (entity.startsWith("#x")) {
        return new String(Character.toChars(Integer.parseInt(entity.substring(2), 16)));
      }
      if (entity.startsWith("#")) {
        return new String(Character.toChars(Integer.parseInt(entity.substring(1))));
      }
    } catch (IllegalArgumentException e) {
      return null;
    }
    return null;
  }

  /** Escapes a value for a double-quoted attribute. */
  static String escape(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (char c : value.toCharArray()) {
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        default -> {
          if (c < 0x20) {
            out.append("&#").append((int) c).append(';');
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  private String name(String what) throws Malformed {
    int start = pos;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (Character.isLetterOrDigit(c) || c == '_' || c == ':' || c == '-' || c == '.') {
        pos++;
      } else {
        break;
      }
    }
    if (pos == start) {
      throw error(what + " expected");
    }
    return text.substring(start, pos);
  }

  private boolean skipSpace() {
    int start = pos;
    while (pos < text.length()
        && (text.charAt(pos) == ' '
            || text.charAt(pos) == '\t'
            || text.charAt(pos) == '\r'
            || text.charAt(pos) == '\n')) {
      pos++;
    }
    return pos > start;
  }

  private void skipComment() throws Malformed {
    int end = text.indexOf("-->", pos + 4);
    if (end < 0) {
      throw error("unterminated comment");
    }
    pos = end + 3;
  }

  private void skipPast(String terminator, String what) throws Malformed {
    int end = text.indexOf(terminator, pos);
    if (end < 0) {
      throw error("unterminated " + what);
    }
    pos = end + terminator.length();
  }

  private void expect(char c) throws Malformed {
    if (pos >= text.length() || text.charAt(pos) != c) {
      throw error("'" + c + "' expected");
    }
    pos++;
  }

  private int lineAt(int offset) {
    int i = java.util.Arrays.binarySearch(lineStarts, offset);
    return (i >= 0 ? i : -i - 2) + 1;
  }

  private Malformed error(String message) {
    int at = Math.min(pos, text.length());
    int line = lineAt(at);
    return new Malformed(line, at - lineStarts[line - 1] + 1, message);
  }
}
