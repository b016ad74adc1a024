package org.wsusfix.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wsusfix.security.Fixtures.*;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class InheritanceTest {
  private static List<Ace> toFile(Acl parent, boolean auto) {
    return Inheritance.inheritedAces(parent, false, OWNER, GROUP, auto);
  }

  private static List<Ace> toFolder(Acl parent, boolean auto) {
    return Inheritance.inheritedAces(parent, true, OWNER, GROUP, auto);
  }

  /**
   * The flag matrix of smbtorture's RAW-ACLS "inheritance" test (checked there against Windows):
   * parent ACE {@code CREATOR OWNER: WRITE_DATA} with the given flags, on a parent without
   * auto-inheritance. Columns: parent flags, flags of the CREATOR OWNER carrier on a new folder.
   */
  private static final int[][] SMBTORTURE_MATRIX = {
    {0, 0},
    {OI, OI | IO},
    {CI, CI},
    {OI | CI, OI | CI},
    {NP, 0},
    {NP | OI, 0},
    {NP | CI, 0},
    {NP | CI | OI, 0},
    {IO, 0},
    {IO | OI, OI | IO},
    {IO | CI, CI},
    {IO | CI | OI, CI | OI},
    {IO | NP, 0},
    {IO | NP | OI, 0},
    {IO | NP | CI, 0},
    {IO | NP | CI | OI, 0},
  };

  @Test
  void creatorOwnerMatrixMatchesWindowsForFilesAndFolders() {
    int writeData = AccessMask.FILE_WRITE_DATA;
    for (int[] row : SMBTORTURE_MATRIX) {
      int parentFlags = row[0];
      Acl parent = acl(a(CO, writeData, parentFlags), a(WD, FA, 0));
      String at = "parent flags 0x" + Integer.toHexString(parentFlags);

      List<Ace> file = toFile(parent, false);
      if ((parentFlags & OI) != 0) {
        assertEquals(List.of(a(OWNER, writeData, 0)), file, at);
      } else {
        assertEquals(List.of(), file, at);
      }

      List<Ace> folder = toFolder(parent, false);
      boolean ci = (parentFlags & CI) != 0;
      boolean oi = (parentFlags & OI) != 0;
      boolean np = (parentFlags & NP) != 0;
      if (!ci && (!oi || np)) {
        assertEquals(List.of(), folder, at);
      } else if (ci && np) {
        assertEquals(List.of(a(OWNER, writeData, 0)), folder, at);
      } else if (ci) {
        assertEquals(List.of(a(OWNER, writeData, 0), a(CO, writeData, row[1] | IO)), folder, at);
      } else {
        assertEquals(List.of(a(CO, writeData, row[1])), folder, at);
      }
    }
  }

  @Test
  void autoInheritanceAddsIdToEveryCopy() {
    Acl parent = acl(a(CO, AccessMask.FILE_WRITE_DATA, OI | CI));
    assertEquals(List.of(a(OWNER, AccessMask.FILE_WRITE_DATA, ID)), toFile(parent, true));
    assertEquals(
        List.of(
            a(OWNER, AccessMask.FILE_WRITE_DATA, ID),
            a(CO, AccessMask.FILE_WRITE_DATA, OI | CI | IO | ID)),
        toFolder(parent, true));
  }

  @Test
  void plainInheritableAceKeepsItsFlagsOnFoldersAndLosesThemOnFiles() {
    Acl parent = acl(a(BU, RX, OI | CI));
    assertEquals(List.of(a(BU, RX, ID)), toFile(parent, true));
    assertEquals(List.of(a(BU, RX, OI | CI | ID)), toFolder(parent, true));
  }

  @Test
  void inheritOnlyOnTheParentIsClearedOnTheChild() {
    Acl parent = acl(a(BU, RX, OI | CI | IO));
    assertEquals(List.of(a(BU, RX, OI | CI | ID)), toFolder(parent, true));
    assertEquals(List.of(a(BU, RX, ID)), toFile(parent, true));
  }

  @Test
  void nonInheritableAcesStayOnTheParent() {
    Acl parent = acl(a(BA, FA, 0), a(SY, FA, ID), a(BU, RX, IO));
    assertEquals(List.of(), toFolder(parent, true));
    assertEquals(List.of(), toFile(parent, true));
  }

  @Test
  void genericRightsAreMappedOnTheEffectiveCopyAndKeptOnTheCarrier() {
    // domain notes section 5: GXGR on IO ACEs become file rights on the children.
    Acl parent = acl(a(BU, GX | GR, OI | CI | IO));
    assertEquals(List.of(a(BU, RX, ID)), toFile(parent, true));
    assertEquals(List.of(a(BU, RX, ID), a(BU, GX | GR, OI | CI | IO | ID)), toFolder(parent, true));
  }

  @Test
  void genericAllOnAnEffectiveParentAceSplitsOnFolders() {
    Acl parent = acl(a(SY, GA, OI | CI));
    assertEquals(List.of(a(SY, FA, ID), a(SY, GA, OI | CI | IO | ID)), toFolder(parent, true));
    assertEquals(List.of(a(SY, FA, ID)), toFile(parent, true));
  }

  @Test
  void genericMixedWithSpecificBitsKeepsTheSpecificBits() {
    Acl parent = acl(a(BU, GR | AccessMask.DELETE, OI));
    assertEquals(List.of(a(BU, AccessMask.READ | AccessMask.DELETE, ID)), toFile(parent, true));
  }

  @Test
  void noPropagateGivesOneEffectiveAceAndNothingFurther() {
    Acl parent = acl(a(BU, GA, OI | CI | NP));
    assertEquals(List.of(a(BU, FA, ID)), toFolder(parent, true));
    assertEquals(List.of(a(BU, FA, ID)), toFile(parent, true));
  }

  @Test
  void fileOnlyAceWithNoPropagateSkipsSubfolders() {
    Acl parent = acl(a(BU, RX, OI | NP));
    assertEquals(List.of(), toFolder(parent, true));
    assertEquals(List.of(a(BU, RX, ID)), toFile(parent, true));
  }

  @Test
  void folderOnlyAceDoesNothingForFiles() {
    Acl parent = acl(a(AU, AccessMask.FILE_APPEND_DATA, CI));
    assertEquals(List.of(), toFile(parent, true));
    assertEquals(List.of(a(AU, AccessMask.FILE_APPEND_DATA, CI | ID)), toFolder(parent, true));
  }

  @Test
  void creatorGroupBecomesTheChildsGroup() {
    Acl parent = acl(a(CG, GR, OI | CI | IO));
    assertEquals(
        List.of(a(GROUP, AccessMask.READ, ID), a(CG, GR, OI | CI | IO | ID)),
        toFolder(parent, true));
  }

  @Test
  void ownerRightsIsNotSubstituted() {
    Acl parent = acl(a(WellKnownSids.OWNER_RIGHTS, RX, OI | CI));
    assertEquals(List.of(a(WellKnownSids.OWNER_RIGHTS, RX, ID)), toFile(parent, true));
  }

  @Test
  void missingOwnerIsReportedWhenCreatorOwnerMustBeResolved() {
    Acl parent = acl(a(CO, GA, OI | CI | IO));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Inheritance.inheritedAces(parent, false, null, GROUP, true));
    assertTrue(e.getMessage().contains("owner"), e.getMessage());
    // Not needed when the CREATOR OWNER ACE only passes through as a carrier.
    assertEquals(
        List.of(a(CO, GA, OI | IO | ID)),
        Inheritance.inheritedAces(acl(a(CO, GA, OI | IO)), true, null, null, true));
  }

  @Test
  void parentOrderIsKeptAndTheParentsInheritedAcesPassOn() {
    Acl parent =
        acl(
            d(WD, AccessMask.FILE_WRITE_DATA, OI | CI),
            a(BA, FA, OI | CI),
            d(IUSR, AccessMask.DELETE, OI | CI | ID),
            a(BU, RX, OI | CI | ID));
    assertEquals(
        List.of(
            d(WD, AccessMask.FILE_WRITE_DATA, ID),
            a(BA, FA, ID),
            d(IUSR, AccessMask.DELETE, ID),
            a(BU, RX, ID)),
        toFile(parent, true));
  }

  @Test
  void auditFlagsSurviveAndLabelsAreNotMapped() {
    Ace audit =
        new Ace(
            AceType.SYSTEM_AUDIT,
            OI | CI | AceFlags.SUCCESSFUL_ACCESS | AceFlags.FAILED_ACCESS,
            GA,
            null,
            null,
            WD);
    List<Ace> file = toFile(acl(audit), true);
    assertEquals(
        List.of(
            new Ace(
                AceType.SYSTEM_AUDIT,
                AceFlags.SUCCESSFUL_ACCESS | AceFlags.FAILED_ACCESS | ID,
                FA,
                null,
                null,
                WD)),
        file);

    Ace label =
        new Ace(
            AceType.SYSTEM_MANDATORY_LABEL, OI | CI, 0x1, null, null, WellKnownSids.LOW_INTEGRITY);
    assertEquals(List.of(label.withFlags(OI | CI | ID)), toFolder(acl(label), true));
    assertFalse(Inheritance.needsMapping(label.withMask(0x1 | 0x80000000)));
  }

  @Test
  void objectAcesFollowTheInheritedObjectType() {
    UUID userClass = UUID.fromString("bf967aba-0de6-11d0-a285-00aa003049e2");
    UUID property = UUID.fromString("4c164200-20c0-11d0-a768-00aa006e0529");
    Ace typed = new Ace(AceType.ACCESS_ALLOWED_OBJECT, CI, 0x10, property, userClass, AU);
    // A container of another type only passes it on.
    assertEquals(List.of(typed.withFlags(CI | IO | ID)), toFolder(acl(typed), true));
    // A container of the named type receives it as effective, GUIDs kept.
    assertEquals(
        List.of(typed.withFlags(CI | ID)),
        Inheritance.inheritedAces(
            acl(typed), true, OWNER, GROUP, true, Set.of(userClass), AccessMask.FILE_MAPPING));
    // Without an inherited-object type the plain rules apply.
    Ace untyped = new Ace(AceType.ACCESS_ALLOWED_OBJECT, OI, 0x10, property, null, AU);
    assertEquals(List.of(untyped.withFlags(ID)), toFile(acl(untyped), true));
    // NP and a type mismatch: nothing.
    assertEquals(List.of(), toFolder(acl(typed.withFlags(CI | NP)), true));
  }

  @Test
  void windowsDirectoryChildFolderLooksLikeWindowsMakesIt() {
    // The shape of %windir%'s explicit DACL (owner TrustedInstaller).
    Acl windir =
        acl(
            a(CO, GA, OI | CI | IO),
            a(SY, GA, OI | CI | IO),
            a(SY, M, 0),
            a(BA, GA, OI | CI | IO),
            a(BA, M, 0),
            a(BU, GX | GR, OI | CI | IO),
            a(BU, RX, 0),
            a(TI, GA, CI | IO),
            a(TI, FA, 0));
    // Owner Administrators: the CREATOR OWNER copy and the Administrators copy are the same ACE,
    // and Windows keeps only the first.
    List<Ace> folder = Inheritance.inheritedAces(windir, true, BA, SY, true);
    assertEquals(
        List.of(
            a(BA, FA, ID),
            a(CO, GA, OI | CI | IO | ID),
            a(SY, FA, ID),
            a(SY, GA, OI | CI | IO | ID),
            a(BA, GA, OI | CI | IO | ID),
            a(BU, RX, ID),
            a(BU, GX | GR, OI | CI | IO | ID),
            a(TI, FA, ID),
            a(TI, GA, CI | IO | ID)),
        folder);
    List<Ace> file = Inheritance.inheritedAces(windir, false, BA, SY, true);
    assertEquals(List.of(a(BA, FA, ID), a(SY, FA, ID), a(BU, RX, ID)), file);
    // Another owner gets its own entry.
    List<Ace> userFile = Inheritance.inheritedAces(windir, false, OWNER, SY, true);
    assertEquals(List.of(a(OWNER, FA, ID), a(SY, FA, ID), a(BA, FA, ID), a(BU, RX, ID)), userFile);
  }

  @Test
  void inetpubChildOwnedByTrustedInstallerHasOneFullControlEntryForIt() {
    // The shape of C:\inetpub's DACL as icacls /save writes it (../shared/samples/icacls).
    Acl inetpub =
        acl(
            a(TI, FA, 0),
            a(TI, GA, OI | CI | IO),
            a(SY, FA, 0),
            a(SY, GA, OI | CI | IO),
            a(BA, FA, 0),
            a(BA, GA, OI | CI | IO),
            a(BU, RX, 0),
            a(BU, GX | GR, OI | CI | IO),
            a(CO, GA, OI | CI | IO));
    List<Ace> wwwroot = Inheritance.inheritedAces(inetpub, true, TI, SY, true);
    assertEquals(
        List.of(
            a(TI, FA, ID),
            a(TI, GA, OI | CI | IO | ID),
            a(SY, FA, ID),
            a(SY, GA, OI | CI | IO | ID),
            a(BA, FA, ID),
            a(BA, GA, OI | CI | IO | ID),
            a(BU, RX, ID),
            a(BU, GX | GR, OI | CI | IO | ID),
            a(CO, GA, OI | CI | IO | ID)),
        wwwroot);
  }

  @Test
  void duplicatesOnlyCollapseWhenIdentical() {
    // Same SID and mask but different flags: both stay.
    Acl parent = acl(a(BA, FA, OI | CI), a(CO, FA, OI | CI | IO));
    assertEquals(
        List.of(a(BA, FA, OI | CI | ID), a(BA, FA, ID), a(CO, FA, OI | CI | IO | ID)),
        Inheritance.inheritedAces(parent, true, BA, GROUP, true));
    // An explicit parent ACE and its own inherited twin give one copy.
    Acl twins = acl(a(BU, RX, OI | CI), a(BU, RX, OI | CI | ID));
    assertEquals(
        List.of(a(BU, RX, OI | CI | ID)),
        Inheritance.inheritedAces(twins, true, OWNER, GROUP, true));
  }

  @Test
  void creatorOwnerReachesGrandchildrenWithTheirOwnOwner() {
    SecurityDescriptor top = sd(SecurityDescriptor.DACL_AUTO_INHERITED, a(CO, GA, OI | CI | IO));
    SecurityDescriptor folder = Inheritance.newChild(top, true, OWNER, GROUP, false);
    assertEquals(List.of(a(OWNER, FA, ID), a(CO, GA, OI | CI | IO | ID)), folder.dacl().aces());
    SecurityDescriptor file = Inheritance.newChild(folder, false, OTHER_OWNER, GROUP, false);
    assertEquals(List.of(a(OTHER_OWNER, FA, ID)), file.dacl().aces());
  }

  @Test
  void newChildFollowsTheParentsAutoInheritedBit() {
    SecurityDescriptor legacy = sd(0, a(BU, RX, OI | CI));
    SecurityDescriptor child = Inheritance.newChild(legacy, false, OWNER, GROUP, false);
    assertEquals(List.of(a(BU, RX, 0)), child.dacl().aces());
    assertFalse(child.isDaclAutoInherited());

    SecurityDescriptor requested = Inheritance.newChild(legacy, false, OWNER, GROUP, true);
    assertEquals(List.of(a(BU, RX, ID)), requested.dacl().aces());
    assertTrue(requested.isDaclAutoInherited());

    SecurityDescriptor auto = sd(SecurityDescriptor.DACL_AUTO_INHERITED, a(BU, RX, OI | CI));
    SecurityDescriptor autoChild = Inheritance.newChild(auto, true, OWNER, GROUP, false);
    assertEquals(List.of(a(BU, RX, OI | CI | ID)), autoChild.dacl().aces());
    assertTrue(autoChild.isDaclAutoInherited());
    assertEquals(OWNER, autoChild.owner());
  }

  @Test
  void descriptorOverloadTakesAutoInheritanceFromTheParent() {
    SecurityDescriptor auto = sd(SecurityDescriptor.DACL_AUTO_INHERITED, a(BU, RX, OI));
    assertEquals(List.of(a(BU, RX, ID)), Inheritance.inheritedAces(auto, false, OWNER, GROUP));
    SecurityDescriptor legacy = sd(0, a(BU, RX, OI));
    assertEquals(List.of(a(BU, RX, 0)), Inheritance.inheritedAces(legacy, false, OWNER, GROUP));
    SecurityDescriptor noDacl =
        new SecurityDescriptor(SecurityDescriptor.SELF_RELATIVE, OWNER, GROUP, null, null);
    assertEquals(List.of(), Inheritance.inheritedAces(noDacl, true, OWNER, GROUP));
  }

  @Test
  void recomputeReplacesStaleInheritedAcesAndKeepsExplicitOnes() {
    SecurityDescriptor parent =
        sd(
            SecurityDescriptor.DACL_AUTO_INHERITED,
            a(BA, FA, OI | CI),
            a(BU, RX, OI | CI),
            a(IUSR, RX, OI | CI));
    SecurityDescriptor child =
        sd(
            SecurityDescriptor.DACL_AUTO_INHERITED,
            d(WD, AccessMask.DELETE, 0),
            a(NS, M, OI | CI),
            a(BA, FA, OI | CI | ID),
            a(BU, AccessMask.READ, OI | CI | ID));
    SecurityDescriptor out = Inheritance.recomputeChild(parent, child, true);
    assertEquals(
        List.of(
            d(WD, AccessMask.DELETE, 0),
            a(NS, M, OI | CI),
            a(BA, FA, OI | CI | ID),
            a(BU, RX, OI | CI | ID),
            a(IUSR, RX, OI | CI | ID)),
        out.dacl().aces());
    assertTrue(out.isDaclAutoInherited());
    assertEquals(child.owner(), out.owner());
    assertEquals(child.group(), out.group());
  }

  @Test
  void recomputeGivesAutoInheritedEvenToALegacyChildAndClearsTheRequestBit() {
    SecurityDescriptor parent = sd(0, a(BU, RX, OI | CI));
    SecurityDescriptor child = sd(SecurityDescriptor.DACL_AUTO_INHERIT_REQ, a(NS, M, 0));
    SecurityDescriptor out = Inheritance.recomputeChild(parent, child, false);
    assertEquals(List.of(a(NS, M, 0), a(BU, RX, ID)), out.dacl().aces());
    assertTrue(out.isDaclAutoInherited());
    assertFalse(out.has(SecurityDescriptor.DACL_AUTO_INHERIT_REQ));
  }

  @Test
  void legacyComputationLeavesFlagsAlone() {
    SecurityDescriptor parent = sd(0, a(BU, RX, OI | CI));
    SecurityDescriptor out = Inheritance.computeChild(parent, sd(0, a(NS, M, 0)), false, false);
    assertEquals(List.of(a(NS, M, 0), a(BU, RX, 0)), out.dacl().aces());
    assertFalse(out.isDaclAutoInherited());
  }

  @Test
  void protectedChildIsUntouched() {
    SecurityDescriptor parent = sd(SecurityDescriptor.DACL_AUTO_INHERITED, a(BU, RX, OI | CI));
    SecurityDescriptor child =
        sd(
            SecurityDescriptor.DACL_PROTECTED | SecurityDescriptor.DACL_AUTO_INHERITED,
            a(BA, FA, 0));
    SecurityDescriptor out = Inheritance.recomputeChild(parent, child, true);
    assertTrue(out.semanticallyEquals(child));
  }

  @Test
  void nullParentDaclGivesNothing() {
    SecurityDescriptor parent =
        new SecurityDescriptor(
            SecurityDescriptor.SELF_RELATIVE | SecurityDescriptor.DACL_PRESENT,
            OWNER,
            GROUP,
            null,
            null);
    SecurityDescriptor child =
        sd(SecurityDescriptor.DACL_AUTO_INHERITED, a(BA, FA, 0), a(BU, RX, ID));
    SecurityDescriptor out = Inheritance.recomputeChild(parent, child, false);
    assertEquals(List.of(a(BA, FA, 0)), out.dacl().aces());
  }

  @Test
  void childWithNothingLeftGetsAnEmptyDaclNotANullOne() {
    SecurityDescriptor parent = sd(SecurityDescriptor.DACL_AUTO_INHERITED, a(BA, FA, 0));
    SecurityDescriptor child = sd(SecurityDescriptor.DACL_AUTO_INHERITED, a(BU, RX, ID));
    SecurityDescriptor out = Inheritance.recomputeChild(parent, child, false);
    assertTrue(out.daclPresent());
    assertEquals(List.of(), out.dacl().aces());
    assertFalse(out.isNullDacl());
  }

  @Test
  void nullChildDaclStaysNullWhenNothingIsInheritedAndIsReplacedOtherwise() {
    SecurityDescriptor nullChild =
        new SecurityDescriptor(
            SecurityDescriptor.SELF_RELATIVE | SecurityDescriptor.DACL_PRESENT,
            OWNER,
            GROUP,
            null,
            null);
    SecurityDescriptor nothing = sd(SecurityDescriptor.DACL_AUTO_INHERITED, a(BA, FA, 0));
    assertTrue(Inheritance.recomputeChild(nothing, nullChild, false).isNullDacl());
    SecurityDescriptor some = sd(SecurityDescriptor.DACL_AUTO_INHERITED, a(BU, RX, OI));
    assertEquals(
        List.of(a(BU, RX, ID)), Inheritance.recomputeChild(some, nullChild, false).dacl().aces());
  }

  @Test
  void saclIsRecomputedOnlyWhenTheParentCarriesOne() {
    Ace parentAudit =
        new Ace(AceType.SYSTEM_AUDIT, OI | CI | AceFlags.FAILED_ACCESS, FA, null, null, WD);
    Ace childAudit =
        new Ace(
            AceType.SYSTEM_AUDIT, AceFlags.SUCCESSFUL_ACCESS, AccessMask.DELETE, null, null, BA);
    Ace staleAudit =
        new Ace(AceType.SYSTEM_AUDIT, AceFlags.SUCCESSFUL_ACCESS | ID, FA, null, null, AU);
    int saclControl = SecurityDescriptor.SACL_PRESENT | SecurityDescriptor.SACL_AUTO_INHERITED;
    SecurityDescriptor parent =
        new SecurityDescriptor(
            SecurityDescriptor.SELF_RELATIVE | SecurityDescriptor.DACL_PRESENT | saclControl,
            OWNER,
            GROUP,
            acl(a(BU, RX, OI | CI)),
            acl(parentAudit));
    SecurityDescriptor child =
        new SecurityDescriptor(
            SecurityDescriptor.SELF_RELATIVE | SecurityDescriptor.DACL_PRESENT | saclControl,
            OWNER,
            GROUP,
            Acl.empty(),
            acl(childAudit, staleAudit));

    SecurityDescriptor out = Inheritance.recomputeChild(parent, child, false);
    assertEquals(
        List.of(
            childAudit,
            new Ace(AceType.SYSTEM_AUDIT, AceFlags.FAILED_ACCESS | ID, FA, null, null, WD)),
        out.sacl().aces());
    assertTrue(out.has(SecurityDescriptor.SACL_AUTO_INHERITED));

    // The parent was read without its SACL: the child's SACL is not ours to change.
    SecurityDescriptor out2 = Inheritance.recomputeChild(parent.withoutSacl(), child, false);
    assertSame(child.sacl(), out2.sacl());

    // A protected SACL is kept.
    SecurityDescriptor protectedChild =
        child.withControl(child.control() | SecurityDescriptor.SACL_PROTECTED);
    assertEquals(
        child.sacl().aces(),
        Inheritance.recomputeChild(parent, protectedChild, false).sacl().aces());
  }

  @Test
  void childWithoutSaclGetsOneWhenTheParentsSaclIsInheritable() {
    Ace parentAudit =
        new Ace(AceType.SYSTEM_AUDIT, OI | AceFlags.FAILED_ACCESS, FA, null, null, WD);
    SecurityDescriptor parent =
        new SecurityDescriptor(
            SecurityDescriptor.SELF_RELATIVE
                | SecurityDescriptor.DACL_PRESENT
                | SecurityDescriptor.SACL_PRESENT,
            OWNER,
            GROUP,
            acl(a(BU, RX, OI | CI)),
            acl(parentAudit));
    SecurityDescriptor child = sd(0, a(BA, FA, 0));
    SecurityDescriptor out = Inheritance.recomputeChild(parent, child, false);
    assertTrue(out.has(SecurityDescriptor.SACL_PRESENT));
    assertEquals(1, out.sacl().size());
    SecurityDescriptor folderOut = Inheritance.recomputeChild(parent, child, true);
    assertEquals(
        List.of(parentAudit.withFlags(OI | IO | AceFlags.FAILED_ACCESS | ID)),
        folderOut.sacl().aces());
    // Nothing inheritable: no SACL appears.
    SecurityDescriptor bare =
        new SecurityDescriptor(
            SecurityDescriptor.SELF_RELATIVE
                | SecurityDescriptor.DACL_PRESENT
                | SecurityDescriptor.SACL_PRESENT,
            OWNER,
            GROUP,
            acl(a(BU, RX, OI | CI)),
            null);
    assertNull(Inheritance.recomputeChild(bare, child, false).sacl());
    assertFalse(
        Inheritance.recomputeChild(bare, child, false).has(SecurityDescriptor.SACL_PRESENT));
  }
}
