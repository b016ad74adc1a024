package org.wsusfix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The Intune and Configuration Manager scripts read as text (no PowerShell here to run them): each
 * wsusfix command line they build must be one the command line takes, the exit codes they act on
 * must be the ones the commands document, and nothing secret may reach a command line.
 */
class IntegrationScriptsTest {
  static final Path INTUNE = Path.of("integrations", "intune");
  static final Path CONFIGMGR = Path.of("integrations", "configmgr");
  static final List<Path> SCRIPTS =
      List.of(
          INTUNE.resolve("Detect-WsusfixCompliance.ps1"),
              INTUNE.resolve("Remediate-WsusfixCompliance.ps1"),
          CONFIGMGR.resolve("Discover-WsusfixCompliance.ps1"),
              CONFIGMGR.resolve("Remediate-WsusfixCompliance.ps1"));
  static final Pattern CALL = Pattern.compile("Invoke-Wsusfix @\\(([^)]*)\\)");
  static final Pattern WORD = Pattern.compile("'([^']*)'|(\\$\\w+)");

  private static String read(Path p) throws IOException {
    byte[] bytes = Files.readAllBytes(p);
    for (byte b : bytes) {
      // Windows PowerShell reads a file without a BOM in the ANSI code page: ASCII reads the same
      // in all
      assertTrue(
          b >= 0 && (b >= 0x20 || b == '\n' || b == '\r' || b == '\t'), p + ": ASCII text only");
    }
    return new String(bytes, StandardCharsets.US_ASCII);
  }

  /** Each wsusfix command line a script builds, as its words (literals, or $variables). */
  private static List<List<String>> calls(String script) {
    List<List<String>> out = new ArrayList<>();
    Matcher m = CALL.matcher(script);
    while (m.find()) {
      List<String> words = new ArrayList<>();
      Matcher w = WORD.matcher(m.group(1));
      while (w.find()) {
        words.add(w.group(1) != null ? w.group(1) : w.group(2));
      }
      out.add(words);
    }
    return out;
  }

  @Test
  void everyOptionAScriptPassesExistsOnItsCommand() throws IOException {
    CommandLine cli = Main.newCommandLine();
    int checked = 0;
    for (Path p : SCRIPTS) {
      List<List<String>> calls = calls(read(p));
      assertFalse(calls.isEmpty(), p + " runs wsusfix");
      for (List<String> call : calls) {
        CommandLine sub = cli.getSubcommands().get(call.get(0));
        assertNotNull(sub, p + ": no command " + call.get(0));
        CommandSpec spec = sub.getCommandSpec();
        String help = CliRun.of(call.get(0), "--help").out();
        for (String word : call.subList(1, call.size())) {
          if (word.startsWith("-")) {
            assertNotNull(spec.findOption(word), p + ": " + call.get(0) + " has no option " + word);
            assertTrue(
                help.contains(word), p + ": 'wsusfix " + call.get(0) + " --help' names " + word);
            checked++;
          }
        }
      }
    }
    assertTrue(checked >= 12, "options checked: " + checked);
  }

  @Test
  void theScriptsTargetThisMachineAndPassNothingSecret() throws IOException {
    for (Path p : SCRIPTS) {
      String text = read(p);
      for (List<String> call : calls(text)) {
        int t = call.indexOf("--target");
        assertTrue(t > 0 && call.get(t + 1).equals("local"), p + ": " + call);
        assertTrue(
            call.contains("-p") && call.get(call.indexOf("-p") + 1).equals("$Policy"),
            p + ": " + call);
      }
      String lower = text.toLowerCase(Locale.ROOT);
      assertFalse(
          lower.contains("password")
              || lower.contains("smb://")
              || lower.contains("wsusfix_smb")
              || lower.contains("get-credential"),
          p.toString());
    }
  }

  @Test
  void remediationAppliesUnattendedWithANewJournalInAFixedFolder() throws IOException {
    for (Path p :
        List.of(
            INTUNE.resolve("Remediate-WsusfixCompliance.ps1"),
            CONFIGMGR.resolve("Remediate-WsusfixCompliance.ps1"))) {
      String text = read(p);
      List<String> apply =
          calls(text).stream().filter(c -> c.get(0).equals("apply")).findFirst().orElseThrow();
      assertTrue(
          apply.contains("--yes"), p + ": apply must not wait for a confirmation nobody can give");
      assertEquals("$journal", apply.get(apply.indexOf("--undo") + 1), p.toString());
      assertTrue(
          text.contains("$journal = Join-Path $JournalFolder \"wsusfix-$stamp.jsonl\""),
          p.toString());
      assertTrue(
          text.contains(
              "[string]$JournalFolder = (Join-Path $env:ProgramData 'wsusfix\\journals')"),
          p.toString());
      // confirmed by check afterwards: an apply that leaves a conflict is not a success
      assertTrue(
          text.indexOf("Invoke-Wsusfix @('check'") > text.indexOf("Invoke-Wsusfix @('apply'"),
          p.toString());
    }
  }

