package org.wsusfix.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.wsusfix.diagnose.procmon.ProcmonEvent;

class FindingsTest {
  private static ProcmonEvent ev(
      String process,
      String op,
      String path,
      String result,
      String user,
      String imp,
      String access,
      boolean dir) {
    return new ProcmonEvent(0, process, 1, op, path, result, user, imp, access, dir);
  }

  @Test
  void deniedPathsFoldToTheFolderToFix() {
    assertEquals(
        "C:\\WINDOWS\\Microsoft.NET\\Framework",
        Folders.folderToFix("C:\\WINDOWS\\Microsoft.NET\\Framework", false),
        "no extension: a folder");
    assertEquals(
        "C:\\WINDOWS\\Microsoft.NET", Folders.folderToFix("C:\\WINDOWS\\Microsoft.NET", false));
    assertEquals(
        "C:\\WINDOWS\\Microsoft.NET\\Framework\\v4.0.30319",
        Folders.folderToFix("C:\\WINDOWS\\Microsoft.NET\\Framework\\v4.0.30319", false));
    assertEquals(
        "C:\\WINDOWS\\Microsoft.NET\\Framework\\v4.0.30319\\Config",
        Folders.folderToFix(
            "C:\\WINDOWS\\Microsoft.NET\\Framework\\v4.0.30319\\Config\\web.config", false));
    assertEquals(
        "C:\\inetpub\\wwwroot\\x.y", Folders.folderToFix("C:\\inetpub\\wwwroot\\x.y\\", true));
    assertEquals("C:\\WINDOWS\\Temp", Folders.folderToFix("C:\\WINDOWS\\Temp\\*.tmp", false));
    assertEquals("C:\\", Folders.folderToFix("C:\\pagefile.sys", false));
    assertEquals("HKLM\\SOFTWARE\\Key.v2", Folders.folderToFix("HKLM\\SOFTWARE\\Key.v2", false));
    assertFalse(Folders.isFileSystem("HKLM\\SOFTWARE"));
    assertTrue(Folders.isFileSystem("\\\\server\\share\\a"));
  }

  @Test
  void policyPathsUseVariables() {
    assertEquals("%windir%\\Microsoft.NET", Folders.policyPath("C:\\WINDOWS\\Microsoft.NET", null));
    assertEquals("%windir%\\assembly", Folders.policyPath("D:\\Win\\assembly", "D:\\Win"));
    assertEquals("%windir%", Folders.policyPath("c:\\winnt", null));
    assertEquals(
        "%ProgramFiles%\\Update Services\\WebServices",
        Folders.policyPath("C:\\Program Files\\Update Services\\WebServices", null));
    assertEquals(
        "C:\\Program Files (x86)\\x", Folders.policyPath("C:\\Program Files (x86)\\x", null));
    assertEquals(
        "E:\\WSUS\\WsusContent", Folders.policyPath("E:\\WSUS\\WsusContent", "C:\\Windows"));
  }

  @Test
  void identitiesAreNamedAsPoliciesNameThem() {
    assertEquals(IisAccounts.Kind.ANONYMOUS, IisAccounts.kind("NT AUTHORITY\\IUSR"));
    assertEquals(IisAccounts.Kind.ANONYMOUS, IisAccounts.kind("S-1-5-17"));
    assertEquals("IUSR", IisAccounts.trustee("NT AUTHORITY\\IUSR", null));
    assertEquals("IUSR_%COMPUTERNAME%", IisAccounts.trustee("WSUS01\\IUSR_WSUS01", null));
    assertEquals("IUSR_%COMPUTERNAME%", IisAccounts.trustee("CONTOSO\\IUSR_WSUS01", "wsus01"));
    assertEquals("CONTOSO\\IUSR_OTHER", IisAccounts.trustee("CONTOSO\\IUSR_OTHER", "WSUS01"));
    assertEquals("NT AUTHORITY\\NETWORK SERVICE", IisAccounts.trustee("S-1-5-20", null));
    assertEquals(IisAccounts.Kind.POOL, IisAccounts.kind("IIS APPPOOL\\WsusPool"));
    assertEquals("service", IisAccounts.logon("IIS APPPOOL\\WsusPool"));
    assertEquals(IisAccounts.Kind.OTHER, IisAccounts.kind("CONTOSO\\alice"));
  }

