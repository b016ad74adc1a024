package org.wsusfix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The launchers as files: cmd.exe misreads a batch file whose lines end in LF alone. */
class LauncherFilesTest {
  @Test
  void theBatchLauncherEndsEveryLineWithCrLf() throws IOException {
    String text = Files.readString(Path.of("scripts", "wsusfix.cmd"));
    assertEquals(
        text.split("\n", -1).length - 1,
        text.split("\r\n", -1).length - 1,
        "every line ends with CRLF");
  }

  @Test
  void theShellLauncherHasNoCarriageReturns() throws IOException {
    assertFalse(
        Files.readString(Path.of("scripts", "wsusfix")).contains("\r"), "sh cannot run CRLF lines");
  }
}
