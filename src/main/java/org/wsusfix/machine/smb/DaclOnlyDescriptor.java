package org.wsusfix.machine.smb;

/**
 * Builds what a DACL-only SET sends (MS-DTYP 2.4.6 self-relative form): the header and the DACL of
 * a descriptor, without owner, group or SACL, so nothing but the DACL can change on the server.
 *
 * <p>Control bits: the DACL bits (present, defaulted, protected, auto-inherited) are kept. When the
 * DACL is auto-inherited (SE_DACL_AUTO_INHERITED) SE_DACL_AUTO_INHERIT_REQ is added: NTFS and Samba
 * keep the auto-inherited flag only when the request asks for it, and an object that lost it makes
 * its future children inherit ACEs without the INHERITED_ACE flag.
 */
final class DaclOnlyDescriptor {
  static final int SE_DACL_PRESENT = 0x0004;
  static final int SE_DACL_DEFAULTED = 0x0008;
  static final int SE_DACL_AUTO_INHERIT_REQ = 0x0100;
  static final int SE_DACL_AUTO_INHERITED = 0x0400;
  static final int SE_DACL_PROTECTED = 0x1000;
  static final int SE_SELF_RELATIVE = 0x8000;

  private static final int HEADER = 20;
  private static final int KEPT =
      SE_DACL_PRESENT
          | SE_DACL_DEFAULTED
          | SE_DACL_AUTO_INHERIT_REQ
          | SE_DACL_AUTO_INHERITED
          | SE_DACL_PROTECTED;

  private DaclOnlyDescriptor() {}

  /**
   * @throws IllegalArgumentException when the bytes are not a self-relative descriptor with a DACL
   *     that lies inside them
   */
  static byte[] from(byte[] sd) {
    if (sd == null || sd.length < HEADER) {
      throw new IllegalArgumentException("security descriptor shorter than its 20-byte header");
    }
    if (sd[0] != 1) {
      throw new IllegalArgumentException(
          "security descriptor revision " + (sd[0] & 0xff) + ", expected 1");
    }
    int control = u16(sd, 2);
    if ((control & SE_SELF_RELATIVE) == 0) {
      throw new IllegalArgumentException("security descriptor is not self-relative");
    }
    if ((control & SE_DACL_PRESENT) == 0) {
      throw new IllegalArgumentException("security descriptor has no DACL to write");
    }
    int daclOffset = (int) u32(sd, 16);
    int newControl = (control & KEPT) | SE_SELF_RELATIVE;
    if ((control & SE_DACL_AUTO_INHERITED) != 0) {
      newControl |= SE_DACL_AUTO_INHERIT_REQ;
    }
    byte[] acl = new byte[0];
    if (daclOffset != 0) { // offset 0 with DACL present is a NULL DACL (no protection at all)
      if (daclOffset < HEADER || daclOffset + 8 > sd.length) {
        throw new IllegalArgumentException(
            "DACL offset " + daclOffset + " outside the " + sd.length + "-byte descriptor");
      }
      int aclSize = u16(sd, daclOffset + 2);
      if (aclSize < 8 || daclOffset + aclSize > sd.length) {
        throw new IllegalArgumentException(
            "DACL of " + aclSize + " bytes does not fit the " + sd.length + "-byte descriptor");
      }
      acl = java.util.Arrays.copyOfRange(sd, daclOffset, daclOffset + aclSize);
    }
    byte[] out = new byte[HEADER + acl.length];
    out[0] = 1;
    out[2] = (byte) newControl;
    out[3] = (byte) (newControl >>> 8);
    if (acl.length > 0) {
      out[16] = HEADER; // owner, group and SACL offsets stay 0
      System.arraycopy(acl, 0, out, HEADER, acl.length);
    }
    return out;
  }

  static int control(byte[] sd) {
    return u16(sd, 2);
  }

  private static int u16(byte[] b, int off) {
    return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
  }

  private static long u32(byte[] b, int off) {
    return (b[off] & 0xffL)
        | (b[off + 1] & 0xffL) << 8
        | (b[off + 2] & 0xffL) << 16
        | (b[off + 3] & 0xffL) << 24;
  }
}
