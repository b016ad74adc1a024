package org.wsusfix.apply;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.wsusfix.machine.Targets;

/** Where undo journals go unless --undo says otherwise. */
public final class JournalLocation {
  private JournalLocation() {}

  /**
   * the folder wsusfix, then undo, under %ProgramData% on Windows (admins look there), {@code
   * ./wsusfix-undo} elsewhere.
   */
  public static Path defaultDirectory() {
    if (Targets.isWindows()) {
      String programData = System.getenv().getOrDefault("ProgramData", "C:\\ProgramData");
      return Path.of(programData, "wsusfix", "undo");
    }
    return Path.of("wsusfix-undo");
  }

  /** A new file name that sorts by time: {@code undo-20261125-223012-123.jsonl}. */
  public static Path newJournal(Path dir) {
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
    return dir.resolve("undo-" + stamp + ".jsonl");
  }
}
