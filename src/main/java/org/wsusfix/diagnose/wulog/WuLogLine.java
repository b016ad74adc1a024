package org.wsusfix.diagnose.wulog;

import java.time.LocalDateTime;

/** One record of a WindowsUpdate.log, in either the legacy or the Windows 10+ form. */
public record WuLogLine(
    long lineNumber,
    LocalDateTime time,
    long pid,
    String tid,
    String component,
    String text,
    Format format) {

  /** Which writer produced the line. */
  public enum Format {
    /** XP ... 8.1 / 2012 R2: TAB separated (or spaces, in copies pasted from the web). */
    LEGACY,
    /** Windows 10+: text made by Get-WindowsUpdateLog from the ETL traces. */
    ETL_TEXT
  }
}
