package org.wsusfix.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wsusfix.security.Fixtures.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Invariants checked over many random descriptors. Seeds are fixed, so a failure names a seed that
 * reproduces it.
 */
class SecurityPropertiesTest {
  private static final int RUNS = 400;

  private static final Sid[] SIDS = {
    WD, BU, BA, SY, AU, CO, CG, WellKnownSids.OWNER_RIGHTS, IUSR, NS, OWNER, OTHER_OWNER, GROUP
  };
  private static final int[] MASKS = {
    FA,
    RX,
    M,
    AccessMask.READ,
    AccessMask.WRITE,
    AccessMask.FILE_READ_DATA,
    AccessMask.FILE_WRITE_DATA,
    AccessMask.DELETE,
    AccessMask.READ_CONTROL,
    AccessMask.WRITE_DAC,
    AccessMask.SYNCHRONIZE,
    GA,
    GR | GX,
    AccessMask.GENERIC_WRITE
  };
  private static final int[] FLAG_BITS = {OI, CI, NP, IO, ID};

  private static Ace randomAce(Random r) {
    Sid sid = SIDS[r.nextInt(SIDS.length)];
    int mask = r.nextInt(4) == 0 ? r.nextInt(FA + 1) : MASKS[r.nextInt(MASKS.length)];
    int flags = 0;
    for (int bit : FLAG_BITS) {
      if (r.nextInt(3) == 0) {
        flags |= bit;
      }
    }
    return r.nextInt(4) == 0 ? d(sid, mask, flags) : a(sid, mask, flags);
  }

  private static List<Ace> randomAces(Random r, int max) {
    List<Ace> aces = new ArrayList<>();
    int n = r.nextInt(max + 1);
    for (int i = 0; i < n; i++) {
      aces.add(randomAce(r));
    }
    return aces;
  }

  /** A canonical DACL: explicit denies, explicit allows, then inherited ACEs in any order. */
  private static List<Ace> randomCanonical(Random r, int max) {
    List<Ace> denies = new ArrayList<>();
    List<Ace> allows = new ArrayList<>();
    List<Ace> inherited = new ArrayList<>();
    for (Ace ace : randomAces(r, max)) {
      if (ace.isInherited()) {
        inherited.add(ace);
      } else if (ace.type().isDeny()) {
        denies.add(ace);
      } else {
        allows.add(ace);
      }
    }
    List<Ace> out = new ArrayList<>(denies);
    out.addAll(allows);
    out.addAll(inherited);
    return out;
  }

  private static SecurityDescriptor randomSd(Random r, List<Ace> aces) {
    int control = r.nextBoolean() ? SecurityDescriptor.DACL_AUTO_INHERITED : 0;
    Sid owner = r.nextBoolean() ? OWNER : OTHER_OWNER;
    return SecurityDescriptor.withDacl(owner, GROUP, Acl.of(aces), control);
  }

  private static Token randomToken(Random r) {
    Set<Sid> groups = new java.util.HashSet<>();
    for (Sid sid : SIDS) {
      if (r.nextInt(3) == 0) {
        groups.add(sid);
      }
    }
    Sid user = r.nextBoolean() ? OWNER : IUSR;
    groups.remove(user);
    return new Token(user, groups);
  }

  private static int randomRequest(Random r) {
    int mask = 0;
    int bits = 1 + r.nextInt(3);
    for (int i = 0; i < bits; i++) {
      int[] specific = {
        AccessMask.FILE_READ_DATA,
        AccessMask.FILE_WRITE_DATA,
        AccessMask.FILE_APPEND_DATA,
        AccessMask.FILE_EXECUTE,
        AccessMask.DELETE,
        AccessMask.READ_CONTROL,
        AccessMask.WRITE_DAC,
        AccessMask.WRITE_OWNER,
        AccessMask.SYNCHRONIZE,
        AccessMask.FILE_READ_ATTRIBUTES
      };
      mask |= specific[r.nextInt(specific.length)];
    }
    return mask;
  }

