package org.wsusfix.security;

import java.util.Objects;

/**
 * A security descriptor: control flags, owner, group, DACL and SACL (MS-DTYP 2.4.6).
 *
 * <p>A null {@code dacl} with {@link #DACL_PRESENT} set is a NULL DACL (everyone gets everything);
 * a present, empty DACL denies everyone. Without {@link #DACL_PRESENT} the descriptor carries no
 * DACL at all. The SACL follows the same rule with {@link #SACL_PRESENT}.
 */
public record SecurityDescriptor(int control, Sid owner, Sid group, Acl dacl, Acl sacl) {
  public static final int OWNER_DEFAULTED = 0x0001;
  public static final int GROUP_DEFAULTED = 0x0002;
  public static final int DACL_PRESENT = 0x0004;
  public static final int DACL_DEFAULTED = 0x0008;
  public static final int SACL_PRESENT = 0x0010;
  public static final int SACL_DEFAULTED = 0x0020;
  public static final int DACL_TRUSTED = 0x0040;
  public static final int SERVER_SECURITY = 0x0080;
  public static final int DACL_AUTO_INHERIT_REQ = 0x0100;
  public static final int SACL_AUTO_INHERIT_REQ = 0x0200;
  public static final int DACL_AUTO_INHERITED = 0x0400;
  public static final int SACL_AUTO_INHERITED = 0x0800;
  public static final int DACL_PROTECTED = 0x1000;
  public static final int SACL_PROTECTED = 0x2000;
  public static final int RM_CONTROL_VALID = 0x4000;
  public static final int SELF_RELATIVE = 0x8000;

  public SecurityDescriptor {
    if ((control & ~0xFFFF) != 0) {
      throw new IllegalArgumentException("control is 16 bits: " + control);
    }
    if (dacl != null && (control & DACL_PRESENT) == 0) {
      throw new IllegalArgumentException("a DACL without SE_DACL_PRESENT");
    }
    if (sacl != null && (control & SACL_PRESENT) == 0) {
      throw new IllegalArgumentException("a SACL without SE_SACL_PRESENT");
    }
  }

  /** A descriptor with owner, group and a DACL; control is DACL_PRESENT plus {@code extra}. */
  public static SecurityDescriptor withDacl(Sid owner, Sid group, Acl dacl, int extraControl) {
    return new SecurityDescriptor(
        SELF_RELATIVE | DACL_PRESENT | extraControl,
        owner,
        group,
        Objects.requireNonNull(dacl),
        null);
  }

  public boolean has(int controlBit) {
    return (control & controlBit) != 0;
  }

  public boolean daclPresent() {
    return has(DACL_PRESENT);
  }

  /** DACL present but null: no protection at all. */
  public boolean isNullDacl() {
    return daclPresent() && dacl == null;
  }

  public boolean isDaclProtected() {
    return has(DACL_PROTECTED);
  }

  public boolean isDaclAutoInherited() {
    return has(DACL_AUTO_INHERITED);
  }

  public SecurityDescriptor withDacl(Acl newDacl) {
    return new SecurityDescriptor(control | DACL_PRESENT, owner, group, newDacl, sacl);
  }

  public SecurityDescriptor withControl(int newControl) {
    return new SecurityDescriptor(newControl, owner, group, dacl, sacl);
  }

  /** Only owner, group and DACL: what file tools read and write day to day. */
  public SecurityDescriptor withoutSacl() {
    return new SecurityDescriptor(
        control
            & ~(SACL_PRESENT
                | SACL_AUTO_INHERITED
                | SACL_PROTECTED
                | SACL_DEFAULTED
                | SACL_AUTO_INHERIT_REQ),
        owner,
        group,
        dacl,
        null);
  }

  /**
   * Same meaning: control (ignoring the self-relative bit, which only says how the bytes were laid
   * out), owner, group, and the ordered ACEs of both lists. ACL revisions may differ.
   */
  public boolean semanticallyEquals(SecurityDescriptor other) {
    if (other == null) {
      return false;
    }
    return (control & ~SELF_RELATIVE) == (other.control & ~SELF_RELATIVE)
        && Objects.equals(owner, other.owner)
        && Objects.equals(group, other.group)
        && sameList(dacl, other.dacl)
        && sameList(sacl, other.sacl);
  }

  private static boolean sameList(Acl a, Acl b) {
    return a == null ? b == null : a.sameAces(b);
  }
}
