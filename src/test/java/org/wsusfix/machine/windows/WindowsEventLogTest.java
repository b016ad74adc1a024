package org.wsusfix.machine.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.AdditionalMatchers.aryEq;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.platform.win32.WinReg;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.wsusfix.machine.AuditLog;

/** The Application event log records of the Windows target, against mocked JNA libraries. */
class WindowsEventLogTest {
  static final String KEY = "SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\wsusfix";
  static final String MESSAGES = "\\Microsoft.NET\\Framework64\\v4.0.30319\\EventLogMessages.dll";

  final Win32Mocks w = new Win32Mocks();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  final WindowsEventLog log =
      new WindowsEventLog(
          w.advapi32,
          w.kernel32,
          "C:\\Windows",
          new PrintStream(err, true, StandardCharsets.UTF_8));
  final WinNT.HANDLE source = Win32Mocks.handle(0x500);

  private String warnings() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void eachChangeIsOneInformationEventUnderTheSourceWsusfix() {
    when(w.advapi32.RegOpenKeyEx(any(), eq(KEY), eq(0), anyInt(), any())).thenReturn(0);
    when(w.advapi32.RegisterEventSource(null, "wsusfix")).thenReturn(source);
    when(w.advapi32.ReportEvent(
            any(), anyInt(), anyInt(), anyInt(), any(), anyInt(), anyInt(), any(), any()))
        .thenReturn(true);
    log.record(
        AuditLog.Kind.APPLIED,
        "wsusfix changed the DACL of C:\\Windows\\Microsoft.NET\nBefore: D:P\nAfter: D:PAI");
    log.record(
        AuditLog.Kind.ROLLED_BACK, "wsusfix restored the DACL of C:\\Windows\\Microsoft.NET");
    log.record(AuditLog.Kind.FAILED, "wsusfix apply failed");
    verify(w.advapi32, times(1)).RegisterEventSource(null, "wsusfix");
    verify(w.advapi32)
        .ReportEvent(
            eq(source),
            eq(WinNT.EVENTLOG_INFORMATION_TYPE),
            eq(0),
            eq(1000),
            isNull(),
            eq(1),
            eq(0),
            aryEq(
                new String[] {
                  "wsusfix changed the DACL of C:\\Windows\\Microsoft.NET\r\nBefore: D:P\r\nAfter: D:PAI"
                }),
            isNull());
    verify(w.advapi32)
        .ReportEvent(
            eq(source),
            eq(WinNT.EVENTLOG_INFORMATION_TYPE),
            eq(0),
            eq(1001),
            isNull(),
            eq(1),
            eq(0),
            any(),
            isNull());
    verify(w.advapi32)
        .ReportEvent(
            eq(source),
            eq(WinNT.EVENTLOG_ERROR_TYPE),
            eq(0),
            eq(1002),
            isNull(),
            eq(1),
            eq(0),
            aryEq(new String[] {"wsusfix apply failed"}),
            isNull());
    verify(w.advapi32, never())
        .RegCreateKeyEx(
            any(), anyString(), anyInt(), any(), anyInt(), anyInt(), any(), any(), any());
    log.close();
    verify(w.advapi32).DeregisterEventSource(source);
    assertEquals("", warnings());
  }

