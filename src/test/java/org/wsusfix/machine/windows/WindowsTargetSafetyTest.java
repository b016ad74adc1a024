package org.wsusfix.machine.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.sun.jna.platform.win32.WinNT;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;
import org.wsusfix.machine.TargetException;

/** Elevation, the WRITE_DAC probe, the apply lock and the variables of the Windows target. */
class WindowsTargetSafetyTest {
  static final String FW = "C:\\Windows\\Microsoft.NET\\Framework";
  static final String V4 = FW + "\\v4.0.30319";

  final Win32Mocks w = new Win32Mocks();
  final WindowsTarget target = w.target();
  final WinNT.HANDLE process = Win32Mocks.handle(-1);
  final WinNT.HANDLE token = Win32Mocks.handle(0x44);

  /** The process token reports TokenIsElevated = {@code elevated}. */
  private void elevation(int elevated) {
    when(w.kernel32.GetCurrentProcess()).thenReturn(process);
    when(w.advapi32.OpenProcessToken(eq(process), eq(WinNT.TOKEN_QUERY), any()))
        .thenAnswer(
            inv -> {
              ((WinNT.HANDLEByReference) inv.getArgument(2)).setValue(token);
              return true;
            });
    when(w.advapi32.GetTokenInformation(
            eq(token), eq(WinNT.TOKEN_INFORMATION_CLASS.TokenElevation), any(), eq(4), any()))
        .thenAnswer(
            inv -> {
              ((WinNT.TOKEN_ELEVATION) inv.getArgument(2)).TokenIsElevated = elevated;
              return true;
            });
  }

  @Test
  void aPromptThatIsNotElevatedIsToldToElevateBeforeAnyChange() {
    elevation(0);
    assertEquals(
        List.of(
            "this prompt is not elevated: run wsusfix from an elevated prompt (Run as administrator)"),
        target.daclWriteProblems(List.of(FW)));
    verify(w.kernel32, never())
        .CreateFile(anyString(), anyInt(), anyInt(), any(), anyInt(), anyInt(), any());
    verify(w.kernel32).CloseHandle(token);
  }

  @Test
  void anElevatedPromptProbesWriteDacOnEachPathAndChangesNothing() {
    elevation(1);
    WinNT.HANDLE h = Win32Mocks.handle(0x70);
    when(w.kernel32.CreateFile(anyString(), anyInt(), anyInt(), any(), anyInt(), anyInt(), any()))
        .thenReturn(h);
    assertEquals(List.of(), target.daclWriteProblems(List.of(FW, V4)));
    verify(w.kernel32)
        .CreateFile(
            eq(FW),
            eq(WinNT.WRITE_DAC | WinNT.READ_CONTROL),
            eq(WinNT.FILE_SHARE_READ | WinNT.FILE_SHARE_WRITE | WinNT.FILE_SHARE_DELETE),
            isNull(),
            eq(WinNT.OPEN_EXISTING),
            eq(WinNT.FILE_FLAG_BACKUP_SEMANTICS),
            isNull());
    verify(w.kernel32, org.mockito.Mockito.times(2)).CloseHandle(h);
    verify(w.advapi32, never())
        .SetNamedSecurityInfo(anyString(), anyInt(), anyInt(), any(), any(), any(), any());
  }

  @Test
  void pathsThatCannotBeWrittenAreListedWithTheirReason() {
    elevation(1);
    when(w.kernel32.CreateFile(anyString(), anyInt(), anyInt(), any(), anyInt(), anyInt(), any()))
        .thenReturn(Win32Mocks.invalidHandle());
    when(w.kernel32.GetLastError()).thenReturn(5, 2);
    assertEquals(
        List.of(
            FW
                + ": no right to change its permissions (WRITE_DAC): access denied (Windows error 5)",
            V4 + ": file not found (Windows error 2)"),
        target.daclWriteProblems(List.of(FW, V4)));
  }

  @Test
  void anUnreadableTokenIsAProblemWithItsCode() {
    when(w.advapi32.OpenProcessToken(any(), anyInt(), any())).thenReturn(false);
    when(w.kernel32.GetLastError()).thenReturn(5);
    assertEquals(
        List.of(
            "this process: cannot open its access token: access denied (Windows error 5);"
                + " run wsusfix from an elevated prompt"),
        target.daclWriteProblems(List.of(FW)));

    elevation(1);
    when(w.advapi32.GetTokenInformation(any(), anyInt(), any(), anyInt(), any())).thenReturn(false);
    when(w.kernel32.GetLastError()).thenReturn(87);
    assertEquals(
        List.of(
            "this process: cannot tell whether it runs elevated: invalid parameter (Windows error 87)"),
        target.daclWriteProblems(List.of(FW)));
    verify(w.kernel32).CloseHandle(token);
  }

  @Test
  void anElevatedProcessIsNotToldToElevateWhenWindowsStillSaysNo() {
    elevation(1);
    when(w.advapi32.GetNamedSecurityInfo(
            anyString(), anyInt(), anyInt(), any(), any(), any(), any(), any()))
        .thenReturn(5);
    assertEquals(
        "C:\\System Volume Information: cannot read the security descriptor: access denied (Windows error 5)",
        assertThrows(TargetException.class, () -> target.read("C:\\System Volume Information"))
            .getMessage());
    assertThrows(TargetException.class, () -> target.read("C:\\System Volume Information"));
    verify(w.advapi32, org.mockito.Mockito.times(1))
        .OpenProcessToken(any(), anyInt(), any()); // asked once
  }

