package org.wsusfix.diagnose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.wsusfix.diagnose.iisconfig.IisConfig;
import org.wsusfix.diagnose.iisconfig.IisConfigReader;
import org.wsusfix.diagnose.iislog.HttpErrLogReader;
import org.wsusfix.diagnose.iislog.IisLogAnalyzer;
import org.wsusfix.diagnose.input.InputFormatException;
import org.wsusfix.diagnose.procmon.ProcmonText;
import org.wsusfix.diagnose.procmon.csv.ProcmonCsvReader;
import org.wsusfix.diagnose.procmon.pml.PmlReader;
import org.wsusfix.diagnose.wulog.WuLogAnalyzer;

/** Reads all the evidence given and returns the findings. */
public final class Diagnoser {
  private Diagnoser() {}

  public static Findings diagnose(List<Path> wuLogs, List<Path> captures) throws IOException {
    return diagnose(wuLogs, captures, List.of(), null);
  }

  /**
   * @param iisLogs W3C log files, or folders whose u_ex*.log / ex*.log files are read in name order
   *     (which is date order); a LogFiles folder stands for its W3SVC* site folders
   * @param iisConfig applicationHost.config or MetaBase.xml, or null
   */
  public static Findings diagnose(
      List<Path> wuLogs, List<Path> captures, List<Path> iisLogs, Path iisConfig)
      throws IOException {
    IisConfig config = iisConfig == null ? null : readConfig(iisConfig);
    IisLogAnalyzer iis = new IisLogAnalyzer();
    HttpErrLogReader httpErr = new HttpErrLogReader();
    for (Path log : iisLogFiles(iisLogs)) {
      // told apart by their #Fields, since copies are often renamed
      if (HttpErrLogReader.looksLikeHttpErr(log)) {
        httpErr.add(log);
      } else {
        iis.add(log);
      }
    }
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
        computer != null ? computer : config == null ? null : config.computerName(),
        iis.findings(),
        config,
        wu.serverSettings(),
        httpErr.findings());
  }

  /**
   * applicationHost.config or MetaBase.xml, refused with {@code FILE:LINE:COLUMN} when it is not
   * such a file.
   */
  public static IisConfig readConfig(Path iisConfig) throws IOException {
    requireFile(iisConfig);
    return IisConfigReader.read(iisConfig);
  }

  private static List<Path> logsIn(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(
              f ->
                  f.getFileName()
                      .toString()
                      .toLowerCase(Locale.ROOT)
                      .matches("(u_)?ex.*\\.log|httperr.*\\.log"))
          .sorted()
          .toList();
    }
  }

  /** The files behind the --iis-log arguments: files as given, folders expanded. */
  public static List<Path> iisLogFiles(List<Path> args) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path p : args) {
      if (Files.isDirectory(p)) {
        List<Path> logs = logsIn(p);
        if (logs.isEmpty()) {
          // the LogFiles folder itself: one W3SVC<site id> folder per site
          List<Path> sites;
          try (Stream<Path> s = Files.list(p)) {
            sites =
                s.filter(Files::isDirectory)
                    .filter(
                        d ->
                            d.getFileName().toString().toUpperCase(Locale.ROOT).startsWith("W3SVC"))
                    .sorted()
                    .toList();
          }
          for (Path site : sites) {
            logs = new ArrayList<>(logs);
            logs.addAll(logsIn(site));
          }
        }
        if (logs.isEmpty()) {
          throw new InputFormatException(
              p
                  + ": no IIS W3C log files (u_ex*.log) or HTTP.sys error logs (httperr*.log) in this folder");
        }
        out.addAll(logs);
      } else {
        requireFile(p);
        out.add(p);
      }
    }
    return out;
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
