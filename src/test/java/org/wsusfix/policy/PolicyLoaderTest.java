package org.wsusfix.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsusfix.security.AccessMask;
import org.wsusfix.security.AceFlags;
import org.wsusfix.security.InheritFlags;
import org.wsusfix.security.Rights;

class PolicyLoaderTest {
  private static final String FULL =
      String.join(
          "\n",
          "apiVersion: wsusfix/v1",
          "kind: Policy",
          "metadata:",
          "  name: site-wsus",
          "  description: our WSUS box",
          "rules:",
          "  - path: '%SystemRoot%/Microsoft.NET/'",
          "    grants:",
          "      - trustee: BUILTIN\\Users",
          "        rights: ReadAndExecute",
          "        inheritance: [OI, CI]",
          "      - trustee: S-1-5-20",
          "        rights: 0x1200a9",
          "        inheritance: '(OI)(CI)(IO)'",
          "    forbidDeny:",
          "      trustees: [Everyone, 'IUSR_%COMPUTERNAME%']",
          "      remove: true",
          "    propagate: false",
          "  - path: 'D:\\WSUS'",
          "    grants:",
          "      - {trustee: NS, rights: [Read, Write], inheritance: []}",
          "    forbidDeny:",
          "      trustees: [AN]",
          "memberships:",
          "  - group: BU",
          "    members: ['IUSR_%COMPUTERNAME%', 'CONTOSO\\wsus-svc']",
          "  - group: '%COMPUTERNAME%\\WSUS Administrators'",
          "    members: [CONTOSO\\wsus-admins]",
          "    mode: exact",
          "expect:",
          "  - identity: 'IUSR_%COMPUTERNAME%'",
          "    path: '%windir%\\Microsoft.NET\\Framework'",
          "    access: RX",
          "  - identity: NT AUTHORITY\\NETWORK SERVICE",
          "    path: 'D:\\WSUS'",
          "    access: Read",
          "    logon: service",
          "");

