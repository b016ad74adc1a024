package org.wsusfix.machine.smb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** SmbConnection against the lab, every result checked with smbcacls / smbclient. */
@Tag("samba")
class SmbConnectionSambaTest {
  private static final String FRAMEWORK = "Windows\\Microsoft.NET\\Framework";
  private static final String FRAMEWORK64 = "Windows\\Microsoft.NET\\Framework64";
  private static final int INHERITED = 0x10;

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
  void descriptorsMatchWhatSmbcaclsShows() {
    for (String path :
        List.of(
            "",
            "Windows",
            "Windows\\Microsoft.NET",
            FRAMEWORK,
            FRAMEWORK + "\\v4.0.30319\\Config",
            FRAMEWORK64 + "\\v4.0.30319\\mscorlib.dll")) {
      Descriptors.Parsed mine = Descriptors.parse(admin.readDescriptor(path));

      // --numeric: the exact control word, owner, group and every ACE (type/flags/mask) by SID
      SambaLab.Run numeric = lab.smbcacls(path.isEmpty() ? "/" : path, "--numeric");
      assertEquals(0, numeric.exit(), numeric.out());
      Map<String, String> head = new java.util.HashMap<>();
      List<String> theirAces = new ArrayList<>();
      for (String line : numeric.out().split("\n")) {
        int colon = line.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String key = line.substring(0, colon);
        if (key.equals("ACL")) {
          theirAces.add(line.substring(colon + 1).trim());
        } else {
          head.put(key, line.substring(colon + 1).trim());
        }
      }
      assertEquals(
          Integer.parseInt(head.get("CONTROL").substring(2), 16),
          mine.control(),
          path + " control");
      assertEquals(head.get("OWNER"), mine.owner(), path + " owner");
      assertEquals(head.get("GROUP"), mine.group(), path + " group");
      assertEquals(
          theirAces.stream().sorted().toList(),
          mine.aces().stream().map(Descriptors.Ace::toString).sorted().toList(),
          path + " ACEs");

      // --sddl: the same SIDs in the same order, aliases resolved
      SambaLab.Run sddl = lab.smbcacls(path.isEmpty() ? "/" : path, "--sddl");
      assertEquals(0, sddl.exit(), sddl.out());
      List<String> sids = sddlSids(sddl.out().trim());
      List<String> expected = new ArrayList<>(List.of(mine.owner(), mine.group()));
      mine.aces().forEach(a -> expected.add(a.sid()));
      assertEquals(expected, sids, path + " SIDs in " + sddl.out());
      assertEquals(
          (mine.control() & 0x0400) != 0, sddl.out().matches("(?s).*D:P?AI.*"), path + " AI");
    }
  }

  @Test
  void grantingUsersOnFrameworkLetsIusrListItAndRestoringIsByteIdentical() {
    assertDenied(lab.smbclient("iusr_web", lab.iusrPassword(), "ls " + FRAMEWORK + "\\*"));
    byte[] before = admin.readDescriptor(FRAMEWORK);
    try {
      admin.writeDacl(
          FRAMEWORK,
          Descriptors.withExplicitAce(
              before, new Descriptors.Ace(0, 0x03, 0x1200a9, "S-1-5-32-545")));

      SambaLab.Run ls = lab.smbclient("iusr_web", lab.iusrPassword(), "ls " + FRAMEWORK + "\\*");
      assertEquals(0, ls.exit(), ls.out());
      assertFalse(ls.out().contains("NT_STATUS_"), ls.out());
      assertTrue(ls.out().contains("v4.0.30319"), ls.out());

      String sddl = lab.smbcacls(FRAMEWORK, "--sddl").out();
      assertTrue(sddl.contains("D:PAI("), "protected and auto-inherited flags kept: " + sddl);
      assertTrue(sddl.contains("(A;OICI;0x001200a9;;;BU)"), sddl);
      Descriptors.Parsed after = Descriptors.parse(admin.readDescriptor(FRAMEWORK));
      assertEquals(Descriptors.parse(before).owner(), after.owner(), "owner untouched");
      assertEquals(Descriptors.parse(before).group(), after.group(), "group untouched");
      // an SMB SET does not propagate: the child still lacks Users
      assertDenied(
          lab.smbclient("iusr_web", lab.iusrPassword(), "ls " + FRAMEWORK + "\\v4.0.30319\\*"));
    } finally {
      admin.writeDacl(FRAMEWORK, before);
    }
    assertArrayEquals(before, admin.readDescriptor(FRAMEWORK), "restore gives the very same bytes");
    assertDenied(lab.smbclient("iusr_web", lab.iusrPassword(), "ls " + FRAMEWORK + "\\*"));
  }

