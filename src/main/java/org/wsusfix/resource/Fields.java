package org.wsusfix.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.wsusfix.security.Sid;

/**
 * The fields of one JSON object in a plan or journal, read strictly: a missing or mistyped field is
 * a {@link FormatException} naming the file and the line, never a silent default.
 */
public final class Fields {
  private final LocatedJson source;
  private final ObjectNode node;
  private final String where;

  Fields(LocatedJson source, ObjectNode node, String where) {
    this.source = source;
    this.node = node;
    this.where = where;
  }

  /** The line of the object's opening brace. */
  public int line() {
    return source.lineOf(node);
  }

  public boolean has(String name) {
    return node.has(name) && !node.get(name).isNull();
  }

  public String text(String name) {
    JsonNode v = node.get(name);
    if (v == null || !v.isTextual()) {
      throw problem(name, v == null ? "is missing" : "is not a string");
    }
    return v.textValue();
  }

  public Optional<String> optionalText(String name) {
    return has(name) ? Optional.of(text(name)) : Optional.empty();
  }

  public boolean bool(String name) {
    JsonNode v = node.get(name);
    if (v == null || !v.isBoolean()) {
      throw problem(name, v == null ? "is missing" : "is not true or false");
    }
    return v.booleanValue();
  }

  public boolean bool(String name, boolean absent) {
    return node.has(name) ? bool(name) : absent;
  }

  public long integer(String name) {
    JsonNode v = node.get(name);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
      throw problem(name, v == null ? "is missing" : "is not a whole number");
    }
    return v.longValue();
  }

  public int int32(String name) {
    long v = integer(name);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw problem(name, "is out of range");
    }
    return (int) v;
  }

  public Sid sid(String name) {
    String text = text(name);
    try {
      return Sid.parse(text);
    } catch (IllegalArgumentException e) {
      throw problem(name, "is not a SID");
    }
  }

  public Fields object(String name) {
    JsonNode v = node.get(name);
    if (v == null || !v.isObject()) {
      throw problem(name, v == null ? "is missing" : "is not an object");
    }
    return new Fields(source, (ObjectNode) v, name);
  }

  /** An array of objects; {@code required} false reads a missing field as empty. */
  public List<Fields> objects(String name, boolean required) {
    JsonNode v = node.get(name);
    if (v == null && !required) {
      return List.of();
    }
    if (v == null || !v.isArray()) {
      throw problem(name, v == null ? "is missing" : "is not a list");
    }
    List<Fields> out = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      JsonNode item = v.get(i);
      if (!item.isObject()) {
        throw source.problem(
            source.lineOf(node, name), "'" + name + "' item " + (i + 1) + " is not an object");
      }
      out.add(new Fields(source, (ObjectNode) item, name + "[" + i + "]"));
    }
    return out;
  }

  public List<String> texts(String name, boolean required) {
    JsonNode v = node.get(name);
    if (v == null && !required) {
      return List.of();
    }
    if (v == null || !v.isArray()) {
      throw problem(name, v == null ? "is missing" : "is not a list");
    }
    List<String> out = new ArrayList<>(v.size());
    for (JsonNode item : v) {
      if (!item.isTextual()) {
        throw problem(name, "holds something that is not a string");
      }
      out.add(item.textValue());
    }
    return out;
  }

  /** An error about one field, at its line (or the object's when the field is missing). */
  public FormatException problem(String name, String what) {
    String field = where.isEmpty() ? "'" + name + "'" : where + ": '" + name + "'";
    return source.problem(source.lineOf(node, name), field + " " + what);
  }

  /** An error about the object as a whole. */
  public FormatException problem(String what) {
    return source.problem(line(), (where.isEmpty() ? "" : where + ": ") + what);
  }
}