  @Test
  void inheritedAcesCarryIdExactlyUnderAutoInheritance() {
    for (int seed = 0; seed < RUNS; seed++) {
      Random r = new Random(seed);
      Acl parent = Acl.of(randomAces(r, 8));
      for (boolean container : new boolean[] {false, true}) {
        for (Ace ace : Inheritance.inheritedAces(parent, container, OWNER, GROUP, true)) {
          assertTrue(ace.isInherited(), "seed " + seed + ": " + ace);
        }
        for (Ace ace : Inheritance.inheritedAces(parent, container, OWNER, GROUP, false)) {
          assertFalse(ace.isInherited(), "seed " + seed + ": " + ace);
        }
      }
    }
  }

  @Test
  void filesReceiveOnlyEffectiveMappedAces() {
    for (int seed = 0; seed < RUNS; seed++) {
      Random r = new Random(seed);
      Acl parent = Acl.of(randomAces(r, 8));
      for (Ace ace : Inheritance.inheritedAces(parent, false, OWNER, GROUP, true)) {
        assertEquals(0, ace.inheritance(), "seed " + seed + ": " + ace);
        assertEquals(0, ace.mask() & AccessMask.GENERIC_BITS, "seed " + seed + ": " + ace);
        assertFalse(Inheritance.isCreatorSid(ace.sid()), "seed " + seed + ": " + ace);
      }
    }
  }

  @Test
  void folderCopiesAreEitherEffectiveAndMappedOrInheritOnlyCarriers() {
    for (int seed = 0; seed < RUNS; seed++) {
      Random r = new Random(seed);
      Acl parent = Acl.of(randomAces(r, 8));
      for (Ace ace : Inheritance.inheritedAces(parent, true, OWNER, GROUP, true)) {
        String at = "seed " + seed + ": " + ace;
        if (ace.isInheritOnly()) {
          assertTrue((ace.flags() & (OI | CI)) != 0, at);
          assertEquals(0, ace.flags() & NP, at);
        } else {
          assertEquals(0, ace.mask() & AccessMask.GENERIC_BITS, at);
          assertFalse(Inheritance.isCreatorSid(ace.sid()), at);
        }
      }
    }
  }

  @Test
  void recomputeIsIdempotentAndKeepsExplicitAcesFirst() {
    for (int seed = 0; seed < RUNS; seed++) {
      Random r = new Random(seed);
      SecurityDescriptor parent = randomSd(r, randomAces(r, 8));
      SecurityDescriptor child = randomSd(r, randomAces(r, 8));
      boolean container = r.nextBoolean();
      SecurityDescriptor once = Inheritance.recomputeChild(parent, child, container);
      SecurityDescriptor twice = Inheritance.recomputeChild(parent, once, container);
      assertTrue(once.semanticallyEquals(twice), "seed " + seed);

      List<Ace> explicit = child.dacl().aces().stream().filter(x -> !x.isInherited()).toList();
      List<Ace> inherited =
          Inheritance.inheritedAces(parent.dacl(), container, child.owner(), GROUP, true);
      List<Ace> expected = new ArrayList<>(explicit);
      expected.addAll(inherited);
      assertEquals(expected, once.dacl().aces(), "seed " + seed);
      assertTrue(once.isDaclAutoInherited(), "seed " + seed);
    }
  }

  @Test
  void recomputeOfACanonicalChildIsCanonical() {
    for (int seed = 0; seed < RUNS; seed++) {
      Random r = new Random(seed);
      SecurityDescriptor parent = randomSd(r, randomCanonical(r, 8));
      SecurityDescriptor child = randomSd(r, randomCanonical(r, 8));
      SecurityDescriptor out = Inheritance.recomputeChild(parent, child, r.nextBoolean());
      assertTrue(
          CanonicalOrder.isCanonical(out.dacl()),
          "seed " + seed + ": " + CanonicalOrder.firstViolation(out.dacl()));
    }
  }

