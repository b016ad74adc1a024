package org.wsusfix.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wsusfix.security.Fixtures.*;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CanonicalOrderTest {
  @Test
  void windowsDefaultShapeIsCanonical() {
    Acl dacl =
        acl(
            d(WD, AccessMask.WRITE_DAC, 0),
            a(BA, FA, OI | CI),
            a(SY, FA, OI | CI | ID),
            a(BU, RX, OI | CI | ID));
    assertTrue(CanonicalOrder.isCanonical(dacl));
    assertEquals(List.of(), CanonicalOrder.violations(dacl));
  }

  @Test
  void emptyAndNullListsAreCanonical() {
    assertTrue(CanonicalOrder.isCanonical(Acl.empty()));
    assertTrue(CanonicalOrder.isCanonical(null));
  }

  @Test
  void inheritedDenyAfterInheritedAllowIsNotProvableAndAccepted() {
    // Levels cannot be told apart: a grandparent's deny legitimately follows a parent's allow.
    Acl dacl = acl(a(BA, FA, 0), a(BU, RX, ID), d(WD, FA, ID));
    assertTrue(CanonicalOrder.isCanonical(dacl));
  }

  @Test
  void explicitAfterInheritedNamesTheIndexAndTheInheritedAce() {
    Acl dacl = acl(a(BA, FA, 0), a(SY, FA, ID), a(BU, RX, 0));
    CanonicalOrder.Violation v = CanonicalOrder.firstViolation(dacl).orElseThrow();
    assertEquals(2, v.index());
    assertEquals(1, v.conflictIndex());
    assertEquals(CanonicalOrder.Violation.Kind.EXPLICIT_AFTER_INHERITED, v.kind());
    assertEquals(
        "ACE 2 is explicit but follows inherited ACE 1; explicit ACEs come before inherited ones",
        v.describe());
  }

  @Test
  void explicitDenyAfterExplicitAllowIsReported() {
    Acl dacl = acl(a(BU, RX, 0), a(BA, FA, 0), d(WD, AccessMask.FILE_WRITE_DATA, 0));
    CanonicalOrder.Violation v = CanonicalOrder.firstViolation(dacl).orElseThrow();
    assertEquals(2, v.index());
    assertEquals(0, v.conflictIndex());
    assertEquals(CanonicalOrder.Violation.Kind.DENY_AFTER_ALLOW, v.kind());
    assertTrue(v.describe().contains("explicit deny"));
  }

  @Test
  void objectDenyCountsAsDeny() {
    Ace objectDeny = new Ace(AceType.ACCESS_DENIED_OBJECT, 0, 0x100, UUID.randomUUID(), null, WD);
    Acl dacl = acl(a(BU, RX, 0), objectDeny);
    assertEquals(1, CanonicalOrder.firstViolation(dacl).orElseThrow().index());
  }

  @Test
  void everyOffenderIsListedOnce() {
    Acl dacl = acl(a(BU, RX, 0), d(WD, 1, 0), a(SY, FA, ID), d(BA, 2, 0), a(AU, 1, 0));
    List<CanonicalOrder.Violation> all = CanonicalOrder.violations(dacl);
    assertEquals(3, all.size());
    assertEquals(1, all.get(0).index());
    assertEquals(CanonicalOrder.Violation.Kind.DENY_AFTER_ALLOW, all.get(0).kind());
    assertEquals(3, all.get(1).index());
    assertEquals(CanonicalOrder.Violation.Kind.EXPLICIT_AFTER_INHERITED, all.get(1).kind());
    assertEquals(4, all.get(2).index());
  }

  @Test
  void auditAcesTakeNoPartInTheOrder() {
    Ace audit = new Ace(AceType.SYSTEM_AUDIT, AceFlags.FAILED_ACCESS, FA, null, null, WD);
    assertTrue(CanonicalOrder.isCanonical(acl(a(BU, RX, ID), audit)));
  }

  @Test
  void denyGoesAtTheEndOfTheExplicitDenyBlock() {
    Acl dacl = acl(d(WD, 1, 0), a(BA, FA, 0), a(SY, FA, ID));
    Ace deny = d(AU, 2, 0);
    assertEquals(1, CanonicalOrder.canonicalIndex(dacl, deny));
    Acl out = CanonicalOrder.insert(dacl, deny);
    assertEquals(List.of(d(WD, 1, 0), deny, a(BA, FA, 0), a(SY, FA, ID)), out.aces());
    assertTrue(CanonicalOrder.isCanonical(out));
  }

  @Test
  void allowGoesAtTheEndOfTheExplicitBlock() {
    Acl dacl = acl(d(WD, 1, 0), a(BA, FA, 0), a(SY, FA, ID), a(BU, RX, ID));
    Ace allow = a(IUSR, RX, OI | CI);
    assertEquals(2, CanonicalOrder.canonicalIndex(dacl, allow));
    assertEquals(allow, CanonicalOrder.insert(dacl, allow).get(2));
  }

  @Test
  void insertIntoEmptyAndIntoInheritedOnlyLists() {
    assertEquals(List.of(a(BU, RX, 0)), CanonicalOrder.insert(Acl.empty(), a(BU, RX, 0)).aces());
    Acl inheritedOnly = acl(a(SY, FA, ID));
    assertEquals(0, CanonicalOrder.canonicalIndex(inheritedOnly, d(WD, 1, 0)));
    assertEquals(0, CanonicalOrder.canonicalIndex(inheritedOnly, a(BU, 1, 0)));
    assertEquals(1, CanonicalOrder.canonicalIndex(inheritedOnly, a(BU, 1, ID)));
  }

  @Test
  void insertKeepsRevisionFourForObjectAces() {
    Ace oa = new Ace(AceType.ACCESS_ALLOWED_OBJECT, 0, 0x10, UUID.randomUUID(), null, BU);
    assertEquals(Acl.REVISION_DS, CanonicalOrder.insert(acl(a(BA, FA, 0)), oa).revision());
  }

  @Test
  void findsTheExplicitAceToWiden() {
    Acl dacl = acl(a(BU, RX, OI | CI | ID), a(BU, RX, 0), a(BU, AccessMask.READ, OI | CI));
    assertEquals(Optional.of(2), CanonicalOrder.findWidenable(dacl, a(BU, M, OI | CI)));
    assertEquals(Optional.of(1), CanonicalOrder.findWidenable(dacl, a(BU, M, 0)));
    // Different inheritance flags, type or SID never match.
    assertEquals(Optional.empty(), CanonicalOrder.findWidenable(dacl, a(BU, M, OI | CI | IO)));
    assertEquals(Optional.empty(), CanonicalOrder.findWidenable(dacl, d(BU, M, OI | CI)));
    assertEquals(Optional.empty(), CanonicalOrder.findWidenable(dacl, a(AU, M, OI | CI)));
  }

  @Test
  void widenAddsBitsInPlace() {
    Acl dacl = acl(a(BU, AccessMask.READ, OI | CI), a(SY, FA, ID));
    Acl out = CanonicalOrder.widen(dacl, 0, RX);
    assertEquals(a(BU, RX, OI | CI), out.get(0));
    assertEquals(2, out.size());
  }

  @Test
  void addOrWidenPrefersWidening() {
    Acl dacl = acl(a(BU, AccessMask.READ, OI | CI), a(SY, FA, ID));
    Acl widened = CanonicalOrder.addOrWiden(dacl, a(BU, RX, OI | CI));
    assertEquals(List.of(a(BU, RX, OI | CI), a(SY, FA, ID)), widened.aces());
    assertSame(widened, CanonicalOrder.addOrWiden(widened, a(BU, AccessMask.READ, OI | CI)));
    Acl added = CanonicalOrder.addOrWiden(dacl, a(IUSR, RX, OI | CI));
    assertEquals(a(IUSR, RX, OI | CI), added.get(1));
    assertThrows(
        IllegalArgumentException.class, () -> CanonicalOrder.addOrWiden(dacl, a(BU, RX, ID)));
  }

  @Test
  void widenIgnoresObjectAcesWithOtherGuids() {
    UUID one = UUID.fromString("bf967aba-0de6-11d0-a285-00aa003049e2");
    UUID two = UUID.fromString("4828cc14-1437-45bc-9b07-ad6f015e5f28");
    Acl dacl = acl(new Ace(AceType.ACCESS_ALLOWED_OBJECT, 0, 0x10, one, null, BU));
    assertFalse(
        CanonicalOrder.findWidenable(
                dacl, new Ace(AceType.ACCESS_ALLOWED_OBJECT, 0, 0x20, two, null, BU))
            .isPresent());
    assertTrue(
        CanonicalOrder.findWidenable(
                dacl, new Ace(AceType.ACCESS_ALLOWED_OBJECT, 0, 0x20, one, null, BU))
            .isPresent());
  }
}
