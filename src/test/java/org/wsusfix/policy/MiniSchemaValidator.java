package org.wsusfix.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Just enough of JSON Schema 2020-12 to check documents against policy.schema.json: $ref to
 * #/$defs, type, const, enum, pattern, minLength, minimum, maximum, minItems, items, properties,
 * required, additionalProperties: false, anyOf, not. Unknown keywords fail loudly so the schema
 * cannot quietly use something this checker ignores.
 */
final class MiniSchemaValidator {
  private static final List<String> KNOWN =
      List.of(
          "$schema",
          "$id",
          "$ref",
          "$defs",
          "title",
          "description",
          "default",
          "examples",
          "type",
          "const",
          "enum",
          "pattern",
          "minLength",
          "minimum",
          "maximum",
          "minItems",
          "items",
          "properties",
          "required",
          "additionalProperties",
          "anyOf",
          "not");

  private final JsonNode root;

  MiniSchemaValidator(JsonNode root) {
    this.root = root;
  }

  /** The problems found, empty when the document is valid. */
  List<String> validate(JsonNode doc) {
    List<String> errors = new ArrayList<>();
    check(root, doc, "$", errors);
    return errors;
  }

  private void check(JsonNode schema, JsonNode v, String at, List<String> errors) {
    for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!KNOWN.contains(k)) {
        throw new IllegalStateException("schema keyword not supported by the test checker: " + k);
      }
    }
    if (schema.has("$ref")) {
      String ref = schema.get("$ref").asText();
      if (!ref.startsWith("#/$defs/")) {
        throw new IllegalStateException("only local $defs refs: " + ref);
      }
      check(root.get("$defs").get(ref.substring(8)), v, at, errors);
    }
    if (schema.has("type") && !typeMatches(schema.get("type"), v)) {
      errors.add(at + ": type " + schema.get("type") + " expected, found " + v.getNodeType());
      return;
    }
    if (schema.has("const") && !schema.get("const").equals(v)) {
      errors.add(at + ": must be " + schema.get("const"));
    }
    if (schema.has("enum")) {
      boolean any = false;
      for (JsonNode e : schema.get("enum")) {
        any |= e.equals(v);
      }
      if (!any) {
        errors.add(at + ": not one of " + schema.get("enum"));
      }
    }
    if (v.isTextual()) {
      if (schema.has("pattern")
          && !Pattern.compile(schema.get("pattern").asText()).matcher(v.asText()).find()) {
        errors.add(at + ": '" + v.asText() + "' does not match " + schema.get("pattern").asText());
      }
      if (schema.has("minLength") && v.asText().length() < schema.get("minLength").asInt()) {
        errors.add(at + ": too short");
      }
    }
    if (v.isNumber()) {
      if (schema.has("minimum") && v.asLong() < schema.get("minimum").asLong()) {
        errors.add(at + ": below minimum");
      }
      if (schema.has("maximum") && v.asLong() > schema.get("maximum").asLong()) {
        errors.add(at + ": above maximum");
      }
    }
    if (v.isArray()) {
      if (schema.has("minItems") && v.size() < schema.get("minItems").asInt()) {
        errors.add(at + ": fewer than " + schema.get("minItems") + " items");
      }
      if (schema.has("items")) {
        for (int i = 0; i < v.size(); i++) {
          check(schema.get("items"), v.get(i), at + "[" + i + "]", errors);
        }
      }
    }
    if (v.isObject()) {
      JsonNode props = schema.get("properties");
      for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        if (props != null && props.has(f.getKey())) {
          check(props.get(f.getKey()), f.getValue(), at + "." + f.getKey(), errors);
        } else if (schema.has("additionalProperties")
            && !schema.get("additionalProperties").asBoolean()) {
          errors.add(at + ": unknown property '" + f.getKey() + "'");
        }
      }
      if (schema.has("required")) {
        for (JsonNode r : schema.get("required")) {
          if (!v.has(r.asText())) {
            errors.add(at + ": missing '" + r.asText() + "'");
          }
        }
      }
    }
    if (schema.has("anyOf")) {
      boolean any = false;
      for (JsonNode alt : schema.get("anyOf")) {
        List<String> sub = new ArrayList<>();
        check(alt, v, at, sub);
        any |= sub.isEmpty();
      }
      if (!any) {
        errors.add(at + ": matches none of anyOf");
      }
    }
    if (schema.has("not")) {
      List<String> sub = new ArrayList<>();
      check(schema.get("not"), v, at, sub);
      if (sub.isEmpty()) {
        errors.add(at + ": matches a forbidden form");
      }
    }
  }

  private static boolean typeMatches(JsonNode type, JsonNode v) {
    if (type.isArray()) {
      for (JsonNode t : type) {
        if (typeMatches(t, v)) {
          return true;
        }
      }
      return false;
    }
    switch (type.asText()) {
      case "object":
        return v.isObject();
      case "array":
        return v.isArray();
      case "string":
        return v.isTextual();
      case "integer":
        return v.isIntegralNumber();
      case "number":
        return v.isNumber();
      case "boolean":
        return v.isBoolean();
      case "null":
        return v.isNull();
      default:
        throw new IllegalStateException("type " + type);
    }
  }
}