  @Test
  void theSourceIsRegisteredWithTheFrameworkMessageFileWhenMissing() {
    WinReg.HKEY key = new WinReg.HKEY(new com.sun.jna.Pointer(0x600));
    when(w.advapi32.RegOpenKeyEx(any(), eq(KEY), eq(0), anyInt(), any())).thenReturn(2);
    when(w.kernel32.GetFileAttributes("C:\\Windows" + MESSAGES)).thenReturn(0x20);
    when(w.advapi32.RegCreateKeyEx(
            eq(WinReg.HKEY_LOCAL_MACHINE),
            eq(KEY),
            eq(0),
            isNull(),
            eq(0),
            eq(WinNT.KEY_SET_VALUE),
            isNull(),
            any(),
            any()))
        .thenAnswer(
            inv -> {
              ((WinReg.HKEYByReference) inv.getArgument(7)).setValue(key);
              return 0;
            });
    when(w.advapi32.RegisterEventSource(null, "wsusfix")).thenReturn(source);
    when(w.advapi32.ReportEvent(
            any(), anyInt(), anyInt(), anyInt(), any(), anyInt(), anyInt(), any(), any()))
        .thenReturn(true);
    log.record(AuditLog.Kind.APPLIED, "x");
    char[] file = ("%SystemRoot%" + MESSAGES + "\0").toCharArray();
    verify(w.advapi32)
        .RegSetValueEx(
            eq(key),
            eq("EventMessageFile"),
            eq(0),
            eq(WinNT.REG_EXPAND_SZ),
            aryEq(file),
            eq(file.length * 2));
    verify(w.advapi32)
        .RegSetValueEx(
            eq(key),
            eq("TypesSupported"),
            eq(0),
            eq(WinNT.REG_DWORD),
            aryEq(new byte[] {7, 0, 0, 0}),
            eq(4));
    verify(w.advapi32).RegCloseKey(key);
  }

  @Test
  void withoutTheFrameworkTheEventIsStillLoggedUnregistered() {
    when(w.advapi32.RegOpenKeyEx(any(), anyString(), anyInt(), anyInt(), any())).thenReturn(2);
    when(w.kernel32.GetFileAttributes(anyString())).thenReturn(-1);
    when(w.advapi32.RegisterEventSource(null, "wsusfix")).thenReturn(source);
    when(w.advapi32.ReportEvent(
            any(), anyInt(), anyInt(), anyInt(), any(), anyInt(), anyInt(), any(), any()))
        .thenReturn(true);
    log.record(AuditLog.Kind.APPLIED, "x");
    verify(w.advapi32, never())
        .RegCreateKeyEx(
            any(), anyString(), anyInt(), any(), anyInt(), anyInt(), any(), any(), any());
    verify(w.advapi32)
        .ReportEvent(any(), anyInt(), anyInt(), eq(1000), any(), anyInt(), anyInt(), any(), any());
  }

  @Test
  void aLogThatCannotBeWrittenWarnsOnceAndNeverThrows() {
    when(w.advapi32.RegOpenKeyEx(any(), anyString(), anyInt(), anyInt(), any())).thenReturn(0);
    when(w.advapi32.RegisterEventSource(null, "wsusfix")).thenReturn(null, source);
    when(w.kernel32.GetLastError()).thenReturn(5, 1502);
    when(w.advapi32.ReportEvent(
            any(), anyInt(), anyInt(), anyInt(), any(), anyInt(), anyInt(), any(), any()))
        .thenReturn(false);
    log.record(AuditLog.Kind.APPLIED, "x");
    log.record(AuditLog.Kind.APPLIED, "y");
    log.record(AuditLog.Kind.ROLLED_BACK, "z");
    assertEquals(
        "wsusfix: warning: cannot write to the Application event log (access denied (Windows error 5));"
            + " the undo journal still records every change"
            + System.lineSeparator(),
        warnings());
    verify(w.advapi32, times(2))
        .ReportEvent(any(), anyInt(), anyInt(), anyInt(), any(), anyInt(), anyInt(), any(), any());
  }

  @Test
  void anUnexpectedFailureIsSwallowedToo() {
    when(w.advapi32.RegOpenKeyEx(any(), anyString(), anyInt(), anyInt(), any()))
        .thenThrow(new IllegalStateException("boom"));
    log.record(AuditLog.Kind.FAILED, "x");
    assertEquals(
        "wsusfix: warning: cannot write to the Application event log (unexpected failure);"
            + " the undo journal still records every change"
            + System.lineSeparator(),
        warnings());
  }
}
