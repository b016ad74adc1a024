package org.wsusfix.diagnose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.wsusfix.diagnose.procmon.ProcmonText;
import org.wsusfix.diagnose.procmon.csv.ProcmonCsvReader;
import org.wsusfix.diagnose.procmon.pml.PmlReader;
import org.wsusfix.diagnose.wulog.WuLogAnalyzer;

/** Reads all the evidence given and returns the findings. */
public final class Diagnoser {
  private Diagnoser() {}

  public static Findings diagnose(List<Path> wuLogs, List<Path> captures) throws IOException {
    WuLogAnalyzer wu = new WuLogAnalyzer();
    for (Path log : wuLogs) {
      requireFile(log);
      wu.add(log);
    }
    DeniedAccessCollector denied = new DeniedAccessCollector();
    String computer = null;
    for (Path capture : captures) {
      requireFile(capture);
      if (PmlReader.looksLikePml(capture)) {
        try (PmlReader pml = PmlReader.open(capture)) {
          denied.windowsDir(pml.systemRoot());
          if (computer == null && !pml.computerName().isBlank()) {
            computer = pml.computerName();
          }
          pml.read(true, denied);
        }
      } else {
        ProcmonCsvReader.read(capture, ProcmonCsvReader.Mode.INTERESTING, denied);
      }
    }
    return new Findings(
        wu.signatures(),
        denied.groups(ProcmonText.ACCESS_DENIED),
        denied.groups(ProcmonText.PRIVILEGE_NOT_HELD),
        denied.groups(ProcmonText.BAD_IMPERSONATION),
        denied.windowsDir(),
        computer);
  }

  private static void requireFile(Path p) throws IOException {
    if (!Files.exists(p)) {
      throw new NoSuchFileException(p.toString());
    }
    if (!Files.isRegularFile(p)) {
      throw new InputFormatException(p + ": not a file");
    }
  }
}