  @Test
  void theExitCodesTheScriptsDescribeAreTheCommandsOwn() throws IOException {
    Map<Integer, String> check = documented("check");
    assertEquals(
        Map.of(0, "compliant", 1, "not compliant", 2, "error", 3, "nothing checked"), check);
    Map<Integer, String> apply = documented("apply");
    assertEquals(Map.of(0, "done", 1, "error"), apply);
    for (Path p : SCRIPTS) {
      String text = read(p);
      Map<Integer, String> rows = table(text, "wsusfix check");
      if (!rows.isEmpty()) {
        for (Map.Entry<Integer, String> row : rows.entrySet()) {
          assertTrue(
              row.getValue().startsWith(check.get(row.getKey())),
              p
                  + ": check's exit "
                  + row.getKey()
                  + " is '"
                  + check.get(row.getKey())
                  + "', the script says '"
                  + row.getValue()
                  + "'");
        }
        assertEquals(check.keySet(), rows.keySet(), p + ": every exit code of check is handled");
      }
    }
    // detection: only compliant passes, whatever else check says
    String detect = read(INTUNE.resolve("Detect-WsusfixCompliance.ps1"));
    assertTrue(detect.contains("if ($check.Code -eq 0) {\n    exit 0\n}\nexit 1"), detect);
    String discover = read(CONFIGMGR.resolve("Discover-WsusfixCompliance.ps1"));
    assertTrue(discover.contains("0 { Write-Output 'Compliant'; exit 0 }"), discover);
    assertTrue(
        discover.contains(
            "{ $_ -eq 1 -or $_ -eq 3 } { Write-Output (Get-LastLine $check.Lines); exit 0 }"),
        discover);
  }

  @Test
  void theScriptsShareOneWayOfRunningWsusfix() throws IOException {
    String first = function(read(SCRIPTS.get(0)), "Invoke-Wsusfix");
    for (Path p : SCRIPTS) {
      String text = read(p);
      assertEquals(first, function(text, "Invoke-Wsusfix"), p.toString());
      assertTrue(
          text.contains(
              "[string]$InstallFolder = 'C:\\Tools\\wsusfix-" + releaseVersion() + "\\bin'"),
          p + ": the default install folder is the release's");
      assertTrue(text.contains("[Environment]::Is64BitProcess"), p + ": runs in 64-bit PowerShell");
    }
  }

  /** "Exit codes: 0 compliant, 1 not compliant, ..." of a command's description. */
  private static Map<Integer, String> documented(String command) {
    String[] description =
        Main.newCommandLine()
            .getSubcommands()
            .get(command)
            .getCommandSpec()
            .usageMessage()
            .description();
    Map<Integer, String> out = new LinkedHashMap<>();
    for (String line : description) {
      if (line.startsWith("Exit codes: ")) {
        for (String part :
            line.substring("Exit codes: ".length())
                .replaceAll("\\([^)]*\\)", "")
                .replace(".", "")
                .split(",")) {
          String t = part.trim();
          out.put(
              Integer.parseInt(t.substring(0, t.indexOf(' '))),
              t.substring(t.indexOf(' ') + 1).trim());
        }
      }
    }
    return out;
  }

  /** The rows of a script's exit-code table headed by {@code header}: code, meaning. */
  private static Map<Integer, String> table(String script, String header) {
    Map<Integer, String> rows = new LinkedHashMap<>();
    int at = script.indexOf("  " + header + "   ");
    if (at < 0) {
      return rows;
    }
    for (String line : script.substring(at).split("\n")) {
      Matcher m = Pattern.compile("^  (\\d)( or other)?\\s+(\\S.*?)\\s{2,}").matcher(line + "  ");
      if (m.find()) {
        rows.put(Integer.parseInt(m.group(1)), m.group(3));
      } else if (line.isBlank()) {
        break;
      }
    }
    return rows;
  }

  private static String function(String script, String name) {
    int start = script.indexOf("function " + name);
    assertTrue(start >= 0, name);
    return script.substring(start, script.indexOf("\n}\n", start));
  }

  private static String releaseVersion() throws IOException {
    Matcher m =
        Pattern.compile("<artifactId>wsusfix</artifactId>\\s*<version>([^<-]+)")
            .matcher(Files.readString(Path.of("pom.xml")));
    assertTrue(m.find(), "pom.xml version");
    return m.group(1);
  }
}
