package org.wsusfix.machine.smb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.wsusfix.machine.HeldDescriptors;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.TargetException;
import org.wsusfix.security.Sddl;
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;
import org.wsusfix.security.WellKnownSids;

/**
 * SmbTarget's own duties on the lab: lock, rights pre-check, accounts, batch reads, path mapping.
 */
@Tag("samba")
class SmbTargetSambaTest {
  private static final String FRAMEWORK = "C:\\Windows\\Microsoft.NET\\Framework";
  private static SambaLab lab;

  @BeforeAll
  static void lab() {
    lab = SambaLab.require();
  }

  private static SmbTarget open(String user, String password) {
    SmbSpec spec =
        SmbSpec.parse(
            "smb://" + user + "@" + lab.host() + ":" + lab.port() + "/" + lab.share(), Map.of());
    return SmbTarget.open(spec, password.toCharArray(), Map.of());
  }

  private static SmbTarget admin() {
    return open(lab.get("LAB_ADMIN_USER"), lab.adminPassword());
  }

  @Test
  void theApplyLockIsSeenByEverySession() throws Exception {
    try (SmbTarget first = admin();
        SmbTarget second = admin()) {
      AutoCloseable lock = first.lock();
      TargetException busy = assertThrows(TargetException.class, second::lock);
      assertTrue(
          busy.getMessage().contains("another apply or rollback is running against"),
          busy.getMessage());
      // smbclient sees the file while it is held; walks do not
      SambaLab.Run ls = lab.smbclient("admin", lab.adminPassword(), "ls " + SmbTarget.LOCK_FILE);
      assertTrue(ls.out().contains(SmbTarget.LOCK_FILE), ls.out());
      assertTrue(
          first.children("C:\\").stream().noneMatch(e -> e.name().equals(SmbTarget.LOCK_FILE)));
      lock.close();
      second.lock().close();
    }
    SambaLab.Run gone = lab.smbclient("admin", lab.adminPassword(), "ls " + SmbTarget.LOCK_FILE);
    assertTrue(
        gone.out().contains("NT_STATUS_NO_SUCH_FILE")
            || gone.out().contains("NT_STATUS_OBJECT_NAME_NOT_FOUND"),
        "deleted on close: " + gone.out());
  }

  @Test
  void rightsAreCheckedBeforeAnyChange() {
    try (SmbTarget admin = admin()) {
      assertEquals(List.of(), admin.daclWriteProblems(List.of(FRAMEWORK, "C:\\Windows")));
      assertEquals(List.of(), admin.groupWriteProblems());
      List<String> missing = admin.daclWriteProblems(List.of("C:\\Windows\\NoSuchFolder"));
      assertEquals(1, missing.size());
      assertTrue(missing.get(0).contains("not found"), missing.get(0));
      assertTrue(admin.daclWriteProblems(List.of("D:\\WSUS")).get(0).contains("outside C:\\"));
    }
    try (SmbTarget iusr = open("iusr_web", lab.iusrPassword())) {
      List<String> problems =
          new java.util.ArrayList<>(
              iusr.daclWriteProblems(List.of("C:\\Windows\\Microsoft.NET\\Framework64")));
      problems.addAll(iusr.groupWriteProblems());
      assertEquals(2, problems.size(), problems.toString());
      assertTrue(problems.get(0).contains("may not change its permissions"), problems.get(0));
      assertTrue(
          problems.get(1).contains("may not change local group membership"), problems.get(1));
    }
  }

  @Test
  void accountsVariablesAndTree() {
    try (SmbTarget t = admin()) {
      Sid iusr = Sid.parse(lab.iusrSid());
      assertEquals(Optional.of(iusr), t.lookupName(lab.netbios() + "\\iusr_web"));
      assertEquals(Optional.of(iusr), t.lookupName("IUSR_WEB"));
      assertEquals(Optional.empty(), t.lookupName("nobody_here"));
      assertEquals(Optional.of(lab.netbios() + "\\iusr_web"), t.lookupSid(iusr));
      assertEquals(Optional.of(Sid.parse(lab.machineSid())), t.machineSid());
      assertEquals(lab.netbios(), t.variables().get("computername"));
      assertEquals("C:\\Windows", t.variables().get("windir"));
      assertTrue(t.groupsOf(iusr).orElseThrow().contains(WellKnownSids.USERS));
      assertTrue(t.groupMembers(WellKnownSids.USERS).orElseThrow().contains(iusr));
      assertFalse(t.groupsOf(Sid.parse(lab.svcSid())).orElseThrow().contains(WellKnownSids.USERS));
      assertTrue(t.isContainer(FRAMEWORK));
      assertFalse(t.isContainer(FRAMEWORK + "\\v4.0.30319\\mscorlib.dll"));
      assertFalse(t.exists(FRAMEWORK + "\\v9"));
      assertEquals(
          List.of("v4.0.30319"), t.children(FRAMEWORK).stream().map(Target.Entry::name).toList());
      assertEquals("smb://admin@" + lab.host() + "/" + lab.share(), t.describe());
    }
  }

