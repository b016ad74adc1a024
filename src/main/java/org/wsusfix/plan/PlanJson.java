package org.wsusfix.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.wsusfix.security.AccessMask;

/**
 * The plan file format (JSON, {@code formatVersion} 1). {@code apply --plan} reads back exactly
 * what {@code plan --out} wrote; unknown fields are ignored so later versions can add some.
 */
public final class PlanJson {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private PlanJson() {}

  public static String write(Plan plan) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("formatVersion", plan.formatVersion());
    root.put("target", plan.target());
    root.put("policy", plan.policyName());
    root.put("policyDigest", plan.policyDigest());
    root.put("compliant", plan.compliant());
    if (plan.nothingChecked()) {
      root.put("nothingChecked", true);
    }
    ArrayNode changes = root.putArray("changes");
    for (Change c : plan.changes()) {
      changes.add(change(c));
    }
    ArrayNode findings = root.putArray("findings");
    for (Finding f : plan.findings()) {
      ObjectNode n = findings.addObject();
      n.put("severity", f.severity().name().toLowerCase(Locale.ROOT));
      n.put("subject", f.subject());
      n.put("message", f.message());
    }
    ArrayNode expectations = root.putArray("expectations");
    for (ExpectationResult e : plan.expectations()) {
      ObjectNode n = expectations.addObject();
      n.put("identity", e.identity());
      n.put("sid", e.sid());
      n.put("path", e.path());
      n.put("required", AccessMask.hex(e.required()));
      n.put("granted", AccessMask.hex(e.granted()));
      n.put("status", e.status().name().toLowerCase(Locale.ROOT).replace('_', '-'));
      n.put("decidedBy", e.decidedBy());
    }
    try {
      return MAPPER.writeValueAsString(root) + System.lineSeparator();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode change(Change c) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("kind", c.kind());
    if (c instanceof DaclChange d) {
      n.put("path", d.path());
      n.put("container", d.container());
      n.put("before", d.before());
      n.put("beforeSha256", d.beforeSha256());
      n.put("after", d.after());
      n.put("propagate", d.propagate());
      n.put("descendants", d.descendants());
      ArrayNode access = n.putArray("effectiveAccess");
      for (DaclChange.EffectiveAccess a : d.access()) {
        ObjectNode x = access.addObject();
        x.put("identity", a.identity());
        x.put("sid", a.sid());
        x.put("before", AccessMask.hex(a.before()));
        x.put("after", AccessMask.hex(a.after()));
      }
    } else if (c instanceof MembershipChange m) {
      n.put("group", m.group());
      n.put("groupName", m.groupName());
      n.put("member", m.member());
      n.put("memberName", m.memberName());
    }
    n.put("reason", String.join("; ", c.reasons()));
    ArrayNode reasons = n.putArray("reasons");
    c.reasons().forEach(reasons::add);
    return n;
  }

  /** @throws IllegalArgumentException with what is wrong, when the text is not a plan of this format */
  public static Plan read(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      throw new IllegalArgumentException((loc == null ? "" : loc.getLineNr() + ":" + loc.getColumnNr() + ": ")
          + "not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("not a plan (a JSON object expected)");
    }
    int version = root.path("formatVersion").asInt(-1);
    if (version != Plan.FORMAT_VERSION) {
      throw new IllegalArgumentException("plan formatVersion " + root.path("formatVersion")
          + " is not supported (this wsusfix reads " + Plan.FORMAT_VERSION + ")");
    }
    List<Change> changes = new ArrayList<>();
    int i = 0;
    for (JsonNode c : root.path("changes")) {
      changes.add(readChange(c, i++));
    }
    return new Plan(version, text(root, "target", "plan"), root.path("policy").asText(""),
        root.path("policyDigest").asText(""), changes, List.of(), List.of(), false);
  }

  private static Change readChange(JsonNode c, int index) {
    String where = "changes[" + index + "]";
    List<String> reasons = new ArrayList<>();
    c.path("reasons").forEach(r -> reasons.add(r.asText()));
    String kind = text(c, "kind", where);
    switch (kind) {
      case "dacl": {
        List<DaclChange.EffectiveAccess> access = new ArrayList<>();
        for (JsonNode a : c.path("effectiveAccess")) {
          access.add(new DaclChange.EffectiveAccess(a.path("identity").asText(), a.path("sid").asText(),
              mask(a.path("before").asText("0x0")), mask(a.path("after").asText("0x0"))));
        }
        return new DaclChange(text(c, "path", where), c.path("container").asBoolean(true),
            text(c, "before", where), text(c, "beforeSha256", where), text(c, "after", where),
            c.path("propagate").asBoolean(true), c.path("descendants").asLong(-1), reasons, access);
      }
      case "add-member":
      case "remove-member":
        return new MembershipChange(kind.equals("add-member"), text(c, "group", where),
            c.path("groupName").asText(text(c, "group", where)), text(c, "member", where),
            c.path("memberName").asText(text(c, "member", where)), reasons);
      default:
        throw new IllegalArgumentException(where + ": unknown change kind '" + kind + "'");
    }
  }

  private static String text(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException(where + ": '" + field + "' is missing or not a string");
    }
    return v.asText();
  }

  private static int mask(String hex) {
    return AccessMask.parse(hex).orElse(0);
  }
}
