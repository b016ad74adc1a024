package org.wsusfix.security;

import java.util.List;
import java.util.Objects;

/**
 * An ordered access control list. The revision is kept for byte-exact round trips; it plays no part
 * in semantic equality (Windows writes 2 or 4 for the same meaning).
 */
public record Acl(int revision, List<Ace> aces) {
  public static final int REVISION = 2;
  public static final int REVISION_DS = 4;

  public Acl {
    Objects.requireNonNull(aces, "aces");
    aces = List.copyOf(aces);
    if (revision != REVISION && revision != REVISION_DS) {
      throw new IllegalArgumentException("ACL revision " + revision + " (2 or 4 expected)");
    }
  }

  public static Acl of(List<Ace> aces) {
    return new Acl(revisionFor(aces), aces);
  }

  public static Acl empty() {
    return new Acl(REVISION, List.of());
  }

  /** The revision Windows gives a list with these ACEs: 4 once an object ACE is present. */
  public static int revisionFor(List<Ace> aces) {
    for (Ace ace : aces) {
      if (ace.type().isObject()) {
        return REVISION_DS;
      }
    }
    return REVISION;
  }

  public Acl withAces(List<Ace> newAces) {
    return new Acl(Math.max(revision, revisionFor(newAces)), newAces);
  }

  public int size() {
    return aces.size();
  }

  public Ace get(int i) {
    return aces.get(i);
  }

  /** Same ACEs in the same order; revision ignored. */
  public boolean sameAces(Acl other) {
    return other != null && aces.equals(other.aces);
  }

  /** Size of the binary form: 8-byte header plus the ACEs. */
  public int binaryLength() {
    int size = 8;
    for (Ace ace : aces) {
      size += ace.binaryLength();
    }
    return size;
  }
}