  @Test
  void tokenElevationIsOneDword() {
    assertEquals(4, new WinNT.TOKEN_ELEVATION().size());
    assertEquals(20, WinNT.TOKEN_INFORMATION_CLASS.TokenElevation);
  }

  // --- the apply lock ---

  @Test
  void theLockIsAMachineWideMutexReleasedOnClose() throws Exception {
    WinNT.HANDLE mutex = Win32Mocks.handle(0x88);
    when(w.kernel32.CreateMutex(isNull(), eq(false), eq("Global\\wsusfix-apply")))
        .thenReturn(mutex);
    when(w.kernel32.WaitForSingleObject(mutex, 0)).thenReturn(0);
    AutoCloseable lock = target.lock();
    verify(w.kernel32, never()).ReleaseMutex(any());
    lock.close();
    InOrder order = inOrder(w.kernel32);
    order.verify(w.kernel32).ReleaseMutex(mutex);
    order.verify(w.kernel32).CloseHandle(mutex);
  }

  @Test
  void aLockHeldByAnotherRunIsRefusedAndAnAbandonedOneIsTaken() throws Exception {
    WinNT.HANDLE mutex = Win32Mocks.handle(0x88);
    when(w.kernel32.CreateMutex(any(), eq(false), anyString())).thenReturn(mutex);
    when(w.kernel32.WaitForSingleObject(mutex, 0)).thenReturn(0x102, 0x80);
    assertEquals(
        "another wsusfix apply or rollback is running on this computer (lock Global\\wsusfix-apply);"
            + " wait for it to finish",
        assertThrows(TargetException.class, target::lock).getMessage());
    verify(w.kernel32).CloseHandle(mutex);
    target.lock().close(); // its owner died: the mutex is ours now
    verify(w.kernel32).ReleaseMutex(mutex);
  }

  @Test
  void lockErrorsCarryTheirCode() {
    when(w.kernel32.CreateMutex(any(), eq(false), anyString())).thenReturn(null);
    when(w.kernel32.GetLastError()).thenReturn(5);
    assertEquals(
        "the apply lock Global\\wsusfix-apply: cannot create it: access denied (Windows error 5);"
            + " run wsusfix from an elevated prompt",
        assertThrows(TargetException.class, target::lock).getMessage());
    WinNT.HANDLE mutex = Win32Mocks.handle(0x88);
    when(w.kernel32.CreateMutex(any(), eq(false), anyString())).thenReturn(mutex);
    when(w.kernel32.WaitForSingleObject(mutex, 0)).thenReturn(-1);
    when(w.kernel32.GetLastError()).thenReturn(6);
    assertEquals(
        "the apply lock Global\\wsusfix-apply: cannot take it: invalid handle (Windows error 6)",
        assertThrows(TargetException.class, target::lock).getMessage());
    verify(w.kernel32).CloseHandle(mutex);
  }

  // --- variables and identity ---

  @Test
  void variablesComeFromTheEnvironmentWhateverTheCaseAndVarOverrides() {
    Map<String, String> env =
        Map.of(
            "SYSTEMROOT",
            "D:\\WINDOWS",
            "windir",
            "D:\\WINDOWS",
            "SystemDrive",
            "D:",
            "ProgramFiles",
            "D:\\Program Files (x86)",
            "ProgramW6432",
            "D:\\Program Files",
            "ProgramData",
            "D:\\ProgramData",
            "COMPUTERNAME",
            "WSUS01",
            "USERNAME",
            "admin");
    WindowsTarget t =
        new WindowsTarget(
            w.advapi32, w.kernel32, w.netapi32, env, Map.of("computername", "WSUS02"));
    Map<String, String> v = t.variables();
    assertEquals("D:\\WINDOWS", v.get("windir"));
    assertEquals("D:\\WINDOWS", v.get("systemroot"));
    assertEquals("D:", v.get("systemdrive"));
    assertEquals(
        "D:\\Program Files", v.get("programfiles"), "the 64-bit folder even from a 32-bit JVM");
    assertEquals("D:\\ProgramData", v.get("programdata"));
    assertEquals("WSUS02", v.get("computername"), "--var wins");
    assertTrue(!v.containsKey("username"), "only machine-wide variables");
  }

  @Test
  void describesItselfAsLocalAndKeepsAnAuditLog() {
    assertEquals("local", target.describe());
    assertTrue(target.canWalk());
    assertTrue(target.hasAccounts());
    assertSame(target.audit(), org.wsusfix.machine.AuditLog.of(target));
  }

  @Test
  void theLocalTargetTakesNoOptions() {
    assertEquals(
        "the local target takes no options (root)",
        assertThrows(
                TargetException.class,
                () -> new WindowsTargets().open("local", Map.of("root", "C:\\"), Map.of()))
            .getMessage());
  }
}