  @Test
  void recomputeOfAChildWithoutExplicitAcesEqualsANewChild() {
    for (int seed = 0; seed < RUNS; seed++) {
      Random r = new Random(seed);
      SecurityDescriptor parent = randomSd(r, randomAces(r, 8));
      boolean container = r.nextBoolean();
      List<Ace> stale = randomAces(r, 4).stream().map(x -> x.withFlags(x.flags() | ID)).toList();
      SecurityDescriptor child = SecurityDescriptor.withDacl(OWNER, GROUP, Acl.of(stale), 0);
      SecurityDescriptor recomputed = Inheritance.recomputeChild(parent, child, container);
      SecurityDescriptor created = Inheritance.newChild(parent, container, OWNER, GROUP, true);
      assertEquals(created.dacl().aces(), recomputed.dacl().aces(), "seed " + seed);
    }
  }

  @Test
  void protectedChildrenNeverChange() {
    for (int seed = 0; seed < RUNS; seed++) {
      Random r = new Random(seed);
      SecurityDescriptor parent = randomSd(r, randomAces(r, 8));
      SecurityDescriptor child = randomSd(r, randomAces(r, 8));
      child = child.withControl(child.control() | SecurityDescriptor.DACL_PROTECTED);
      assertTrue(
          Inheritance.recomputeChild(parent, child, r.nextBoolean()).semanticallyEquals(child),
          "seed " + seed);
    }
  }

  @Test
  void checkAgreesWithMaximumAllowed() {
    for (int seed = 0; seed < RUNS; seed++) {
      Random r = new Random(seed);
      SecurityDescriptor sd = randomSd(r, randomAces(r, 10));
      Token token = randomToken(r);
      int max = AccessCheck.effectiveAccess(sd, token).granted();
      for (int k = 0; k < 10; k++) {
        int want = randomRequest(r);
        AccessCheck.Result res = AccessCheck.check(sd, token, want);
        assertEquals(
            AccessMask.covers(max, want),
            res.allowed(),
            "seed " + seed + " request " + AccessMask.hex(want) + " max " + AccessMask.hex(max));
        assertEquals(0, res.granted() & ~max, "seed " + seed);
        if (!res.allowed()) {
          assertTrue(res.missing() != 0, "seed " + seed);
        }
      }
    }
  }

  @Test
  void onlyDenyBeforeAllowOrderMatters() {
    // Swapping two neighbours of the same kind (allow/allow or deny/deny) never changes the
    // outcome; this is why the order of inherited ACEs inside one level is free.
    for (int seed = 0; seed < RUNS; seed++) {
      Random r = new Random(seed);
      List<Ace> aces = randomCanonical(r, 10);
      SecurityDescriptor sd = SecurityDescriptor.withDacl(OWNER, GROUP, Acl.of(aces), 0);
      Token token = randomToken(r);
      int[] requests = new int[8];
      for (int k = 0; k < requests.length; k++) {
        requests[k] = randomRequest(r);
      }
      int max = AccessCheck.effectiveAccess(sd, token).granted();
      List<Ace> shuffled = new ArrayList<>(aces);
      for (int swaps = 0; swaps < 20 && shuffled.size() > 1; swaps++) {
        int i = r.nextInt(shuffled.size() - 1);
        Ace x = shuffled.get(i);
        Ace y = shuffled.get(i + 1);
        if (x.type().isDeny() == y.type().isDeny()) {
          shuffled.set(i, y);
          shuffled.set(i + 1, x);
        }
      }
      SecurityDescriptor other = SecurityDescriptor.withDacl(OWNER, GROUP, Acl.of(shuffled), 0);
      assertEquals(max, AccessCheck.effectiveAccess(other, token).granted(), "seed " + seed);
      for (int want : requests) {
        assertEquals(
            AccessCheck.check(sd, token, want).allowed(),
            AccessCheck.check(other, token, want).allowed(),
            "seed " + seed);
      }
    }
  }

