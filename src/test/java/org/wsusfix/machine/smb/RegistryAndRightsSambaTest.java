package org.wsusfix.machine.smb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsusfix.cli.CliRun;

/**
 * Registry key DACLs and a privilege against the Samba lab through wsusfix's command line, each
 * outcome checked with `net rpc registry` and `net rpc rights` as admin and as iusr_web.
 */
@Tag("samba")
class RegistryAndRightsSambaTest {
  private static final String SERVER_KEY = "HKLM\\SOFTWARE\\Microsoft\\Update Services\\Server";
  private static final String SETUP_KEY = SERVER_KEY + "\\Setup";
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

  @Test
  void brokenKeysAreRepairedAndRolledBackByteForByte() throws IOException {
    String serverBefore = getsd(SERVER_KEY);
    String setupBefore = getsd(SETUP_KEY);
    assertFalse(serverBefore.contains("S-1-5-32-545"), serverBefore);
    assertDenied(enumerate(SERVER_KEY, "iusr_web", lab.iusrPassword()));
    assertDenied(enumerate(SETUP_KEY, "iusr_web", lab.iusrPassword()));

    Path policy = tmp.resolve("keys.yaml");
    Files.writeString(
        policy,
        String.join(
            "\n",
            "apiVersion: wsusfix/v1",
            "kind: Policy",
            "metadata: {name: lab-keys}",
            "registry:",
            "  - key: '" + SERVER_KEY + "'",
            "    grants:",
            "      - {trustee: BUILTIN\\Users, rights: ReadKey, inheritance: [CI]}",
            "    expect:",
            "      - {identity: '" + lab.netbios() + "\\iusr_web', access: ReadKey}",
            ""));
    CliRun plan = CliRun.of("plan", "-p", policy.toString(), "--target", target);
    assertEquals(2, plan.exit(), plan.toString());
    assertTrue(plan.out().contains("~ " + SERVER_KEY + "  (registry key, protected)"), plan.out());
    assertTrue(plan.out().contains("subkeys re-inherited: 1"), plan.out());

    Path journal = tmp.resolve("keys.jsonl");
    CliRun apply =
        CliRun.of(
            "apply",
            "-p",
            policy.toString(),
            "--target",
            target,
            "--yes",
            "--undo",
            journal.toString());
    assertEquals(0, apply.exit(), apply.toString());

    assertAllowed(enumerate(SERVER_KEY, "iusr_web", lab.iusrPassword()));
    assertAllowed(enumerate(SETUP_KEY, "iusr_web", lab.iusrPassword()));
    String serverAfter = getsd(SERVER_KEY);
    assertTrue(serverAfter.contains("S-1-5-32-545"), serverAfter);
    assertTrue(
        serverAfter.contains("Owner SID:\tS-1-5-32-544"), "the owner is kept: " + serverAfter);
    assertTrue(getsd(SETUP_KEY).contains("SEC_ACE_FLAG_INHERITED_ACE"), getsd(SETUP_KEY));
    CliRun again = CliRun.of("plan", "-p", policy.toString(), "--target", target);
    assertEquals(0, again.exit(), again.toString());

    CliRun rollback = CliRun.of("rollback", journal.toString(), "--yes", "--target", target);
    assertEquals(0, rollback.exit(), rollback.toString());
    assertEquals(serverBefore, getsd(SERVER_KEY));
    assertEquals(setupBefore, getsd(SETUP_KEY));
    assertDenied(enumerate(SERVER_KEY, "iusr_web", lab.iusrPassword()));
  }

