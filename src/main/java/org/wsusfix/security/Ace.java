package org.wsusfix.security;

import java.util.Objects;
import java.util.UUID;

/**
 * One access control entry. {@code objectType} and {@code inheritedObjectType} are only used by
 * object ACE types and are null when absent. For mandatory-label ACEs the mask holds the policy
 * bits (no-write-up 1, no-read-up 2, no-execute-up 4).
 */
public record Ace(
    AceType type, int flags, int mask, UUID objectType, UUID inheritedObjectType, Sid sid) {
  public Ace {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(sid, "sid");
    if ((flags & ~0xFF) != 0) {
      throw new IllegalArgumentException("ACE flags are one byte: " + flags);
    }
    if (!type.isObject() && (objectType != null || inheritedObjectType != null)) {
      throw new IllegalArgumentException(type + " ACEs carry no object GUIDs");
    }
  }

  public static Ace allow(Sid sid, int mask, int flags) {
    return new Ace(AceType.ACCESS_ALLOWED, flags, mask, null, null, sid);
  }

  public static Ace deny(Sid sid, int mask, int flags) {
    return new Ace(AceType.ACCESS_DENIED, flags, mask, null, null, sid);
  }

  public boolean isInherited() {
    return (flags & AceFlags.INHERITED) != 0;
  }

  public boolean isInheritOnly() {
    return (flags & AceFlags.INHERIT_ONLY) != 0;
  }

  /** The inheritance flags OI, CI, NP, IO of this ACE. */
  public int inheritance() {
    return flags & AceFlags.INHERITANCE_FLAGS;
  }

  public Ace withFlags(int newFlags) {
    return new Ace(type, newFlags, mask, objectType, inheritedObjectType, sid);
  }

  public Ace withMask(int newMask) {
    return new Ace(type, flags, newMask, objectType, inheritedObjectType, sid);
  }

  public Ace withSid(Sid newSid) {
    return new Ace(type, flags, mask, objectType, inheritedObjectType, newSid);
  }

  /** Size of the binary form (MS-DTYP 2.4.4): header, mask, object part, SID. */
  public int binaryLength() {
    int size = 8 + sid.binaryLength();
    if (type.isObject()) {
      size += 4 + (objectType != null ? 16 : 0) + (inheritedObjectType != null ? 16 : 0);
    }
    return size;
  }
}
