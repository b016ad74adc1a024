package org.wsusfix.machine.smb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wsusfix.machine.TargetException;
import org.wsusfix.machine.Targets;

class SmbSpecTest {
  private static SmbSpec parse(String full) {
    int q = full.indexOf('?');
    return SmbSpec.parse(
        q < 0 ? full : full.substring(0, q), Targets.query(q < 0 ? "" : full.substring(q + 1)));
  }

  @Test
  void partsAndDefaults() {
    SmbSpec s = parse("smb://admin@127.0.0.1/c");
    assertEquals(new SmbSpec("", "admin", "127.0.0.1", 445, "c", "C:\\"), s);
    assertEquals("smb://admin@127.0.0.1/c", s.describe());
    assertEquals("admin", s.account());
  }

  @Test
  void domainPortAndRoot() {
    SmbSpec s = parse("smb://CORP;fixer@wsus01:1445/d$?root=d:\\Data\\");
    assertEquals(new SmbSpec("CORP", "fixer", "wsus01", 1445, "d$", "D:\\Data"), s);
    assertEquals("CORP\\fixer", s.account());
    assertEquals("smb://CORP;fixer@wsus01:1445/d$?root=D:\\Data", s.describe());
    assertEquals(
        new SmbSpec("CORP", "fixer", "wsus01", 445, "c$", "C:\\"),
        parse("smb://CORP\\fixer@wsus01/c$"));
    assertEquals(
        new SmbSpec("CORP", "fixer", "wsus01", 445, "c$", "C:\\"),
        parse("smb://CORP%5Cfixer@wsus01/c$/"));
  }

  @Test
  void describeReopensTheSameTarget() {
    for (String spec :
        new String[] {
          "smb://admin@127.0.0.1/c",
          "smb://CORP;fixer@wsus01:1445/d$?root=D:\\Data",
          "smb://u@[::1]:4450/c?root=E:\\",
          "smb://CORP\\fixer@h/s?root=c:",
          "smb://a@h/c?signing=on",
          "smb://a@h/c?root=D:\\&sign=always"
        }) {
      String once = parse(spec).describe();
      assertEquals(once, parse(once).describe(), spec);
      assertEquals(parse(spec), parse(once), spec);
    }
  }

  @Test
  void pathsMapOntoTheShare() {
    SmbSpec c = parse("smb://a@h/c");
    assertEquals("Windows\\Microsoft.NET", c.relative("C:\\Windows\\Microsoft.NET"));
    assertEquals(
        "windows\\Microsoft.NET",
        c.relative("c:/windows/Microsoft.NET/")); // case as typed: the server ignores it
    assertEquals("", c.relative("C:\\"));
    assertEquals("C:\\Windows\\Temp", c.windowsPath("Windows\\Temp"));
    SmbSpec win = parse("smb://a@h/win?root=C:\\Windows");
    assertEquals("Microsoft.NET\\Framework", win.relative("C:\\Windows\\Microsoft.NET\\Framework"));
    assertEquals("", win.relative("C:\\WINDOWS"));
    TargetException outside =
        assertThrows(TargetException.class, () -> win.relative("C:\\WindowsApps\\x"));
    assertTrue(outside.getMessage().contains("outside C:\\Windows"), outside.getMessage());
    assertThrows(TargetException.class, () -> c.relative("D:\\WSUS"));
  }

  @Test
  void signingIsAlwaysOnAndSaidSoIsTheSameTarget() {
    assertEquals(parse("smb://a@h/c"), parse("smb://a@h/c?signing=on"));
    assertEquals(
        parse("smb://a@h/c"), parse("smb://a@h/c?sign=always"), "what earlier versions wrote");
    assertEquals("smb://a@h/c?root=D:\\", parse("smb://a@h/c?sign=always&root=d:\\").describe());
  }

  @Test
  void badSpecsSayWhatIsWrong() {
    assertMessage("smb://127.0.0.1/c", "no user");
    assertMessage("smb://admin:secret@127.0.0.1/c", "password does not belong");
    assertMessage("smb://admin@127.0.0.1", "no share");
    assertMessage("smb://admin@127.0.0.1/", "no share");
    assertMessage("smb://admin@127.0.0.1/c/Windows", "only the share name");
    assertMessage("smb://admin@127.0.0.1:99999/c", "port '99999'");
    assertMessage("smb://admin@127.0.0.1/c?root=Windows", "not an absolute Windows folder");
    assertMessage("smb://admin@127.0.0.1/c?base=C:\\", "unknown option 'base'");
    assertMessage(
        "smb://admin@127.0.0.1/c?sign=auto",
        "sign='auto': wsusfix signs every SMB message and checks every"
            + " answer's signature; that cannot be turned off");
    assertMessage(
        "smb://admin@127.0.0.1/c?signing=off", "signing='off': wsusfix signs every SMB message");
  }

  @Test
  void variablesFollowTheRootDriveAndYieldToVar() {
    Map<String, String> v = SmbTarget.variables(parse("smb://a@h/d?root=D:\\"), "WSUS01", Map.of());
    assertEquals("D:\\Windows", v.get("windir"));
    assertEquals("D:\\Program Files", v.get("programfiles"));
    assertEquals("WSUS01", v.get("computername"));
    Map<String, String> over =
        SmbTarget.variables(
            parse("smb://a@h/c"), "WSUS01", Map.of("windir", "C:\\WINNT", "computername", "web"));
    assertEquals("C:\\WINNT", over.get("windir"));
    assertEquals("C:\\WINNT", over.get("systemroot"));
    assertEquals("web", over.get("computername"));
  }

  private static void assertMessage(String spec, String part) {
    TargetException e = assertThrows(TargetException.class, () -> parse(spec));
    assertTrue(e.getMessage().contains(part), e.getMessage());
    assertTrue(e.getMessage().startsWith("bad smb target '"), e.getMessage());
  }

  @Test
  void theIdentityIsTheServerShareAndRootNotTheAccountOrSigning() {
    org.wsusfix.machine.TargetId id = parse("smb://CORP;admin@WSUS01/C$").id();
    assertEquals("smb:wsus01:445/c$/c:\\", id.toString());
    assertEquals(id, parse("smb://other@wsus01:445/c$?sign=always").id());
    assertEquals(id, org.wsusfix.machine.TargetId.parse(id.toString()));
    assertTrue(!id.equals(parse("smb://admin@wsus01/C$?root=D:\\").id()));
    assertTrue(!id.equals(parse("smb://admin@wsus01:4445/C$").id()));
  }
}
