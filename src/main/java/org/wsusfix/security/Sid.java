package org.wsusfix.security;

import java.util.Arrays;

/**
 * A Windows security identifier (MS-DTYP 2.4.2). Immutable; compares by value.
 *
 * <p>String form {@code S-1-<authority>-<sub>...}; authorities of 2^32 and above print as {@code
 * 0x} followed by upper-case hex digits without padding, as Windows' SDDL output does.
 */
public final class Sid implements Comparable<Sid> {
  public static final int MAX_SUB_AUTHORITIES = 15;
  private static final long MAX_AUTHORITY = (1L << 48) - 1;

  private final long authority;
  private final int[] subAuthorities;

  private Sid(long authority, int[] subAuthorities) {
    this.authority = authority;
    this.subAuthorities = subAuthorities;
  }

  /**
   * Builds a SID from its identifier authority and sub-authorities (each an unsigned 32-bit value).
   */
  public static Sid of(long authority, long... subAuthorities) {
    if (authority < 0 || authority > MAX_AUTHORITY) {
      throw new IllegalArgumentException("SID authority out of range: " + authority);
    }
    if (subAuthorities.length > MAX_SUB_AUTHORITIES) {
      throw new IllegalArgumentException("a SID has at most 15 sub-authorities");
    }
    int[] subs = new int[subAuthorities.length];
    for (int i = 0; i < subs.length; i++) {
      if (subAuthorities[i] < 0 || subAuthorities[i] > 0xFFFFFFFFL) {
        throw new IllegalArgumentException("SID sub-authority out of range: " + subAuthorities[i]);
      }
      subs[i] = (int) subAuthorities[i];
    }
    return new Sid(authority, subs);
  }

  /** Builds a SID from parts the caller already checked; the array is not copied. */
  static Sid ofChecked(long authority, int[] subAuthorities) {
    return new Sid(authority, subAuthorities);
  }

  /** Writes the string form into {@code out} without building a String. */
  void appendTo(StringBuilder out) {
    if (authority >= (1L << 32)) {
      out.append("S-1-0x").append(Long.toHexString(authority).toUpperCase(java.util.Locale.ROOT));
    } else {
      out.append("S-1-").append(authority);
    }
    for (int sub : subAuthorities) {
      out.append('-').append(Integer.toUnsignedLong(sub));
    }
  }

  /**
   * Parses {@code S-1-...}. Accepts what ConvertStringSidToSid accepts for ordinary SIDs: any case
   * of the leading S, decimal components, and a {@code 0x} hex authority.
   *
   * @throws IllegalArgumentException with the reason when the text is not a SID
   */
  public static Sid parse(String text) {
    if (text == null
        || text.length() < 4
        || (text.charAt(0) != 'S' && text.charAt(0) != 's')
        || text.charAt(1) != '-') {
      throw new IllegalArgumentException("not a SID: '" + text + "'");
    }
    String[] parts = text.substring(2).split("-", -1);
    if (parts.length < 2 || !parts[0].equals("1")) {
      throw new IllegalArgumentException(
          "not a SID (revision 1 with an authority expected): '" + text + "'");
    }
    long authority = parseNumber(parts[1], MAX_AUTHORITY, text);
    long[] subs = new long[parts.length - 2];
    for (int i = 0; i < subs.length; i++) {
      subs[i] = parseNumber(parts[i + 2], 0xFFFFFFFFL, text);
    }
    if (subs.length > MAX_SUB_AUTHORITIES) {
      throw new IllegalArgumentException("too many sub-authorities (at most 15): '" + text + "'");
    }
    return of(authority, subs);
  }

  /** True when the text has the shape of a SID string (it may still be out of range). */
  public static boolean looksLikeSid(String text) {
    return text != null
        && text.length() > 4
        && (text.startsWith("S-1-") || text.startsWith("s-1-"));
  }

