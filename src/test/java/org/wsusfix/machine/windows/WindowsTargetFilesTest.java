package org.wsusfix.machine.windows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.ptr.PointerByReference;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.TargetException;
import org.wsusfix.security.BinaryDescriptor;
import org.wsusfix.security.Sddl;
import org.wsusfix.security.SecurityDescriptor;

/**
 * Descriptors, attributes and folder listings of the Windows target, against mocked JNA libraries.
 */
class WindowsTargetFilesTest {
  static final String FW = "C:\\Windows\\Microsoft.NET\\Framework";
  static final String SDDL = "O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)";

  final Win32Mocks w = new Win32Mocks();
  final WindowsTarget target = w.target();

  /**
   * GetNamedSecurityInfo hands out a LocalAlloc'd self-relative descriptor holding {@code sddl}.
   */
  private Memory returns(String sddl) {
    byte[] bytes = BinaryDescriptor.encode(Sddl.parse(sddl, Win32Mocks.MACHINE));
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
    return sd;
  }

  private static Pointer same(Pointer p) {
    return argThat(q -> q != null && Pointer.nativeValue(q) == Pointer.nativeValue(p));
  }

  @Test
  void readsOwnerGroupAndDaclAsTheSelfRelativeBytesAndFreesThem() {
    Memory sd = returns(SDDL);
    SecurityDescriptor read = target.read(FW);
    assertTrue(read.semanticallyEquals(Sddl.parse(SDDL, Win32Mocks.MACHINE)), Sddl.format(read));
    verify(w.advapi32)
        .GetNamedSecurityInfo(
            eq(FW),
            eq(1),
            eq(
                WinNT.OWNER_SECURITY_INFORMATION
                    | WinNT.GROUP_SECURITY_INFORMATION
                    | WinNT.DACL_SECURITY_INFORMATION),
            isNull(),
            isNull(),
            isNull(),
            isNull(),
            any());
    verify(w.kernel32).LocalFree(same(sd));
  }

  @Test
  void readErrorsNameThePathAndTheCode() {
    when(w.advapi32.GetNamedSecurityInfo(
            anyString(), anyInt(), anyInt(), any(), any(), any(), any(), any()))
        .thenReturn(5, 2, 3);
    TargetException denied = assertThrows(TargetException.class, () -> target.read(FW));
    assertEquals(
        FW
            + ": cannot read the security descriptor: access denied (Windows error 5);"
            + " run wsusfix from an elevated prompt",
        denied.getMessage());
    assertEquals(
        FW + ": cannot read the security descriptor: file not found (Windows error 2)",
        assertThrows(TargetException.class, () -> target.read(FW)).getMessage());
    assertTrue(
        assertThrows(TargetException.class, () -> target.read(FW + "\\x"))
            .getMessage()
            .endsWith("path not found (Windows error 3)"));
    verify(w.kernel32, never()).LocalFree(any());
  }

  @Test
  void aDescriptorThatDoesNotDecodeIsAClearErrorAndStillFreed() {
    Memory sd = new Memory(20);
    sd.clear();
    when(w.advapi32.GetNamedSecurityInfo(
            anyString(), anyInt(), anyInt(), any(), any(), any(), any(), any()))
        .thenAnswer(
            inv -> {
              ((PointerByReference) inv.getArgument(7)).setValue(sd);
              return 0;
            });
    when(w.advapi32.GetSecurityDescriptorLength(any())).thenReturn(20);
    TargetException e = assertThrows(TargetException.class, () -> target.read(FW));
    assertTrue(e.getMessage().startsWith(FW + ": bad security descriptor"), e.getMessage());
    verify(w.kernel32).LocalFree(same(sd));
  }

  @Test
  void longPathsUseTheExtendedForm() {
    assertEquals("C:\\Windows", WindowsTarget.win32Path("C:/Windows/"));
    String deep = "C:\\" + "d".repeat(300);
    assertEquals("\\\\?\\" + deep, WindowsTarget.win32Path(deep));
    String unc = "\\\\server\\share\\" + "d".repeat(300);
    assertEquals("\\\\?\\UNC\\server\\share\\" + "d".repeat(300), WindowsTarget.win32Path(unc));
    assertEquals("\\\\?\\" + deep, WindowsTarget.win32Path("\\\\?\\" + deep));
    returns(SDDL);
    target.read(deep);
    verify(w.advapi32)
        .GetNamedSecurityInfo(
            eq("\\\\?\\" + deep), eq(1), anyInt(), any(), any(), any(), any(), any());
  }

