package org.wsusfix.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document read with Jackson's streaming parser into nodes that remember where they were
 * written. Jackson's own tree model drops token locations, and every policy error must name its
 * line and column.
 */
final class YamlTree {
  private YamlTree() {}

  private static final YAMLFactory FACTORY = new YAMLFactory();

  /** What a node holds. Scalars keep the YAML type the parser gave them. */
  enum Type {
    MAP,
    LIST,
    STRING,
    NUMBER,
    BOOLEAN,
    NULL
  }

  /** One mapping entry: the key with its own location, and the value. */
  record Entry(String key, SourceLocation keyAt, Node value) {}

  /** A node; {@code text} is the scalar's text as written (for NUMBER and BOOLEAN too). */
  static final class Node {
    final Type type;
    final SourceLocation at;
    final String text;
    final Map<String, Entry> entries;
    final List<Node> items;

    /** For BOOLEAN: the value (YAML 1.1 also reads yes/no/on/off as booleans). */
    final boolean truth;

    private Node(
        Type type, SourceLocation at, String text, Map<String, Entry> entries, List<Node> items) {
      this(type, at, text, entries, items, false);
    }

    private Node(
        Type type,
        SourceLocation at,
        String text,
        Map<String, Entry> entries,
        List<Node> items,
        boolean truth) {
      this.truth = truth;
      this.type = type;
      this.at = at;
      this.text = text;
      this.entries = entries;
      this.items = items;
    }

    boolean isScalar() {
      return type == Type.STRING || type == Type.NUMBER || type == Type.BOOLEAN;
    }

    /** How the type reads in an error message: "a list", "a number", ... */
    String describe() {
      switch (type) {
        case MAP:
          return "a mapping";
        case LIST:
          return "a list";
        case STRING:
          return "text";
        case NUMBER:
          return "a number";
        case BOOLEAN:
          return "a boolean";
        default:
          return "nothing";
      }
    }
  }

