package org.wsusfix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.wsusfix.apply.Fixture.FW;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsusfix.apply.ApplyLock;
import org.wsusfix.apply.FaultyTarget;
import org.wsusfix.apply.Fixture;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.memory.MemoryTarget;
import org.wsusfix.machine.memory.MemoryTargets;
import org.wsusfix.security.Sddl;
import picocli.CommandLine;

/**
 * apply and rollback from the command line against an in-memory server that stays the same object
 * across commands. Tests run without a console, as scripts do.
 */
class ApplyRollbackCommandTest {
  static final String SPEC = "memory:wsus01";
  static Target current;

  @TempDir Path dir;
  MemoryTarget mem;
  Fixture.State before;
  Path policy;
  Path journal;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  /** Serves SPEC from memory through the test provider; nothing is dialled. */
  @BeforeAll
  static void registerMemoryServer() {
    MemoryTargets.serve(SPEC, () -> current);
  }

  @AfterAll
  static void forgetMemoryServer() {
    MemoryTargets.forget(SPEC);
  }

  @BeforeEach
  void server() throws IOException {
    mem = Fixture.server(SPEC);
    current = mem;
    before = Fixture.state(mem);
    policy = Files.writeString(dir.resolve("policy.yaml"), Fixture.POLICY);
    journal = dir.resolve("undo").resolve("undo.jsonl");
  }

  int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    CommandLine cli = Main.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  /** The one line a refusal prints. */
  String errLine() {
    String e = err.toString();
    assertTrue(e.endsWith("\n") && e.indexOf('\n') == e.length() - 1, "one line: " + e);
    return e.strip();
  }

