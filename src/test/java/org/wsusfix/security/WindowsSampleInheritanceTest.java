package org.wsusfix.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Inheritance and access on a DACL Windows wrote: {@code icacls C:\inetpub /save}. */
class WindowsSampleInheritanceTest {
  private static final Path SAMPLE =
      Path.of("..", "shared", "samples", "icacls", "cbrt64-Reset-inetpub_acls_v1_71e4e35.txt");
  private static final String TI = "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464";
  private static SecurityDescriptor inetpub;

  @BeforeAll
  static void read() throws IOException {
    assumeTrue(
        Files.isRegularFile(SAMPLE), "Windows sample absent, skipped: " + SAMPLE.toAbsolutePath());
    // icacls /save: UTF-16LE without BOM, CRLF, name line then SDDL line.
    String[] lines =
        new String(Files.readAllBytes(SAMPLE), StandardCharsets.UTF_16LE).split("\r\n");
    assertEquals("inetpub", lines[0]);
    SecurityDescriptor dacl = Sddl.parse(lines[1]);
    // icacls does not save the owner; C:\inetpub belongs to TrustedInstaller.
    inetpub =
        new SecurityDescriptor(
            dacl.control(), Sid.parse(TI), WellKnownSids.LOCAL_SYSTEM, dacl.dacl(), null);
  }

  /** The {@code D:} part of the SDDL, as icacls /save shows it. */
  private static String daclPart(SecurityDescriptor sd) {
    String sddl = Sddl.format(sd.withoutSacl());
    return sddl.substring(sddl.indexOf("D:"));
  }

  @Test
  void windowsDaclIsCanonical() {
    assertTrue(CanonicalOrder.isCanonical(inetpub.dacl()));
    assertTrue(inetpub.isDaclProtected());
  }

  @Test
  void childFolderInheritsTheSplitPairsAndOneTrustedInstallerEntry() {
    SecurityDescriptor wwwroot =
        SecurityDescriptor.withDacl(Sid.parse(TI), WellKnownSids.LOCAL_SYSTEM, Acl.empty(), 0);
    SecurityDescriptor child = Inheritance.recomputeChild(inetpub, wwwroot, true);
    assertEquals(
        "D:AI(A;ID;FA;;;"
            + TI
            + ")(A;OICIIOID;GA;;;"
            + TI
            + ")(A;ID;FA;;;SY)(A;OICIIOID;GA;;;SY)"
            + "(A;ID;FA;;;BA)(A;OICIIOID;GA;;;BA)(A;ID;0x1200a9;;;BU)(A;OICIIOID;GXGR;;;BU)(A;OICIIOID;GA;;;CO)",
        daclPart(child));
  }

  @Test
  void fileCreatedByAUserGetsFullControlForItsOwner() {
    Sid user = Sid.parse("S-1-5-21-1004336348-1177238915-682003330-1001");
    SecurityDescriptor file =
        Inheritance.newChild(inetpub, false, user, WellKnownSids.LOCAL_SYSTEM, true);
    assertEquals(
        "D:AI(A;ID;FA;;;"
            + TI
            + ")(A;ID;FA;;;SY)(A;ID;FA;;;BA)(A;ID;0x1200a9;;;BU)(A;ID;FA;;;"
            + user
            + ")",
        daclPart(file));
  }

  @Test
  void iusrReadsTheRootThroughUsers() {
    Token iusr =
        Token.forLogon(
            WellKnownSids.IUSR, Set.of(WellKnownSids.USERS), Token.LogonKind.NETWORK, false);
    AccessCheck.Result r = AccessCheck.effectiveAccess(inetpub, iusr);
    assertEquals(AccessMask.READ_AND_EXECUTE, r.granted());
    assertEquals(6, r.steps().get(0).index());
    AccessCheck.Result list =
        AccessCheck.check(inetpub, iusr, AccessMask.FILE_READ_DATA | AccessMask.SYNCHRONIZE);
    assertTrue(list.allowed());
    assertEquals(6, list.index());
  }
}
