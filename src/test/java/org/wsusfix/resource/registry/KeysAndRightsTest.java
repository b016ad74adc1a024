package org.wsusfix.resource.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsusfix.apply.Executor;
import org.wsusfix.apply.Fixture;
import org.wsusfix.apply.Journal;
import org.wsusfix.apply.Rollback;
import org.wsusfix.apply.UndoJournal;
import org.wsusfix.machine.TargetException;
import org.wsusfix.machine.memory.MemoryRegistry;
import org.wsusfix.machine.memory.MemoryTarget;
import org.wsusfix.plan.Plan;
import org.wsusfix.plan.PlanJson;
import org.wsusfix.plan.PlanText;
import org.wsusfix.plan.Planner;
import org.wsusfix.plan.ResourceKinds;
import org.wsusfix.resource.ExpectationResult;
import org.wsusfix.resource.WalkProgress;
import org.wsusfix.resource.rights.RightChange;
import org.wsusfix.security.Inheritance;
import org.wsusfix.security.Sddl;
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;
import org.wsusfix.security.WellKnownSids;

/** Registry keys and user rights go through plan, apply (failing and not), journal and rollback. */
class KeysAndRightsTest {
  static final String SERVER = "HKLM\\SOFTWARE\\Microsoft\\Update Services\\Server";
  static final String SETUP = SERVER + "\\Setup";
  static final String ROLES = SETUP + "\\Installed Role Services";
  static final Sid NS = Sid.parse("S-1-5-20");
  static final Sid GUESTS = Sid.parse("S-1-5-32-546");

  static final String POLICY =
      """
      apiVersion: wsusfix/v1
      kind: Policy
      metadata:
        name: keys
      registry:
        - key: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Update Services\\Server'
          grants:
            - {trustee: BUILTIN\\Users, rights: ReadKey, inheritance: [CI]}
          forbidDeny: {trustees: [IUSR], remove: true}
          expect:
            - {identity: IUSR, access: ReadKey}
        - key: 'HKLM\\SOFTWARE\\Microsoft\\Update Services\\Server\\Setup'
          grants:
            - {trustee: NT AUTHORITY\\NETWORK SERVICE, rights: FullControl, inheritance: [CI]}
      userRights:
        - right: SeImpersonatePrivilege
          members: ['S-1-5-32-568']
        - right: SeDenyNetworkLogonRight
          forbid: [IUSR]
      """;

  @TempDir Path dir;
  final StringWriter out = new StringWriter();

  static MemoryTarget server(MemoryRegistry r) {
    MemoryTarget t = Fixture.server().account("NT AUTHORITY\\NETWORK SERVICE", NS);
    SecurityDescriptor server =
        Fixture.sd("O:BAG:SYD:PAI(D;;KR;;;S-1-5-17)(A;CI;KA;;;SY)(A;CI;KA;;;BA)");
    SecurityDescriptor setup = Inheritance.recomputeKey(server, Fixture.sd("O:BAG:SYD:AI"));
    SecurityDescriptor roles =
        Inheritance.recomputeKey(setup, Fixture.sd("O:BAG:SYD:AI(A;;KR;;;NS)"));
    r.key(SERVER, server)
        .key(SETUP, setup)
        .key(ROLES, roles)
        .right("SeImpersonatePrivilege", WellKnownSids.ADMINISTRATORS, Sid.parse("S-1-5-6"))
        .right("SeDenyNetworkLogonRight", Fixture.IUSR, GUESTS);
    return t.withRegistry(r);
  }

  record State(Map<String, String> keys, Map<String, Set<Sid>> rights) {}

  static State state(MemoryTarget t) {
    Map<String, String> keys = new java.util.LinkedHashMap<>();
    t.memoryRegistry()
        .descriptors()
        .forEach((k, sd) -> keys.put(k, Sddl.format(sd, Fixture.MACHINE)));
    return new State(keys, t.memoryRegistry().assignments());
  }

