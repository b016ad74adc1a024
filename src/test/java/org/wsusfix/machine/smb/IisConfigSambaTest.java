package org.wsusfix.machine.smb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsusfix.cli.CliRun;

/**
 * The IIS kind against the Samba lab's applicationHost.config (Anonymous turned off on
 * ClientWebService): plan, apply, plan again, roll back, each file state fetched with smbclient.
 */
@Tag("samba")
class IisConfigSambaTest {
  private static SambaLab lab;
  private static String target;
  private static AutoCloseable password;
  private static final String POLICY =
      Path.of("src/test/resources/e2e/iis-anonymous.yaml").toAbsolutePath().toString();

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

  /** The file as smbclient fetches it over the share. */
  private byte[] fetch(String name) throws IOException {
    Path local = tmp.resolve(name);
    Files.deleteIfExists(local);
    SambaLab.Run r =
        lab.smbclient(
            lab.get("LAB_ADMIN_USER"),
            lab.adminPassword(),
            "get " + lab.get("LAB_IIS_CONFIG") + " " + local);
    assertEquals(0, r.exit(), r.out());
    return Files.readAllBytes(local);
  }

  @Test
  void anonymousTurnedOffIsPlannedAppliedAsOneAttributeAndRolledBackByteForByte()
      throws IOException {
    byte[] original = fetch("before.config");
    Path undo = tmp.resolve("undo.jsonl");
    try {
      CliRun plan = CliRun.of("plan", "-p", POLICY, "--target", target);
      assertEquals(2, plan.exit(), plan.toString());
      assertTrue(
          plan.out().contains("/ClientWebService anonymousAuthentication.enabled: false -> true"),
          plan.toString());

      CliRun apply =
          CliRun.of("apply", "-p", POLICY, "--target", target, "--yes", "--undo", undo.toString());
      assertEquals(0, apply.exit(), apply.toString());
      String before = new String(original, StandardCharsets.UTF_8);
      String after = new String(fetch("after.config"), StandardCharsets.UTF_8);
      int at = before.indexOf("<anonymousAuthentication enabled=\"false\" />");
      String expected =
          before.substring(0, at)
              + "<anonymousAuthentication enabled=\"true\" />"
              + before.substring(at + "<anonymousAuthentication enabled=\"false\" />".length());
      assertEquals(
          expected, after, "exactly that attribute; BOM, CRLF and everything else as it was");

      CliRun again = CliRun.of("plan", "-p", POLICY, "--target", target);
      assertEquals(0, again.exit(), again.toString());

      CliRun rollback = CliRun.of("rollback", undo.toString(), "--target", target, "--yes");
      assertEquals(0, rollback.exit(), rollback.toString());
      assertArrayEquals(original, fetch("restored.config"), "byte-identical after rollback");
      SambaLab.Run ls =
          lab.smbclient(
              lab.get("LAB_ADMIN_USER"),
              lab.adminPassword(),
              "ls Windows\\System32\\inetsrv\\config\\*");
      assertTrue(!ls.out().contains("wsusfix-new"), "no temporary file left: " + ls.out());
    } finally {
      Path put = tmp.resolve("put.config");
      Files.write(put, original);
      lab.smbclient(
          lab.get("LAB_ADMIN_USER"),
          lab.adminPassword(),
          "put " + put + " " + lab.get("LAB_IIS_CONFIG"));
    }
  }

  /**
   * A real java process killed with SIGKILL as soon as its journal holds the IIS intent: the file
   * on the share is then the old one or the new one, never a mix, and rollback brings back the old.
   */
  @Test
  void aKilledApplyLeavesTheOldOrTheNewFileAndRollbackRestoresIt() throws Exception {
    byte[] original = fetch("before.config");
    String before = new String(original, StandardCharsets.UTF_8);
    int at = before.indexOf("<anonymousAuthentication enabled=\"false\" />");
    byte[] applied =
        (before.substring(0, at)
                + "<anonymousAuthentication enabled=\"true\" />"
                + before.substring(at + "<anonymousAuthentication enabled=\"false\" />".length()))
            .getBytes(StandardCharsets.UTF_8);
    Path journal = tmp.resolve("killed.jsonl");
    try {
      String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder pb =
          new ProcessBuilder(
                  javaBin,
                  "-cp",
                  System.getProperty("java.class.path"),
                  "org.wsusfix.cli.Main",
                  "apply",
                  "-p",
                  POLICY,
                  "--target",
                  target,
                  "--yes",
                  "--undo",
                  journal.toString())
              .redirectErrorStream(true)
              .redirectOutput(tmp.resolve("apply.log").toFile());
      pb.environment().put(SmbTargets.PASSWORD_ENV, lab.adminPassword());
      Process apply = pb.start();
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
      while (!(Files.exists(journal)
          && Files.readString(journal).contains("\"resource\":\"iis\""))) {
        assertTrue(
            apply.isAlive() || Files.exists(journal),
            "apply ended early: " + Files.readString(tmp.resolve("apply.log")));
        assertTrue(System.nanoTime() < deadline, "no IIS intent within 60 s");
        if (!apply.isAlive()) {
          break;
        }
        Thread.sleep(2);
      }
      SambaLab.run("kill", "-9", String.valueOf(apply.pid()));
      apply.waitFor();
      byte[] now = fetch("killed.config");
      assertTrue(
          java.util.Arrays.equals(now, original) || java.util.Arrays.equals(now, applied),
          "the old or the new file, never a mix: " + new String(now, StandardCharsets.UTF_8));

      CliRun rollback = CliRun.of("rollback", journal.toString(), "--target", target, "--yes");
      assertEquals(0, rollback.exit(), rollback.toString());
      assertArrayEquals(original, fetch("restored.config"));
    } finally {
      Path put = tmp.resolve("put.config");
      Files.write(put, original);
      lab.smbclient(
          lab.get("LAB_ADMIN_USER"),
          lab.adminPassword(),
          "put " + put + " " + lab.get("LAB_IIS_CONFIG"));
    }
  }
}
