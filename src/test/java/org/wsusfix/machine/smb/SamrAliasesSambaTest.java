package org.wsusfix.machine.smb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * BUILTIN alias membership and name lookups against the lab, checked with net rpc and rpcclient.
 */
@Tag("samba")
class SamrAliasesSambaTest {
  private static SambaLab lab;
  private static SmbConnection admin;

  @BeforeAll
  static void connect() {
    lab = SambaLab.require();
    admin = lab.admin();
  }

  @AfterAll
  static void disconnect() {
    if (admin != null) {
      admin.close();
    }
  }

  @Test
  void addAndRemoveSvcAppInUsers() {
    String svc = lab.netbios() + "\\svc_app";
    String framework64 = "ls Windows\\Microsoft.NET\\Framework64\\*";
    try (SamrAliases samr = new SamrAliases(admin)) {
      assertTrue(samr.members(SamrAliases.USERS).contains(lab.iusrSid()));
      assertFalse(samr.members(SamrAliases.USERS).contains(lab.svcSid()));
      assertFalse(lab.netRpcUsersMembers().contains(svc));
      assertTrue(
          lab.smbclient("svc_app", lab.svcPassword(), framework64)
              .out()
              .contains("NT_STATUS_ACCESS_DENIED"));
      try {
        assertTrue(samr.addMember(SamrAliases.USERS, lab.svcSid()));
        assertFalse(samr.addMember(SamrAliases.USERS, lab.svcSid()), "second add changes nothing");
        assertTrue(lab.netRpcUsersMembers().contains(svc), lab.netRpcUsersMembers().toString());
        assertTrue(samr.members(SamrAliases.USERS).contains(lab.svcSid()));
        // a new session carries the new membership
        SambaLab.Run ls = lab.smbclient("svc_app", lab.svcPassword(), framework64);
        assertFalse(ls.out().contains("NT_STATUS_"), ls.out());
      } finally {
        samr.removeMember(SamrAliases.USERS, lab.svcSid());
      }
      assertFalse(
          samr.removeMember(SamrAliases.USERS, lab.svcSid()), "second remove changes nothing");
      assertFalse(lab.netRpcUsersMembers().contains(svc));
      assertTrue(lab.netRpcUsersMembers().contains(lab.netbios() + "\\iusr_web"));
    }
  }

  @Test
  void nonAdministratorsAreToldTheyMayNotChangeMembership() {
    try (SmbConnection iusr = lab.connect("iusr_web", lab.iusrPassword())) {
      SmbException e =
          assertThrows(
              SmbException.class,
              () -> {
                try (SamrAliases samr = new SamrAliases(iusr)) {
                  samr.addMember(SamrAliases.USERS, lab.svcSid());
                }
              });
      assertTrue(e.isAccessDenied(), e.getMessage());
      assertTrue(e.getMessage().contains("BUILTIN\\Users"), e.getMessage());
    }
    assertFalse(lab.netRpcUsersMembers().contains(lab.netbios() + "\\svc_app"));
  }

  @Test
  void namesAndSidsAgreeWithRpcclient() {
    try (LsaNames lsa = new LsaNames(admin)) {
      assertEquals(lab.netbios(), lsa.accountDomainName());
      assertEquals(lab.machineSid(), lsa.accountDomainSid());
      assertEquals(Optional.of(lab.iusrSid()), lsa.sidOf(lab.netbios() + "\\iusr_web"));
      assertEquals(Optional.of(lab.svcSid()), lsa.sidOf("svc_app"));
      assertEquals(Optional.of("S-1-5-32-545"), lsa.sidOf("BUILTIN\\Users"));
      assertEquals(Optional.empty(), lsa.sidOf("no_such_account"));
      assertEquals(Optional.of(lab.netbios() + "\\iusr_web"), lsa.nameOf(lab.iusrSid()));
      assertEquals(Optional.of("BUILTIN\\Users"), lsa.nameOf("S-1-5-32-545"));
      assertEquals(Optional.empty(), lsa.nameOf(lab.machineSid() + "-4242"));

      SambaLab.Run r =
          SambaLab.run(
              "rpcclient",
              lab.host(),
              "-p",
              String.valueOf(lab.port()),
              "-U",
              "admin%" + lab.adminPassword(),
              "-c",
              "lookupsids " + lab.iusrSid() + " " + lab.svcSid() + " S-1-5-32-545");
      assertEquals(0, r.exit(), r.out());
      for (String sid : new String[] {lab.iusrSid(), lab.svcSid(), "S-1-5-32-545"}) {
        String line =
            r.out().lines().filter(l -> l.startsWith(sid + " ")).findFirst().orElseThrow();
        String name = line.substring(sid.length() + 1, line.lastIndexOf(" ("));
        assertEquals(Optional.of(name), lsa.nameOf(sid), line);
      }
    }
  }
}
