package org.wsusfix.resource.folder;

import org.wsusfix.security.SecurityDescriptor;

/** Rules every DACL write follows, forward and backward. */
public final class DaclWrites {
  private DaclWrites() {}

  private static final int DACL_MEANING =
      SecurityDescriptor.DACL_PROTECTED | SecurityDescriptor.DACL_AUTO_INHERITED;

  /**
   * An auto-inherited DACL keeps that flag only if the write asks for it with
   * SE_DACL_AUTO_INHERIT_REQ; without it children created later lose their ID flags.
   */
  public static SecurityDescriptor forWrite(SecurityDescriptor sd) {
    return sd.isDaclAutoInherited()
        ? sd.withControl(sd.control() | SecurityDescriptor.DACL_AUTO_INHERIT_REQ)
        : sd;
  }

  /** Same DACL: same ACEs in the same order, same protection and auto-inherit bits. */
  public static boolean sameDacl(SecurityDescriptor a, SecurityDescriptor b) {
    if ((a.control() & DACL_MEANING) != (b.control() & DACL_MEANING)
        || a.daclPresent() != b.daclPresent()) {
      return false;
    }
    return a.dacl() == null ? b.dacl() == null : a.dacl().sameAces(b.dacl());
  }
}