  private static Policy parse(String text) {
    return PolicyLoader.parse("p.yaml", text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsEveryPartIntoRecords() throws Exception {
    Policy p = parse(FULL);
    assertEquals("site-wsus", p.name());
    assertEquals("our WSUS box", p.description());
    assertEquals("p.yaml", p.source());
    assertEquals(
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256").digest(FULL.getBytes(StandardCharsets.UTF_8))),
        p.digest());

    Rule net = p.rules().get(0);
    assertEquals("%SystemRoot%\\Microsoft.NET", net.path());
    assertEquals(new SourceLocation("p.yaml", 7, 5), net.at());
    assertFalse(net.propagate());
    Grant users = net.grants().get(0);
    assertEquals(
        new Trustee("BUILTIN\\Users", Trustee.Kind.NAME, new SourceLocation("p.yaml", 9, 18)),
        users.trustee());
    assertEquals(Rights.of(AccessMask.READ_AND_EXECUTE), users.rights());
    assertEquals(
        InheritFlags.of(AceFlags.OBJECT_INHERIT | AceFlags.CONTAINER_INHERIT), users.inheritance());
    assertEquals(new SourceLocation("p.yaml", 9, 9), users.at());
    Grant ns = net.grants().get(1);
    assertEquals(Trustee.Kind.SID, ns.trustee().kind());
    assertEquals(Rights.of(0x1200a9), ns.rights());
    assertEquals(
        InheritFlags.of(
            AceFlags.OBJECT_INHERIT | AceFlags.CONTAINER_INHERIT | AceFlags.INHERIT_ONLY),
        ns.inheritance());
    assertTrue(net.forbidDeny().remove());
    assertEquals(
        List.of("Everyone", "IUSR_%COMPUTERNAME%"),
        net.forbidDeny().trustees().stream().map(Trustee::text).toList());

    Rule content = p.rules().get(1);
    assertEquals("D:\\WSUS", content.path());
    assertTrue(content.propagate(), "propagate defaults to true");
    assertEquals(Rights.of(AccessMask.READ | AccessMask.WRITE), content.grants().get(0).rights());
    assertEquals(InheritFlags.NONE, content.grants().get(0).inheritance());
    assertFalse(content.forbidDeny().remove(), "remove defaults to false: report, do not delete");

    Membership users2 = p.memberships().get(0);
    assertEquals(Trustee.Kind.ALIAS, users2.group().kind());
    assertEquals(Membership.Mode.ENSURE, users2.mode());
    assertEquals(2, users2.members().size());
    assertEquals(Membership.Mode.EXACT, p.memberships().get(1).mode());

    Expectation e = p.expect().get(0);
    assertEquals(
        Expectation.LogonKind.NETWORK,
        e.logon(),
        "network is the default: WSUS is reached over HTTP");
    assertEquals(Rights.of(AccessMask.READ_AND_EXECUTE), e.access());
    assertEquals(Expectation.LogonKind.SERVICE, p.expect().get(1).logon());
  }

  @Test
  void emptyOptionalSectionsCountAsAbsent() {
    Policy p =
        parse(
            "apiVersion: wsusfix/v1\nkind: Policy\nmetadata:\n  name: x\n"
                + "memberships:\nexpect:\nrules:\n  - path: C:\\WSUS\n    grants:\n      - {trustee: BU, rights: R, inheritance: []}\n"
                + "    forbidDeny:\n");
    assertNull(p.description());
    assertNull(p.rules().get(0).forbidDeny());
    assertTrue(p.rules().get(0).propagate());
    assertEquals(List.of(), p.memberships());
  }

  @Test
  void acceptsBomCrlfAndUtf16() {
    String crlf = FULL.replace("\n", "\r\n");
    byte[] utf8Bom =
        concat(
            new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
            crlf.getBytes(StandardCharsets.UTF_8));
    byte[] utf16 =
        concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, crlf.getBytes(StandardCharsets.UTF_16LE));
    Policy plain = parse(FULL);
    for (byte[] bytes : List.of(utf8Bom, utf16)) {
      Policy p = PolicyLoader.parse("p.yaml", bytes);
      assertEquals(plain.rules(), p.rules());
      assertEquals(plain.expect(), p.expect());
    }
    // Locations stay right with CRLF and a BOM.
    PolicyException e =
        assertThrows(
            PolicyException.class,
            () ->
                PolicyLoader.parse(
                    "p.yaml",
                    concat(
                        new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                        crlf.replace("access: RX", "access: RXX")
                            .getBytes(StandardCharsets.UTF_8))));
    assertEquals(
        "p.yaml:33:13: unknown right 'RXX'",
        e.getMessage().substring(0, e.getMessage().indexOf(';')));
  }

  @Test
  void nonAsciiTextIsKept() {
    Policy p =
        parse(
            FULL.replace("our WSUS box", "Serveur de mises à jour – WSUS")
                .replace("CONTOSO\\wsus-admins", "CONTOSO\\Administrateurs WSUS é"));
    assertEquals("Serveur de mises à jour – WSUS", p.description());
    assertEquals("CONTOSO\\Administrateurs WSUS é", p.memberships().get(1).members().get(0).text());
  }

  @Test
  void errorsCarryTheirParts() {
    PolicyException e =
        assertThrows(
            PolicyException.class,
            () -> parse(FULL.replace("    grants:\n      - {", "    grant:\n      - {")));
    assertEquals("p.yaml", e.file());
    assertEquals(20, e.line());
    assertEquals(5, e.column());
    assertEquals("unknown key 'grant' in rule", e.problem());
    assertEquals("did you mean 'grants'?", e.hint());
  }

  @Test
  void loadsFilesAndReportsMissingOnes(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("site.yaml");
    Files.writeString(f, FULL);
    assertEquals("site-wsus", PolicyLoader.load(f).name());
    assertEquals(f.toString(), PolicyLoader.load(f).source());
    PolicyException missing =
        assertThrows(PolicyException.class, () -> PolicyLoader.load(dir.resolve("nope.yaml")));
    assertEquals(dir.resolve("nope.yaml") + ": no such file", missing.getMessage());
    PolicyException directory = assertThrows(PolicyException.class, () -> PolicyLoader.load(dir));
    assertEquals(dir + ": is a directory, not a file", directory.getMessage());
  }

  @Test
  void devicesAndOversizedPoliciesAreRefusedBeforeReading(@TempDir Path dir) throws Exception {
    Path zero = Path.of("/dev/zero");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(zero), "no /dev/zero here");
    PolicyException device =
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            java.time.Duration.ofSeconds(10),
            () -> assertThrows(PolicyException.class, () -> PolicyLoader.load(zero)));
    assertEquals(
        "/dev/zero: is not a regular file (a device, pipe or socket)", device.getMessage());
    Path big = dir.resolve("big.yaml");
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(org.wsusfix.files.BoundedFiles.POLICY_LIMIT + 1);
    }
    PolicyException tooBig = assertThrows(PolicyException.class, () -> PolicyLoader.load(big));
    assertEquals(
        big + ": is 4194305 bytes, more than the policy file limit of 4 MiB", tooBig.getMessage());
  }

  @Test
  void aHugeLineIsRefusedBeforeTheYamlReaderSeesIt(@TempDir Path dir) throws Exception {
    String head = "apiVersion: wsusfix/v1\nkind: Policy\nmetadata:\n  name: x\n";
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
        java.time.Duration.ofSeconds(5),
        () -> {
          // A comment line of 3 MB: within the file limit, so only the line limit stops it.
          byte[] comment =
              (head + "# " + "a".repeat(3 << 20) + "\n").getBytes(StandardCharsets.UTF_8);
          PolicyException e =
              assertThrows(PolicyException.class, () -> PolicyLoader.parse("c.yaml", comment));
          assertEquals(
              "c.yaml:5:65537: line 5 is longer than 65,536 characters;"
                  + " policy lines are short: even a path has at most 32,767 characters",
              e.getMessage());
          // A plain scalar after a U+2028, which YAML counts as a line break.
          byte[] plain =
              (head + "\u2028  description: " + "b".repeat(3 << 20))
                  .getBytes(StandardCharsets.UTF_8);
          e = assertThrows(PolicyException.class, () -> PolicyLoader.parse("p.yaml", plain));
          assertTrue(e.getMessage().startsWith("p.yaml:6:65537: line 6 is longer"), e.getMessage());
          // 20 MB on one line: the file limit refuses it before decoding.
          Path big = dir.resolve("big.yaml");
          Files.write(big, (head + "# " + "c".repeat(20 << 20)).getBytes(StandardCharsets.UTF_8));
          e = assertThrows(PolicyException.class, () -> PolicyLoader.load(big));
          assertTrue(e.getMessage().startsWith(big + ": is "), e.getMessage());
        });
    String longest =
        head
            + "# "
            + "d".repeat(65_534)
            + "\nrules: []\nexpect: [{identity: BU, path: 'C:\\', access: R}]\n";
    assertEquals(
        "x", PolicyLoader.parse("ok.yaml", longest.getBytes(StandardCharsets.UTF_8)).name());
  }

  @Test
  void openResolvesFilesThenShippedPolicies(@TempDir Path dir) throws Exception {
    assertEquals("builtin:wsus-iis6", PolicyLoader.open("wsus-iis6").source());
    assertEquals("builtin:wsus-2012", PolicyLoader.open("builtin:wsus-2012").source());
    Path f = dir.resolve("site.yaml");
    Files.writeString(f, FULL);
    assertEquals(f.toString(), PolicyLoader.open(f.toString()).source());
    PolicyException unknown =
        assertThrows(PolicyException.class, () -> PolicyLoader.open("wsus-iis5"));
    assertEquals(
        "wsus-iis5: no such file or shipped policy; shipped policies: wsus-iis6, wsus-iis7, wsus-2012",
        unknown.getMessage());
    PolicyException unknownBuiltin =
        assertThrows(PolicyException.class, () -> PolicyLoader.open("builtin:../pom"));
    assertEquals(
        "builtin:../pom: no shipped policy of that name; shipped policies: wsus-iis6, wsus-iis7, wsus-2012",
        unknownBuiltin.getMessage());
    PolicyException missingPath =
        assertThrows(
            PolicyException.class, () -> PolicyLoader.open(dir.resolve("x.yaml").toString()));
    assertTrue(missingPath.getMessage().endsWith("x.yaml: no such file"));
  }

  @Test
  void aFileInTheCurrentFolderWinsOverAShippedPolicyOfTheSameName() throws Exception {
    // open() looks for a file first; only a bare name with no such file means a shipped policy.
    Path local = Path.of("wsus-iis6");
    assertFalse(Files.exists(local), "test needs no file named wsus-iis6 in the project folder");
    try {
      Files.writeString(local, FULL);
      assertEquals("wsus-iis6", PolicyLoader.open("wsus-iis6").source());
      assertEquals("site-wsus", PolicyLoader.open("wsus-iis6").name());
    } finally {
      Files.deleteIfExists(local);
    }
  }

  @Test
  void schemaIsShipped() {
    assertTrue(PolicyLoader.schema().contains("\"$defs\""));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(a);
    out.writeBytes(b);
    return out.toByteArray();
  }
}
