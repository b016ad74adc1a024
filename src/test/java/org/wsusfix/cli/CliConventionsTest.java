package org.wsusfix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * help, the bare command and completion, built as main builds them (one subcommand where it can).
 */
class CliConventionsTest {
  private static final List<String> COMMANDS =
      List.of(
          "diagnose",
          "plan",
          "apply",
          "rollback",
          "check",
          "show",
          "explain",
          "policy",
          "sddl",
          "completion");

  @Test
  void helpListsEveryCommand() {
    CliRun r = CliRun.asLaunched("help");
    assertEquals(0, r.exit(), r.toString());
    for (String c : COMMANDS) {
      assertTrue(r.out().contains("\n  " + c + " "), c + " listed: " + r.out());
    }
  }

  @Test
  void helpOfOneCommandPrintsItsHelp() {
    CliRun r = CliRun.asLaunched("help", "apply");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().startsWith("Usage: wsusfix apply "), r.out());
    assertTrue(r.out().contains("--undo=FILE"), r.out());
    assertEquals("", r.err());
    assertTrue(CliRun.asLaunched("help", "sddl").out().startsWith("Usage: wsusfix sddl "));
  }

  @Test
  void helpOfAnUnknownCommandIsOneLine() {
    CliRun r = CliRun.asLaunched("help", "nonsense");
    assertEquals(1, r.exit(), r.toString());
    assertTrue(r.err().startsWith("wsusfix: Unknown subcommand 'nonsense'"), r.err());
    assertFalse(r.err().contains("Exception"), r.err());
  }

  @Test
  void noCommandPrintsUsageOnStderrAndExitsTwo() {
    CliRun r = CliRun.asLaunched();
    assertEquals(2, r.exit(), r.toString());
    assertEquals("", r.out());
    assertTrue(r.err().startsWith("Usage: wsusfix "), r.err());
    assertTrue(r.err().contains("\n  plan "), r.err());
  }

  @Test
  void completionIsOneFunctionAndOneCompleteLineForWsusfix() {
    CliRun r = CliRun.asLaunched("completion");
    assertEquals(0, r.exit(), r.toString());
    String script = r.out();
    Matcher functions =
        Pattern.compile("(?m)^(?:function\\s+)?([A-Za-z_][\\w-]*)\\s*\\(\\)").matcher(script);
    int count = 0;
    while (functions.find()) {
      assertEquals("_wsusfix", functions.group(1), "a function of wsusfix's own");
      count++;
    }
    assertEquals(1, count);
    List<String> completes = script.lines().filter(l -> l.startsWith("complete ")).toList();
    assertEquals(List.of("complete -o default -F _wsusfix wsusfix"), completes);
    for (String noise :
        new String[] {"Installation", "bash_profile", "picocli", "ZSH_VERSION", "http"}) {
      assertFalse(script.contains(noise), "no generic boilerplate: " + noise);
    }
    for (String c : COMMANDS) {
      assertTrue(script.contains("' " + c + "'"), c);
    }
  }

  /** What bash offers after the given words (the last one is the word being completed). */
  private static String complete(Path script, String... words)
      throws IOException, InterruptedException {
    StringBuilder line =
        new StringBuilder("source ")
            .append(BashCompletion.quote(script.toString()))
            .append("; COMP_WORDS=(");
    for (String w : words) {
      line.append(BashCompletion.quote(w)).append(' ');
    }
    line.append("); COMP_CWORD=")
        .append(words.length - 1)
        .append("; COMPREPLY=(); _wsusfix; printf '%s\\n' \"${COMPREPLY[@]}\"");
    Process p =
        new ProcessBuilder("bash", "--norc", "-c", line.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out.strip();
  }

  @Test
  @DisabledOnOs(OS.WINDOWS) // bash there may be WSL's, with its own view of paths
  void bashCompletesCommandsOptionsAndValues(@TempDir Path dir) throws Exception {
    Path script = dir.resolve("wsusfix.bash");
    Files.writeString(script, CliRun.asLaunched("completion").out());
    assertEquals("plan", complete(script, "wsusfix", "pl"));
    assertEquals("convert", complete(script, "wsusfix", "sddl", "c"));
    assertEquals("sddl\nhex", complete(script, "wsusfix", "sddl", "convert", "--from", ""));
    assertEquals("text", complete(script, "wsusfix", "sddl", "convert", "--to", "=", "t"));
    assertEquals("--target", complete(script, "wsusfix", "plan", "--tar"));
    assertEquals("wsus-iis6\nwsus-iis7", complete(script, "wsusfix", "check", "-p", "wsus-iis"));
    assertEquals("apply", complete(script, "wsusfix", "help", "app"));
    assertEquals(
        "", complete(script, "wsusfix", "show", "--target", ""), "a target is left to bash");
  }
}
