package org.wsusfix.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The preferred order of a DACL (explicit deny, explicit allow, then inherited ACEs) and the edits
 * that keep it.
 *
 * <p>Only two rules can be checked on a stored list: no explicit ACE after an inherited one, and no
 * explicit deny (plain or object) after an explicit allow. Inherited ACEs stay in the order their
 * parents gave them: Windows writes them level by level (the parent's explicit ACEs, then the
 * grandparent's, ...), with deny before allow inside each level, but nothing in an inherited ACE
 * says which level it came from, so a deny after an allow in the inherited block is not a fault
 * anyone can prove. Audit, alarm and label ACEs take no part in the order.
 *
 * <p>The explicit block is the run of ACEs before the first inherited ACE; in a canonical list that
 * is every explicit ACE.
 */
public final class CanonicalOrder {
  private CanonicalOrder() {}

  /** One place where a DACL breaks the preferred order. */
  public record Violation(int index, Ace ace, int conflictIndex, Kind kind) {
    public enum Kind {
      /** An explicit ACE comes after an inherited ACE. */
      EXPLICIT_AFTER_INHERITED,
      /** An explicit deny comes after an explicit allow. */
      DENY_AFTER_ALLOW
    }

    /** A sentence that says which ACE is out of place and why. */
    public String describe() {
      return switch (kind) {
        case EXPLICIT_AFTER_INHERITED ->
            "ACE "
                + index
                + " is explicit but follows inherited ACE "
                + conflictIndex
                + "; explicit ACEs come before inherited ones";
        case DENY_AFTER_ALLOW ->
            "ACE "
                + index
                + " is an explicit deny but follows explicit allow ACE "
                + conflictIndex
                + "; explicit deny ACEs come before explicit allow ACEs";
      };
    }
  }

  public static boolean isCanonical(Acl dacl) {
    return firstViolation(dacl).isEmpty();
  }

  /** The first ACE that breaks the order, or empty for a canonical (or NULL) DACL. */
  public static Optional<Violation> firstViolation(Acl dacl) {
    List<Violation> all = violations(dacl);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  /**
   * Every ACE that is out of place, in list order. Each ACE is reported once, against the first ACE
   * it should have preceded.
   */
  public static List<Violation> violations(Acl dacl) {
    List<Violation> out = new ArrayList<>();
    if (dacl == null) {
      return out;
    }
    int firstInherited = -1;
    int firstExplicitAllow = -1;
    for (int i = 0; i < dacl.size(); i++) {
      Ace ace = dacl.get(i);
      if (!orders(ace)) {
        continue;
      }
      if (ace.isInherited()) {
        if (firstInherited < 0) {
          firstInherited = i;
        }
        continue;
      }
      if (firstInherited >= 0) {
        out.add(new Violation(i, ace, firstInherited, Violation.Kind.EXPLICIT_AFTER_INHERITED));
        continue;
      }
      if (ace.type().isAllow()) {
        if (firstExplicitAllow < 0) {
          firstExplicitAllow = i;
        }
      } else if (ace.type().isDeny() && firstExplicitAllow >= 0) {
        out.add(new Violation(i, ace, firstExplicitAllow, Violation.Kind.DENY_AFTER_ALLOW));
      }
    }
    return out;
  }

  /**
   * Allow and deny ACEs are ordered; audit, alarm and label ACEs do not belong to a DACL's order.
   */
  private static boolean orders(Ace ace) {
    return ace.type().isAllow() || ace.type().isDeny();
  }

  /** Index just past the explicit block: the first inherited ACE, or the size of the list. */
  public static int endOfExplicit(Acl dacl) {
    for (int i = 0; i < dacl.size(); i++) {
      if (dacl.get(i).isInherited()) {
        return i;
      }
    }
    return dacl.size();
  }

  /**
   * Where {@code ace} belongs: an explicit deny goes at the end of the explicit deny block (just
   * before the first explicit allow), an explicit allow at the end of the explicit block (just
   * before the first inherited ACE), an inherited ACE at the end of the list.
   */
  public static int canonicalIndex(Acl dacl, Ace ace) {
    Objects.requireNonNull(ace, "ace");
    if (ace.isInherited()) {
      return dacl.size();
    }
    int end = endOfExplicit(dacl);
    if (ace.type().isDeny()) {
      for (int i = 0; i < end; i++) {
        if (dacl.get(i).type().isAllow()) {
          return i;
        }
      }
    }
    return end;
  }

  /** A copy of {@code dacl} with {@code ace} inserted at its canonical place. */
  public static Acl insert(Acl dacl, Ace ace) {
    int at = canonicalIndex(dacl, ace);
    List<Ace> aces = new ArrayList<>(dacl.aces());
    aces.add(at, ace);
    return dacl.withAces(aces);
  }

  /**
   * The explicit ACE that {@code wanted} could be merged into by widening its mask: not inherited,
   * same type, same SID, same object GUIDs and the same inheritance flags (OI CI NP IO). Returns
   * its index, the first such ACE in list order.
   */
  public static Optional<Integer> findWidenable(Acl dacl, Ace wanted) {
    for (int i = 0; i < dacl.size(); i++) {
      Ace ace = dacl.get(i);
      if (!ace.isInherited()
          && ace.type() == wanted.type()
          && ace.sid().equals(wanted.sid())
          && ace.inheritance() == wanted.inheritance()
          && Objects.equals(ace.objectType(), wanted.objectType())
          && Objects.equals(ace.inheritedObjectType(), wanted.inheritedObjectType())) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  /** A copy of {@code dacl} where ACE {@code index} also holds the bits of {@code extraMask}. */
  public static Acl widen(Acl dacl, int index, int extraMask) {
    List<Ace> aces = new ArrayList<>(dacl.aces());
    Ace old = aces.get(index);
    aces.set(index, old.withMask(old.mask() | extraMask));
    return dacl.withAces(aces);
  }

  /**
   * Adds what {@code wanted} grants or denies the way a careful administrator would: widen an
   * existing explicit ACE of the same kind when there is one (no new ACE, position unchanged),
   * otherwise insert {@code wanted} at its canonical place. Returns the list unchanged when the
   * matching ACE already holds every bit.
   */
  public static Acl addOrWiden(Acl dacl, Ace wanted) {
    if (wanted.isInherited()) {
      throw new IllegalArgumentException("only explicit ACEs are added to a DACL");
    }
    Optional<Integer> existing = findWidenable(dacl, wanted);
    if (existing.isPresent()) {
      int i = existing.get();
      if (AccessMask.covers(dacl.get(i).mask(), wanted.mask())) {
        return dacl;
      }
      return widen(dacl, i, wanted.mask());
    }
    return insert(dacl, wanted);
  }
}
