package org.wsusfix.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.wsusfix.diagnose.ConfigAudit;
import org.wsusfix.diagnose.Diagnoser;
import org.wsusfix.diagnose.Findings;
import org.wsusfix.diagnose.JsonText;
import org.wsusfix.diagnose.PolicySuggester;
import org.wsusfix.diagnose.Report;
import org.wsusfix.diagnose.SuggestedPolicy;
import org.wsusfix.diagnose.iisconfig.IisConfig;
import org.wsusfix.diagnose.iisconfig.IisConfigReader;
import org.wsusfix.diagnose.input.InputFormatException;
import org.wsusfix.files.BoundedFiles;
import org.wsusfix.files.RefusedFileException;
import org.wsusfix.resource.FormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code wsusfix diagnose}: evidence in, verdict and suggested policy out. */
@Command(
    name = "diagnose",
    mixinStandardHelpOptions = true,
    description =
        "Reads client WindowsUpdate.log files, Process Monitor captures (CSV or PML) and the IIS"
            + " logs and configuration of the WSUS server, finds the HTTP 401 / 0x800710DD signature and other server-permission"
            + " failures, lists the denied folders per process and identity, and can suggest a"
            + " policy.",
    footer = {"", "Exit codes: 0 nothing found, 3 findings, 1 error."})
public final class DiagnoseCommand implements Callable<Integer> {
  /** Exit code when the evidence shows a failure or a denied access. */
  public static final int FINDINGS = 3;

  @Spec CommandSpec spec;

  @Option(
      names = "--wu-log",
      arity = "1..*",
      paramLabel = "FILE",
      description = "WindowsUpdate.log of a client (legacy or Get-WindowsUpdateLog output)")
  List<Path> wuLogs = new ArrayList<>();

  @Option(
      names = "--procmon",
      arity = "1..*",
      paramLabel = "FILE",
      description = "Process Monitor capture of the WSUS server: CSV export or native .PML")
  List<Path> captures = new ArrayList<>();

  @Option(
      names = "--iis-log",
      arity = "1..*",
      paramLabel = "FILE|DIR",
      description =
          "IIS W3C log of the WSUS site (u_ex*.log), a folder of them, or the LogFiles"
              + " folder of W3SVC* site folders; also HTTP.sys error logs (HTTPERR\\httperr*.log)")
  List<Path> iisLogs = new ArrayList<>();

  @Option(
      names = "--iis-config",
      paramLabel = "FILE",
      description =
          "applicationHost.config (IIS 7+) or MetaBase.xml (IIS 6) of the WSUS server;"
              + " on Windows, with --iis-log, %%windir%%\\System32\\inetsrv\\config\\applicationHost.config"
              + " is read when this is not given. Alone, it is checked against the shipped policy of its"
              + " generation, setting by setting")
  Path iisConfig;

  @Option(names = "--json", description = "Print the findings as JSON")
  boolean json;

  @Option(
      names = "--emit-policy",
      paramLabel = "OUT.yaml",
      description = "Write a policy granting what the evidence shows to be missing")
  Path emitPolicy;

  @Option(names = "--debug", description = "Print a stack trace with errors")
  boolean debug;