  /** The content folder is where ContentDir says, read from the server's registry over winreg. */
  @Test
  void theContentFolderNamedByContentDirIsRepairedAndRolledBack() throws IOException {
    String content = lab.get("LAB_CONTENT_DIR");
    SambaLab.Run before = lab.smbcacls(content);
    assertEquals(0, before.exit(), before.out());
    // smbcacls spells it "NT Authority\\Network Service"
    assertFalse(
        before.out().toLowerCase(java.util.Locale.ROOT).contains("network service"), before.out());

    Path policy = tmp.resolve("content.yaml");
    Files.writeString(
        policy,
        String.join(
            "\n",
            "apiVersion: wsusfix/v1",
            "kind: Policy",
            "metadata: {name: lab-content}",
            "rules:",
            "  - path: '%WsusContentDir%\\WSUSContent'",
            "    grants:",
            "      - {trustee: NT AUTHORITY\\NETWORK SERVICE, rights: FullControl, inheritance: [OI, CI]}",
            "  - path: '%WsusContentDrive%\\'",
            "    grants:",
            "      - {trustee: BUILTIN\\Users, rights: Read, inheritance: None}",
            ""));
    CliRun plan = CliRun.of("plan", "-p", policy.toString(), "--target", target);
    assertEquals(2, plan.exit(), plan.toString());
    assertTrue(plan.out().contains("~ C:\\WSUS\\WSUSContent"), plan.out());
    assertTrue(
        plan.out().contains("1 change"), "the share root already lets Users read: " + plan.out());

    Path journal = tmp.resolve("content.jsonl");
    CliRun apply =
        CliRun.of(
            "apply",
            "-p",
            policy.toString(),
            "--target",
            target,
            "--yes",
            "--undo",
            journal.toString());
    assertEquals(0, apply.exit(), apply.toString());
    SambaLab.Run after = lab.smbcacls(content);
    assertTrue(
        after
            .out()
            .toLowerCase(java.util.Locale.ROOT)
            .contains("\\network service:allowed/oi|ci/full"),
        after.out());

    CliRun rollback = CliRun.of("rollback", journal.toString(), "--yes", "--target", target);
    assertEquals(0, rollback.exit(), rollback.toString());
    assertEquals(before.out(), lab.smbcacls(content).out());
  }

  @Test
  void aPrivilegeIsGrantedAndRolledBack() throws IOException {
    String before = rightsOf("iusr_web");
    assertFalse(before.contains("SeBackupPrivilege"), before);
    Path policy = tmp.resolve("rights.yaml");
    Files.writeString(
        policy,
        String.join(
            "\n",
            "apiVersion: wsusfix/v1",
            "kind: Policy",
            "metadata: {name: lab-rights}",
            "userRights:",
            "  - right: SeBackupPrivilege",
            "    members: ['" + lab.netbios() + "\\iusr_web']",
            ""));
    CliRun plan = CliRun.of("plan", "-p", policy.toString(), "--target", target);
    assertEquals(2, plan.exit(), plan.toString());
    assertTrue(plan.out().contains("~ user right SeBackupPrivilege"), plan.out());

    Path journal = tmp.resolve("rights.jsonl");
    CliRun apply =
        CliRun.of(
            "apply",
            "-p",
            policy.toString(),
            "--target",
            target,
            "--yes",
            "--undo",
            journal.toString());
    assertEquals(0, apply.exit(), apply.toString());
    assertTrue(rightsOf("iusr_web").contains("SeBackupPrivilege"), rightsOf("iusr_web"));
    assertTrue(
        rightsOf("BUILTIN\\Administrators").contains("SeBackupPrivilege"), "other holders keep it");

    CliRun rollback = CliRun.of("rollback", journal.toString(), "--yes", "--target", target);
    assertEquals(0, rollback.exit(), rollback.toString());
    assertEquals(before, rightsOf("iusr_web"));
    assertTrue(rightsOf("BUILTIN\\Administrators").contains("SeBackupPrivilege"));
  }

