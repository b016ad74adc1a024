package org.wsusfix.machine.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyByte;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.platform.win32.WinReg;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.wsusfix.machine.RegistryAccess;
import org.wsusfix.machine.RightsAccess;
import org.wsusfix.machine.TargetException;
import org.wsusfix.security.BinaryDescriptor;
import org.wsusfix.security.Sddl;
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;

/**
 * Registry keys and user rights of the Windows target, against mocked advapi32 and LSA functions.
 */
class WindowsKeysAndRightsTest {
  static final String KEY = "HKLM\\SOFTWARE\\Microsoft\\Update Services\\Server";
  static final String SDDL = "O:BAG:SYD:PAI(A;CI;KA;;;SY)(A;CI;KA;;;BA)";

  final Win32Mocks w = new Win32Mocks();
  final WindowsTarget target = w.target();
  final RegistryAccess keys = target.registry().orElseThrow();
  final RightsAccess rights = target.rights().orElseThrow();

  /** The string an LSA_UNICODE_STRING in native memory holds. */
  static String lsaText(Pointer p) {
    if (p == null) {
      return null; // Mockito matches earlier stubs against the null arguments of later stubbing
      // calls
    }
    int bytes = p.getShort(0) & 0xFFFF;
    return new String(
        p.getPointer(Native.POINTER_SIZE).getByteArray(0, bytes), StandardCharsets.UTF_16LE);
  }

  @Test
  void keysAreReadAndWrittenAsRegistryObjectsThatPropagateThemselves() {
    byte[] bytes = BinaryDescriptor.encode(Sddl.parse(SDDL, Win32Mocks.MACHINE));
    Memory sd = new Memory(bytes.length);
    sd.write(0, bytes, 0, bytes.length);
    when(w.advapi32.GetNamedSecurityInfo(
            anyString(), anyInt(), anyInt(), any(), any(), any(), any(), any()))
        .thenAnswer(
            inv -> {
              ((PointerByReference) inv.getArgument(7)).setValue(sd);
              return 0;
            });
    when(w.advapi32.GetSecurityDescriptorLength(any())).thenReturn(bytes.length);
    SecurityDescriptor read = keys.readKey(KEY);
    assertEquals(SDDL, Sddl.format(read, Win32Mocks.MACHINE));
    verify(w.advapi32)
        .GetNamedSecurityInfo(
            eq("MACHINE\\SOFTWARE\\Microsoft\\Update Services\\Server"),
            eq(4),
            eq(
                WinNT.OWNER_SECURITY_INFORMATION
                    | WinNT.GROUP_SECURITY_INFORMATION
                    | WinNT.DACL_SECURITY_INFORMATION),
            isNull(),
            isNull(),
            isNull(),
            isNull(),
            any());

    keys.writer().orElseThrow().writeKeyDacl(KEY, read);
    verify(w.advapi32)
        .SetNamedSecurityInfo(
            eq("MACHINE\\SOFTWARE\\Microsoft\\Update Services\\Server"),
            eq(4),
            eq(WinNT.DACL_SECURITY_INFORMATION | WinNT.PROTECTED_DACL_SECURITY_INFORMATION),
            isNull(),
            isNull(),
            any(),
            isNull());
    assertTrue(keys.propagatesBySelf());
  }

  @Test
  void aStringValueIsReadInTwoCallsAndCutAtItsTerminator() {
    String setup = "SOFTWARE\\Microsoft\\Update Services\\Server\\Setup";
    when(w.advapi32.RegOpenKeyEx(eq(WinReg.HKEY_LOCAL_MACHINE), eq(setup), eq(0), eq(0x1), any()))
        .thenReturn(0);
    byte[] stored = "D:\\WSUS\0junk".getBytes(StandardCharsets.UTF_16LE);
    when(w.advapi32.RegQueryValueEx(any(), eq("ContentDir"), eq(0), any(), (byte[]) any(), any()))
        .thenAnswer(
            inv -> {
              ((IntByReference) inv.getArgument(3)).setValue(1); // REG_SZ
              byte[] data = inv.getArgument(4);
              if (data != null) {
                System.arraycopy(stored, 0, data, 0, stored.length);
              }
              ((IntByReference) inv.getArgument(5)).setValue(stored.length);
              return 0;
            });
    assertEquals(
        java.util.Optional.of("D:\\WSUS"), keys.stringValue(KEY + "\\Setup", "ContentDir"));
    verify(w.advapi32).RegCloseKey(any());
  }