  @Test
  void collectorGroupsAndOrdersW3wpAndTheAnonymousIdentityFirst() {
    DeniedAccessCollector c = new DeniedAccessCollector();
    String ns = "NT AUTHORITY\\NETWORK SERVICE";
    for (int i = 0; i < 5; i++) {
      c.accept(
          ev(
              "svchost.exe",
              "CreateFile",
              "C:\\Data\\a.txt",
              "ACCESS DENIED",
              "PC\\bob",
              null,
              "Generic Read",
              false));
    }
    c.accept(
        ev(
            "w3wp.exe",
            "QueryOpen",
            "C:\\WINDOWS\\Microsoft.NET\\Framework",
            "ACCESS DENIED",
            ns,
            null,
            null,
            false));
    c.accept(
        ev(
            "w3wp.exe",
            "CreateFile",
            "C:\\WINDOWS\\Microsoft.NET",
            "ACCESS DENIED",
            ns,
            "NT AUTHORITY\\IUSR",
            "Read Data/List Directory, Synchronize",
            true));
    c.accept(
        ev(
            "W3WP.EXE",
            "CreateFile",
            "c:\\windows\\microsoft.net",
            "ACCESS DENIED",
            ns,
            "NT AUTHORITY\\IUSR",
            "Read Attributes",
            true));
    c.accept(ev("w3wp.exe", "CreateFile", "C:\\x", "SUCCESS", ns, null, null, true));
    List<DeniedPath> d = c.groups("ACCESS DENIED");
    assertEquals(3, d.size());
    assertEquals("NT AUTHORITY\\IUSR", d.get(0).identity());
    assertEquals(2, d.get(0).count(), "paths and process names compare without case");
    assertEquals("Read Data/List Directory, Synchronize, Read Attributes", d.get(0).access());
    assertEquals("C:\\WINDOWS\\Microsoft.NET", d.get(0).path());
    assertEquals(ns, d.get(1).identity());
    assertEquals("svchost.exe", d.get(2).process());
    assertEquals(5, d.get(2).count());
    assertEquals("C:\\Data", d.get(2).path());
    assertEquals("C:\\WINDOWS", c.windowsDir());
    assertEquals(8, c.events());
  }

  @Test
  void aCountedEventCountsLikeThatManySingleOnes() {
    DeniedAccessCollector one = new DeniedAccessCollector();
    DeniedAccessCollector many = new DeniedAccessCollector();
    String ns = "NT AUTHORITY\\NETWORK SERVICE";
    ProcmonEvent a =
        ev(
            "w3wp.exe",
            "CreateFile",
            "C:\\WINDOWS\\Microsoft.NET",
            "ACCESS DENIED",
            ns,
            "NT AUTHORITY\\IUSR",
            "Read Data/List Directory, Synchronize",
            true);
    ProcmonEvent b =
        ev(
            "w3wp.exe",
            "QueryOpen",
            "C:\\WINDOWS\\Microsoft.NET\\Framework",
            "ACCESS DENIED",
            ns,
            null,
            null,
            false);
    ProcmonEvent ok = ev("w3wp.exe", "CreateFile", "C:\\x", "SUCCESS", ns, null, null, true);
    for (int i = 0; i < 1000; i++) {
      one.accept(a);
      one.accept(b);
      one.accept(ok);
    }
    many.accept(a, 1000);
    many.accept(ok, 1000);
    many.accept(b, 600);
    many.accept(b, 400);
    many.accept(b, 0);
    assertEquals(one.events(), many.events());
    assertEquals(2000, many.events());
    assertEquals(one.groups("ACCESS DENIED"), many.groups("ACCESS DENIED"));
  }

  @Test
  void writeRequestsAreRecognised() {
    DeniedPath read =
        new DeniedPath(
            "ACCESS DENIED",
            "w3wp.exe",
            "IUSR",
            "",
            "C:\\x",
            "CreateFile",
            "Generic Read, Read Attributes",
            1,
            "C:\\x",
            true);
    DeniedPath write =
        new DeniedPath(
            "ACCESS DENIED",
            "w3wp.exe",
            "IUSR",
            "",
            "C:\\x",
            "CreateFile",
            "Read Data/List Directory, Write Data/Add File",
            1,
            "C:\\x",
            true);
    assertFalse(read.asksWrite());
    assertTrue(write.asksWrite());
  }
}