  /** Samba knows no logon rights: the plan says so in one line, and apply changes nothing. */
  @Test
  void aLogonRightSambaDoesNotKnowIsUnverifiedAndNothingChanges() throws IOException {
    Path policy = tmp.resolve("logon.yaml");
    Files.writeString(
        policy,
        String.join(
            "\n",
            "apiVersion: wsusfix/v1",
            "kind: Policy",
            "metadata: {name: lab-logon}",
            "userRights:",
            "  - right: SeBatchLogonRight",
            "    members: ['" + lab.netbios() + "\\iusr_web']",
            ""));
    String before = rightsOf("iusr_web");
    CliRun plan = CliRun.of("plan", "-p", policy.toString(), "--target", target);
    assertTrue(
        plan.out()
            .contains(
                "? unverified SeBatchLogonRight: not verified: cannot list the holders of SeBatchLogonRight"
                    + " on \\\\"
                    + lab.host()
                    + "\\"
                    + lab.share()
                    + ": the server knows no such right (NT_STATUS_NO_SUCH_PRIVILEGE)\n"),
        plan.toString());
    assertFalse(plan.toString().contains("Exception"), plan.toString());
    CliRun apply =
        CliRun.of(
            "apply",
            "-p",
            policy.toString(),
            "--target",
            target,
            "--yes",
            "--undo",
            tmp.resolve("logon.jsonl").toString());
    assertEquals(0, apply.exit(), apply.toString());
    assertTrue(apply.out().contains("Nothing to apply."), apply.toString());
    assertEquals(before, rightsOf("iusr_web"));
  }

