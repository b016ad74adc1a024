package org.wsusfix.target.smb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;
import org.wsusfix.security.WellKnownSids;
import org.wsusfix.target.Target;
import org.wsusfix.target.TargetException;

/** SmbTarget's own duties on the lab: lock, rights pre-check, accounts, batch reads, path mapping. */
@Tag("samba")
class SmbTargetSambaTest {
  private static final String FRAMEWORK = "C:\\Windows\\Microsoft.NET\\Framework";
  private static SambaLab lab;

  @BeforeAll
  static void lab() {
    lab = SambaLab.require();
  }

  private static SmbTarget open(String user, String password) {
    SmbSpec spec = SmbSpec.parse("smb://" + user + "@" + lab.host() + ":" + lab.port() + "/" + lab.share(), Map.of());
    return SmbTarget.open(spec, password.toCharArray(), Map.of());
  }

  private static SmbTarget admin() {
    return open(lab.get("LAB_ADMIN_USER"), lab.adminPassword());
  }

  @Test
  void theApplyLockIsSeenByEverySession() throws Exception {
    try (SmbTarget first = admin(); SmbTarget second = admin()) {
      AutoCloseable lock = first.lock();
      TargetException busy = assertThrows(TargetException.class, second::lock);
      assertTrue(busy.getMessage().contains("another apply or rollback is running against"), busy.getMessage());
      // smbclient sees the file while it is held; walks do not
      SambaLab.Run ls = lab.smbclient("admin", lab.adminPassword(), "ls " + SmbTarget.LOCK_FILE);
      assertTrue(ls.out().contains(SmbTarget.LOCK_FILE), ls.out());
      assertTrue(first.children("C:\\").stream().noneMatch(e -> e.name().equals(SmbTarget.LOCK_FILE)));
      lock.close();
      second.lock().close();
    }
    SambaLab.Run gone = lab.smbclient("admin", lab.adminPassword(), "ls " + SmbTarget.LOCK_FILE);
    assertTrue(gone.out().contains("NT_STATUS_NO_SUCH_FILE") || gone.out().contains("NT_STATUS_OBJECT_NAME_NOT_FOUND"),
        "deleted on close: " + gone.out());
  }

  @Test
  void rightsAreCheckedBeforeAnyChange() {
    try (SmbTarget admin = admin()) {
      assertEquals(List.of(), admin.writeProblems(List.of(FRAMEWORK, "C:\\Windows"), true));
      List<String> missing = admin.writeProblems(List.of("C:\\Windows\\NoSuchFolder"), false);
      assertEquals(1, missing.size());
      assertTrue(missing.get(0).contains("not found"), missing.get(0));
      assertTrue(admin.writeProblems(List.of("D:\\WSUS"), false).get(0).contains("outside C:\\"));
    }
    try (SmbTarget iusr = open("iusr_web", lab.iusrPassword())) {
      List<String> problems = iusr.writeProblems(List.of("C:\\Windows\\Microsoft.NET\\Framework64"), true);
      assertEquals(2, problems.size(), problems.toString());
      assertTrue(problems.get(0).contains("may not change its permissions"), problems.get(0));
      assertTrue(problems.get(1).contains("may not change local group membership"), problems.get(1));
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
      assertEquals(List.of("v4.0.30319"), t.children(FRAMEWORK).stream().map(Target.Entry::name).toList());
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
      assertTrue(e.getMessage().contains("Framework\\missing.dll") && e.getMessage().contains("not found"), e.getMessage());
    }
  }
}
