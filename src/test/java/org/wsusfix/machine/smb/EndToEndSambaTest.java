package org.wsusfix.machine.smb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsusfix.cli.Main;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.Targets;
import org.wsusfix.security.SecurityDescriptor;
import picocli.CommandLine;

/**
 * The whole tool against the Samba lab: wsusfix's command line (in-process, and as a real java
 * process for the crash), each outcome checked with smbclient, smbcacls and `net rpc`.
 */
@Tag("samba")
class EndToEndSambaTest {
  private static final String FRAMEWORK = "Windows\\Microsoft.NET\\Framework";
  private static final String FRAMEWORK64 = "Windows\\Microsoft.NET\\Framework64";
  private static final String MACHINE_CONFIG = "\\v4.0.30319\\Config\\machine.config";
  private static final List<String> FRAMEWORK_TREE =
      List.of(
          FRAMEWORK,
          FRAMEWORK + "\\v4.0.30319",
          FRAMEWORK + "\\v4.0.30319\\mscorlib.dll",
          FRAMEWORK + "\\v4.0.30319\\Config",
          FRAMEWORK + MACHINE_CONFIG);
  private static final int CRASH_FILES = 10_000;

  private static SambaLab lab;
  private static String target;
  private static AutoCloseable password;

  @TempDir Path tmp;

  @BeforeAll
  static void lab() {
    lab = SambaLab.require();
    target = lab.adminTarget();
    // in-process runs take the password from this property when WSUSFIX_SMB_PASSWORD is not set
    password = lab.adminPasswordForCommands();
  }

  @AfterAll
  static void forgetPassword() throws Exception {
    if (password != null) { // null when the lab is absent and the class was skipped
      password.close();
    }
  }

  /** 1. The seed's failure, repaired with the shipped IIS 6 policy and rolled back. */
  @Test
  void seedFailureFixedAndRolledBack() {
    Map<String, byte[]> original = rawDescriptors(FRAMEWORK_TREE);
    try {
      seedScenario();
    } finally {
      restore(original);
    }
  }

  private void seedScenario() {
    assertDenied(lab.smbclient("iusr_web", lab.iusrPassword(), "ls " + FRAMEWORK + "\\*"));
    Map<String, String> before = smbcaclsSddl(FRAMEWORK_TREE);

    Cli plan = wsusfix("plan", "-p", "wsus-iis6", "--target", target, "--var", "COMPUTERNAME=web");
    assertEquals(2, plan.exit, plan.all());
    assertTrue(plan.out.contains("C:\\Windows\\Microsoft.NET\\Framework"), plan.out);
    assertTrue(plan.out.contains("+ allow BUILTIN\\Users"), plan.out);

    Path journal = tmp.resolve("seed.jsonl");
    Cli apply =
        wsusfix(
            "apply",
            "-p",
            "wsus-iis6",
            "--target",
            target,
            "--var",
            "COMPUTERNAME=web",
            "--yes",
            "--undo",
            journal.toString());
    assertEquals(0, apply.exit, apply.all());
    assertTrue(apply.out.contains("4 descendants rewritten"), apply.out);

    SambaLab.Run list = lab.smbclient("iusr_web", lab.iusrPassword(), "ls " + FRAMEWORK + "\\*");
    assertAllowed(list);
    assertTrue(list.out().contains("v4.0.30319"), list.out());
    assertAllowed(
        lab.smbclient(
            "iusr_web", lab.iusrPassword(), "get " + FRAMEWORK + MACHINE_CONFIG + " /dev/null"));

    Map<String, String> after = smbcaclsSddl(FRAMEWORK_TREE);
    String bu = "0x001200a9;;;BU)";
    assertTrue(after.get(FRAMEWORK).contains("(A;OICI;" + bu), after.get(FRAMEWORK));
    assertTrue(
        after.get(FRAMEWORK).contains("D:PAI("),
        "protected and auto-inherited: " + after.get(FRAMEWORK));
    for (String child : FRAMEWORK_TREE.subList(1, FRAMEWORK_TREE.size())) {
      String sddl = after.get(child);
      boolean folder = !child.endsWith(".dll") && !child.endsWith(".config");
      assertTrue(sddl.contains(folder ? "(A;OICIID;" + bu : "(A;ID;" + bu), child + ": " + sddl);
      assertTrue(sddl.contains("D:AI("), child + " keeps AI: " + sddl);
    }

    Cli rollback = wsusfix("rollback", journal.toString(), "--yes", "--target", target);
    assertEquals(0, rollback.exit, rollback.all());
    assertEquals(before, smbcaclsSddl(FRAMEWORK_TREE));
    assertDenied(lab.smbclient("iusr_web", lab.iusrPassword(), "ls " + FRAMEWORK + "\\*"));
  }