  /**
   * A grant over a key with 1,000 subkeys, the java process killed with SIGKILL once some batches
   * of re-inherited subkeys are written, then rollback: every descriptor is back, byte for byte.
   */
  @Test
  void crashMidReinheritanceThenRollbackRestoresEveryKey() throws Exception {
    int keys = Integer.parseInt(lab.get("LAB_BENCH_KEYS"));
    if (keys < CRASH_KEYS) {
      String message =
          "the lab has "
              + keys
              + " bench keys, the crash test needs "
              + CRASH_KEYS
              + ": restart it with scripts/samba-lab.sh start --keys "
              + CRASH_KEYS;
      if ("true".equals(System.getenv("CI"))) {
        org.junit.jupiter.api.Assertions.fail(message + " [CI=true: the samba tests must run]");
      }
      org.junit.jupiter.api.Assumptions.abort(message);
    }
    String bench = lab.get("LAB_BENCH_KEY");
    java.util.Map<String, String> before = descriptors(bench);
    assertEquals(keys + 1, before.size());
    String spot = bench + "\\k0500";
    String spotBefore = getsd(spot);

    Path policy = tmp.resolve("bench-keys.yaml");
    Files.writeString(
        policy,
        String.join(
            "\n",
            "apiVersion: wsusfix/v1",
            "kind: Policy",
            "metadata: {name: lab-bench-keys}",
            "registry:",
            "  - key: '" + bench + "'",
            "    grants: [{trustee: BUILTIN\\Users, rights: ReadKey, inheritance: [CI]}]",
            ""));
    Path journal = tmp.resolve("crash-keys.jsonl");
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                javaBin,
                "-cp",
                System.getProperty("java.class.path"),
                "org.wsusfix.cli.Main",
                "apply",
                "-p",
                policy.toString(),
                "--target",
                target,
                "--yes",
                "--undo",
                journal.toString())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("apply.log").toFile());
    pb.environment().put(SmbTargets.PASSWORD_ENV, lab.adminPassword());
    Process apply = pb.start();
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(240);
    while (doneBatches(journal) < 1) {
      if (!apply.isAlive()) {
        org.junit.jupiter.api.Assertions.fail(
            "apply ended (exit "
                + apply.exitValue()
                + ") before it could be killed: "
                + Files.readString(tmp.resolve("apply.log")));
      }
      if (System.nanoTime() > deadline) {
        apply.destroyForcibly();
        org.junit.jupiter.api.Assertions.fail(
            "apply wrote no subkeys within 240 s: " + Files.readString(tmp.resolve("apply.log")));
      }
      Thread.sleep(5);
    }
    assertEquals(0, SambaLab.run("kill", "-9", String.valueOf(apply.pid())).exit());
    assertTrue(apply.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
    assertEquals(137, apply.exitValue(), "killed by SIGKILL");

    java.util.Map<String, String> killed = descriptors(bench);
    long changed =
        before.keySet().stream().filter(k -> !before.get(k).equals(killed.get(k))).count();
    assertTrue(
        changed > 1 && changed < before.size(),
        changed + " of " + before.size() + " changed when killed");

    CliRun rollback = CliRun.of("rollback", journal.toString(), "--yes", "--target", target);
    assertEquals(0, rollback.exit(), rollback.toString());
    java.util.Map<String, String> after = descriptors(bench);
    List<String> differ =
        before.keySet().stream().filter(k -> !before.get(k).equals(after.get(k))).toList();
    assertEquals(
        List.of(),
        differ.subList(0, Math.min(10, differ.size())),
        differ.size() + " descriptors differ");
    assertEquals(spotBefore, getsd(spot));
  }

  private static final int CRASH_KEYS = 1000;

  /** The raw descriptor bytes (hex) of a key and its subkeys, as the server returns them. */
  private static java.util.Map<String, String> descriptors(String key) {
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    try (SmbConnection admin = lab.admin();
        WinregKeys reg = new WinregKeys(admin)) {
      out.put(key, java.util.HexFormat.of().formatHex(reg.descriptor(key)));
      for (String name : reg.subkeys(key)) {
        out.put(
            key + "\\" + name,
            java.util.HexFormat.of().formatHex(reg.descriptor(key + "\\" + name)));
      }
    }
    return out;
  }

  /** Done records of journaled subkey batches so far (a torn last line is ignored). */
  private static int doneBatches(Path journal) throws IOException {
    if (!Files.exists(journal)) {
      return 0;
    }
    String text = Files.readString(journal);
    int batches = 0;
    for (String line : text.split("\n")) {
      if (line.contains("\"inherited\":true")) {
        batches++;
      }
    }
    // an intent is written before its batch; the one after it means the earlier batch is done
    return Math.max(0, batches - 1);
  }

  // --- helpers ---
  private static List<String> net(String... args) {
    List<String> cmd = new java.util.ArrayList<>(List.of("net", "rpc"));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("-I", lab.host(), "-p", String.valueOf(lab.port())));
    return cmd;
  }

  /** `net rpc registry getsd` as admin: every field of the stored descriptor, in Samba's words. */
  private static String getsd(String key) {
    List<String> cmd = net("registry", "getsd", key);
    cmd.addAll(List.of("-U", "admin%" + lab.adminPassword()));
    SambaLab.Run r = SambaLab.run(cmd.toArray(String[]::new));
    assertEquals(0, r.exit(), r.out());
    return r.out();
  }

  private static SambaLab.Run enumerate(String key, String user, String password) {
    List<String> cmd = net("registry", "enumerate", key);
    cmd.addAll(List.of("-U", user + "%" + password));
    return SambaLab.run(cmd.toArray(String[]::new));
  }

  /**
   * `net rpc rights list accounts`: the privileges listed under {@code account} ("No privileges
   * assigned" is none: Samba keeps an account object once it held a right).
   */
  private static String rightsOf(String account) {
    List<String> cmd = net("rights", "list", "accounts");
    cmd.addAll(List.of("-U", "admin%" + lab.adminPassword()));
    SambaLab.Run r = SambaLab.run(cmd.toArray(String[]::new));
    assertEquals(0, r.exit(), r.out());
    StringBuilder out = new StringBuilder();
    boolean in = false;
    for (String line : r.out().lines().toList()) {
      if (line.isBlank()) {
        in = false;
      } else if (!in && line.trim().equalsIgnoreCase(account)
          || !in && line.trim().endsWith("\\" + account)) {
        in = true;
      } else if (in && !line.trim().equals("No privileges assigned")) {
        out.append(line.trim()).append('\n');
      }
    }
    return out.toString();
  }

  private static void assertDenied(SambaLab.Run r) {
    assertTrue(
        r.exit() != 0 && r.out().contains("ACCESS_DENIED"), "expected access denied: " + r.out());
  }

  private static void assertAllowed(SambaLab.Run r) {
    assertEquals(0, r.exit(), r.out());
    assertFalse(r.out().contains("ACCESS_DENIED"), r.out());
  }
}