  static Plan plan(MemoryTarget t) {
    return new Planner(t, true, ResourceKinds.STANDARD).plan(Fixture.policy(POLICY));
  }

  @Test
  void plansKeysWithTheirSubkeysAndRightsWithTheirHolders() {
    MemoryTarget t = server(new MemoryRegistry());
    Plan plan = plan(t);
    List<KeyChange> keys = plan.changes(KeyChange.class);
    assertEquals(List.of(SERVER, SETUP), keys.stream().map(KeyChange::key).toList());
    KeyChange server = keys.get(0);
    assertFalse(server.after().contains("(D;;KR;;;S-1-5-17)"), server.after());
    assertTrue(server.after().contains("(A;CI;KR;;;BU)"), server.after());
    assertEquals(2, server.subkeys(), "Setup and its subkey re-inherit Users");
    KeyChange.Access iusr =
        server.access().stream()
            .filter(a -> a.sid().equals(Fixture.IUSR))
            .findFirst()
            .orElseThrow();
    assertEquals(0, iusr.before().mask());
    assertEquals(0x20019, iusr.after().mask());
    // Setup is planned from what it will inherit from Server's change
    assertTrue(keys.get(1).after().contains("(A;CIID;KR;;;BU)"), keys.get(1).after());
    assertTrue(keys.get(1).after().contains("(A;CI;KA;;;NS)"), keys.get(1).after());

    ExpectationResult e = plan.expectations().get(0);
    assertEquals(ExpectationResult.Status.MET, e.status(), e.decidedBy());
    assertEquals(SERVER, e.path());

    List<RightChange> rights = plan.changes(RightChange.class);
    assertEquals(
        List.of("SeImpersonatePrivilege", "SeDenyNetworkLogonRight"),
        rights.stream().map(RightChange::right).toList());
    assertTrue(rights.get(0).after().stream().anyMatch(h -> h.sid().equals(Fixture.IIS_IUSRS)));
    assertEquals(
        List.of(GUESTS), rights.get(1).after().stream().map(RightChange.Holder::sid).toList());

    String text =
        new PlanText(Object::toString, Fixture.MACHINE, false, ResourceKinds.STANDARD).render(plan);
    assertTrue(text.contains("~ " + SERVER + "  (registry key, protected)"), text);
    assertTrue(text.contains("    + allow S-1-5-32-545"), text);
    assertTrue(text.contains("    - deny  S-1-5-17"), text);
    assertTrue(text.contains("subkeys re-inherited: 2"), text);
    assertTrue(text.contains("~ user right SeDenyNetworkLogonRight\n"), text);
    assertTrue(text.contains("    - S-1-5-17\n"), text);
    assertTrue(text.contains("2 key DACL, 2 user right"), text);
    assertTrue(
        text.contains(
            "expect NT AUTHORITY\\IUSR ReadKey on "
                + SERVER
                + ": met (gets ReadKey;"
                + " granted: ACE 2 (allow BUILTIN\\Users ReadKey) completed the request)"),
        text);

    Plan back =
        PlanJson.read(
            "plan.json", PlanJson.write(plan, ResourceKinds.STANDARD), ResourceKinds.STANDARD);
    assertEquals(plan.changes(), back.changes());
  }

