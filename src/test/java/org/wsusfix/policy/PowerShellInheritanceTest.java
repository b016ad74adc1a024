package org.wsusfix.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wsusfix.security.AceFlags;

/** Inheritance written as PowerShell shows it (Get-Acl's InheritanceFlags and PropagationFlags). */
class PowerShellInheritanceTest {
  private static final int OI = AceFlags.OBJECT_INHERIT;
  private static final int CI = AceFlags.CONTAINER_INHERIT;

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "ContainerInherit, ObjectInherit|3",
        "containerinherit|2",
        "OBJECTINHERIT|1",
        "ContainerInherit, ObjectInherit, InheritOnly|11",
        "ContainerInherit, NoPropagateInherit|6",
        "None|0",
        "None, ContainerInherit|2",
        "(OI)(CI)|3",
      })
  void namesPowerShellShows(String text, int flags) throws InvalidValue {
    assertEquals(flags, PolicySyntax.inheritance(List.of(text)));
  }

  @Test
  void combinationsAreCheckedAsForTheLetters() {
    assertEquals(
        "IO (inherit only) without OI or CI would apply to nothing",
        assertThrows(InvalidValue.class, () -> PolicySyntax.inheritance(List.of("InheritOnly")))
            .problem());
    assertEquals(
        "NP (no propagate) without OI or CI has no effect",
        assertThrows(
                InvalidValue.class,
                () -> PolicySyntax.inheritance(List.of("None", "NoPropagateInherit")))
            .problem());
  }

  @Test
  void aPolicyListsThemLikeTheLetters() {
    String yaml =
        String.join(
            "\n",
            "apiVersion: wsusfix/v1",
            "kind: Policy",
            "metadata: {name: ps}",
            "rules:",
            "  - path: '%windir%\\Microsoft.NET'",
            "    grants:",
            "      - {trustee: BU, rights: ReadAndExecute, inheritance: [ContainerInherit, ObjectInherit]}",
            "      - {trustee: NS, rights: Read, inheritance: 'ContainerInherit, InheritOnly'}",
            "      - {trustee: SY, rights: FullControl, inheritance: None}",
            "");
    Policy p = PolicyLoader.parse("ps.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    List<Grant> grants = p.rules().get(0).grants();
    assertEquals(OI | CI, grants.get(0).inheritance().bits());
    assertEquals(CI | AceFlags.INHERIT_ONLY, grants.get(1).inheritance().bits());
    assertEquals(0, grants.get(2).inheritance().bits());
  }

  /**
   * The schema's pattern (for editors) takes every name the loader takes, in any case, and no
   * other.
   */
  @Test
  void schemaPatternMatchesTheLoadersNames() throws Exception {
    JsonNode def =
        new ObjectMapper().readTree(PolicyLoader.schema()).get("$defs").get("inheritance");
    Pattern list = Pattern.compile(def.get("anyOf").get(0).get("items").get("pattern").asText());
    Pattern text = Pattern.compile(def.get("anyOf").get(1).get("pattern").asText());
    for (String name : PolicySyntax.inheritanceNames()) {
      for (String written :
          List.of(name, name.toUpperCase(Locale.ROOT), name.toLowerCase(Locale.ROOT))) {
        assertTrue(list.matcher(written).matches() && text.matcher(written).matches(), written);
        PolicySyntax.inheritanceFlags(written); // and the loader reads it
      }
    }
    assertTrue(text.matcher("ContainerInherit, ObjectInherit").matches());
    for (String refused : List.of("OB", "ThisFolderOnly", "ID", "Inherit")) {
      assertFalse(list.matcher(refused).matches(), refused);
      assertThrows(InvalidValue.class, () -> PolicySyntax.inheritanceFlags(refused));
    }
  }
}