  /** 2. A membership the policy ensures: added, effective, and removed again by rollback. */
  @Test
  void membershipAddedAndRolledBack() {
    try {
      membershipScenario();
    } finally {
      try (SmbConnection admin = lab.admin();
          SamrAliases samr = new SamrAliases(admin)) {
        samr.removeMember(SamrAliases.USERS, lab.svcSid()); // the lab as it was, whatever happened
      }
    }
  }

  private void membershipScenario() {
    String svc = lab.netbios() + "\\svc_app";
    String file = "get " + FRAMEWORK64 + MACHINE_CONFIG + " /dev/null";
    assertFalse(lab.netRpcUsersMembers().contains(svc));
    assertDenied(lab.smbclient("svc_app", lab.svcPassword(), file));

    Path journal = tmp.resolve("member.jsonl");
    Cli apply =
        wsusfix(
            "apply",
            "-p",
            policy("lab-membership.yaml"),
            "--target",
            target,
            "--yes",
            "--undo",
            journal.toString());
    assertEquals(0, apply.exit, apply.all());
    assertTrue(lab.netRpcUsersMembers().contains(svc), "net rpc group members Users");
    assertAllowed(
        lab.smbclient("svc_app", lab.svcPassword(), file)); // a new session: the new group counts

    Cli rollback = wsusfix("rollback", journal.toString(), "--yes", "--target", target);
    assertEquals(0, rollback.exit, rollback.all());
    assertFalse(
        lab.netRpcUsersMembers().contains(svc), "net rpc group members Users after rollback");
    assertDenied(lab.smbclient("svc_app", lab.svcPassword(), file));
  }

  /**
   * 3. An explicit deny placed first: reported, removed (forbidDeny, remove), restored by rollback.
   */
  @Test
  void denyRemovedAndRestored() {
    byte[] original;
    try (SmbConnection admin = lab.admin()) {
      original = admin.readDescriptor(FRAMEWORK64);
    }
    String list = "ls " + FRAMEWORK64 + "\\*";
    try {
      assertAllowed(lab.smbclient("iusr_web", lab.iusrPassword(), list));
      SambaLab.Run add =
          lab.smbcacls(FRAMEWORK64, "-a", "ACL:" + lab.iusrSid() + ":DENIED/OI|CI/0x001200a9");
      assertEquals(0, add.exit(), add.out());
      String denied = smbcaclsSddl(List.of(FRAMEWORK64)).get(FRAMEWORK64);
      assertTrue(
          denied.contains("D:(D;OICI;0x001200a9;;;" + lab.iusrSid() + ")"),
          "deny first: " + denied);
      assertDenied(lab.smbclient("iusr_web", lab.iusrPassword(), list));

      Cli plan = wsusfix("plan", "-p", policy("lab-deny.yaml"), "--target", target);
      assertEquals(2, plan.exit, plan.all());
      assertTrue(plan.out.contains("- deny  " + lab.netbios() + "\\iusr_web"), plan.out);
      assertTrue(plan.out.contains("removed explicit deny"), plan.out);

      Path journal = tmp.resolve("deny.jsonl");
      Cli apply =
          wsusfix(
              "apply",
              "-p",
              policy("lab-deny.yaml"),
              "--target",
              target,
              "--yes",
              "--undo",
              journal.toString());
      assertEquals(0, apply.exit, apply.all());
      assertFalse(smbcaclsSddl(List.of(FRAMEWORK64)).get(FRAMEWORK64).contains("(D;"));
      assertAllowed(lab.smbclient("iusr_web", lab.iusrPassword(), list));

      Cli rollback = wsusfix("rollback", journal.toString(), "--yes", "--target", target);
      assertEquals(0, rollback.exit, rollback.all());
      assertEquals(denied, smbcaclsSddl(List.of(FRAMEWORK64)).get(FRAMEWORK64));
      assertDenied(lab.smbclient("iusr_web", lab.iusrPassword(), list));
    } finally {
      try (SmbConnection admin = lab.admin()) {
        admin.writeDacl(FRAMEWORK64, original);
      }
    }
  }