  @Test
  void appliedAndRolledBackExactly() throws IOException {
    MemoryTarget t = server(new MemoryRegistry());
    State before = state(t);
    Path journal = dir.resolve("undo.jsonl");
    Executor.Outcome o =
        new Executor(t, new PrintWriter(out), WalkProgress.NONE, ResourceKinds.STANDARD)
            .apply(plan(t), journal, "test");
    assertTrue(o.ok(), o::failure);
    State applied = state(t);
    assertTrue(
        applied.keys().get(ROLES).contains("(A;CIID;KR;;;BU)"),
        "wsusfix re-inherited the subkey itself");
    assertTrue(applied.keys().get(ROLES).contains("(A;;KR;;;NS)"), "its explicit entry stays");
    assertEquals(Set.of(GUESTS), applied.rights().get("SeDenyNetworkLogonRight"));
    assertTrue(plan(t).changes().isEmpty(), "nothing left to do: " + plan(t).changes());
    String lines = Files.readString(journal);
    assertTrue(lines.contains("\"resource\":\"user-right\""), lines);
    assertTrue(lines.contains("\"inherited\":true"), "the subkeys were journaled as a batch");

    Journal j = UndoJournal.read(journal, ResourceKinds.STANDARD);
    Path ps1 = org.wsusfix.apply.RestoreRecipes.writeRegistry(j, dir.resolve("undo.icacls"));
    assertEquals(dir.resolve("undo.icacls-registry.ps1"), ps1);
    byte[] script = Files.readAllBytes(ps1);
    assertEquals(0xEF, script[0] & 0xFF, "UTF-8 with a byte order mark");
    List<String> ps =
        new String(script, 3, script.length - 3, java.nio.charset.StandardCharsets.UTF_8)
            .lines()
            .toList();
    assertEquals(
        "$acl = Get-Acl -LiteralPath 'Registry::HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Update Services\\Server'",
        ps.get(1));
    assertEquals(
        "$acl.SetSecurityDescriptorSddlForm('D:PAI(D;;KR;;;S-1-5-17)(A;CI;KA;;;SY)(A;CI;KA;;;BA)', 'Access')",
        ps.get(2),
        "the first before-state, DACL only");
    assertEquals(1 + 3 * 3, ps.size(), "Server, Setup and its subkey: " + ps);
    Path inf = org.wsusfix.apply.RestoreRecipes.writeRights(j, dir.resolve("undo.icacls"));
    byte[] template = Files.readAllBytes(inf);
    String rights =
        new String(template, 2, template.length - 2, java.nio.charset.StandardCharsets.UTF_16LE);
    assertTrue(
        rights.contains(
            "[Privilege Rights]\r\nSeImpersonatePrivilege = *S-1-5-6,*S-1-5-32-544\r\n"
                + "SeDenyNetworkLogonRight = *S-1-5-17,*S-1-5-32-546\r\n"),
        rights);

    Rollback.Result r =
        new Rollback(t, new PrintWriter(out), ResourceKinds.STANDARD).run(j, false, false);
    assertTrue(r.complete(), r::summary);
    assertEquals(before, state(t));
  }

  @Test
  void anInjectedFailureRollsBackKeysAndRights() throws IOException {
    for (int failAt = 1; failAt <= 6; failAt++) {
      MemoryRegistry registry = new MemoryRegistry();
      MemoryTarget t = server(registry);
      State before = state(t);
      Plan plan = plan(t);
      registry.failWrite(failAt);
      Executor.Outcome o =
          new Executor(t, new PrintWriter(out), WalkProgress.NONE, ResourceKinds.STANDARD)
              .apply(plan, dir.resolve("undo" + failAt + ".jsonl"), "test");
      assertFalse(o.ok(), "write " + failAt);
      assertTrue(o.failure().contains("injected write failure"), o.failure());
      assertTrue(
          o.rollback().complete(), () -> o.rollback().summary() + " " + o.rollback().problems());
      assertEquals(before, state(t), "write " + failAt);
    }
  }

  @Test
  void someoneElsesChangeIsRefusedAtRollback() throws IOException {
    MemoryRegistry registry = new MemoryRegistry();
    MemoryTarget t = server(registry);
    Path journal = dir.resolve("undo.jsonl");
    assertTrue(
        new Executor(t, new PrintWriter(out), WalkProgress.NONE, ResourceKinds.STANDARD)
            .apply(plan(t), journal, "test")
            .ok());
    t.registry()
        .orElseThrow()
        .writer()
        .orElseThrow()
        .writeKeyDacl(SETUP, Fixture.sd("O:BAG:SYD:P(A;;KA;;;SY)"));
    Rollback.Result r =
        new Rollback(t, new PrintWriter(out), ResourceKinds.STANDARD)
            .run(UndoJournal.read(journal, ResourceKinds.STANDARD), false, false);
    assertFalse(r.complete(), r::summary);
    assertTrue(
        String.join("\n", r.problems())
            .contains(SETUP + ": its DACL was changed by someone else since"),
        () -> r.problems().toString());
    assertEquals(
        "O:BAG:SYD:P(A;;KA;;;SY)", Sddl.format(registry.descriptors().get(SETUP), Fixture.MACHINE));
  }

