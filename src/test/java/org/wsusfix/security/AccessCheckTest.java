package org.wsusfix.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wsusfix.security.AccessCheck.Reason.*;
import static org.wsusfix.security.Fixtures.*;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AccessCheckTest {
  /** IIS 7+ anonymous requests: IUSR, a network-style logon, member of Users. */
  private static final Token IUSR_TOKEN =
      Token.forLogon(IUSR, Set.of(BU), Token.LogonKind.NETWORK, false);

  private static final Token OWNER_TOKEN = new Token(OWNER, Set.of(WD, AU, BU));
  private static final int LIST_AND_SYNC = AccessMask.FILE_READ_DATA | AccessMask.SYNCHRONIZE;

  /** The default shape of %windir%\Microsoft.NET (Users read & execute, inherited). */
  private static SecurityDescriptor dotnet(Ace... explicit) {
    List<Ace> aces = new java.util.ArrayList<>(List.of(explicit));
    aces.addAll(List.of(a(TI, FA, ID), a(SY, M, ID), a(BA, M, ID), a(BU, RX, ID)));
    return SecurityDescriptor.withDacl(
        TI, SY, Acl.of(aces), SecurityDescriptor.DACL_AUTO_INHERITED);
  }

  @Test
  void iusrListsTheFolderThroughUsers() {
    AccessCheck.Result r = AccessCheck.check(dotnet(), IUSR_TOKEN, LIST_AND_SYNC);
    assertTrue(r.allowed());
    assertEquals(ALLOWED_BY_ACE, r.reason());
    assertEquals(3, r.index());
    assertEquals(a(BU, RX, ID), r.ace());
    assertEquals(LIST_AND_SYNC, r.granted());
  }

  @Test
  void explicitDenyForEveryoneBeatsTheInheritedAllow() {
    Ace deny = d(WD, AccessMask.FILE_READ_DATA, OI | CI);
    AccessCheck.Result r = AccessCheck.check(dotnet(deny), IUSR_TOKEN, LIST_AND_SYNC);
    assertFalse(r.allowed());
    assertEquals(DENIED_BY_ACE, r.reason());
    assertEquals(0, r.index());
    assertEquals(deny, r.ace());
    assertEquals("denied by ACE 0 (deny Everyone RD) for RD", r.describe());
  }

  @Test
  void denyOfBitsNotAskedForDoesNotMatter() {
    Ace deny = d(WD, AccessMask.FILE_WRITE_DATA, 0);
    assertTrue(AccessCheck.check(dotnet(deny), IUSR_TOKEN, LIST_AND_SYNC).allowed());
  }

  @Test
  void denyAfterTheGrantCompletedComesTooLate() {
    // Non-canonical: Windows stops at the allow that completes the request.
    SecurityDescriptor sd = sd(0, a(BU, RX, 0), d(WD, FA, 0));
    AccessCheck.Result r = AccessCheck.check(sd, IUSR_TOKEN, LIST_AND_SYNC);
    assertTrue(r.allowed());
    assertEquals(0, r.index());
    // ...but a bit the allow did not give is denied by the later deny.
    AccessCheck.Result w =
        AccessCheck.check(sd, IUSR_TOKEN, LIST_AND_SYNC | AccessMask.FILE_WRITE_DATA);
    assertFalse(w.allowed());
    assertEquals(1, w.index());
    assertEquals(AccessMask.FILE_WRITE_DATA, w.missing());
  }

  @Test
  void nothingGrantedNamesTheMissingBits() {
    SecurityDescriptor sd = sd(0, a(BA, FA, 0), a(BU, AccessMask.FILE_READ_DATA, 0));
    AccessCheck.Result r = AccessCheck.check(sd, IUSR_TOKEN, LIST_AND_SYNC);
    assertFalse(r.allowed());
    assertEquals(NOT_GRANTED, r.reason());
    assertEquals(AccessMask.SYNCHRONIZE, r.missing());
    assertEquals(-1, r.index());
    assertNull(r.ace());
    assertEquals(AccessMask.FILE_READ_DATA, r.granted());
    assertEquals("denied: no ACE granted S (0x100000)", r.describe());
  }

  @Test
  void inheritOnlyAcesAreSkipped() {
    SecurityDescriptor sd = sd(0, a(BU, RX, OI | CI | IO), d(BU, FA, IO));
    AccessCheck.Result r = AccessCheck.check(sd, IUSR_TOKEN, LIST_AND_SYNC);
    assertFalse(r.allowed());
    assertEquals(NOT_GRANTED, r.reason());
    assertEquals(List.of(), r.steps());
  }

  @Test
  void nullDaclGrantsEverythingAndEmptyDaclNothing() {
    SecurityDescriptor nullDacl =
        new SecurityDescriptor(
            SecurityDescriptor.SELF_RELATIVE | SecurityDescriptor.DACL_PRESENT,
            OWNER,
            GROUP,
            null,
            null);
    AccessCheck.Result r = AccessCheck.check(nullDacl, IUSR_TOKEN, GA);
    assertTrue(r.allowed());
    assertEquals(NULL_DACL, r.reason());
    assertEquals(FA, r.granted());
    assertEquals(FA, AccessCheck.effectiveAccess(nullDacl, IUSR_TOKEN).granted());

    SecurityDescriptor empty = sd(0);
    assertFalse(AccessCheck.check(empty, IUSR_TOKEN, AccessMask.READ_CONTROL).allowed());
    assertFalse(AccessCheck.effectiveAccess(empty, IUSR_TOKEN).allowed());
    assertEquals(
        "denied: no ACE grants this token anything",
        AccessCheck.effectiveAccess(empty, IUSR_TOKEN).describe());
    assertEquals(0, AccessCheck.effectiveAccess(empty, IUSR_TOKEN).granted());
  }

  @Test
  void ownerGetsReadControlAndWriteDacOnAnEmptyDacl() {
    SecurityDescriptor empty = sd(0);
    AccessCheck.Result r =
        AccessCheck.check(empty, OWNER_TOKEN, AccessMask.READ_CONTROL | AccessMask.WRITE_DAC);
    assertTrue(r.allowed());
    assertEquals(OWNER_IMPLICIT, r.reason());
    assertEquals(
        AccessCheck.OWNER_IMPLICIT, AccessCheck.effectiveAccess(empty, OWNER_TOKEN).granted());
    assertFalse(AccessCheck.check(empty, OWNER_TOKEN, AccessMask.FILE_READ_DATA).allowed());
  }

  @Test
  void ownerImplicitRightsBeatADenyForTheOwner() {
    SecurityDescriptor sd = sd(0, d(OWNER, AccessMask.READ_CONTROL | AccessMask.FILE_READ_DATA, 0));
    assertTrue(AccessCheck.check(sd, OWNER_TOKEN, AccessMask.READ_CONTROL).allowed());
    AccessCheck.Result max = AccessCheck.effectiveAccess(sd, OWNER_TOKEN);
    assertEquals(AccessCheck.OWNER_IMPLICIT, max.granted());
  }

  @Test
  void ownerByGroupMembership() {
    SecurityDescriptor ownedByAdmins = SecurityDescriptor.withDacl(BA, SY, Acl.empty(), 0);
    Token admin = new Token(OWNER, Set.of(BA));
    assertTrue(AccessCheck.check(ownedByAdmins, admin, AccessMask.WRITE_DAC).allowed());
    // The caller may also decide ownership itself.
    assertFalse(AccessCheck.check(ownedByAdmins, IUSR_TOKEN, AccessMask.WRITE_DAC).allowed());
    assertTrue(AccessCheck.check(ownedByAdmins, IUSR_TOKEN, AccessMask.WRITE_DAC, true).allowed());
    assertFalse(AccessCheck.check(ownedByAdmins, admin, AccessMask.WRITE_DAC, false).allowed());
  }

  @Test
  void ownerRightsAceReplacesTheImplicitRights() {
    Sid ownerRights = WellKnownSids.OWNER_RIGHTS;
    SecurityDescriptor sd =
        sd(0, a(ownerRights, AccessMask.READ_CONTROL | AccessMask.FILE_READ_DATA, 0));
    assertFalse(AccessCheck.check(sd, OWNER_TOKEN, AccessMask.WRITE_DAC).allowed());
    AccessCheck.Result r =
        AccessCheck.check(sd, OWNER_TOKEN, AccessMask.READ_CONTROL | AccessMask.FILE_READ_DATA);
    assertTrue(r.allowed());
    assertEquals(ALLOWED_BY_ACE, r.reason());
    assertEquals(0, r.index());
    // The OWNER RIGHTS ACE means nothing to someone who is not the owner.
    assertFalse(AccessCheck.check(sd, IUSR_TOKEN, AccessMask.FILE_READ_DATA).allowed());
    // A deny for OWNER RIGHTS can take even READ_CONTROL from the owner.
    SecurityDescriptor denyOwner =
        sd(0, d(ownerRights, AccessMask.READ_CONTROL, 0), a(OWNER, FA, 0));
    assertFalse(AccessCheck.check(denyOwner, OWNER_TOKEN, AccessMask.READ_CONTROL).allowed());
    assertEquals(
        FA & ~AccessMask.READ_CONTROL,
        AccessCheck.effectiveAccess(denyOwner, OWNER_TOKEN).granted());
  }

  @Test
  void inheritOnlyOwnerRightsAceDoesNotRemoveTheImplicitRights() {
    SecurityDescriptor sd =
        sd(0, a(WellKnownSids.OWNER_RIGHTS, AccessMask.FILE_READ_DATA, OI | CI | IO));
    AccessCheck.Result r = AccessCheck.check(sd, OWNER_TOKEN, AccessMask.WRITE_DAC);
    assertTrue(r.allowed());
    assertEquals(OWNER_IMPLICIT, r.reason());
  }

  @Test
  void genericRequestIsMappedWithTheFileMapping() {
    SecurityDescriptor sd = sd(0, a(BU, AccessMask.READ, 0));
    AccessCheck.Result r = AccessCheck.check(sd, IUSR_TOKEN, GR);
    assertTrue(r.allowed());
    assertEquals(AccessMask.FILE_GENERIC_READ, r.desired());
    assertEquals(GR, r.requested());
    assertFalse(AccessCheck.check(sd, IUSR_TOKEN, GX).allowed());
  }

  @Test
  void genericBitsInAnEffectiveAceGrantNothing() {
    SecurityDescriptor sd = sd(0, a(BU, GA, 0));
    assertFalse(AccessCheck.check(sd, IUSR_TOKEN, AccessMask.FILE_READ_DATA).allowed());
    assertEquals(0, AccessCheck.effectiveAccess(sd, IUSR_TOKEN).granted());
  }

  @Test
  void creatorOwnerAceNeverMatchesAToken() {
    SecurityDescriptor sd = sd(0, a(CO, FA, 0));
    assertFalse(AccessCheck.check(sd, OWNER_TOKEN, AccessMask.FILE_READ_DATA).allowed());
  }

  @Test
  void systemSecurityNeedsAPrivilege() {
    SecurityDescriptor sd = sd(0, a(WD, 0xFFFFFFFF, 0));
    AccessCheck.Result r =
        AccessCheck.check(
            sd, IUSR_TOKEN, AccessMask.ACCESS_SYSTEM_SECURITY | AccessMask.READ_CONTROL);
    assertFalse(r.allowed());
    assertEquals(PRIVILEGE_REQUIRED, r.reason());
    // Never part of the maximum allowed either.
    int max = AccessCheck.effectiveAccess(sd, IUSR_TOKEN).granted();
    assertEquals(
        0,
        max
            & (AccessMask.ACCESS_SYSTEM_SECURITY
                | AccessMask.MAXIMUM_ALLOWED
                | AccessMask.GENERIC_BITS));
  }

  @Test
  void emptyRequestIsGranted() {
    AccessCheck.Result r = AccessCheck.check(sd(0), IUSR_TOKEN, 0);
    assertTrue(r.allowed());
    assertEquals(NOTHING_REQUESTED, r.reason());
  }

  @Test
  void maximumAllowedListsTheDecidingAces() {
    SecurityDescriptor sd =
        sd(
            0,
            d(WD, AccessMask.FILE_WRITE_DATA | AccessMask.DELETE, 0),
            a(BU, M, 0),
            a(IUSR, FA, 0),
            d(IUSR, AccessMask.WRITE_OWNER, ID));
    AccessCheck.Result r = AccessCheck.effectiveAccess(sd, IUSR_TOKEN);
    assertTrue(r.allowed());
    assertEquals(MAXIMUM_ALLOWED, r.reason());
    int expected = FA & ~(AccessMask.FILE_WRITE_DATA | AccessMask.DELETE);
    assertEquals(expected, r.granted());
    assertEquals(
        List.of(
            new AccessCheck.Step(
                0, sd.dacl().get(0), 0, AccessMask.FILE_WRITE_DATA | AccessMask.DELETE),
            new AccessCheck.Step(
                1, sd.dacl().get(1), M & ~(AccessMask.FILE_WRITE_DATA | AccessMask.DELETE), 0),
            new AccessCheck.Step(2, sd.dacl().get(2), FA & ~M, 0)),
        r.steps());
    assertTrue(r.describe().startsWith("granted "), r.describe());
  }

  @Test
  void maximumAllowedWithSpecificBitsNamesTheDenyThatTookThem() {
    SecurityDescriptor sd = sd(0, d(WD, AccessMask.FILE_WRITE_DATA, 0), a(BU, FA, 0));
    AccessCheck.Result r =
        AccessCheck.check(sd, IUSR_TOKEN, AccessMask.MAXIMUM_ALLOWED | AccessMask.FILE_WRITE_DATA);
    assertFalse(r.allowed());
    assertEquals(DENIED_BY_ACE, r.reason());
    assertEquals(0, r.index());
    assertEquals(FA & ~AccessMask.FILE_WRITE_DATA, r.granted());
    AccessCheck.Result ok =
        AccessCheck.check(sd, IUSR_TOKEN, AccessMask.MAXIMUM_ALLOWED | AccessMask.FILE_READ_DATA);
    assertTrue(ok.allowed());
  }

  @Test
  void objectAcesWithAnObjectTypeDoNotApplyToFiles() {
    UUID property = UUID.fromString("4c164200-20c0-11d0-a768-00aa006e0529");
    SecurityDescriptor typed =
        sd(0, new Ace(AceType.ACCESS_ALLOWED_OBJECT, 0, FA, property, null, BU));
    assertFalse(AccessCheck.check(typed, IUSR_TOKEN, AccessMask.FILE_READ_DATA).allowed());
    SecurityDescriptor untyped =
        sd(0, new Ace(AceType.ACCESS_DENIED_OBJECT, 0, FA, null, null, WD), a(BU, FA, 0));
    AccessCheck.Result r = AccessCheck.check(untyped, IUSR_TOKEN, AccessMask.FILE_READ_DATA);
    assertFalse(r.allowed());
    assertEquals(0, r.index());
  }

  @Test
  void auditAcesInADaclAreIgnored() {
    SecurityDescriptor sd =
        sd(0, new Ace(AceType.SYSTEM_AUDIT, 0, FA, null, null, WD), a(BU, RX, 0));
    AccessCheck.Result r = AccessCheck.check(sd, IUSR_TOKEN, LIST_AND_SYNC);
    assertTrue(r.allowed());
    assertEquals(1, r.index());
  }

  @Test
  void anonymousIsNotInEveryoneByDefault() {
    Token anon =
        Token.forLogon(WellKnownSids.ANONYMOUS, Set.of(), Token.LogonKind.ANONYMOUS, false);
    SecurityDescriptor sd = sd(0, a(WD, RX, 0));
    assertFalse(AccessCheck.check(sd, anon, AccessMask.FILE_READ_DATA).allowed());
    Token lax =
        Token.forLogon(WellKnownSids.ANONYMOUS, Set.of(), Token.LogonKind.ANONYMOUS, false, true);
    assertTrue(AccessCheck.check(sd, lax, AccessMask.FILE_READ_DATA).allowed());
  }

  @Test
  void resultStepsAreImmutable() {
    AccessCheck.Result r = AccessCheck.check(dotnet(), IUSR_TOKEN, LIST_AND_SYNC);
    List<AccessCheck.Step> steps = r.steps();
    assertSame(steps, r.steps());
    try {
      steps.clear();
      throw new AssertionError("steps could be changed");
    } catch (UnsupportedOperationException expected) {
      // immutable, as intended
    }
  }
}