  @Test
  void writesTheDaclAloneAndKeepsItProtected() {
    SecurityDescriptor sd = Sddl.parse(SDDL, Win32Mocks.MACHINE);
    AtomicReference<byte[]> sent = new AtomicReference<>();
    when(w.advapi32.SetNamedSecurityInfo(
            anyString(), anyInt(), anyInt(), any(), any(), any(), any()))
        .thenAnswer(
            inv -> {
              Pointer acl = inv.getArgument(5);
              sent.set(acl.getByteArray(0, sd.dacl().binaryLength()));
              return 0;
            });
    target.writeDacl(FW, sd);
    verify(w.advapi32)
        .SetNamedSecurityInfo(
            eq(FW),
            eq(1),
            eq(WinNT.DACL_SECURITY_INFORMATION | WinNT.PROTECTED_DACL_SECURITY_INFORMATION),
            isNull(),
            isNull(),
            any(),
            isNull());
    // the ACL bytes are exactly the DACL of the encoded descriptor, which decodes back to the same
    // ACEs
    byte[] whole = BinaryDescriptor.encode(sd.withoutSacl());
    byte[] expected = java.util.Arrays.copyOfRange(whole, 20, 20 + sd.dacl().binaryLength());
    assertArrayEquals(expected, sent.get());
    assertEquals(sd.dacl().size(), sent.get()[4] & 0xFF);
  }

  @Test
  void anUnprotectedDaclIsWrittenUnprotectedSoItKeepsInheriting() {
    SecurityDescriptor sd =
        Sddl.parse("O:BAG:SYD:AI(A;OICI;0x1200a9;;;BU)(A;OICIID;FA;;;SY)", Win32Mocks.MACHINE);
    target.writeDacl(FW + "\\v4.0.30319", sd);
    verify(w.advapi32)
        .SetNamedSecurityInfo(
            eq(FW + "\\v4.0.30319"),
            eq(1),
            eq(WinNT.DACL_SECURITY_INFORMATION | WinNT.UNPROTECTED_DACL_SECURITY_INFORMATION),
            isNull(),
            isNull(),
            any(),
            isNull());
    assertTrue(target.propagatesBySelf(), "SetNamedSecurityInfo re-inherits descendants itself");
  }

  @Test
  void aNullDaclIsWrittenAsNullAndAMissingDaclIsRefused() {
    SecurityDescriptor nullDacl =
        new SecurityDescriptor(
            SecurityDescriptor.SELF_RELATIVE | SecurityDescriptor.DACL_PRESENT,
            null,
            null,
            null,
            null);
    target.writeDacl(FW, nullDacl);
    verify(w.advapi32)
        .SetNamedSecurityInfo(eq(FW), eq(1), anyInt(), isNull(), isNull(), isNull(), isNull());
    SecurityDescriptor none =
        new SecurityDescriptor(SecurityDescriptor.SELF_RELATIVE, null, null, null, null);
    assertEquals(
        FW + ": refusing to write a descriptor that has no DACL",
        assertThrows(TargetException.class, () -> target.writeDacl(FW, none)).getMessage());
  }

  @Test
  void writeErrorsNameThePathAndTheCode() {
    when(w.advapi32.SetNamedSecurityInfo(
            anyString(), anyInt(), anyInt(), any(), any(), any(), any()))
        .thenReturn(5, 1336);
    SecurityDescriptor sd = Sddl.parse(SDDL, Win32Mocks.MACHINE);
    assertEquals(
        FW
            + ": cannot write the DACL: access denied (Windows error 5); run wsusfix from an elevated prompt",
        assertThrows(TargetException.class, () -> target.writeDacl(FW, sd)).getMessage());
    assertEquals(
        FW + ": cannot write the DACL: invalid ACL (Windows error 1336)",
        assertThrows(TargetException.class, () -> target.writeDacl(FW, sd)).getMessage());
  }

  @Test
  void existsAndIsContainerFromTheAttributes() {
    when(w.kernel32.GetFileAttributes(FW)).thenReturn(WinNT.FILE_ATTRIBUTE_DIRECTORY);
    when(w.kernel32.GetFileAttributes(FW + "\\a.dll")).thenReturn(0x20);
    assertTrue(target.exists(FW));
    assertTrue(target.isContainer(FW));
    assertFalse(target.isContainer(FW + "\\a.dll"));
    when(w.kernel32.GetFileAttributes("C:\\gone")).thenReturn(-1);
    when(w.kernel32.GetLastError()).thenReturn(2, 3, 5, 2);
    assertFalse(target.exists("C:\\gone"));
    assertFalse(target.exists("C:\\gone"));
    assertEquals(
        "C:\\gone: cannot read its attributes: access denied (Windows error 5);"
            + " run wsusfix from an elevated prompt",
        assertThrows(TargetException.class, () -> target.exists("C:\\gone")).getMessage());
    assertEquals(
        "C:\\gone: cannot read its attributes: file not found (Windows error 2)",
        assertThrows(TargetException.class, () -> target.isContainer("C:\\gone")).getMessage());
  }