  @Test
  void batchReadsMatchSingleReadsAndNameTheFailingPath() {
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      paths.add(FRAMEWORK);
      paths.add(FRAMEWORK + "\\v4.0.30319");
      paths.add(FRAMEWORK + "\\v4.0.30319\\Config\\machine.config");
      paths.add("C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\mscorlib.dll");
    }
    try (SmbTarget t = admin()) {
      List<SecurityDescriptor> all = t.readAll(paths);
      for (int i = 0; i < paths.size(); i++) {
        assertTrue(all.get(i).semanticallyEquals(t.read(paths.get(i))), paths.get(i));
      }
      paths.set(13, FRAMEWORK + "\\missing.dll");
      TargetException e = assertThrows(TargetException.class, () -> t.readAll(paths));
      assertTrue(
          e.getMessage().contains("Framework\\missing.dll") && e.getMessage().contains("not found"),
          e.getMessage());
    }
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "options [{0}]")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"", "?sign=always"})
  void heldObjectsAreChangedOnTheirOwnHandlesAndEveryHandleIsReleased(String options) {
    String fw64 = "C:\\Windows\\Microsoft.NET\\Framework64";
    List<String> paths =
        List.of(
            "C:\\Windows\\Microsoft.NET",
            FRAMEWORK,
            FRAMEWORK + "\\v4.0.30319",
            FRAMEWORK + "\\v4.0.30319\\mscorlib.dll",
            FRAMEWORK + "\\v4.0.30319\\Config",
            FRAMEWORK + "\\v4.0.30319\\Config\\machine.config",
            fw64,
            fw64 + "\\v4.0.30319",
            fw64 + "\\v4.0.30319\\mscorlib.dll",
            fw64 + "\\v4.0.30319\\Config",
            fw64 + "\\v4.0.30319\\Config\\machine.config");
    int dll = 8;
    Sid domain = Sid.parse(lab.machineSid());
    String spec =
        "smb://"
            + lab.get("LAB_ADMIN_USER")
            + "@"
            + lab.host()
            + ":"
            + lab.port()
            + "/"
            + lab.share();
    Map<String, String> query = options.isEmpty() ? Map.of() : Map.of("sign", "always");
    try (SmbTarget t =
        SmbTarget.open(SmbSpec.parse(spec, query), lab.adminPassword().toCharArray(), Map.of())) {
      List<SecurityDescriptor> read = t.readAll(paths);
      SecurityDescriptor original = read.get(dll);
      SecurityDescriptor changed =
          Sddl.parse(
              Sddl.format(original, domain) + "(A;;0x1200a9;;;" + lab.svcSid() + ")", domain);
      try {
        try (HeldDescriptors held = t.hold(paths)) {
          for (int i = 0; i < paths.size(); i++) {
            assertTrue(read.get(i).semanticallyEquals(held.descriptors().get(i)), paths.get(i));
          }
          String open = SambaLab.run("smbstatus", "-s", lab.get("LAB_CONF"), "-L").out();
          assertTrue(
              open.contains("mscorlib.dll") && open.contains("machine.config"),
              "held open: " + open);
          Map<Integer, HeldDescriptors.Written> written =
              held.writeAndRelease(Map.of(dll, changed));
          assertEquals(List.of(dll), List.copyOf(written.keySet()));
          assertNull(written.get(dll).failure());
          assertTrue(
              written.get(dll).readBack().semanticallyEquals(changed),
              "read back on the same handle");
        }
        assertEquals(
            "No locked files", lockedFiles().trim(), "written and unwritten handles all closed");
        assertTrue(
            lab.smbcacls(
                    "Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\mscorlib.dll", "--numeric")
                .out()
                .contains(lab.svcSid()));
        assertTrue(
            t.read(paths.get(dll - 1)).semanticallyEquals(read.get(dll - 1)),
            "the others are unchanged");
      } finally {
        t.writeDacl(paths.get(dll), original);
      }
      assertTrue(t.read(paths.get(dll)).semanticallyEquals(original));

      List<String> withMissing = new ArrayList<>(paths);
      withMissing.set(5, FRAMEWORK + "\\missing.dll");
      TargetException e = assertThrows(TargetException.class, () -> t.hold(withMissing));
      assertTrue(
          e.getMessage().contains("Framework\\missing.dll") && e.getMessage().contains("not found"),
          e.getMessage());
      assertEquals(
          "No locked files",
          lockedFiles().trim(),
          "what was opened before the failure is closed again");
    }
  }

  /**
   * The server's table of open files, as smbstatus shows it, once it is empty or after a second.
   */
  private static String lockedFiles() {
    // the close of a released handle is not waited for: give the server a moment to see it
    String out = "";
    for (int i = 0; i < 50; i++) {
      out = SambaLab.run("smbstatus", "-s", lab.get("LAB_CONF"), "-L").out();
      if (out.trim().equals("No locked files")) {
        break;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
    }
    return out;
  }
}