  @Test
  void moreAllowAtTheEndNeverTakesAccessAwayAndMoreDenyInFrontNeverGivesAny() {
    for (int seed = 0; seed < RUNS; seed++) {
      Random r = new Random(seed);
      List<Ace> aces = randomAces(r, 8);
      Token token = randomToken(r);
      SecurityDescriptor sameOwner = SecurityDescriptor.withDacl(OWNER, GROUP, Acl.of(aces), 0);
      int base = AccessCheck.effectiveAccess(sameOwner, token).granted();

      // The one exception Windows has: a first OWNER RIGHTS ACE, even an allow, takes the owner's
      // implicit READ_CONTROL | WRITE_DAC away. It is covered in AccessCheckTest.
      Sid added = SIDS[r.nextInt(SIDS.length)];
      if (added.equals(WellKnownSids.OWNER_RIGHTS)) {
        added = WD;
      }
      List<Ace> more = new ArrayList<>(aces);
      more.add(a(added, MASKS[r.nextInt(MASKS.length)], 0));
      int widened =
          AccessCheck.effectiveAccess(
                  SecurityDescriptor.withDacl(OWNER, GROUP, Acl.of(more), 0), token)
              .granted();
      assertEquals(base, base & widened, "seed " + seed);

      List<Ace> less = new ArrayList<>(aces);
      less.add(0, d(SIDS[r.nextInt(SIDS.length)], MASKS[r.nextInt(MASKS.length)], 0));
      int narrowed =
          AccessCheck.effectiveAccess(
                  SecurityDescriptor.withDacl(OWNER, GROUP, Acl.of(less), 0), token)
              .granted();
      assertEquals(narrowed, narrowed & base, "seed " + seed);
    }
  }

  @Test
  void canonicalInsertKeepsTheListCanonical() {
    for (int seed = 0; seed < RUNS; seed++) {
      Random r = new Random(seed);
      Acl dacl = Acl.of(randomCanonical(r, 10));
      Ace ace = randomAce(r);
      Acl out = CanonicalOrder.insert(dacl, ace);
      assertTrue(CanonicalOrder.isCanonical(out), "seed " + seed);
      assertEquals(dacl.size() + 1, out.size());
      assertTrue(out.aces().contains(ace));
      if (!ace.isInherited()) {
        Acl merged = CanonicalOrder.addOrWiden(dacl, ace);
        assertTrue(CanonicalOrder.isCanonical(merged), "seed " + seed);
        assertTrue(merged.size() <= dacl.size() + 1);
      }
    }
  }

  @Test
  void violationsPointAtAcesThatReallyAreOutOfPlace() {
    for (int seed = 0; seed < RUNS; seed++) {
      Random r = new Random(seed);
      Acl dacl = Acl.of(randomAces(r, 10));
      for (CanonicalOrder.Violation v : CanonicalOrder.violations(dacl)) {
        Ace conflict = dacl.get(v.conflictIndex());
        assertTrue(v.conflictIndex() < v.index(), "seed " + seed);
        assertFalse(v.ace().isInherited());
        if (v.kind() == CanonicalOrder.Violation.Kind.EXPLICIT_AFTER_INHERITED) {
          assertTrue(conflict.isInherited(), "seed " + seed);
        } else {
          assertTrue(
              v.ace().type().isDeny() && conflict.type().isAllow() && !conflict.isInherited());
        }
      }
      // Removing every reported ACE leaves a canonical list.
      List<Ace> kept = new ArrayList<>(dacl.aces());
      List<CanonicalOrder.Violation> all = CanonicalOrder.violations(dacl);
      for (int i = all.size() - 1; i >= 0; i--) {
        kept.remove(all.get(i).index());
      }
      assertTrue(CanonicalOrder.isCanonical(Acl.of(kept)), "seed " + seed);
    }
  }
}
