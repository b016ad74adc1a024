package org.wsusfix.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.wsusfix.machine.memory.MemoryTarget;
import org.wsusfix.plan.Plan;

class GuardrailsTest {
  static List<String> broadWrites(Plan plan) {
    return new Executor(
            Fixture.server(),
            new java.io.PrintWriter(java.io.Writer.nullWriter()),
            org.wsusfix.resource.WalkProgress.NONE)
        .broadWrites(plan);
  }

  static Plan grant(String trustee, String rights) {
    MemoryTarget mem = Fixture.server();
    return Fixture.plan(
        mem,
        """
        apiVersion: wsusfix/v1
        kind: Policy
        metadata:
          name: broad
        rules:
          - path: '%windir%\\Microsoft.NET\\Framework'
            grants:
              - trustee: TRUSTEE
                rights: RIGHTS
                inheritance: [OI, CI]
        """
            .replace("TRUSTEE", trustee)
            .replace("RIGHTS", rights));
  }

  @ParameterizedTest(name = "{1} for {0}")
  @CsvSource({
    "S-1-1-0, FullControl", "S-1-1-0, Modify", "S-1-1-0, Write",
    "S-1-5-32-545, FullControl", "S-1-5-32-545, Modify", "S-1-5-32-545, Write",
    "S-1-5-11, FullControl", "S-1-5-11, Modify", "S-1-5-11, Write",
    "S-1-5-7, FullControl", "S-1-5-7, Modify", "S-1-5-7, Write",
    "S-1-5-32-546, FullControl", "S-1-5-32-546, Modify", "S-1-5-32-546, Write"
  })
  void broadWriteIsRefused(String sid, String rights) {
    Plan plan = grant(sid, rights);
    assertEquals(1, plan.changes().size());
    List<String> problems = broadWrites(plan);
    assertEquals(1, problems.size(), problems::toString);
    assertTrue(problems.get(0).startsWith(Fixture.FW + ": would give "), problems.get(0));
    assertTrue(
        problems.get(0).endsWith("pass --allow-broad-write if that is really meant"),
        problems.get(0));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ReadAndExecute", "Read", "ListDirectory"})
  void readingForUsersIsAllowed(String rights) {
    Plan plan = grant("BUILTIN\\Users", rights);
    assertEquals(1, plan.changes().size());
    assertEquals(List.of(), broadWrites(plan));
  }

  @Test
  void writeForANamedAccountIsAllowed() {
    Plan plan = grant("S-1-5-20", "Modify");
    assertEquals(1, plan.changes().size());
    assertEquals(List.of(), broadWrites(plan));
  }
}