  /** 4. The ACL changes between `plan --out` and `apply --plan`: refused, nothing changed. */
  @Test
  void driftBetweenPlanAndApplyIsRefused() {
    byte[] original;
    try (SmbConnection admin = lab.admin()) {
      original = admin.readDescriptor(FRAMEWORK);
    }
    try {
      Path planFile = tmp.resolve("plan.json");
      Cli plan =
          wsusfix(
              "plan",
              "-p",
              "wsus-iis6",
              "--target",
              target,
              "--var",
              "COMPUTERNAME=web",
              "--out",
              planFile.toString());
      assertEquals(2, plan.exit, plan.all());

      SambaLab.Run change =
          lab.smbcacls(FRAMEWORK, "-a", "ACL:" + lab.svcSid() + ":ALLOWED/0/0x001200a9");
      assertEquals(0, change.exit(), change.out());
      Map<String, String> drifted = smbcaclsSddl(FRAMEWORK_TREE);

      Path journal = tmp.resolve("drift.jsonl");
      Cli apply =
          wsusfix(
              "apply",
              "--plan",
              planFile.toString(),
              "--target",
              target,
              "--yes",
              "--undo",
              journal.toString());
      assertEquals(1, apply.exit, apply.all());
      assertTrue(apply.err.contains("drift"), apply.all());
      assertEquals(drifted, smbcaclsSddl(FRAMEWORK_TREE), "nothing changed");
      assertDenied(lab.smbclient("iusr_web", lab.iusrPassword(), "ls " + FRAMEWORK + "\\*"));
    } finally {
      try (SmbConnection admin = lab.admin()) {
        admin.writeDacl(FRAMEWORK, original);
      }
    }
  }

