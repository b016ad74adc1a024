package org.wsusfix.security;

import java.util.ArrayList;
import java.util.List;

/** ACE header flags (MS-DTYP 2.4.4.1) and their SDDL / icacls spellings. */
public final class AceFlags {
  private AceFlags() {}

  public static final int OBJECT_INHERIT = 0x01;
  public static final int CONTAINER_INHERIT = 0x02;
  public static final int NO_PROPAGATE_INHERIT = 0x04;
  public static final int INHERIT_ONLY = 0x08;
  public static final int INHERITED = 0x10;
  public static final int CRITICAL = 0x20;
  public static final int SUCCESSFUL_ACCESS = 0x40;
  public static final int FAILED_ACCESS = 0x80;

  public static final int INHERITANCE_FLAGS =
      OBJECT_INHERIT | CONTAINER_INHERIT | NO_PROPAGATE_INHERIT | INHERIT_ONLY;

  /** icacls-style flag list, e.g. {@code (OI)(CI)(IO)}; inherited shows as {@code (I)}. */
  public static String icacls(int flags) {
    StringBuilder s = new StringBuilder();
    if ((flags & INHERITED) != 0) {
      s.append("(I)");
    }
    if ((flags & OBJECT_INHERIT) != 0) {
      s.append("(OI)");
    }
    if ((flags & CONTAINER_INHERIT) != 0) {
      s.append("(CI)");
    }
    if ((flags & INHERIT_ONLY) != 0) {
      s.append("(IO)");
    }
    if ((flags & NO_PROPAGATE_INHERIT) != 0) {
      s.append("(NP)");
    }
    return s.toString();
  }

  /** Names of the inheritance flags as policies spell them: OI, CI, NP, IO. */
  public static List<String> inheritanceNames(int flags) {
    List<String> names = new ArrayList<>();
    if ((flags & OBJECT_INHERIT) != 0) {
      names.add("OI");
    }
    if ((flags & CONTAINER_INHERIT) != 0) {
      names.add("CI");
    }
    if ((flags & NO_PROPAGATE_INHERIT) != 0) {
      names.add("NP");
    }
    if ((flags & INHERIT_ONLY) != 0) {
      names.add("IO");
    }
    return names;
  }
}