  @Test
  void autoInheritedChildKeepsAiAcrossAWrite() {
    String child = FRAMEWORK64 + "\\v4.0.30319";
    byte[] before = admin.readDescriptor(child);
    assertNotEquals(0, Descriptors.parse(before).control() & 0x0400, "lab child is auto-inherited");
    try {
      admin.writeDacl(
          child,
          Descriptors.withExplicitAce(
              before, new Descriptors.Ace(0, 0x03, 0x1200a9, lab.svcSid())));
      String sddl = lab.smbcacls(child, "--sddl").out();
      assertTrue(sddl.contains("D:AI("), sddl);
      assertTrue(sddl.contains(";OICIID;"), "inherited ACEs keep ID: " + sddl);
    } finally {
      admin.writeDacl(child, before);
    }
    assertArrayEquals(before, admin.readDescriptor(child));
  }

  @Test
  void heldObjectsAreReadAndWrittenOnTheirHandles() {
    String child = FRAMEWORK64 + "\\v4.0.30319\\Config";
    assertTrue(admin.signed(), "signing is the default: every answer's signature is checked");
    byte[] before = admin.readDescriptor(child);
    byte[] changed =
        Descriptors.withExplicitAce(before, new Descriptors.Ace(0, 0x03, 0x1200a9, lab.svcSid()));
    try {
      SmbConnection.Held held = admin.open(child).get();
      assertArrayEquals(before, held.descriptor(), "read on the handle that then writes");
      byte[] back = admin.write(held, changed).get();
      assertArrayEquals(
          admin.readDescriptor(child), back, "the read-back is what the server holds");
      assertTrue(lab.smbcacls(child, "--numeric").out().contains(lab.svcSid()));
      assertArrayEquals(before, admin.write(admin.open(child).get(), before).get());
      assertArrayEquals(before, admin.readDescriptor(child));
    } finally {
      admin.writeDacl(child, before);
    }
    try (SmbConnection iusr = lab.connect("iusr_web", lab.iusrPassword())) {
      iusr.readDescriptor(FRAMEWORK64);
      SmbException e = assertThrows(SmbException.class, () -> iusr.open(FRAMEWORK64).get());
      assertTrue(e.isAccessDenied(), e.getMessage());
      assertTrue(e.getMessage().startsWith("cannot open for a DACL change \\\\"), e.getMessage());
    }
    SmbException missing =
        assertThrows(SmbException.class, () -> admin.open("Windows\\NoSuchFolder").get());
    assertTrue(missing.isNotFound(), missing.getMessage());
  }

  @Test
  void listsFoldersAndFilesWithoutDotEntries() {
    List<SmbConnection.Entry> entries = admin.list("Windows/Microsoft.NET");
    assertEquals(
        List.of(
            new SmbConnection.Entry("Framework", true, false),
            new SmbConnection.Entry("Framework64", true, false)),
        entries.stream()
            .sorted(java.util.Comparator.comparing(SmbConnection.Entry::name))
            .toList());
    assertTrue(
        admin
            .list(FRAMEWORK64 + "\\v4.0.30319")
            .contains(new SmbConnection.Entry("mscorlib.dll", false, false)));
    SambaLab.Run ls = lab.smbclient("admin", lab.adminPassword(), "ls Windows\\Microsoft.NET\\*");
    assertTrue(ls.out().contains("Framework64") && ls.out().contains(" D "), ls.out());
  }