  @Test
  void aTargetThatCannotWriteKeysIsRefusedBeforeAnyChange() {
    MemoryTarget t = server(new MemoryRegistry().readOnly());
    State before = state(t);
    Executor executor =
        new Executor(t, new PrintWriter(out), WalkProgress.NONE, ResourceKinds.STANDARD);
    TargetException e =
        assertThrows(
            TargetException.class, () -> executor.apply(plan(t), dir.resolve("u.jsonl"), "test"));
    assertTrue(
        e.getMessage().startsWith("refused before changing anything: memory:test is read-only"),
        e.getMessage());
    assertFalse(Files.exists(dir.resolve("u.jsonl")));
    assertEquals(before, state(t));
  }

  @Test
  void aRegistryTheTargetCannotOpenLeavesTheKeysUnverifiedAndThePlanGoesOn() {
    org.wsusfix.machine.RegistryAccess closed =
        new org.wsusfix.machine.RegistryAccess() {
          @Override
          public boolean keyExists(String key) {
            throw new TargetException("cannot open the registry (winreg) of wsus01: access denied");
          }

          @Override
          public SecurityDescriptor readKey(String key) {
            throw new AssertionError("not reached");
          }

          @Override
          public List<String> subkeys(String key) {
            throw new AssertionError("not reached");
          }

          @Override
          public java.util.Optional<String> stringValue(String key, String name) {
            throw new TargetException("cannot open the registry (winreg) of wsus01: access denied");
          }

          @Override
          public boolean propagatesBySelf() {
            return false;
          }

          @Override
          public java.util.Optional<Writer> writer() {
            return java.util.Optional.empty();
          }
        };
    MemoryTarget t =
        Fixture.populate(
            new MemoryTarget("memory:closed") {
              @Override
              public java.util.Optional<org.wsusfix.machine.RegistryAccess> registry() {
                return java.util.Optional.of(closed);
              }
            });
    Plan plan =
        new Planner(t, true, ResourceKinds.STANDARD)
            .plan(
                Fixture.policy(
                    Fixture.POLICY.replace(
                        "memberships:",
                        "registry:\n  - key: 'HKLM\\SOFTWARE\\Microsoft\\Update Services\\Server'\n"
                            + "    grants: [{trustee: BU, rights: ReadKey, inheritance: [CI]}]\nmemberships:")));
    assertEquals(
        2,
        plan.changes(org.wsusfix.resource.folder.DaclChange.class).size(),
        "the folders are still planned");
    assertTrue(
        plan.findings().stream()
            .anyMatch(
                f ->
                    f.message()
                        .equals(
                            "not verified: cannot open the registry (winreg) of wsus01: access denied")),
        plan.findings()::toString);
  }

  @Test
  void withoutRegistryDataKeysAndRightsAreUnverified() {
    Plan plan =
        new Planner(Fixture.server(), true, ResourceKinds.STANDARD).plan(Fixture.policy(POLICY));
    assertTrue(plan.changes().isEmpty());
    assertTrue(
        plan.findings().stream()
            .anyMatch(f -> f.toString().contains("registry keys cannot be read on memory:test")),
        plan.findings()::toString);
    assertTrue(
        plan.findings().stream()
            .anyMatch(f -> f.toString().contains("user rights cannot be read on memory:test")),
        plan.findings()::toString);
  }
}