  /**
   * Parses one YAML document. Returns null for an empty document (comments only).
   *
   * @throws PolicyException for YAML syntax errors, duplicate keys, anchors/aliases and a second
   *     document
   */
  static Node parse(String file, String text) {
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return null;
      }
      Node root = read(file, p, first);
      JsonToken extra = p.nextToken();
      if (extra != null) {
        throw new PolicyException(
            at(file, p.currentTokenLocation()),
            "a second YAML document; a policy file holds exactly one",
            "remove the '---' and what follows");
      }
      return root;
    } catch (com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.MarkedYAMLException e) {
      throw syntaxError(file, e);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      SourceLocation where =
          e.getLocation() == null ? new SourceLocation(file, 1, 1) : at(file, e.getLocation());
      throw new PolicyException(
          where, "YAML error: " + parserProblem(e.getOriginalMessage()), null, e);
    } catch (IOException e) {
      throw new PolicyException(new SourceLocation(file, 1, 1), "cannot parse YAML", null, e);
    }
  }

  private static Node read(String file, JsonParser p, JsonToken token) throws IOException {
    SourceLocation here = at(file, p.currentTokenLocation());
    if (p instanceof YAMLParser y && y.isCurrentAlias()) {
      throw new PolicyException(
          here,
          "YAML alias '*" + p.getText() + "' is not supported",
          "write the value out; each entry should say why it is there");
    }
    refuseTag(file, p, here);
    switch (token) {
      case START_OBJECT:
        {
          Map<String, Entry> entries = new LinkedHashMap<>();
          JsonToken t;
          while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String key = p.getText();
            SourceLocation keyAt = at(file, p.currentTokenLocation());
            refuseTag(file, p, keyAt);
            Node value = read(file, p, p.nextToken());
            Entry previous = entries.get(key);
            if (previous != null) {
              throw new PolicyException(
                  keyAt,
                  "duplicate key '" + key + "' (first at line " + previous.keyAt().line() + ")",
                  null);
            }
            entries.put(key, new Entry(key, keyAt, value));
          }
          return new Node(Type.MAP, here, null, Collections.unmodifiableMap(entries), List.of());
        }
      case START_ARRAY:
        {
          List<Node> items = new ArrayList<>();
          JsonToken t;
          while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            items.add(read(file, p, t));
          }
          return new Node(Type.LIST, here, null, Map.of(), Collections.unmodifiableList(items));
        }
      case VALUE_STRING:
        return new Node(Type.STRING, here, p.getText(), Map.of(), List.of());
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return new Node(Type.NUMBER, here, p.getText(), Map.of(), List.of());
      case VALUE_TRUE:
      case VALUE_FALSE:
        return new Node(
            Type.BOOLEAN, here, p.getText(), Map.of(), List.of(), token == JsonToken.VALUE_TRUE);
      case VALUE_NULL:
        return new Node(Type.NULL, here, null, Map.of(), List.of());
      default:
        throw new PolicyException(here, "unexpected YAML content (" + token + ")", null);
    }
  }

  /**
   * A policy holds text, numbers, booleans, lists and mappings only; a tag ({@code !evil}, {@code
   * !!binary}, even {@code !!str}) asks for some other reading, so none is accepted.
   */
  private static void refuseTag(String file, JsonParser p, SourceLocation here) throws IOException {
    if (p instanceof YAMLParser y) {
      String tag = y.getTypeId();
      if (tag != null) {
        throw new PolicyException(
            here,
            "YAML tag '" + shortTag(tag) + "' is not supported",
            "remove the tag; quote a value to make it text");
      }
    }
  }

  private static String shortTag(String tag) {
    String t = tag.startsWith("tag:yaml.org,2002:") ? "!!" + tag.substring(18) : "!" + tag;
    return t.length() > 40 ? t.substring(0, 37) + "..." : t;
  }

  private static SourceLocation at(String file, JsonLocation loc) {
    return new SourceLocation(file, Math.max(loc.getLineNr(), 0), Math.max(loc.getColumnNr(), 0));
  }

  /**
   * SnakeYAML's "problem mark" points at the offending character, which is more precise than the
   * location Jackson reports (that one can lag a line behind, e.g. for a tab).
   */
  private static PolicyException syntaxError(
      String file, com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.MarkedYAMLException e) {
    SourceLocation where = at(file, e.getLocation() == null ? JsonLocation.NA : e.getLocation());
    String problem = null;
    String context = null;
    SourceLocation contextAt = null;
    if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException m) {
      if (m.getProblemMark() != null) {
        where =
            new SourceLocation(
                file, m.getProblemMark().getLine() + 1, m.getProblemMark().getColumn() + 1);
      }
      problem = m.getProblem();
      context = m.getContext();
      if (m.getContextMark() != null) {
        contextAt =
            new SourceLocation(
                file, m.getContextMark().getLine() + 1, m.getContextMark().getColumn() + 1);
      }
    }
    if (problem == null) {
      problem = oneLine(e.getOriginalMessage());
    }
    String hint = null;
    if (problem.contains("\\t(TAB)") || problem.contains("'\\t'")) {
      problem = "tab character in indentation";
      hint = "YAML indents with spaces only";
    } else if (context != null && contextAt != null && !contextAt.equals(where)) {
      hint = context + " started at line " + contextAt.line() + ", column " + contextAt.column();
    } else if (problem.startsWith("mapping values are not allowed")) {
      hint = "check the indentation of this line, or quote a value that contains ': '";
    }
    return new PolicyException(where, "YAML syntax error: " + oneLine(problem), hint, e);
  }

  /**
   * Jackson's complaint in words for a policy author: its messages can end in the parser's own
   * event objects ({@code <org.yaml.snakeyaml.events.AliasEvent(anchor=k)>}).
   */
  private static String parserProblem(String m) {
    if (m == null) {
      return "unreadable YAML";
    }
    if (m.startsWith("Expected a field name")) {
      return "a mapping key must be text, not a list, a mapping or an alias";
    }
    int internal = m.indexOf('<');
    String shown =
        oneLine(internal >= 0 ? m.substring(0, internal) : m).replaceAll("[,:;\\s]+$", "");
    return shown.isEmpty() || shown.contains("org.") || shown.contains("Exception")
        ? "unreadable YAML"
        : shown;
  }

  private static String oneLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).trim();
  }
}
