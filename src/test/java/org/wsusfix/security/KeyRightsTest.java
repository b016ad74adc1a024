package org.wsusfix.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Registry keys: their rights, their generic mapping in access checks, CI-only inheritance. */
class KeyRightsTest {
  private static final Sid BA = Sid.parse("S-1-5-32-544");
  private static final Sid BU = Sid.parse("S-1-5-32-545");
  private static final Sid SY = Sid.parse("S-1-5-18");
  private static final Sid IUSR = Sid.parse("S-1-5-17");

  @Test
  void registryNamesAndMasks() {
    assertEquals(Optional.of(0x20019), KeyRights.parse("ReadKey"));
    assertEquals(Optional.of(0x20019), KeyRights.parse("kr"));
    assertEquals(Optional.of(0x20006), KeyRights.parse("WriteKey"));
    assertEquals(Optional.of(0xF003F), KeyRights.parse("FullControl"));
    assertEquals(Optional.of(0xF003F), KeyRights.parse("KA"));
    assertEquals(
        Optional.of(0x20019),
        KeyRights.parse("0x80000000"),
        "GENERIC_READ means KEY_READ on a key");
    assertEquals(Optional.empty(), KeyRights.parse("ReadAndExecute"));
    assertEquals("FullControl", KeyRights.describe(0xF003F));
    assertEquals("ReadKey", KeyRights.describe(0x20019));
    assertEquals("ReadKey,WriteKey", KeyRights.describe(0x2001F));
    assertEquals("QueryValues", KeyRights.describe(1));
  }

  @Test
  void genericReadOnAKeyGrantsKeyReadNotFileRead() {
    Token t = new Token(IUSR, Set.of(BU));
    Ace mapped = Ace.allow(BU, AccessMask.KEY_READ, 0);
    SecurityDescriptor real = SecurityDescriptor.withDacl(BA, SY, Acl.of(List.of(mapped)), 0);
    assertTrue(
        AccessCheck.check(real, t, AccessMask.GENERIC_READ, AccessMask.REGISTRY_MAPPING).allowed());
    assertFalse(
        AccessCheck.check(real, t, AccessMask.GENERIC_READ).allowed(),
        "the file mapping asks for FILE_GENERIC_READ");
    assertEquals(
        AccessMask.KEY_READ,
        AccessCheck.effectiveAccess(real, t, AccessMask.REGISTRY_MAPPING).granted());
    SecurityDescriptor nullDacl =
        new SecurityDescriptor(SecurityDescriptor.DACL_PRESENT, BA, SY, null, null);
    assertEquals(
        AccessMask.KEY_ALL_ACCESS,
        AccessCheck.effectiveAccess(nullDacl, t, AccessMask.REGISTRY_MAPPING).granted());
  }

  @Test
  void subkeysInheritContainerInheritEntriesOnly() {
    SecurityDescriptor parent =
        SecurityDescriptor.withDacl(
            BA,
            SY,
            Acl.of(
                List.of(
                    Ace.allow(BU, AccessMask.KEY_READ, AceFlags.CONTAINER_INHERIT),
                    Ace.allow(IUSR, AccessMask.KEY_READ, AceFlags.OBJECT_INHERIT),
                    Ace.allow(
                        SY,
                        AccessMask.GENERIC_ALL,
                        AceFlags.CONTAINER_INHERIT | AceFlags.INHERIT_ONLY))),
            SecurityDescriptor.DACL_AUTO_INHERITED);
    SecurityDescriptor child =
        SecurityDescriptor.withDacl(
            BA, SY, Acl.of(List.of()), SecurityDescriptor.DACL_AUTO_INHERITED);
    SecurityDescriptor after = Inheritance.recomputeKey(parent, child);
    List<Ace> aces = after.dacl().aces();
    assertEquals(
        Ace.allow(BU, AccessMask.KEY_READ, AceFlags.CONTAINER_INHERIT | AceFlags.INHERITED),
        aces.get(0));
    // GENERIC_ALL becomes KEY_ALL_ACCESS on the subkey itself, with the inheritable original kept
    // an OI-only entry does not apply to a key: it travels on as inherit-only
    assertEquals(
        Ace.allow(
            IUSR,
            AccessMask.KEY_READ,
            AceFlags.OBJECT_INHERIT | AceFlags.INHERIT_ONLY | AceFlags.INHERITED),
        aces.get(1));
    assertEquals(Ace.allow(SY, AccessMask.KEY_ALL_ACCESS, AceFlags.INHERITED), aces.get(2));
    assertEquals(
        Ace.allow(
            SY,
            AccessMask.GENERIC_ALL,
            AceFlags.CONTAINER_INHERIT | AceFlags.INHERIT_ONLY | AceFlags.INHERITED),
        aces.get(3));
    assertEquals(4, aces.size(), aces::toString);
  }

  @Test
  void rightNamesAreWindowsConstants() {
    assertTrue(AccountRights.isKnown("SeImpersonatePrivilege"));
    assertTrue(AccountRights.isLogonRight("SeDenyNetworkLogonRight"));
    assertFalse(AccountRights.isKnown("SeImpersonateRight"));
    assertEquals(Optional.of("SeBatchLogonRight"), AccountRights.spelledAs("sebatchlogonright"));
  }
}