  int apply(String... extra) {
    List<String> args =
        new java.util.ArrayList<>(List.of("apply", "-p", policy.toString(), "--target", SPEC));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  @Test
  void rollbackMatchesTheServerByIdentityNotByHowItWasNamed() throws IOException {
    assertEquals(0, apply("--yes", "--undo", journal.toString()), err::toString);
    assertTrue(Files.readString(journal).contains("\"targetId\":\"memory:" + SPEC + "\""));
    MemoryTarget other = Fixture.server("memory:other");
    MemoryTargets.serve("memory:other", () -> other);
    try {
      assertEquals(1, run("rollback", journal.toString(), "--yes", "--target", "memory:other"));
      assertTrue(
          errLine()
              .startsWith("wsusfix: the journal was written for " + SPEC + ", not memory:other"),
          err::toString);
      assertEquals(
          Fixture.state(other),
          Fixture.state(Fixture.server("memory:other")),
          "nothing changed there");
    } finally {
      MemoryTargets.forget("memory:other");
    }
    assertEquals(0, run("rollback", journal.toString(), "--yes", "--target", SPEC), err::toString);
    assertEquals(before, Fixture.state(mem));
  }

  @Test
  void rollbackConnectsOnlyToATargetTheOperatorNames() throws IOException {
    assertEquals(0, apply("--yes", "--undo", journal.toString()), err::toString);
    Fixture.State applied = Fixture.state(mem);
    current = null; // opening the journal's own target would fail the test
    for (String[] args :
        List.of(new String[] {"--yes"}, new String[] {"--dry-run"}, new String[] {})) {
      List<String> cmd = new java.util.ArrayList<>(List.of("rollback", journal.toString()));
      cmd.addAll(List.of(args));
      assertEquals(1, run(cmd.toArray(String[]::new)));
      assertEquals(
          "wsusfix: the journal was written for "
              + SPEC
              + "; give --target with that server to "
              + (args.length == 1 && args[0].equals("--dry-run") ? "check" : "roll back")
              + " there (wsusfix connects only to a target you name)",
          errLine());
    }
    current = mem;
    assertEquals(applied, Fixture.state(mem));
  }

  @Test
  void aRollbackDryRunTakesNoLock() throws Exception {
    assertEquals(0, apply("--yes", "--undo", journal.toString()), err::toString);
    try (ApplyLock held = ApplyLock.take(journal.getParent(), mem)) {
      assertEquals(
          0, run("rollback", journal.toString(), "--dry-run", "--target", SPEC), err::toString);
    }
    Path alone = Files.createDirectories(dir.resolve("alone")).resolve("undo.jsonl");
    Files.copy(journal, alone);
    assertEquals(
        0, run("rollback", alone.toString(), "--dry-run", "--target", SPEC), err::toString);
    try (var files = Files.list(alone.getParent())) {
      assertEquals(
          List.of(alone), files.toList(), "a dry run leaves no lock file beside the journal");
    }
  }

  @Test
  void applyThenRollbackThenRollbackAgain() {
    assertEquals(0, apply("--yes", "--undo", journal.toString()), err::toString);
    String o = out.toString();
    assertTrue(o.indexOf("Undo journal: " + journal) > 0, o);
    assertTrue(
        o.contains(
            "Applied 3 changes (6 descendants rewritten). To undo: wsusfix rollback " + journal),
        o);
    assertTrue(
        o.contains("inherited by: every descendant that inherits (not counted ahead with --yes"),
        o);
    assertFalse(
        o.matches("(?s).*inherited by: [0-9].*"), "--yes does not walk the tree to count: " + o);
    assertEquals("", err.toString());
    assertTrue(Fixture.plan(mem).changes().isEmpty());

    assertEquals(0, run("rollback", journal.toString(), "--yes", "--target", SPEC), err::toString);
    assertTrue(
        out.toString().contains("rollback: 9 restored, 0 already as before, 0 refused, 0 failed"),
        out::toString);
    Fixture.assertSameState(before, Fixture.state(mem));

    assertEquals(0, run("rollback", journal.toString(), "--yes", "--target", SPEC), err::toString);
    assertTrue(
        out.toString().contains("rollback: 0 restored, 9 already as before, 0 refused, 0 failed"),
        out::toString);
    Fixture.assertSameState(before, Fixture.state(mem));
  }

  @Test
  void dryRunWritesNothingNotEvenAJournal() throws IOException {
    Path cwdDefault = Path.of("wsusfix-undo");
    assumeTrue(
        !Files.exists(cwdDefault),
        "./wsusfix-undo exists already; cannot tell whether a dry run made it");
    assertEquals(0, apply("--dry-run", "--undo", journal.toString()), err::toString);
    assertTrue(out.toString().contains("Dry run: nothing was changed."), out::toString);
    assertTrue(
        out.toString().matches("(?s).*inherited by: [0-9]+ descendants?\\n.*"),
        "a dry run counts: " + out);
    assertEquals(0, apply("--dry-run"), err::toString);
    assertFalse(Files.exists(journal.getParent()), "no journal folder");
    assertFalse(Files.exists(cwdDefault), "no default journal folder");
    Fixture.assertSameState(before, Fixture.state(mem));
  }

  @Test
  void withoutAConsoleApplyNeedsYes() {
    assumeTrue(System.console() == null, "runs only without a console");
    assertEquals(1, apply("--undo", journal.toString()));
    assertEquals(
        "wsusfix: refused: no terminal to confirm on; pass --yes to apply without asking",
        errLine());
    assertFalse(Files.exists(journal.getParent()));
    Fixture.assertSameState(before, Fixture.state(mem));
  }

  @Test
  void broadWriteIsRefusedUnlessAllowed() throws IOException {
    policy =
        Files.writeString(
            dir.resolve("broad.yaml"), Fixture.POLICY.replace("ReadAndExecute", "Modify"));
    assertEquals(1, apply("--yes", "--undo", journal.toString()));
    String e = errLine();
    assertTrue(e.startsWith("wsusfix: refused: " + FW + ": would give BUILTIN\\Users"), e);
    assertTrue(e.endsWith("(and 1 more)"), e);
    assertFalse(Files.exists(journal.getParent()));
    Fixture.assertSameState(before, Fixture.state(mem));

    assertEquals(
        0, apply("--yes", "--allow-broad-write", "--undo", journal.toString()), err::toString);
  }

  @Test
  void aSavedPlanIsRefusedWhenTheServerChangedSince() throws IOException {
    Path plan = dir.resolve("plan.json");
    run("plan", "-p", policy.toString(), "--target", SPEC, "--out", plan.toString());
    assertTrue(Files.exists(plan), err::toString);
    mem.folder(FW, Fixture.sd(Fixture.BROKEN.replace("D:PAI", "D:PAI(A;OICI;FA;;;NS)")));
    Fixture.State drifted = Fixture.state(mem);

    assertEquals(
        1,
        run(
            "apply",
            "--plan",
            plan.toString(),
            "--target",
            SPEC,
            "--yes",
            "--undo",
            journal.toString()));

    String e = errLine();
    assertTrue(
        e.startsWith("wsusfix: apply failed: " + FW + ": changed since the plan was made (drift)"),
        e);
    assertTrue(e.endsWith("every change was rolled back"), e);
    assertTrue(
        out.toString().contains("rollback: 1 restored"), "the membership made before it: " + out);
    Fixture.assertSameState(drifted, Fixture.state(mem));
  }

  @Test
  void aSavedPlanAppliesWhenNothingChanged() throws IOException {
    Path plan = dir.resolve("plan.json");
    run("plan", "-p", policy.toString(), "--target", SPEC, "--out", plan.toString());
    assertEquals(
        0,
        run(
            "apply",
            "--plan",
            plan.toString(),
            "--target",
            SPEC,
            "--yes",
            "--undo",
            journal.toString()),
        err::toString);
    assertTrue(Fixture.plan(mem).changes().isEmpty());
  }

  /** A plan file is not authenticated: it does not choose the server by itself. */
  @Test
  void aSavedPlanWithoutATargetIsRefusedUnattended() throws IOException {
    Path plan = dir.resolve("plan.json");
    run("plan", "-p", policy.toString(), "--target", SPEC, "--out", plan.toString());
    assertEquals(1, run("apply", "--plan", plan.toString(), "--yes", "--undo", journal.toString()));
    assertEquals(
        "wsusfix: the plan was made for "
            + SPEC
            + "; give --target with that server to apply it there"
            + " (wsusfix connects only to a target you name)",
        errLine());
    assertFalse(Files.exists(journal));
    Fixture.assertSameState(before, Fixture.state(mem));
  }

  @Test
  void aFailurePartWayIsRolledBackAndBothAreReported() {
    current = new FaultyTarget(mem).failWrite(7, FaultyTarget.Fault.THROW_BEFORE);
    assertEquals(1, apply("--yes", "--undo", journal.toString()));
    String e = errLine();
    assertTrue(
        e.startsWith("wsusfix: apply failed: " + Fixture.FW64 + ": injected write failure"), e);
    assertTrue(e.endsWith("; every change was rolled back"), e);
    assertTrue(
        out.toString().contains("rollback: 7 restored, 1 already as before, 0 refused, 0 failed\n"),
        out::toString);
    Fixture.assertSameState(before, Fixture.state(mem));
  }

  @Test
  void aSecondApplyIsRefusedWhileOneHoldsTheLock() throws Exception {
    try (ApplyLock held = ApplyLock.take(journal.getParent(), Fixture.server(SPEC))) {
      assertEquals(1, apply("--yes", "--undo", journal.toString()));
      assertTrue(
          errLine().startsWith("wsusfix: another apply or rollback is running against " + SPEC),
          err::toString);
      assertFalse(Files.exists(journal));
      assertEquals(1, run("rollback", dir.resolve("none.jsonl").toString(), "--yes"));
    }
    Fixture.assertSameState(before, Fixture.state(mem));
  }

  @Test
  void aTamperedJournalChangesNothing() throws IOException {
    assertEquals(0, apply("--yes", "--undo", journal.toString()), err::toString);
    Fixture.State after = Fixture.state(mem);
    List<String> lines = Files.readAllLines(journal);
    lines.set(3, lines.get(3).replace("0x1200a9;;;BU", "FA;;;BU"));
    Files.write(journal, lines);

    assertEquals(1, run("rollback", journal.toString(), "--yes", "--target", SPEC));

    assertEquals(
        "wsusfix: " + journal + ":4: tampered: the line does not match its hash", errLine());
    Fixture.assertSameState(after, Fixture.state(mem));
  }

  @Test
  void rollbackRefusesAPathChangedSinceUnlessForced() {
    assertEquals(0, apply("--yes", "--undo", journal.toString()), err::toString);
    String changed =
        Sddl.format(mem.read(FW), Fixture.MACHINE).replace("D:PAI", "D:PAI(A;OICI;FA;;;NS)");
    mem.folder(FW, Fixture.sd(changed));

    assertEquals(1, run("rollback", journal.toString(), "--yes", "--target", SPEC));
    assertTrue(
        out.toString().contains("  refused: " + FW + ": changed by someone else since"),
        out::toString);
    assertTrue(
        out.toString().contains("rollback: 8 restored, 0 already as before, 1 refused, 0 failed"),
        out::toString);

    assertEquals(
        0,
        run("rollback", journal.toString(), "--yes", "--force", "--target", SPEC),
        err::toString);
    Fixture.assertSameState(before, Fixture.state(mem));
  }

  @Test
  void rollbackDryRunAndConfirmation() {
    assertEquals(0, apply("--yes", "--undo", journal.toString()), err::toString);
    Fixture.State after = Fixture.state(mem);
    assertEquals(
        0, run("rollback", journal.toString(), "--dry-run", "--target", SPEC), err::toString);
    assertTrue(out.toString().contains("(dry run: nothing was changed)"), out::toString);
    Fixture.assertSameState(after, Fixture.state(mem));
    if (System.console() == null) {
      assertEquals(1, run("rollback", journal.toString(), "--target", SPEC));
      assertEquals(
          "wsusfix: refused: no terminal to confirm on; pass --yes to roll back without asking",
          errLine());
      Fixture.assertSameState(after, Fixture.state(mem));
    }
  }

  @Test
  void exportIcaclsPrintsTheFolderToRestore() throws IOException {
    assertEquals(0, apply("--yes", "--undo", journal.toString()), err::toString);
    Fixture.State after = Fixture.state(mem);
    Path file = dir.resolve("restore.txt");
    assertEquals(
        0, run("rollback", journal.toString(), "--export-icacls", file.toString()), err::toString);
    assertTrue(
        out.toString().contains("icacls \"" + Fixture.NET + "\" /restore \"" + file + "\""),
        out::toString);
    assertTrue(
        new String(Files.readAllBytes(file), StandardCharsets.UTF_16LE)
            .startsWith("Framework\r\n"));
    Fixture.assertSameState(after, Fixture.state(mem));
  }
}
