package org.wsusfix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SddlConvertCommandTest {
  private record Result(int exit, String out, String err) {}

  private static Result run(String stdin, String... args) {
    SddlConvertCommand cmd = new SddlConvertCommand();
    cmd.in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    cmd.out = out;
    CommandLine cli = new CommandLine(cmd);
    cli.setExecutionExceptionHandler(new OneLineExecutionErrors());
    cli.setParameterExceptionHandler(new OneLineParameterErrors());
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString());
  }

  @Test
  void oneOutputLinePerInputLine() {
    Result r =
        run(
            "D:(A;;0x1F01FF;;;SY)\r\nD:(XA;;FA;;;WD;(Member_of {SID(BA)}))\n\nO:BAG:SY\n",
            "--from",
            "sddl",
            "--to",
            "sddl");
    String[] lines = r.out().split("\n", -1);
    assertEquals(5, lines.length, r.out());
    assertEquals("D:(A;;FA;;;SY)", lines[0]);
    assertEquals("error", lines[1]);
    assertTrue(r.err().startsWith("wsusfix: -:2: position 3: callback"), r.err());
    assertEquals(1, r.err().lines().count(), "one line per bad input line: " + r.err());
    assertEquals("", lines[2]);
    assertEquals("O:BAG:SY", lines[3]);
    assertEquals("", lines[4]);
    assertEquals(1, r.exit());
  }

  @Test
  void sddlToHexAndBack() {
    Result hex = run("O:SYG:BAD:PAI(A;;FA;;;SY)S:\n", "--from", "sddl", "--to", "hex");
    assertEquals(0, hex.exit());
    assertEquals(
        "010014943800000044000000140000001c0000000200080000000000"
            + "02001c000100000000001400ff011f00010100000000000512000000"
            + "01010000000000051200000001020000000000052000000020020000\n",
        hex.out());
    Result back = run(hex.out().toUpperCase(), "--from", "hex", "--to", "sddl");
    assertEquals("O:SYG:BAD:PAI(A;;FA;;;SY)S:\n", back.out());
    assertEquals(0, back.exit());
  }

  @Test
  void domainSidForRelativeAliases() {
    Result r =
        run(
            "O:DAG:DUD:(A;;GA;;;LG)\n",
            "--from",
            "sddl",
            "--to",
            "sddl",
            "--domain-sid",
            "S-1-5-21-1-2-3");
    assertEquals("O:DAG:DUD:(A;;GA;;;LG)\n", r.out());
    Result hex = run("O:DA\n", "--from", "sddl", "--to", "hex", "--domain-sid", "S-1-5-21-1-2-3");
    Result other =
        run(hex.out(), "--from", "hex", "--to", "sddl", "--domain-sid", "S-1-5-21-7-7-7");
    assertEquals("O:S-1-5-21-1-2-3-512\n", other.out());
    Result none = run("O:DA\n", "--from", "sddl", "--to", "sddl");
    assertEquals(1, none.exit());
    assertEquals("error\n", none.out());
    assertTrue(
        none.err().startsWith("wsusfix: -:1: ") && none.err().contains("no domain SID was given"),
        none.err());
  }

  @Test
  void textRendering() {
    Result r = run("O:BAD:(A;OICI;0x1200a9;;;BU)\n", "--from", "sddl", "--to", "text");
    assertEquals(
        "owner: BUILTIN\\Administrators; dacl: allow BUILTIN\\Users (OI)(CI)(RX)\n", r.out());
  }

  @Test
  void badHexLines() {
    Result r = run("0100\nnot hex\n", "--from", "hex", "--to", "text");
    assertEquals("error\nerror\n", r.out());
    String[] err = r.err().split("\n");
    assertEquals(2, err.length, r.err());
    assertTrue(err[0].startsWith("wsusfix: -:1: bad security descriptor"), err[0]);
    assertTrue(err[1].startsWith("wsusfix: -:2: "), err[1]);
    assertEquals(1, r.exit());
  }

  @Test
  void badLinesAreReportedOnStderrByNumberWithoutControlCharacters() {
    Result r =
        run(
            "D:(A;;FA;;;SY)\nD:(A;;FA;;;\u001b]0;x\u0007)\nD:\nnonsense\n",
            "--from",
            "sddl",
            "--to",
            "sddl");
    assertEquals("D:(A;;FA;;;SY)\nerror\nD:\nerror\n", r.out());
    String[] err = r.err().split("\n");
    assertEquals(2, err.length, r.err());
    assertTrue(err[0].startsWith("wsusfix: -:2: position "), err[0]);
    assertTrue(err[1].startsWith("wsusfix: -:4: position "), err[1]);
    assertTrue(r.err().chars().noneMatch(c -> c == 0x1b || c == 0x07), "escaped: " + r.err());
    assertEquals(1, r.exit());
  }

  @Test
  void badDomainSidIsAUsageError() {
    Result r = run("D:\n", "--from", "sddl", "--to", "sddl", "--domain-sid", "nonsense");
    assertEquals(1, r.exit());
    assertTrue(r.err().startsWith("wsusfix: --domain-sid: "), r.err());
    assertEquals("", r.out());
  }

  @Test
  void registeredUnderWsusfix() {
    CommandLine cli = Main.newCommandLine();
    assertTrue(cli.getSubcommands().get("sddl").getSubcommands().containsKey("convert"));
  }
}
