package org.wsusfix.machine.windows;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.List;
import java.util.Map;
import org.mockito.MockMakers;
import org.wsusfix.security.Sid;

/**
 * Mocks of the JNA library interfaces, and the native buffers Windows would fill, built in real
 * native memory. JNA's interfaces are mocked by subclassing: the inline mock maker cannot
 * retransform their hierarchy.
 */
final class Win32Mocks {
  final Advapi32 advapi32 = jna(Advapi32.class);
  final Kernel32 kernel32 = jna(Kernel32.class);
  final NetLocalGroups netapi32 = jna(NetLocalGroups.class);
  final LsaPolicy lsa = jna(LsaPolicy.class);

  static final Sid MACHINE = Sid.parse("S-1-5-21-1111111111-2222222222-3333333333");
  static final Sid USERS = Sid.parse("S-1-5-32-545");
  static final Sid IIS_IUSRS = Sid.parse("S-1-5-32-568");
  static final Sid AUTHENTICATED_USERS = Sid.parse("S-1-5-11");
  static final Sid INTERACTIVE = Sid.parse("S-1-5-4");
  static final Sid IUSR = Sid.parse("S-1-5-17");

  static <T> T jna(Class<T> type) {
    return mock(type, withSettings().mockMaker(MockMakers.SUBCLASS));
  }

  WindowsTarget target() {
    return new WindowsTarget(
        advapi32,
        kernel32,
        netapi32,
        lsa,
        Map.of("SystemRoot", "C:\\Windows", "windir", "C:\\Windows", "COMPUTERNAME", "WSUS01"),
        Map.of());
  }

  static WinNT.HANDLE handle(long value) {
    return new WinNT.HANDLE(new Pointer(value));
  }

  static WinNT.HANDLE invalidHandle() {
    // (HANDLE) -1 at the JVM's pointer size
    return new WinNT.HANDLE(Pointer.createConstant(Native.POINTER_SIZE == 8 ? -1L : 0xFFFFFFFFL));
  }

  /** LookupAccountName resolves {@code name} to {@code sid} of SID_NAME_USE {@code use}. */
  void account(String name, Sid sid, int use, String domain) {
    when(advapi32.LookupAccountName(isNull(), eq(name), any(), any(), any(), any(), any()))
        .thenAnswer(
            inv -> {
              WinNT.PSID psid = inv.getArgument(2);
              byte[] bytes = sid.toBytes();
              psid.getPointer().write(0, bytes, 0, bytes.length);
              ((IntByReference) inv.getArgument(3)).setValue(bytes.length);
              char[] d = inv.getArgument(4);
              domain.getChars(0, domain.length(), d, 0);
              ((IntByReference) inv.getArgument(5)).setValue(domain.length());
              ((PointerByReference) inv.getArgument(6)).getPointer().setInt(0, use);
              return true;
            });
  }

  /** LookupAccountSid names {@code sid} as DOMAIN\NAME. */
  void name(Sid sid, String domain, String name) {
    when(advapi32.LookupAccountSid(isNull(), eqSid(sid), any(), any(), any(), any(), any()))
        .thenAnswer(
            inv -> {
              char[] n = inv.getArgument(2);
              name.getChars(0, name.length(), n, 0);
              char[] d = inv.getArgument(4);
              domain.getChars(0, domain.length(), d, 0);
              ((PointerByReference) inv.getArgument(6)).getPointer().setInt(0, 4);
              return true;
            });
  }

  static WinNT.PSID eqSid(Sid sid) {
    return org.mockito.ArgumentMatchers.argThat(
        p -> p != null && NativeData.sidAt(p.getPointer()).equals(sid));
  }

  /** A NET_API buffer of LOCALGROUP_MEMBERS_INFO_0: pointers, then the SIDs they point to. */
  static Memory membersBuffer(List<Sid> members) {
    int size = members.size() * Native.POINTER_SIZE;
    for (Sid s : members) {
      size += s.binaryLength();
    }
    Memory buf = new Memory(Math.max(size, 1));
    long at = (long) members.size() * Native.POINTER_SIZE;
    for (int i = 0; i < members.size(); i++) {
      byte[] b = members.get(i).toBytes();
      buf.write(at, b, 0, b.length);
      buf.setPointer((long) i * Native.POINTER_SIZE, buf.share(at));
      at += b.length;
    }
    return buf;
  }

  /** A NET_API buffer of LOCALGROUP_INFO_0: pointers to UTF-16 names. */
  static Memory namesBuffer(List<String> names) {
    int size = names.size() * Native.POINTER_SIZE;
    for (String n : names) {
      size += 2 * (n.length() + 1);
    }
    Memory buf = new Memory(size);
    long at = (long) names.size() * Native.POINTER_SIZE;
    for (int i = 0; i < names.size(); i++) {
      NativeData.putWide(buf, at, names.get(i));
      buf.setPointer((long) i * Native.POINTER_SIZE, buf.share(at));
      at += 2L * (names.get(i).length() + 1);
    }
    return buf;
  }

  /** NetLocalGroupGetMembers on {@code group} returns {@code members}. */
  Memory members(String group, Sid... members) {
    Memory buf = membersBuffer(List.of(members));
    when(netapi32.NetLocalGroupGetMembers(
            isNull(), eq(group), eq(0), any(), eq(-1), any(), any(), isNull()))
        .thenAnswer(
            inv -> {
              ((PointerByReference) inv.getArgument(3)).setValue(buf);
              ((IntByReference) inv.getArgument(5)).setValue(members.length);
              ((IntByReference) inv.getArgument(6)).setValue(members.length);
              return 0;
            });
    return buf;
  }
}