  @Test
  void aMissingKeyOrValueIsEmptyAndAnotherTypeIsRefused() {
    when(w.advapi32.RegOpenKeyEx(any(), anyString(), anyInt(), anyInt(), any())).thenReturn(2);
    assertTrue(keys.stringValue(KEY, "ContentDir").isEmpty());

    when(w.advapi32.RegOpenKeyEx(any(), anyString(), anyInt(), anyInt(), any())).thenReturn(0);
    when(w.advapi32.RegQueryValueEx(any(), eq("Missing"), eq(0), any(), (byte[]) any(), any()))
        .thenReturn(2);
    assertTrue(keys.stringValue(KEY, "Missing").isEmpty());

    when(w.advapi32.RegQueryValueEx(any(), eq("UsingSSL"), eq(0), any(), (byte[]) any(), any()))
        .thenAnswer(
            inv -> {
              ((IntByReference) inv.getArgument(3)).setValue(4); // REG_DWORD
              ((IntByReference) inv.getArgument(5)).setValue(4);
              return 0;
            });
    TargetException e =
        assertThrows(TargetException.class, () -> keys.stringValue(KEY, "UsingSSL"));
    assertTrue(e.getMessage().contains("not a string"), e.getMessage());

    when(w.advapi32.RegOpenKeyEx(any(), anyString(), anyInt(), anyInt(), any())).thenReturn(5);
    e = assertThrows(TargetException.class, () -> keys.stringValue(KEY, "ContentDir"));
    assertTrue(e.getMessage().contains("access denied"), e.getMessage());
  }

  @Test
  void subkeysAreEnumeratedUntilNoMoreItems() {
    when(w.advapi32.RegOpenKeyEx(
            eq(WinReg.HKEY_LOCAL_MACHINE),
            eq("SOFTWARE\\Microsoft\\Update Services\\Server"),
            eq(0),
            eq(0x8),
            any()))
        .thenReturn(0);
    String[] names = {"Setup", "Installed Role Services"};
    when(w.advapi32.RegEnumKeyEx(any(), anyInt(), any(), any(), any(), any(), any(), any()))
        .thenAnswer(
            inv -> {
              int i = inv.getArgument(1);
              if (i >= names.length) {
                return 259;
              }
              char[] buf = inv.getArgument(2);
              names[i].getChars(0, names[i].length(), buf, 0);
              ((IntByReference) inv.getArgument(3)).setValue(names[i].length());
              return 0;
            });
    assertEquals(List.of("Setup", "Installed Role Services"), keys.subkeys(KEY));
    verify(w.advapi32).RegCloseKey(any());
  }

  @Test
  void aMissingKeyDoesNotExistAndOtherHivesAreRefused() {
    when(w.advapi32.RegOpenKeyEx(any(), anyString(), anyInt(), anyInt(), any())).thenReturn(2);
    assertFalse(keys.keyExists(KEY));
    assertEquals(
        "HKCU\\Software: only keys under HKLM are supported",
        assertThrows(TargetException.class, () -> keys.keyExists("HKCU\\Software")).getMessage());
  }

