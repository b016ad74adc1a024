package org.wsusfix.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.wsusfix.files.BoundedFiles;
import org.wsusfix.files.RefusedFileException;
import org.wsusfix.resource.Change;
import org.wsusfix.resource.ExpectationResult;
import org.wsusfix.resource.Fields;
import org.wsusfix.resource.Finding;
import org.wsusfix.resource.FormatException;
import org.wsusfix.resource.LocatedJson;
import org.wsusfix.resource.ResourceKind;

/**
 * The plan file format (JSON, {@code formatVersion} 2). {@code apply --plan} reads back exactly
 * what {@code plan --out} wrote, strictly: a change with a missing or mistyped field is refused
 * with its line. Fields a reader does not use (findings, expectations, the effective access shown)
 * may be absent; unknown fields are ignored so later versions can add some.
 */
public final class PlanJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private PlanJson() {}

  public static String write(Plan plan) {
    return write(plan, ResourceKinds.STANDARD);
  }

  public static String write(Plan plan, ResourceKinds kinds) {
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
      ObjectNode n = changes.addObject();
      n.put("kind", c.kind());
      ResourceKinds.writeChange(kinds.of(c), c, n);
      n.put("reason", String.join("; ", c.reasons()));
      ArrayNode reasons = n.putArray("reasons");
      c.reasons().forEach(reasons::add);
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
      n.put("sid", e.sid().toString());
      n.put("path", e.path());
      n.put("required", e.required().hex());
      n.put("granted", e.granted().hex());
      n.put("status", e.status().name().toLowerCase(Locale.ROOT).replace('_', '-'));
      n.put("decidedBy", e.decidedBy());
    }
    try {
      return MAPPER.writeValueAsString(root) + System.lineSeparator();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads a plan file: a regular file within {@link BoundedFiles#PLAN_LIMIT}, UTF-8. */
  public static Plan read(Path file) {
    String name = file.toString();
    try {
      byte[] raw = BoundedFiles.readAll(file, BoundedFiles.PLAN_LIMIT, "plan");
      String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(raw)).toString();
      return read(name, text);
    } catch (RefusedFileException e) {
      throw new FormatException(name, 1, e.reason());
    } catch (CharacterCodingException e) {
      throw new FormatException(name, 1, "not UTF-8 text");
    } catch (IOException e) {
      throw new FormatException(name, 1, "cannot read: " + e.getMessage());
    }
  }

  public static Plan read(String file, String json) {
    return read(file, json, ResourceKinds.STANDARD);
  }

  /**
   * @param file the file's name, for messages
   * @throws FormatException {@code FILE:LINE: what is wrong} when the text is not a plan of this
   *     format
   */
  public static Plan read(String file, String json, ResourceKinds kinds) {
    Fields root = LocatedJson.parseObject(file, json, 1);
    if (!root.has("formatVersion")) {
      throw root.problem("not a wsusfix plan (no formatVersion)");
    }
    long version = root.integer("formatVersion");
    if (version != Plan.FORMAT_VERSION) {
      throw root.problem(
          "formatVersion",
          "is "
              + version
              + ": this wsusfix reads plans of format "
              + Plan.FORMAT_VERSION
              + " (make the plan again with this version)");
    }
    List<Change> changes = new ArrayList<>();
    for (Fields c : root.objects("changes", true)) {
      String kind = c.text("kind");
      ResourceKind<?, ?> resource =
          kinds
              .forChangeKind(kind)
              .orElseThrow(
                  () -> c.problem("kind", "is '" + kind + "', which this wsusfix does not know"));
      changes.add(ResourceKinds.readChange(resource, kind, c, c.texts("reasons", true)));
    }
    return new Plan(
        (int) version,
        root.text("target"),
        root.text("policy"),
        root.text("policyDigest"),
        changes,
        List.of(),
        List.of(),
        false);
  }
}
