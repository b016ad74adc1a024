package org.wsusfix.security;

/**
 * How an ACE is inherited: a combination of object inherit, container inherit, no-propagate and
 * inherit-only (the ACE flag bits OI, CI, NP, IO). Its own type so that it cannot be passed where
 * an access mask is expected.
 */
public record InheritFlags(int bits) {
  public static final InheritFlags NONE = new InheritFlags(0);
  public static final InheritFlags OBJECT_AND_CONTAINER =
      new InheritFlags(AceFlags.OBJECT_INHERIT | AceFlags.CONTAINER_INHERIT);

  public InheritFlags {
    if ((bits & ~AceFlags.INHERITANCE_FLAGS) != 0) {
      throw new IllegalArgumentException(
          "inheritance may only use OI, CI, NP, IO: 0x" + Integer.toHexString(bits));
    }
  }

  public static InheritFlags of(int bits) {
    return bits == 0 ? NONE : new InheritFlags(bits);
  }

  /** As icacls writes it: {@code (OI)(CI)}, empty for none. */
  public String icacls() {
    return AceFlags.icacls(bits);
  }

  @Override
  public String toString() {
    return bits == 0 ? "none" : icacls();
  }
}
