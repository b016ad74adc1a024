package org.wsusfix.machine.smb;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough of MS-DTYP for the tests of this package to look inside and build self-relative
 * descriptors, independent of the code under test.
 */
final class Descriptors {
  record Ace(int type, int flags, long mask, String sid) {
    @Override
    public String toString() {
      return String.format("%s:%d/0x%x/0x%08x", sid, type, flags, mask);
    }
  }

  record Parsed(int control, String owner, String group, int aclRevision, List<Ace> aces) {}

  private Descriptors() {}

  static Parsed parse(byte[] sd) {
    int control = u16(sd, 2);
    int owner = (int) u32(sd, 4);
    int group = (int) u32(sd, 8);
    int dacl = (int) u32(sd, 16);
    List<Ace> aces = new ArrayList<>();
    int rev = 0;
    if (dacl != 0) {
      rev = sd[dacl] & 0xff;
      int count = u16(sd, dacl + 4);
      int off = dacl + 8;
      for (int i = 0; i < count; i++) {
        int type = sd[off] & 0xff;
        int flags = sd[off + 1] & 0xff;
        int size = u16(sd, off + 2);
        aces.add(new Ace(type, flags, u32(sd, off + 4), sid(sd, off + 8)));
        off += size;
      }
    }
    return new Parsed(
        control, owner == 0 ? null : sid(sd, owner), group == 0 ? null : sid(sd, group), rev, aces);
  }

  static String sid(byte[] b, int off) {
    int count = b[off + 1] & 0xff;
    long auth = 0;
    for (int i = 2; i < 8; i++) {
      auth = auth << 8 | (b[off + i] & 0xff);
    }
    StringBuilder s = new StringBuilder("S-" + (b[off] & 0xff) + "-" + auth);
    for (int i = 0; i < count; i++) {
      s.append('-').append(u32(b, off + 8 + 4 * i));
    }
    return s.toString();
  }

  static byte[] sidBytes(String sid) {
    String[] p = sid.split("-");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(Integer.parseInt(p[1]));
    out.write(p.length - 3);
    long auth = Long.parseLong(p[2]);
    for (int i = 5; i >= 0; i--) {
      out.write((int) (auth >>> (8 * i)) & 0xff);
    }
    for (int i = 3; i < p.length; i++) {
      putU32(out, Long.parseLong(p[i]));
    }
    return out.toByteArray();
  }

  /**
   * Self-relative descriptor: header with {@code control}, optional owner and group, then the DACL.
   */
  static byte[] build(int control, String owner, String group, int aclRevision, List<Ace> aces) {
    ByteArrayOutputStream acl = new ByteArrayOutputStream();
    for (Ace a : aces) {
      byte[] sid = sidBytes(a.sid());
      acl.write(a.type());
      acl.write(a.flags());
      putU16(acl, 8 + sid.length);
      putU32(acl, a.mask());
      acl.writeBytes(sid);
    }
    byte[] ob = owner == null ? new byte[0] : sidBytes(owner);
    byte[] gb = group == null ? new byte[0] : sidBytes(group);
    int ownerOff = owner == null ? 0 : 20;
    int groupOff = group == null ? 0 : 20 + ob.length;
    int daclOff = 20 + ob.length + gb.length;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(1);
    out.write(0);
    putU16(out, control | 0x8000 | 0x0004);
    putU32(out, ownerOff);
    putU32(out, groupOff);
    putU32(out, 0);
    putU32(out, daclOff);
    out.writeBytes(ob);
    out.writeBytes(gb);
    out.write(aclRevision);
    out.write(0);
    putU16(out, 8 + acl.size());
    putU16(out, aces.size());
    putU16(out, 0);
    out.writeBytes(acl.toByteArray());
    return out.toByteArray();
  }

  /**
   * {@code sd} with {@code ace} inserted after its explicit ACEs (canonical place of an explicit
   * allow).
   */
  static byte[] withExplicitAce(byte[] sd, Ace ace) {
    Parsed p = parse(sd);
    List<Ace> aces = new ArrayList<>(p.aces());
    int pos = 0;
    while (pos < aces.size() && (aces.get(pos).flags() & 0x10) == 0) {
      pos++;
    }
    aces.add(pos, ace);
    return build(p.control() & ~0x8004, p.owner(), p.group(), p.aclRevision(), aces);
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

  private static void putU16(ByteArrayOutputStream o, int v) {
    o.write(v & 0xff);
    o.write((v >>> 8) & 0xff);
  }

  private static void putU32(ByteArrayOutputStream o, long v) {
    for (int i = 0; i < 4; i++) {
      o.write((int) (v >>> (8 * i)) & 0xff);
    }
  }
}
