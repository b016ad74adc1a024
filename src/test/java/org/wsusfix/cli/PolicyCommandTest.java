package org.wsusfix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PolicyCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  /** Output with \n line ends, whatever the platform prints. */
  private static String text(StringWriter w) {
    return w.toString().replace(System.lineSeparator(), "\n");
  }

  @Test
  void validateReportsEachFileAndFailsIfAnyIsBroken(@TempDir Path dir) throws Exception {
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(
        broken, "apiVersion: wsusfix/v1\nkind: Policy\nmetadata:\n  name: x\nrule: []\n");
    int code = run("policy", "validate", "policies/wsus-iis6.yaml", broken.toString(), "wsus-2012");
    assertEquals(1, code);
    assertEquals(
        "policies/wsus-iis6.yaml: ok (7 rules, 1 membership, 3 expectations, 9 IIS applications)\n"
            + "builtin:wsus-2012: ok (9 rules, 0 memberships, 4 expectations, 2 registry keys, 3 user rights, 9 IIS applications)\n",
        text(out));
    assertEquals(
        "wsusfix: " + broken + ":5:1: unknown key 'rule' in policy; did you mean 'rules'?\n",
        text(err));
  }

  @Test
  void validateExitsZeroWhenAllAreValid() {
    assertEquals(0, run("policy", "validate", "builtin:wsus-iis7"));
    assertEquals(
        "builtin:wsus-iis7: ok (15 rules, 0 memberships, 4 expectations, 2 registry keys, 3 user rights, 9 IIS applications)\n",
        text(out));
    assertEquals("", text(err));
  }

  @Test
  void validateNeedsAFile() {
    assertEquals(1, run("policy", "validate"));
    assertTrue(text(err).startsWith("wsusfix: Missing required parameter: 'FILE'"), text(err));
  }

  @Test
  void schemaPrintsTheJsonSchema() throws Exception {
    assertEquals(0, run("policy", "schema"));
    assertEquals(Files.readString(Path.of("policies/policy.schema.json")), text(out));
    new ObjectMapper().readTree(text(out));
  }

  @Test
  void listShowsAndPrintsShippedPolicies() throws Exception {
    assertEquals(0, run("policy", "list"));
    assertTrue(text(out).startsWith("wsus-iis6  WSUS 2.0/3.0 on IIS 6"), text(out));
    assertEquals(3, text(out).lines().count());
    out.getBuffer().setLength(0);
    assertEquals(0, run("policy", "list", "--print", "wsus-iis7"));
    assertEquals(Files.readString(Path.of("policies/wsus-iis7.yaml")), text(out));
    assertEquals(1, run("policy", "list", "--print", "iis8"));
    assertEquals(
        "wsusfix: no shipped policy 'iis8'; shipped policies: wsus-iis6, wsus-iis7, wsus-2012\n",
        text(err));
  }
}
