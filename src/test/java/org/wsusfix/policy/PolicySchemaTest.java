package org.wsusfix.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The schema editors use and the loader must describe the same format. */
class PolicySchemaTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  private static JsonNode schema() throws Exception {
    return JSON.readTree(PolicyLoader.schema());
  }

  @Test
  void shippedSchemaFileIsTheOneInTheJar() throws Exception {
    assertEquals(Files.readString(Path.of("policies/policy.schema.json")), PolicyLoader.schema());
    assertEquals("https://json-schema.org/draft/2020-12/schema", schema().get("$schema").asText());
  }

  /** Every mapping's keys and required keys are the loader's: neither can drift from the other. */
  @Test
  void schemaKeysAreTheLoaderKeys() throws Exception {
    JsonNode s = schema();
    Set<String> defsWithProperties = new TreeSet<>();
    for (Iterator<String> it = s.get("$defs").fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (s.get("$defs").get(name).has("properties")) {
        defsWithProperties.add(name);
      }
    }
    Set<String> sections = new TreeSet<>(PolicyLoader.SECTIONS.keySet());
    sections.remove("policy");
    assertEquals(sections, defsWithProperties);
    for (PolicyLoader.Section section : PolicyLoader.SECTIONS.values()) {
      JsonNode def = section.name().equals("policy") ? s : s.get("$defs").get(section.name());
      assertEquals(
          new TreeSet<>(section.all()), names(def.get("properties").fieldNames()), section.name());
      List<String> required = new ArrayList<>();
      def.get("required").forEach(r -> required.add(r.asText()));
      assertEquals(
          new TreeSet<>(section.required()), new TreeSet<>(required), section.name() + " required");
      assertFalse(
          def.get("additionalProperties").asBoolean(),
          section.name() + " must refuse unknown keys");
    }
  }

  @Test
  void schemaNamesEveryRightTheLoaderAccepts() throws Exception {
    JsonNode named =
        schema().get("$defs").get("rights").get("anyOf").get(0).get("anyOf").get(0).get("enum");
    List<String> names = new ArrayList<>();
    named.forEach(n -> names.add(n.asText()));
    assertEquals(PolicySyntax.rightNames(), names);
  }

  @Test
  void schemaNamesEveryRegistryRightAndUserRight() throws Exception {
    JsonNode defs = schema().get("$defs");
    List<String> keyRights = new ArrayList<>();
    defs.get("keyRights")
        .get("anyOf")
        .get(0)
        .get("anyOf")
        .get(0)
        .get("enum")
        .forEach(n -> keyRights.add(n.asText()));
    assertEquals(PolicySyntax.keyRightNames(), keyRights);
    List<String> userRights = new ArrayList<>();
    defs.get("userRightName").get("enum").forEach(n -> userRights.add(n.asText()));
    assertEquals(org.wsusfix.security.AccountRights.all(), userRights);
  }

  @Test
  void schemaEnumsMatchTheLoader() throws Exception {
    JsonNode defs = schema().get("$defs");
    List<String> logons = new ArrayList<>();
    defs.get("expectation")
        .get("properties")
        .get("logon")
        .get("enum")
        .forEach(
            n -> {
              if (!n.isNull()) {
                logons.add(n.asText().toUpperCase());
              }
            });
    assertEquals(List.of(Expectation.LogonKind.values()).stream().map(Enum::name).toList(), logons);
    List<String> modes = new ArrayList<>();
    defs.get("membership")
        .get("properties")
        .get("mode")
        .get("enum")
        .forEach(
            n -> {
              if (!n.isNull()) {
                modes.add(n.asText().toUpperCase());
              }
            });
    assertEquals(List.of(Membership.Mode.values()).stream().map(Enum::name).toList(), modes);
    assertEquals(
        Policy.API_VERSION, schema().get("properties").get("apiVersion").get("const").asText());
    assertEquals(Policy.KIND, schema().get("properties").get("kind").get("const").asText());
  }

  static List<String> shipped() {
    return PolicyLoader.BUILTIN;
  }

  @ParameterizedTest
  @MethodSource("shipped")
  void shippedPoliciesValidateAgainstTheSchema(String name) throws Exception {
    JsonNode doc = YAML.readTree(PolicyLoader.builtinBytes(name));
    assertEquals(List.of(), new MiniSchemaValidator(schema()).validate(doc));
  }

  /** The checker is not vacuous: structural mistakes the loader refuses, the schema refuses too. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "unknown-top-key",
        "unknown-rule-key",
        "unknown-grant-key",
        "grants-empty",
        "grant-missing-inheritance",
        "wrong-apiversion",
        "wrong-kind",
        "bad-policy-name",
        "inheritance-unknown-flag",
        "membership-unknown-mode",
        "expect-unknown-logon",
        "rules-not-a-list",
        "path-unc",
        "nothing-to-do",
        "trustee-number",
        "forbiddeny-empty",
        "missing-metadata",
        "path-relative",
        "path-dotdot",
        "path-device",
        "path-drive-relative",
        "path-invalid-character",
        "path-unknown-variable",
        "path-computername-root"
      })
  void schemaRefusesStructuralMistakes(String broken) throws Exception {
    JsonNode doc =
        YAML.readTree(
            Files.readAllBytes(Path.of("src/test/resources/policies/broken", broken + ".yaml")));
    assertTrue(
        !new MiniSchemaValidator(schema()).validate(doc).isEmpty(), broken + " passed the schema");
  }

  private static Set<String> names(Iterator<String> it) {
    Set<String> out = new TreeSet<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
