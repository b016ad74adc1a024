package org.wsusfix.machine.windows;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.WinNT;
import org.wsusfix.security.Sid;

/**
 * Reads and writes the few native layouts the Windows target touches. Strings are read as UTF-16
 * code units explicitly rather than through wchar_t, so the same code runs (and is tested) where
 * wchar_t is four bytes.
 */
final class NativeData {
  private NativeData() {}

  /**
   * WIN32_FIND_DATAW: attributes at 0, three FILETIMEs, sizes and reserved words, then cFileName.
   */
  static final int FIND_DATA_SIZE = 592;

  static final int FIND_ATTRIBUTES = 0;
  static final int FIND_FILE_NAME = 44;
  static final int MAX_PATH = 260;

  /** A NUL-terminated UTF-16 string of at most {@code maxChars} code units. */
  static String wide(Pointer p, long offset, int maxChars) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < maxChars; i++) {
      char c = (char) p.getShort(offset + 2L * i);
      if (c == 0) {
        break;
      }
      sb.append(c);
    }
    return sb.toString();
  }

  /** Writes {@code s} NUL-terminated as UTF-16 at {@code offset}. */
  static void putWide(Pointer p, long offset, String s) {
    for (int i = 0; i < s.length(); i++) {
      p.setShort(offset + 2L * i, (short) s.charAt(i));
    }
    p.setShort(offset + 2L * s.length(), (short) 0);
  }

  /** Text up to the first NUL of a buffer Windows filled. */
  static String text(char[] buf) {
    int n = 0;
    while (n < buf.length && buf[n] != 0) {
      n++;
    }
    return new String(buf, 0, n);
  }

  /** The SID a PSID points at; its length follows from the sub-authority count in byte 1. */
  static Sid sidAt(Pointer psid) {
    int count = psid.getByte(1) & 0xFF;
    if (count > Sid.MAX_SUB_AUTHORITIES) {
      throw new IllegalArgumentException("bad SID from Windows: " + count + " sub-authorities");
    }
    return Sid.read(psid.getByteArray(0, 8 + 4 * count), 0);
  }

  static WinNT.PSID psid(Sid sid) {
    return new WinNT.PSID(sid.toBytes());
  }

  /** One LOCALGROUP_MEMBERS_INFO_0 (a single PSID field) and the SID it points to. */
  static Memory membersInfo0(Sid member) {
    byte[] bytes = member.toBytes();
    Memory info = new Memory(Native.POINTER_SIZE + bytes.length);
    Pointer sid = info.share(Native.POINTER_SIZE);
    sid.write(0, bytes, 0, bytes.length);
    info.setPointer(0, sid);
    return info;
  }

  /** Element {@code i} of an array of pointer-sized structures whose first field is a pointer. */
  static Pointer pointerAt(Pointer array, int i) {
    return array.getPointer((long) i * Native.POINTER_SIZE);
  }

  /**
   * An LSA_UNICODE_STRING (USHORT Length, USHORT MaximumLength, PWSTR Buffer, lengths in bytes
   * without a terminator) followed by its characters, in one block that keeps both alive.
   */
  static Memory lsaString(String s) {
    byte[] chars = s.getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
    int header = 2 * Native.POINTER_SIZE;
    Memory m = new Memory(header + chars.length + 2L);
    m.clear();
    m.setShort(0, (short) chars.length);
    m.setShort(2, (short) chars.length);
    Pointer text = m.share(header);
    text.write(0, chars, 0, chars.length);
    m.setPointer(Native.POINTER_SIZE, text);
    return m;
  }
}