  @Test
  void writeDacRightsPreCheck() {
    assertTrue(admin.canWriteDac(FRAMEWORK));
    try (SmbConnection iusr = lab.connect("iusr_web", lab.iusrPassword())) {
      assertFalse(iusr.canWriteDac(FRAMEWORK64));
      SmbException e = assertThrows(SmbException.class, () -> iusr.readDescriptor(FRAMEWORK));
      assertTrue(e.isAccessDenied());
      assertEquals(
          "cannot read security of \\\\"
              + lab.host()
              + "\\"
              + lab.share()
              + "\\"
              + FRAMEWORK
              + ": access denied (STATUS_ACCESS_DENIED)",
          e.getMessage());
    }
    assertFalse(
        lab.smbclient("iusr_web", lab.iusrPassword(), "ls " + FRAMEWORK64 + "\\*")
            .out()
            .contains("NT_STATUS_"));
  }

  @Test
  void clearMessagesForMissingObjectsBadPasswordsAndShares() {
    SmbException missing =
        assertThrows(SmbException.class, () -> admin.readDescriptor("Windows\\NoSuchFolder"));
    assertTrue(missing.isNotFound());
    assertTrue(
        missing
            .getMessage()
            .endsWith("\\Windows\\NoSuchFolder: not found (STATUS_OBJECT_NAME_NOT_FOUND)"),
        missing.getMessage());
    assertThrows(SmbException.class, () -> admin.canWriteDac("Windows\\NoSuchFolder"));

    SmbException logon =
        assertThrows(SmbException.class, () -> lab.connect("iusr_web", "wrong password"));
    assertTrue(
        logon.getMessage().startsWith("logon as iusr_web at " + lab.host()), logon.getMessage());
    assertTrue(logon.getMessage().endsWith("(STATUS_LOGON_FAILURE)"), logon.getMessage());

    SmbException share =
        assertThrows(
            SmbException.class,
            () ->
                SmbConnection.connect(
                    lab.host(), lab.port(), "nosuchshare", "admin", lab.adminPassword(), ""));
    assertTrue(share.getMessage().contains("nosuchshare: no such share"), share.getMessage());

    SmbException refused =
        assertThrows(
            SmbException.class,
            () -> SmbConnection.connect("127.0.0.1", 1, "c", "admin", lab.adminPassword(), ""));
    assertTrue(
        refused.getMessage().startsWith("cannot connect to SMB server 127.0.0.1:1"),
        refused.getMessage());
  }

  private static void assertDenied(SambaLab.Run r) {
    assertTrue(
        r.out().contains("NT_STATUS_ACCESS_DENIED"), "expected access denied, got: " + r.out());
  }

  private static final Pattern ACE = Pattern.compile("\\(([^)]*)\\)");

  /** Owner, group, then each ACE's SID, from smbcacls' SDDL, aliases turned into SIDs. */
  private static List<String> sddlSids(String sddl) {
    Matcher owner = Pattern.compile("O:(.+?)G:").matcher(sddl);
    Matcher group = Pattern.compile("G:(.+?)D:").matcher(sddl);
    assertTrue(owner.find() && group.find(), sddl);
    List<String> out = new ArrayList<>(List.of(alias(owner.group(1)), alias(group.group(1))));
    Matcher m = ACE.matcher(sddl.substring(sddl.indexOf("D:")));
    while (m.find()) {
      String[] f = m.group(1).split(";", -1);
      out.add(alias(f[5]));
    }
    return out;
  }

  private static String alias(String s) {
    if (s.startsWith("S-")) {
      return s;
    }
    String dom = lab.machineSid();
    return switch (s) {
      case "SY" -> "S-1-5-18";
      case "BA" -> "S-1-5-32-544";
      case "BU" -> "S-1-5-32-545";
      case "BG" -> "S-1-5-32-546";
      case "CO" -> "S-1-3-0";
      case "CG" -> "S-1-3-1";
      case "WD" -> "S-1-1-0";
      case "AU" -> "S-1-5-11";
      case "LA" -> dom + "-500";
      case "LG" -> dom + "-501";
      case "DA" -> dom + "-512";
      case "DU" -> dom + "-513";
      case "DG" -> dom + "-514";
      default -> throw new AssertionError("SDDL alias not known to this test: " + s);
    };
  }
}
