package org.wsusfix.security;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The self-relative binary form of a security descriptor (MS-DTYP 2.4.6), laid out as Windows lays
 * it out: the 20-byte header, then the SACL, the DACL, the owner and the group. Absent parts have
 * offset 0. ACL revisions are kept as given (Windows gives 4 once an object ACE is present, 2
 * otherwise; see {@link Acl#of}).
 */
public final class BinaryDescriptor {
  private BinaryDescriptor() {}

  private static final int HEADER = 20;

  /** Size of the encoded form of {@code sd}. */
  public static int length(SecurityDescriptor sd) {
    int size = HEADER;
    if (sd.sacl() != null) {
      size += sd.sacl().binaryLength();
    }
    if (sd.dacl() != null) {
      size += sd.dacl().binaryLength();
    }
    if (sd.owner() != null) {
      size += sd.owner().binaryLength();
    }
    if (sd.group() != null) {
      size += sd.group().binaryLength();
    }
    return size;
  }

  public static byte[] encode(SecurityDescriptor sd) {
    byte[] out = new byte[length(sd)];
    encode(sd, out, 0);
    return out;
  }

  /** Writes {@code sd} at {@code offset}; returns the offset just past it. */
  public static int encode(SecurityDescriptor sd, byte[] out, int offset) {
    int p = offset + HEADER;
    out[offset] = 1; // revision
    out[offset + 1] = 0;
    int control = sd.control() | SecurityDescriptor.SELF_RELATIVE;
    putShort(out, offset + 2, control);
    int owner = 0;
    int group = 0;
    int sacl = 0;
    int dacl = 0;
    if (sd.sacl() != null) {
      sacl = p - offset;
      p = writeAcl(sd.sacl(), out, p);
    }
    if (sd.dacl() != null) {
      dacl = p - offset;
      p = writeAcl(sd.dacl(), out, p);
    }
    if (sd.owner() != null) {
      owner = p - offset;
      p = sd.owner().write(out, p);
    }
    if (sd.group() != null) {
      group = p - offset;
      p = sd.group().write(out, p);
    }
    putInt(out, offset + 4, owner);
    putInt(out, offset + 8, group);
    putInt(out, offset + 12, sacl);
    putInt(out, offset + 16, dacl);
    return p;
  }

  private static int writeAcl(Acl acl, byte[] out, int offset) {
    int size = acl.binaryLength();
    if (size > 0xFFFF) {
      throw new IllegalArgumentException("ACL of " + size + " bytes exceeds the 64 KiB limit");
    }
    out[offset] = (byte) acl.revision();
    out[offset + 1] = 0;
    putShort(out, offset + 2, size);
    putShort(out, offset + 4, acl.size());
    putShort(out, offset + 6, 0);
    int p = offset + 8;
    List<Ace> aces = acl.aces();
    for (int i = 0, n = aces.size(); i < n; i++) {
      p = writeAce(aces.get(i), out, p);
    }
    return p;
  }

  private static int writeAce(Ace ace, byte[] out, int offset) {
    int size = ace.binaryLength();
    out[offset] = (byte) ace.type().code();
    out[offset + 1] = (byte) ace.flags();
    putShort(out, offset + 2, size);
    putInt(out, offset + 4, ace.mask());
    int p = offset + 8;
    if (ace.type().isObject()) {
      int objFlags =
          (ace.objectType() != null ? 1 : 0) | (ace.inheritedObjectType() != null ? 2 : 0);
      putInt(out, p, objFlags);
      p += 4;
      if (ace.objectType() != null) {
        p = writeGuid(ace.objectType(), out, p);
      }
      if (ace.inheritedObjectType() != null) {
        p = writeGuid(ace.inheritedObjectType(), out, p);
      }
    }
    return ace.sid().write(out, p);
  }

  /** GUIDs are stored with their first three fields little-endian (MS-DTYP 2.3.4.2). */
  private static int writeGuid(UUID g, byte[] out, int p) {
    long hi = g.getMostSignificantBits();
    long lo = g.getLeastSignificantBits();
    putInt(out, p, (int) (hi >>> 32));
    putShort(out, p + 4, (int) (hi >>> 16) & 0xFFFF);
    putShort(out, p + 6, (int) hi & 0xFFFF);
    for (int i = 0; i < 8; i++) {
      out[p + 8 + i] = (byte) (lo >>> (56 - 8 * i));
    }
    return p + 16;
  }

  private static UUID readGuid(byte[] d, int p) {
    long hi =
        (getInt(d, p) & 0xFFFFFFFFL) << 32 | (long) getShort(d, p + 4) << 16 | getShort(d, p + 6);
    long lo = 0;
    for (int i = 0; i < 8; i++) {
      lo = (lo << 8) | (d[p + 8 + i] & 0xFF);
    }
    return new UUID(hi, lo);
  }

  /**
   * Decodes a self-relative descriptor that fills {@code data} exactly or is followed only by
   * unused bytes. Offsets and lengths are checked; anything that does not hold together is refused
   * with a message that says where.
   *
   * @throws IllegalArgumentException when the bytes are not a valid self-relative descriptor
   */
  public static SecurityDescriptor decode(byte[] data) {
    if (data.length < HEADER) {
      throw bad("only " + data.length + " bytes; a security descriptor has a 20-byte header");
    }
    if (data[0] != 1) {
      throw bad("revision " + (data[0] & 0xFF) + " (1 expected)");
    }
    int control = getShort(data, 2);
    if ((control & SecurityDescriptor.SELF_RELATIVE) == 0) {
      throw bad(
          "control 0x"
              + Integer.toHexString(control)
              + " lacks SE_SELF_RELATIVE; only the self-relative form can be stored as bytes");
    }
    long ownerOff = getInt(data, 4) & 0xFFFFFFFFL;
    long groupOff = getInt(data, 8) & 0xFFFFFFFFL;
    long saclOff = getInt(data, 12) & 0xFFFFFFFFL;
    long daclOff = getInt(data, 16) & 0xFFFFFFFFL;
    Sid owner = ownerOff == 0 ? null : sidAt(data, ownerOff, "owner");
    Sid group = groupOff == 0 ? null : sidAt(data, groupOff, "group");
    Acl sacl = null;
    Acl dacl = null;
    if ((control & SecurityDescriptor.SACL_PRESENT) != 0) {
      sacl = saclOff == 0 ? null : aclAt(data, saclOff, "SACL");
    } else if (saclOff != 0) {
      throw bad("SACL offset " + saclOff + " set but SE_SACL_PRESENT is not");
    }
    if ((control & SecurityDescriptor.DACL_PRESENT) != 0) {
      dacl = daclOff == 0 ? null : aclAt(data, daclOff, "DACL");
    } else if (daclOff != 0) {
      throw bad("DACL offset " + daclOff + " set but SE_DACL_PRESENT is not");
    }
    return new SecurityDescriptor(control, owner, group, dacl, sacl);
  }

  private static IllegalArgumentException bad(String why) {
    return new IllegalArgumentException("bad security descriptor: " + why);
  }

  private static Sid sidAt(byte[] data, long off, String what) {
    if (off < HEADER || off + 8 > data.length) {
      throw bad(what + " SID offset " + off + " is outside the " + data.length + " bytes");
    }
    int o = (int) off;
    int count = data[o + 1] & 0xFF;
    if (data[o] != 1) {
      throw bad(
          what + " SID at offset " + off + " has revision " + (data[o] & 0xFF) + " (1 expected)");
    }
    if (count > Sid.MAX_SUB_AUTHORITIES) {
      throw bad(
          what + " SID at offset " + off + " claims " + count + " sub-authorities (at most 15)");
    }
    if (o + 8 + 4 * count > data.length) {
      throw bad(what + " SID at offset " + off + " runs past the end of the data");
    }
    return Sid.read(data, o);
  }

  private static Acl aclAt(byte[] data, long off, String what) {
    if (off < HEADER || off + 8 > data.length) {
      throw bad(what + " offset " + off + " is outside the " + data.length + " bytes");
    }
    int o = (int) off;
    int revision = data[o] & 0xFF;
    int size = getShort(data, o + 2);
    int count = getShort(data, o + 4);
    if (revision != Acl.REVISION && revision != Acl.REVISION_DS) {
      throw bad(what + " at offset " + off + " has revision " + revision + " (2 or 4 expected)");
    }
    if (size < 8 || o + size > data.length) {
      throw bad(
          what
              + " at offset "
              + off
              + " has size "
              + size
              + ", which does not fit the "
              + data.length
              + " bytes");
    }
    int end = o + size;
    int p = o + 8;
    List<Ace> aces = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (p + 8 > end) {
        throw bad(what + " ACE " + i + " at offset " + p + " runs past the end of the ACL");
      }
      int typeCode = data[p] & 0xFF;
      int flags = data[p + 1] & 0xFF;
      int aceSize = getShort(data, p + 2);
      if (aceSize < 8 || p + aceSize > end) {
        throw bad(
            what
                + " ACE "
                + i
                + " at offset "
                + p
                + " has size "
                + aceSize
                + ", which does not fit the ACL");
      }
      if ((aceSize & 3) != 0) {
        throw bad(
            what
                + " ACE "
                + i
                + " at offset "
                + p
                + " has size "
                + aceSize
                + " (a multiple of 4 expected)");
      }
      AceType type = AceType.fromCode(typeCode).orElse(null);
      if (type == null) {
        String why =
            AceType.unsupportedReason(typeCode)
                .orElse(String.format("unknown ACE type 0x%02x", typeCode));
        throw bad(what + " ACE " + i + " at offset " + p + ": " + why);
      }
      int mask = getInt(data, p + 4);
      int q = p + 8;
      int aceEnd = p + aceSize;
      UUID object = null;
      UUID inherited = null;
      if (type.isObject()) {
        if (q + 4 > aceEnd) {
          throw bad(what + " object ACE " + i + " at offset " + p + " is too short for its flags");
        }
        int objFlags = getInt(data, q);
        q += 4;
        if ((objFlags & ~3) != 0) {
          throw bad(
              what
                  + " object ACE "
                  + i
                  + " at offset "
                  + p
                  + " has unknown object flags 0x"
                  + Integer.toHexString(objFlags));
        }
        if ((objFlags & 1) != 0) {
          if (q + 16 > aceEnd) {
            throw bad(
                what
                    + " object ACE "
                    + i
                    + " at offset "
                    + p
                    + " is too short for its object GUID");
          }
          object = readGuid(data, q);
          q += 16;
        }
        if ((objFlags & 2) != 0) {
          if (q + 16 > aceEnd) {
            throw bad(
                what
                    + " object ACE "
                    + i
                    + " at offset "
                    + p
                    + " is too short for its inherited object GUID");
          }
          inherited = readGuid(data, q);
          q += 16;
        }
      }
      if (q + 8 > aceEnd) {
        throw bad(what + " ACE " + i + " at offset " + p + " is too short for its SID");
      }
      int subCount = data[q + 1] & 0xFF;
      if (data[q] != 1 || subCount > Sid.MAX_SUB_AUTHORITIES || q + 8 + 4 * subCount > aceEnd) {
        throw bad(what + " ACE " + i + " at offset " + p + " has a malformed SID");
      }
      Sid sid = Sid.read(data, q);
      q += sid.binaryLength();
      if (q != aceEnd) {
        // Ordinary ACEs end with their SID; extra bytes would be lost on re-encoding.
        throw bad(
            what
                + " ACE "
                + i
                + " at offset "
                + p
                + " has "
                + (aceEnd - q)
                + " bytes after its SID");
      }
      aces.add(new Ace(type, flags, mask, object, inherited, sid));
      p = aceEnd;
    }
    return new Acl(revision, aces);
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** Lower-case hex of the encoded descriptor, no separators. */
  public static String toHex(SecurityDescriptor sd) {
    byte[] b = encode(sd);
    char[] c = new char[b.length * 2];
    for (int i = 0; i < b.length; i++) {
      c[2 * i] = HEX[(b[i] >> 4) & 0xF];
      c[2 * i + 1] = HEX[b[i] & 0xF];
    }
    return new String(c);
  }

  /** Decodes hex text (either case, no separators). */
  public static SecurityDescriptor fromHex(CharSequence hex) {
    return decode(hexBytes(hex));
  }

  /** Hex digits to bytes; spaces are not accepted so that mistakes surface. */
  public static byte[] hexBytes(CharSequence hex) {
    int n = hex.length();
    if ((n & 1) != 0) {
      throw new IllegalArgumentException("odd number of hex digits (" + n + ")");
    }
    byte[] out = new byte[n / 2];
    for (int i = 0; i < n; i += 2) {
      int a = Sddl.hexDigit(hex.charAt(i));
      int b = Sddl.hexDigit(hex.charAt(i + 1));
      if (a < 0 || b < 0) {
        int at = a < 0 ? i : i + 1;
        throw new IllegalArgumentException(
            "'"
                + SafeText.escape(String.valueOf(hex.charAt(at)))
                + "' at position "
                + at
                + " is not a hex digit");
      }
      out[i / 2] = (byte) (a << 4 | b);
    }
    return out;
  }

  private static void putShort(byte[] b, int p, int v) {
    b[p] = (byte) v;
    b[p + 1] = (byte) (v >>> 8);
  }

  private static void putInt(byte[] b, int p, int v) {
    b[p] = (byte) v;
    b[p + 1] = (byte) (v >>> 8);
    b[p + 2] = (byte) (v >>> 16);
    b[p + 3] = (byte) (v >>> 24);
  }

  private static int getShort(byte[] b, int p) {
    return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8;
  }

  private static int getInt(byte[] b, int p) {
    return (b[p] & 0xFF)
        | (b[p + 1] & 0xFF) << 8
        | (b[p + 2] & 0xFF) << 16
        | (b[p + 3] & 0xFF) << 24;
  }
}
