package org.wsusfix.machine.smb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.wsusfix.cli.CliRun;

/**
 * Signing as the server sees it: smbstatus names a session's signing algorithm, and "partial(...)"
 * when only some of its messages were signed. Run against the default lab (where signing is only
 * allowed, so a fully signed session is wsusfix's doing) and the mandatory one ({@code samba-lab.sh
 * start --signing mandatory}).
 */
@Tag("samba")
class SigningSambaTest {
  private static SambaLab lab;
  private static AutoCloseable password;

  @BeforeAll
  static void lab() {
    lab = SambaLab.require();
    password = lab.adminPasswordForCommands();
  }

  @AfterAll
  static void forgetPassword() throws Exception {
    password.close();
  }

  /** The Signing column of the one smbd session of {@code user} ({@code smbstatus -b}). */
  private static String signingOf(String user) {
    return sessionOf(user)[sessionOf(user).length - 1];
  }

  /**
   * The Encryption column of the share's tree connect by smbd process {@code pid} ({@code smbstatus
   * -S}).
   */
  private static String shareEncryption(String pid) {
    SambaLab.Run r = SambaLab.run("smbstatus", "-s", lab.get("LAB_CONF"), "-S");
    assertEquals(0, r.exit(), r.out());
    List<String> lines =
        r.out().lines().filter(l -> l.matches(lab.share() + "\\s+" + pid + "\\s.*")).toList();
    assertEquals(1, lines.size(), () -> "one tree connect of " + pid + " in:\n" + r.out());
    String[] columns = lines.get(0).trim().split("\\s+");
    return columns[columns.length - 2];
  }

  /** The columns of the one smbd session of {@code user}: ..., Encryption, Signing. */
  private static String[] sessionOf(String user) {
    SambaLab.Run r = SambaLab.run("smbstatus", "-s", lab.get("LAB_CONF"), "-b");
    assertEquals(0, r.exit(), r.out());
    List<String> lines =
        r.out().lines().filter(l -> l.matches("\\s*\\d+\\s+" + user + "\\s.*")).toList();
    assertEquals(1, lines.size(), () -> "one session of " + user + " in:\n" + r.out());
    return lines.get(0).trim().split("\\s+");
  }

  /** Some messages after the tree connect; svc_app may be refused, which is an answer too. */
  private static void touch(SmbConnection c) {
    for (String path : List.of("", "Windows")) {
      try {
        c.list(path);
        c.readDescriptor(path);
      } catch (SmbException e) {
        assertTrue(e.isAccessDenied(), e.getMessage());
      }
    }
  }

  @Test
  void everyMessageOfASessionIsSignedByDefault() {
    try (SmbConnection svc =
        SmbConnection.connect(
            lab.host(),
            lab.port(),
            lab.share(),
            lab.get("LAB_SVC_USER"),
            lab.svcPassword().toCharArray(),
            "")) {
      touch(svc);
      assertTrue(svc.signed(), "the session refuses unsigned answers");
      String signing = signingOf(lab.get("LAB_SVC_USER"));
      assertTrue(
          signing.matches("(AES-128-CMAC|AES-128-GMAC|HMAC-SHA256)"),
          "fully signed, not partial: " + signing);
    }
  }

  /**
   * The smbj bug {@link SessionSigningShim} works around: smbj alone, told to require signing,
   * signs its requests but does not ask the server to require signing on the session, so a server
   * that only allows signing counts the session as partly signed. When this fails, smbj is fixed
   * and the shim can go.
   */
  @Test
  void smbjAloneDoesNotAskTheServerToRequireSigning() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeFalse(
        lab.encryptionRequired(), "smbj alone does not encrypt: the share refuses it");
    try (com.hierynomus.smbj.SMBClient client =
            new com.hierynomus.smbj.SMBClient(
                com.hierynomus.smbj.SmbConfig.builder().withSigningRequired(true).build());
        com.hierynomus.smbj.connection.Connection c = client.connect(lab.host(), lab.port());
        com.hierynomus.smbj.session.Session s =
            c.authenticate(
                new com.hierynomus.smbj.auth.AuthenticationContext(
                    lab.get("LAB_SVC_USER"), lab.svcPassword().toCharArray(), ""));
        com.hierynomus.smbj.share.Share share = s.connectShare(lab.share())) {
      assertTrue(s.isSigningRequired(), "smbj itself requires signed answers");
      String signing = signingOf(lab.get("LAB_SVC_USER"));
      if (lab.signingMandatory()) {
        assertEquals("AES-128-CMAC", signing, "the server requires signing: smbj asks for it then");
      } else {
        assertEquals(
            "partial(AES-128-CMAC)", signing, "smbj did not ask the server to require signing");
      }
    }
  }

  @Test
  void theSessionIsEncryptedWhereTheShareRequiresIt() {
    try (SmbConnection svc =
        SmbConnection.connect(
            lab.host(),
            lab.port(),
            lab.share(),
            lab.get("LAB_SVC_USER"),
            lab.svcPassword().toCharArray(),
            "")) {
      touch(svc);
      String pid = sessionOf(lab.get("LAB_SVC_USER"))[0];
      String encryption = shareEncryption(pid);
      if (lab.encryptionRequired()) {
        assertTrue(svc.encrypted(), "asked again with encryption after the share refused");
        assertTrue(
            encryption.matches("AES-128-(CCM|GCM)"),
            "the share's messages all encrypted: " + encryption);
      } else {
        assertTrue(
            !svc.encrypted() && encryption.equals("-"),
            "signed, not encrypted, where nothing asks: " + encryption);
      }
    }
  }

  @Test
  void signingCannotBeTurnedOffFromTheTarget() {
    CliRun run = CliRun.of("show", "C:\\Windows", "--target", lab.adminTarget() + "?signing=off");
    assertEquals(1, run.exit(), run::toString);
    assertEquals("", run.out(), run::toString);
    assertEquals(
        List.of(
            "wsusfix: bad smb target '"
                + lab.adminTarget()
                + "': signing='off': wsusfix signs every SMB"
                + " message and checks every answer's signature; that cannot be turned off"),
        run.err().lines().toList());
  }

  @Test
  void theRpcPipesRunOnTheSignedSession() {
    try (SmbConnection svc =
            SmbConnection.connect(
                lab.host(),
                lab.port(),
                lab.share(),
                lab.get("LAB_SVC_USER"),
                lab.svcPassword().toCharArray(),
                "");
        LsaNames names = new LsaNames(svc)) {
      assertEquals(lab.machineSid(), names.accountDomainSid());
      assertTrue(svc.signed());
      assertTrue(
          signingOf(lab.get("LAB_SVC_USER")).matches("(AES-128-CMAC|AES-128-GMAC|HMAC-SHA256)"),
          "LSA over IPC$ left the session fully signed");
    }
  }
}