  private static long parseNumber(String part, long max, String whole) {
    try {
      long value;
      if (part.startsWith("0x") || part.startsWith("0X")) {
        value = Long.parseLong(part.substring(2), 16);
      } else {
        if (part.isEmpty() || !part.chars().allMatch(Character::isDigit)) {
          throw new NumberFormatException();
        }
        value = Long.parseLong(part);
      }
      if (value > max) {
        throw new IllegalArgumentException("SID component out of range in '" + whole + "'");
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a SID (bad number '" + part + "'): '" + whole + "'");
    }
  }

  /** Reads the binary form at {@code offset}; see {@link #binaryLength()} for how much it used. */
  public static Sid read(byte[] data, int offset) {
    if (offset < 0 || offset + 8 > data.length) {
      throw new IllegalArgumentException("SID runs past the end of the data at offset " + offset);
    }
    int revision = data[offset] & 0xFF;
    int count = data[offset + 1] & 0xFF;
    if (revision != 1) {
      throw new IllegalArgumentException(
          "SID revision " + revision + " at offset " + offset + " (1 expected)");
    }
    if (count > MAX_SUB_AUTHORITIES) {
      throw new IllegalArgumentException(
          "SID with " + count + " sub-authorities at offset " + offset);
    }
    if (offset + 8 + 4 * count > data.length) {
      throw new IllegalArgumentException("SID runs past the end of the data at offset " + offset);
    }
    long authority = 0;
    for (int i = 2; i < 8; i++) {
      authority = (authority << 8) | (data[offset + i] & 0xFF);
    }
    int[] subs = new int[count];
    for (int i = 0; i < count; i++) {
      int p = offset + 8 + 4 * i;
      subs[i] =
          (data[p] & 0xFF)
              | (data[p + 1] & 0xFF) << 8
              | (data[p + 2] & 0xFF) << 16
              | (data[p + 3] & 0xFF) << 24;
    }
    return new Sid(authority, subs);
  }

  /** Writes the binary form at {@code offset}; returns the offset just past it. */
  public int write(byte[] out, int offset) {
    out[offset] = 1;
    out[offset + 1] = (byte) subAuthorities.length;
    for (int i = 0; i < 6; i++) {
      out[offset + 2 + i] = (byte) (authority >>> (8 * (5 - i)));
    }
    int p = offset + 8;
    for (int sub : subAuthorities) {
      out[p++] = (byte) sub;
      out[p++] = (byte) (sub >>> 8);
      out[p++] = (byte) (sub >>> 16);
      out[p++] = (byte) (sub >>> 24);
    }
    return p;
  }

  public byte[] toBytes() {
    byte[] out = new byte[binaryLength()];
    write(out, 0);
    return out;
  }

  public int binaryLength() {
    return 8 + 4 * subAuthorities.length;
  }

  public long authority() {
    return authority;
  }

  public int subAuthorityCount() {
    return subAuthorities.length;
  }

  /** Sub-authority {@code i} as an unsigned value. */
  public long subAuthority(int i) {
    return subAuthorities[i] & 0xFFFFFFFFL;
  }

  /** The last sub-authority (the RID), or -1 for a SID without sub-authorities. */
  public long rid() {
    return subAuthorities.length == 0 ? -1 : subAuthority(subAuthorities.length - 1);
  }

  /** This SID with one more sub-authority: a domain SID plus a RID. */
  public Sid withRid(long rid) {
    long[] subs = new long[subAuthorities.length + 1];
    for (int i = 0; i < subAuthorities.length; i++) {
      subs[i] = subAuthority(i);
    }
    subs[subAuthorities.length] = rid;
    return of(authority, subs);
  }

  /** This SID without its last sub-authority (the domain of an account SID). */
  public Sid domain() {
    if (subAuthorities.length == 0) {
      throw new IllegalStateException(this + " has no sub-authorities");
    }
    long[] subs = new long[subAuthorities.length - 1];
    for (int i = 0; i < subs.length; i++) {
      subs[i] = subAuthority(i);
    }
    return of(authority, subs);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(16 + 11 * subAuthorities.length).append("S-1-");
    if (authority >= (1L << 32)) {
      // Windows writes large authorities as unpadded upper-case hex (S-1-0x12A05F200-...).
      s.append("0x").append(Long.toHexString(authority).toUpperCase(java.util.Locale.ROOT));
    } else {
      s.append(authority);
    }
    for (int sub : subAuthorities) {
      s.append('-').append(Integer.toUnsignedString(sub));
    }
    return s.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Sid other
        && authority == other.authority
        && Arrays.equals(subAuthorities, other.subAuthorities);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(authority) * 31 + Arrays.hashCode(subAuthorities);
  }

  @Override
  public int compareTo(Sid o) {
    int c = Long.compare(authority, o.authority);
    if (c != 0) {
      return c;
    }
    for (int i = 0; i < Math.min(subAuthorities.length, o.subAuthorities.length); i++) {
      c = Integer.compareUnsigned(subAuthorities[i], o.subAuthorities[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(subAuthorities.length, o.subAuthorities.length);
  }
}
