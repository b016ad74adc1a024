package org.wsusfix.machine.windows;

import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.platform.win32.WinReg;
import com.sun.jna.ptr.IntByReference;
import java.io.PrintStream;
import org.wsusfix.machine.AuditLog;

/**
 * Writes each applied or rolled-back change to the Application event log under the source {@code
 * wsusfix}, where administrators and their log collectors expect tools that change system ACLs to
 * leave a trace. The first write registers the source with the .NET Framework's generic message
 * file (its text for every event ID is the inserted string), so Event Viewer shows the message
 * without a "description cannot be found" preamble. A failure to log is reported once and never
 * stops a change: the undo journal is the record that matters.
 */
final class WindowsEventLog implements AuditLog {
  static final String SOURCE = "wsusfix";
  static final String SOURCE_KEY =
      "SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\" + SOURCE;
  static final int EVENT_APPLIED = 1000;
  static final int EVENT_ROLLED_BACK = 1001;
  static final int EVENT_FAILED = 1002;

  /** Error, warning and information events. */
  private static final int TYPES_SUPPORTED = 7;

  private final Advapi32 advapi32;
  private final Kernel32 kernel32;
  private final String systemRoot;
  private final PrintStream warnings;
  private WinNT.HANDLE handle;
  private boolean warned;

  WindowsEventLog(Advapi32 advapi32, Kernel32 kernel32, String systemRoot, PrintStream warnings) {
    this.advapi32 = advapi32;
    this.kernel32 = kernel32;
    this.systemRoot = systemRoot;
    this.warnings = warnings;
  }

  @Override
  public synchronized void record(Kind kind, String message) {
    try {
      if (handle == null) {
        registerSource();
        handle = advapi32.RegisterEventSource(null, SOURCE);
        if (handle == null) {
          warn(kernel32.GetLastError());
          return;
        }
      }
      int type = kind == Kind.FAILED ? WinNT.EVENTLOG_ERROR_TYPE : WinNT.EVENTLOG_INFORMATION_TYPE;
      int id =
          switch (kind) {
            case APPLIED -> EVENT_APPLIED;
            case ROLLED_BACK -> EVENT_ROLLED_BACK;
            case FAILED -> EVENT_FAILED;
          };
      String text = message.replace("\r\n", "\n").replace("\n", "\r\n");
      if (!advapi32.ReportEvent(handle, type, 0, id, null, 1, 0, new String[] {text}, null)) {
        warn(kernel32.GetLastError());
      }
    } catch (RuntimeException e) {
      warn(-1);
    }
  }

  /**
   * Registers the source once per machine; without it events are still logged, only less readable.
   */
  private void registerSource() {
    WinReg.HKEYByReference key = new WinReg.HKEYByReference();
    int rc =
        advapi32.RegOpenKeyEx(WinReg.HKEY_LOCAL_MACHINE, SOURCE_KEY, 0, WinNT.KEY_QUERY_VALUE, key);
    if (rc == 0) {
      advapi32.RegCloseKey(key.getValue());
      return;
    }
    String messages = messageFile();
    if (rc != Win32Error.FILE_NOT_FOUND || messages == null) {
      return;
    }
    rc =
        advapi32.RegCreateKeyEx(
            WinReg.HKEY_LOCAL_MACHINE,
            SOURCE_KEY,
            0,
            null,
            WinNT.REG_OPTION_NON_VOLATILE,
            WinNT.KEY_SET_VALUE,
            null,
            key,
            new IntByReference());
    if (rc != 0) {
      return;
    }
    try {
      char[] file = (messages + "\0").toCharArray();
      advapi32.RegSetValueEx(
          key.getValue(), "EventMessageFile", 0, WinNT.REG_EXPAND_SZ, file, file.length * 2);
      byte[] types = {TYPES_SUPPORTED, 0, 0, 0};
      advapi32.RegSetValueEx(
          key.getValue(), "TypesSupported", 0, WinNT.REG_DWORD, types, types.length);
    } finally {
      advapi32.RegCloseKey(key.getValue());
    }
  }

  /** The .NET Framework 4 generic message file, as a %SystemRoot%-relative path, if installed. */
  private String messageFile() {
    for (String framework : new String[] {"Framework64", "Framework"}) {
      String relative = "\\Microsoft.NET\\" + framework + "\\v4.0.30319\\EventLogMessages.dll";
      if (systemRoot != null && kernel32.GetFileAttributes(systemRoot + relative) != -1) {
        return "%SystemRoot%" + relative;
      }
    }
    return null;
  }

  private void warn(int code) {
    if (!warned) {
      warned = true;
      warnings.println(
          "wsusfix: warning: cannot write to the Application event log ("
              + (code < 0 ? "unexpected failure" : Win32Error.text(code))
              + "); the undo journal still records every change");
      warnings.flush();
    }
  }

  synchronized void close() {
    if (handle != null) {
      advapi32.DeregisterEventSource(handle);
      handle = null;
    }
  }
}
