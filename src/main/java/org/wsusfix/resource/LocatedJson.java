package org.wsusfix.resource;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * JSON read into a tree that remembers where each object and field started, so that errors about
 * their content can name the line. Duplicate keys and trailing content are refused.
 */
public final class LocatedJson {
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
          .build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String file;
  private final int firstLine;
  private final Map<JsonNode, Integer> starts = new IdentityHashMap<>();
  private final Map<JsonNode, Map<String, Integer>> fieldLines = new IdentityHashMap<>();
  private ObjectNode root;

  private LocatedJson(String file, int firstLine) {
    this.file = file;
    this.firstLine = firstLine;
  }

  /**
   * Parses one JSON object.
   *
   * @param firstLine the file line the text starts on (a journal parses one line at a time)
   */
  public static Fields parseObject(String file, String text, int firstLine) {
    LocatedJson json = new LocatedJson(file, firstLine);
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken t = p.nextToken();
      if (t != JsonToken.START_OBJECT) {
        throw json.problem(
            firstLine, t == null ? "empty: a JSON object expected" : "a JSON object expected");
      }
      json.root = (ObjectNode) json.value(p, t);
      if (p.nextToken() != null) {
        throw json.problem(json.line(p), "unexpected content after the JSON object");
      }
    } catch (JsonParseException e) {
      int line = e.getLocation() == null ? firstLine : firstLine - 1 + e.getLocation().getLineNr();
      String why = e.getOriginalMessage();
      int cut = why.indexOf('\n');
      throw json.problem(line, "not valid JSON: " + (cut < 0 ? why : why.substring(0, cut)));
    } catch (IOException e) {
      throw json.problem(firstLine, "not valid JSON");
    }
    return new Fields(json, json.root, "");
  }

  private JsonNode value(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT:
        {
          ObjectNode o = NODES.objectNode();
          starts.put(o, line(p));
          Map<String, Integer> lines = new HashMap<>();
          fieldLines.put(o, lines);
          for (JsonToken f = p.nextToken(); f != JsonToken.END_OBJECT; f = p.nextToken()) {
            String name = p.currentName();
            int at = line(p);
            if (o.has(name)) {
              throw problem(at, "'" + name + "' appears twice");
            }
            lines.put(name, at);
            o.set(name, value(p, p.nextToken()));
          }
          return o;
        }
      case START_ARRAY:
        {
          ArrayNode a = NODES.arrayNode();
          starts.put(a, line(p));
          for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
            a.add(value(p, e));
          }
          return a;
        }
      case VALUE_STRING:
        return NODES.textNode(p.getText());
      case VALUE_NUMBER_INT:
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? NODES.numberNode(p.getBigIntegerValue())
            : NODES.numberNode(p.getLongValue());
      case VALUE_NUMBER_FLOAT:
        return NODES.numberNode(p.getDecimalValue());
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      default:
        throw problem(line(p), "not valid JSON");
    }
  }

  private int line(JsonParser p) {
    return firstLine - 1 + p.currentTokenLocation().getLineNr();
  }

  int lineOf(JsonNode node) {
    return starts.getOrDefault(node, firstLine);
  }

  int lineOf(JsonNode node, String field) {
    Integer at = fieldLines.getOrDefault(node, Map.of()).get(field);
    return at != null ? at : lineOf(node);
  }

  FormatException problem(int line, String what) {
    return new FormatException(file, line, what);
  }
}