  @Test
  void holdersAreTheSidsTheLsaEnumerates() {
    Sid iisIusrs = Sid.parse("S-1-5-32-568");
    Sid service = Sid.parse("S-1-5-6");
    when(w.lsa.LsaOpenPolicy(isNull(), any(), anyInt(), any()))
        .thenAnswer(
            inv -> {
              ((PointerByReference) inv.getArgument(3)).setValue(new Pointer(0x1234));
              return 0;
            });
    Memory array = new Memory(2L * Native.POINTER_SIZE);
    Memory sids = new Memory(64);
    byte[] a = iisIusrs.toBytes();
    byte[] b = service.toBytes();
    sids.write(0, a, 0, a.length);
    sids.write(32, b, 0, b.length);
    array.setPointer(0, sids);
    array.setPointer(Native.POINTER_SIZE, sids.share(32));
    when(w.lsa.LsaEnumerateAccountsWithUserRight(
            any(),
            argThat(p -> java.util.Objects.equals(lsaText(p), "SeImpersonatePrivilege")),
            any(),
            any()))
        .thenAnswer(
            inv -> {
              ((PointerByReference) inv.getArgument(2)).setValue(array);
              ((IntByReference) inv.getArgument(3)).setValue(2);
              return 0;
            });
    when(w.lsa.LsaEnumerateAccountsWithUserRight(
            any(),
            argThat(p -> java.util.Objects.equals(lsaText(p), "SeBatchLogonRight")),
            any(),
            any()))
        .thenReturn(WindowsRights.STATUS_NO_MORE_ENTRIES);

    assertEquals(Set.of(iisIusrs, service), rights.holders("SeImpersonatePrivilege").sids());
    assertEquals(
        Set.of(),
        rights.holders("SeBatchLogonRight").sids(),
        "nobody holds it: STATUS_NO_MORE_ENTRIES");
    verify(w.lsa)
        .LsaFreeMemory(
            argThat(p -> p != null && Pointer.nativeValue(p) == Pointer.nativeValue(array)));
    verify(w.lsa, org.mockito.Mockito.times(2)).LsaClose(any());
    verify(w.lsa, org.mockito.Mockito.times(2)).LsaOpenPolicy(isNull(), any(), eq(0x801), any());
  }

  @Test
  void rightsAreAddedAndRemovedOneAccountAtATime() {
    when(w.lsa.LsaOpenPolicy(isNull(), any(), anyInt(), any())).thenReturn(0);
    Sid iusr = Sid.parse("S-1-5-17");
    RightsAccess.Writer writer = rights.writer().orElseThrow();
    writer.addRight(iusr, "SeBatchLogonRight");
    verify(w.lsa)
        .LsaAddAccountRights(
            any(),
            argThat(p -> p != null && p.getByte(0) == 1 && p.getInt(8) == 17),
            argThat(p -> java.util.Objects.equals(lsaText(p), "SeBatchLogonRight")),
            eq(1));
    verify(w.lsa).LsaOpenPolicy(isNull(), any(), eq(0x810), any());
    writer.removeRight(iusr, "SeDenyNetworkLogonRight");
    verify(w.lsa)
        .LsaRemoveAccountRights(
            any(),
            argThat(p -> p != null && p.getInt(8) == 17),
            eq((byte) 0),
            argThat(p -> java.util.Objects.equals(lsaText(p), "SeDenyNetworkLogonRight")),
            eq(1));
  }

  @Test
  void anLsaFailureIsOneLineWithTheWindowsError() {
    when(w.lsa.LsaOpenPolicy(isNull(), any(), anyInt(), any())).thenReturn(0xC0000022);
    when(w.lsa.LsaNtStatusToWinError(0xC0000022)).thenReturn(5);
    TargetException e =
        assertThrows(TargetException.class, () -> rights.holders("SeImpersonatePrivilege"));
    assertTrue(
        e.getMessage()
            .startsWith(
                "the local security policy: cannot open it to read who holds SeImpersonatePrivilege: "),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("run wsusfix from an elevated prompt"), e.getMessage());
    assertEquals(1, rights.writer().orElseThrow().rightsWriteProblems().size());
    verify(w.lsa, org.mockito.Mockito.never())
        .LsaRemoveAccountRights(any(), any(), anyByte(), any(), anyInt());
  }
}