  /**
   * 5. A propagating grant over 10,000 files, the java process killed with SIGKILL part-way, then
   * rollback: every descriptor is back.
   */
  @Test
  void crashMidPropagationThenRollbackRestoresEverything() throws Exception {
    int files = Integer.parseInt(lab.get("LAB_BENCH_FILES"));
    String bench = lab.get("LAB_BENCH_DIR");
    if (files < CRASH_FILES) {
      String message =
          "the lab has "
              + files
              + " bench files, the crash test needs "
              + CRASH_FILES
              + ": restart it with scripts/samba-lab.sh start --files "
              + CRASH_FILES;
      if ("true".equals(System.getenv("CI"))) {
        fail(message + " [CI=true: the samba tests must run]");
      }
      System.err.println("SKIPPED " + getClass().getSimpleName() + " crash test: " + message);
      org.junit.jupiter.api.Assumptions.abort(message);
    }
    String root = "C:\\" + bench;
    List<String> paths = new ArrayList<>();
    Map<String, SecurityDescriptor> before = new LinkedHashMap<>();
    try (Target t = Targets.open(target, Map.of())) {
      paths.add(root);
      for (Target.Entry d : t.children(root)) {
        String dir = root + "\\" + d.name();
        paths.add(dir);
        for (Target.Entry f : t.children(dir)) {
          paths.add(dir + "\\" + f.name());
        }
      }
      List<SecurityDescriptor> sds = t.readAll(paths);
      for (int i = 0; i < paths.size(); i++) {
        before.put(paths.get(i), sds.get(i));
      }
    }
    assertTrue(paths.size() > CRASH_FILES, paths.size() + " paths");
    List<String> spots =
        List.of(
            bench,
            paths.get(1).substring(3),
            paths.get(2).substring(3),
            paths.get(paths.size() / 2).substring(3),
            paths.get(paths.size() - 1).substring(3));
    Map<String, String> spotsBefore = smbcaclsSddl(spots);

    Path journal = tmp.resolve("crash.jsonl");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "org.wsusfix.cli.Main",
                "apply",
                "-p",
                policy("lab-bench.yaml"),
                "--target",
                target,
                "--yes",
                "--undo",
                journal.toString())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("apply.log").toFile());
    pb.environment().put(SmbTargets.PASSWORD_ENV, lab.adminPassword());
    Process apply = pb.start();
    // kill once a few batches of descendants are on the server, long before all 10,000 are
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    int written = 0;
    while (written < 3) {
      if (!apply.isAlive()) {
        fail(
            "apply ended (exit "
                + apply.exitValue()
                + ") before it could be killed: "
                + Files.readString(tmp.resolve("apply.log")));
      }
      if (System.nanoTime() > deadline) {
        apply.destroyForcibly();
        fail(
            "apply wrote no descendants within 240 s: "
                + Files.readString(tmp.resolve("apply.log")));
      }
      Thread.sleep(20);
      written = doneInheritedBatches(journal);
    }
    SambaLab.Run kill = SambaLab.run("kill", "-9", String.valueOf(apply.pid()));
    assertEquals(0, kill.exit(), kill.out());
    assertTrue(apply.waitFor(30, TimeUnit.SECONDS));
    assertEquals(137, apply.exitValue(), "killed by SIGKILL");
    String text = Files.readString(journal, StandardCharsets.UTF_8);
    assertFalse(text.contains("\"type\":\"end\""), "the killed run has no end record");

    int changed = 0;
    try (Target t = Targets.open(target, Map.of())) {
      List<SecurityDescriptor> now = t.readAll(paths);
      for (int i = 0; i < paths.size(); i++) {
        if (!now.get(i).semanticallyEquals(before.get(paths.get(i)))) {
          changed++;
        }
      }
    }
    assertTrue(
        changed > 0 && changed < paths.size(),
        changed + " of " + paths.size() + " changed when killed");

    Cli rollback = wsusfix("rollback", journal.toString(), "--yes", "--target", target);
    assertEquals(0, rollback.exit, rollback.all());

    try (Target t = Targets.open(target, Map.of())) {
      List<SecurityDescriptor> now = t.readAll(paths);
      List<String> differ = new ArrayList<>();
      for (int i = 0; i < paths.size(); i++) {
        if (!now.get(i).semanticallyEquals(before.get(paths.get(i)))) {
          differ.add(paths.get(i));
        }
      }
      assertEquals(
          List.of(),
          differ.subList(0, Math.min(10, differ.size())),
          differ.size() + " descriptors differ");
    }
    assertEquals(spotsBefore, smbcaclsSddl(spots));
  }

  // --- helpers ---

  /** The descriptors as the server returns them, to put the lab back whatever a test did. */
  private static Map<String, byte[]> rawDescriptors(List<String> paths) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (SmbConnection admin = lab.admin()) {
      for (String p : paths) {
        out.put(p, admin.readDescriptor(p));
      }
    }
    return out;
  }

  /** Writes back DACLs that differ from the saved ones (owner and group are never changed here). */
  private static void restore(Map<String, byte[]> saved) {
    try (SmbConnection admin = lab.admin()) {
      saved.forEach(
          (p, sd) -> {
            if (!java.util.Arrays.equals(admin.readDescriptor(p), sd)) {
              admin.writeDacl(p, sd);
            }
          });
    }
  }

  /** Output and exit code of one in-process run of the command line. */
  private record Cli(int exit, String out, String err) {
    String all() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private static Cli wsusfix(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Cli(exit, out.toString(), err.toString());
  }

  private static String policy(String name) {
    return Path.of("src/test/resources/e2e", name).toAbsolutePath().toString();
  }

  /** smbcacls --sddl of each share-relative path. */
  private static Map<String, String> smbcaclsSddl(List<String> paths) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String p : paths) {
      SambaLab.Run r = lab.smbcacls(p, "--sddl");
      assertEquals(0, r.exit(), p + ": " + r.out());
      out.put(p, r.out().trim());
    }
    return out;
  }

  private static void assertDenied(SambaLab.Run r) {
    assertTrue(r.out().contains("NT_STATUS_ACCESS_DENIED"), "expected access denied: " + r.out());
  }

  private static void assertAllowed(SambaLab.Run r) {
    assertEquals(0, r.exit(), r.out());
    assertFalse(r.out().contains("NT_STATUS_"), r.out());
  }

  /** How many journaled batches of inherited descendants are done (written and verified). */
  private static int doneInheritedBatches(Path journal) throws IOException {
    if (!Files.exists(journal)) {
      return 0;
    }
    List<Integer> inherited = new ArrayList<>();
    int done = 0;
    for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
      if (line.contains("\"inherited\":true")) {
        inherited.add(1);
      } else if (line.contains("\"type\":\"done\"") && !inherited.isEmpty()) {
        done++;
      }
    }
    return done;
  }
}