  /** One WIN32_FIND_DATAW as FindFirstFile/FindNextFile leave it. */
  private static void entry(Pointer data, int attributes, String name) {
    data.setInt(0, attributes);
    NativeData.putWide(data, NativeData.FIND_FILE_NAME, name);
  }

  @Test
  void childrenListEveryEntryFlaggingFoldersAndReparsePointsWithoutFollowingThem() {
    WinNT.HANDLE find = Win32Mocks.handle(0x1234);
    when(w.kernel32.FindFirstFile(eq(FW + "\\*"), any()))
        .thenAnswer(
            inv -> {
              entry(inv.getArgument(1), WinNT.FILE_ATTRIBUTE_DIRECTORY, ".");
              return find;
            });
    String[][] next = {
      {"16", ".."},
      {"16", "v4.0.30319"},
      {
        String.valueOf(WinNT.FILE_ATTRIBUTE_DIRECTORY | WinNT.FILE_ATTRIBUTE_REPARSE_POINT),
        "junction"
      },
      {String.valueOf(WinNT.FILE_ATTRIBUTE_REPARSE_POINT | 0x20), "link.dll"},
      {"32", "\u00e9t\u00e9 " + "n".repeat(200) + ".config"},
    };
    int[] i = {0};
    when(w.kernel32.FindNextFile(eq(find), any()))
        .thenAnswer(
            inv -> {
              if (i[0] == next.length) {
                return false;
              }
              entry(inv.getArgument(1), Integer.parseInt(next[i[0]][0]), next[i[0]][1]);
              i[0]++;
              return true;
            });
    when(w.kernel32.GetLastError()).thenReturn(18);
    List<Target.Entry> children = target.children(FW);
    assertEquals(
        List.of(
            new Target.Entry("v4.0.30319", true, false),
            new Target.Entry("junction", true, true),
            new Target.Entry("link.dll", false, true),
            new Target.Entry("\u00e9t\u00e9 " + "n".repeat(200) + ".config", false, false)),
        children);
    verify(w.kernel32).FindClose(find);
  }

  @Test
  void listingErrorsNameTheFolderAndCloseTheSearch() {
    when(w.kernel32.FindFirstFile(anyString(), any())).thenReturn(Win32Mocks.invalidHandle());
    when(w.kernel32.GetLastError()).thenReturn(5, 3, 2);
    assertEquals(
        FW
            + ": cannot list the folder: access denied (Windows error 5); run wsusfix from an elevated prompt",
        assertThrows(TargetException.class, () -> target.children(FW)).getMessage());
    assertTrue(
        assertThrows(TargetException.class, () -> target.children(FW))
            .getMessage()
            .endsWith("path not found (Windows error 3)"));
    assertEquals(List.of(), target.children("E:\\"), "an empty drive root has not even . and ..");
    verify(w.kernel32, never()).FindClose(any());

    WinNT.HANDLE find = Win32Mocks.handle(0x99);
    when(w.kernel32.FindFirstFile(eq(FW + "\\*"), any()))
        .thenAnswer(
            inv -> {
              entry(inv.getArgument(1), 16, "v2.0.50727");
              return find;
            });
    when(w.kernel32.FindNextFile(eq(find), any())).thenReturn(false);
    when(w.kernel32.GetLastError()).thenReturn(59);
    assertEquals(
        FW + ": cannot list the folder: failed (Windows error 59)",
        assertThrows(TargetException.class, () -> target.children(FW)).getMessage());
    verify(w.kernel32).FindClose(find);
  }

  @Test
  void findDataLayoutMatchesWin32FindDataW() {
    // dwFileAttributes, 3 FILETIMEs, nFileSizeHigh/Low, dwReserved0/1, then WCHAR
    // cFileName[MAX_PATH]
    assertEquals(4 + 3 * 8 + 4 * 4, NativeData.FIND_FILE_NAME);
    assertEquals(NativeData.FIND_FILE_NAME + 2 * 260 + 2 * 14, NativeData.FIND_DATA_SIZE);
    Memory m = new Memory(NativeData.FIND_FILE_NAME + 2 * 301);
    NativeData.putWide(m, NativeData.FIND_FILE_NAME, "x".repeat(300));
    assertEquals(
        260,
        NativeData.wide(m, NativeData.FIND_FILE_NAME, NativeData.MAX_PATH).length(),
        "a name never runs past cFileName");
  }
}