  @Override
  public Integer call() {
    if (wuLogs.isEmpty() && captures.isEmpty() && iisLogs.isEmpty()) {
      if (iisConfig != null) {
        if (emitPolicy != null) {
          throw new ParameterException(
              spec.commandLine(),
              "--emit-policy needs evidence of failures"
                  + " (--wu-log, --procmon or --iis-log); --iis-config alone is checked against the shipped policy");
        }
        return audit();
      }
      throw new ParameterException(
          spec.commandLine(),
          "give at least one --wu-log FILE, --procmon FILE or --iis-log FILE|DIR, or --iis-config FILE alone");
    }
    Path config = iisConfig;
    if (config == null && !iisLogs.isEmpty()) {
      config = IisConfigReader.windowsDefault();
    }
    Findings findings;
    try {
      findings = Diagnoser.diagnose(wuLogs, captures, iisLogs, config);
    } catch (InputFormatException e) {
      throw new UserError(e.getMessage(), 1, e);
    } catch (NoSuchFileException e) {
      throw new UserError(e.getFile() + ": no such file", 1, e);
    } catch (AccessDeniedException e) {
      throw new UserError(e.getFile() + ": permission denied", 1, e);
    } catch (java.nio.file.FileSystemException e) {
      throw new UserError(
          e.getFile()
              + ": cannot read the evidence"
              + (e.getReason() == null ? "" : " (" + e.getReason() + ")"),
          1,
          e);
    } catch (IOException e) {
      // Readers report bad content as InputFormatException; this is the system failing to read.
      throw new UserError("cannot read the evidence (input/output error)", 1, e);
    }
    String policyOut = null;
    PrintWriter err = spec.commandLine().getErr();
    if (emitPolicy != null) {
      if (PolicySuggester.hasSuggestion(findings)) {
        List<String> evidence = new ArrayList<>();
        wuLogs.forEach(p -> evidence.add(p.getFileName().toString()));
        captures.forEach(p -> evidence.add(p.getFileName().toString()));
        iisLogs.forEach(p -> evidence.add(p.getFileName().toString()));
        if (findings.iisConfig() != null) {
          evidence.add(Path.of(findings.iisConfig().file()).getFileName().toString());
        }
        SuggestedPolicy suggested = PolicySuggester.suggest(findings, evidence);
        if (suggested.isEmpty()) {
          err.println(
              "wsusfix: the denied folders cannot be written as a policy (see the report),"
                  + " so no policy was written to "
                  + Printable.escape(emitPolicy.toString()));
          err.flush();
        } else {
          writePolicy(PolicySuggester.yaml(suggested));
          policyOut = emitPolicy.toString();
        }
      } else {
        err.println(
            "wsusfix: no denied folder in the evidence, so no policy was written to " + emitPolicy);
        err.flush();
      }
    }
    ConfigAudit audit =
        config == null || findings.iisConfig() == null ? null : auditBehind(config, findings);
    PrintWriter out = spec.commandLine().getOut();
    // Text shows what the evidence says (URLs, paths, names) to a terminal: make it printable
    // line by line. JSON escapes control characters itself.
    out.print(
        json
            ? Report.json(findings, policyOut, audit)
            : printable(Report.text(findings, policyOut, audit)));
    out.flush();
    return findings.isEmpty() ? 0 : FINDINGS;
  }

  /**
   * The configuration against its shipped policy, to name the lines behind the log's 401.2, 401.1
   * and 500.24; null when the log shows none. The file was read once already, so a failure here is
   * the configuration editor's stricter reading: said in one line, and the rest of the report
   * stands.
   */
  private ConfigAudit auditBehind(Path config, Findings findings) {
    if (!PolicySuggester.hasIisSettingFault(findings)) {
      return null;
    }
    try {
      return ConfigAudit.of(
          findings.iisConfig(),
          BoundedFiles.readAll(config, BoundedFiles.SNAPSHOT_LIMIT, "IIS configuration"));
    } catch (FormatException | IOException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          "wsusfix: the IIS configuration was not held against the shipped policy: "
              + Printable.escape(String.valueOf(e.getMessage())));
      err.flush();
      return null;
    }
  }

  /** --iis-config alone: the file against the shipped policy of its generation. */
  private int audit() {
    ConfigAudit audit;
    try {
      IisConfig parsed = Diagnoser.readConfig(iisConfig);
      audit =
          ConfigAudit.of(
              parsed,
              BoundedFiles.readAll(iisConfig, BoundedFiles.SNAPSHOT_LIMIT, "IIS configuration"));
    } catch (InputFormatException | FormatException e) {
      throw new UserError(e.getMessage(), 1, e);
    } catch (RefusedFileException e) {
      throw new UserError(e.getMessage(), 1, e);
    } catch (NoSuchFileException e) {
      throw new UserError(e.getFile() + ": no such file", 1, e);
    } catch (AccessDeniedException e) {
      throw new UserError(e.getFile() + ": permission denied", 1, e);
    } catch (IOException e) {
      throw new UserError(
          iisConfig + ": cannot read the IIS configuration (input/output error)", 1, e);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(json ? JsonText.write(audit.json()) + "\n" : printable(audit.text()));
    out.flush();
    return audit.hasFindings() ? FINDINGS : 0;
  }

  private static String printable(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    for (String line : text.split("\n", -1)) {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append(Printable.escape(line));
    }
    return sb.toString();
  }

  private void writePolicy(String yaml) {
    Path target = emitPolicy.toAbsolutePath();
    try {
      Path dir = target.getParent();
      Path tmp = Files.createTempFile(dir, ".wsusfix-policy", ".tmp");
      try {
        Files.writeString(tmp, yaml, StandardCharsets.UTF_8);
        Files.move(
            tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UserError(emitPolicy + ": cannot write the policy: " + e.getMessage(), 1, e);
    }
  }
}
