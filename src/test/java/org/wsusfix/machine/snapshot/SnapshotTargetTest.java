package org.wsusfix.machine.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.TargetException;
import org.wsusfix.security.WellKnownSids;

class SnapshotTargetTest {
  static final String FW = "D:PAI(A;OICI;FA;;;SY)(A;OICIIO;GA;;;CO)";
  static final String CHILD = "D:AI(A;OICIID;FA;;;SY)(A;ID;FA;;;BA)(A;OICIIOID;GA;;;CO)";
  static final String FILE = "D:AI(A;ID;FA;;;SY)(A;ID;FA;;;BA)";

  private static Path write(Path dir, String text, java.nio.charset.Charset cs) throws Exception {
    Path f = dir.resolve("acl.txt");
    Files.write(f, text.getBytes(cs));
    return f;
  }

  @Test
  void readsIcaclsSaveFilesAndTellsFoldersFromFiles(@TempDir Path dir) throws Exception {
    String text =
        "Framework\r\n"
            + FW
            + "\r\nFramework\\v2\r\n"
            + CHILD
            + "\r\nFramework\\v2\\a.dll\r\n"
            + FILE
            + "\r\n";
    Target t =
        SnapshotTarget.load(
            write(dir, text, StandardCharsets.UTF_16LE), "C:\\Windows\\Microsoft.NET", Map.of());
    assertTrue(t.isContainer("C:\\Windows\\Microsoft.NET\\Framework"));
    assertTrue(
        t.isContainer("c:\\windows\\microsoft.net\\framework\\V2"), "paths compare without case");
    assertFalse(t.isContainer("C:\\Windows\\Microsoft.NET\\Framework\\v2\\a.dll"));
    assertEquals(
        List.of(new Target.Entry("a.dll", false, false)),
        t.children("C:\\Windows\\Microsoft.NET\\Framework\\v2"));
    assertFalse(t.hasAccounts());
    assertTrue(
        t.groupMembers(WellKnownSids.USERS).isEmpty(), "offline: group data unknown, not empty");
    assertEquals(
        WellKnownSids.ADMINISTRATORS,
        t.read("C:\\Windows\\Microsoft.NET\\Framework\\v2").owner(),
        "owner inferred from the CREATOR OWNER entry the child inherited");
  }

  @Test
  void acceptsUtf8CopiesWithBom(@TempDir Path dir) throws Exception {
    String text = "\uFEFFTemp\n" + FW + "\n";
    Target t =
        SnapshotTarget.load(write(dir, text, StandardCharsets.UTF_8), "C:\\Windows", Map.of());
    assertTrue(t.exists("C:\\Windows\\Temp"));
  }

  @Test
  void badSddlNamesFileAndLine(@TempDir Path dir) throws Exception {
    Path f = write(dir, "Temp\r\nD:(A;;FA;;;XX)\r\n", StandardCharsets.UTF_16LE);
    TargetException e =
        assertThrows(TargetException.class, () -> SnapshotTarget.load(f, "C:\\Windows", Map.of()));
    assertTrue(e.getMessage().startsWith(f + ":2: "), e.getMessage());
  }

  @Test
  void aPathListedTwiceIsRefusedNotReplaced(@TempDir Path dir) throws Exception {
    Path f =
        write(
            dir,
            "Temp\r\n" + FW + "\r\nX\r\n" + FW + "\r\nTEMP\r\n" + CHILD + "\r\n",
            StandardCharsets.UTF_16LE);
    TargetException e =
        assertThrows(TargetException.class, () -> SnapshotTarget.load(f, "C:\\Windows", Map.of()));
    assertEquals(
        f + ":5: TEMP is listed twice (first at line 1); a snapshot holds one entry per path",
        e.getMessage());
  }

  @Test
  void devicesAndOversizedFilesAreRefusedInOneLine(@TempDir Path dir) throws Exception {
    java.nio.file.Path zero = Path.of("/dev/zero");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(zero), "no /dev/zero here");
    TargetException e =
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            java.time.Duration.ofSeconds(10),
            () ->
                assertThrows(
                    TargetException.class,
                    () -> SnapshotTarget.load(zero, "C:\\Windows", Map.of())));
    assertEquals("/dev/zero: is not a regular file (a device, pipe or socket)", e.getMessage());
    TargetException viaScheme =
        assertThrows(
            TargetException.class,
            () -> new SnapshotTargets().open("snapshot:/dev/zero", Map.of(), Map.of()));
    assertEquals(e.getMessage(), viaScheme.getMessage());
    Path big = dir.resolve("big.txt");
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(org.wsusfix.files.BoundedFiles.SNAPSHOT_LIMIT + 1); // sparse: no disk used
    }
    TargetException tooBig =
        assertThrows(
            TargetException.class, () -> SnapshotTarget.load(big, "C:\\Windows", Map.of()));
    assertEquals(
        big
            + ": is "
            + (org.wsusfix.files.BoundedFiles.SNAPSHOT_LIMIT + 1)
            + " bytes, more than the snapshot limit of 512 MiB",
        tooBig.getMessage());
  }

  @Test
  void nameWithoutSddlIsAnError(@TempDir Path dir) throws Exception {
    Path f = write(dir, "Temp\r\n", StandardCharsets.UTF_16LE);
    TargetException e =
        assertThrows(TargetException.class, () -> SnapshotTarget.load(f, "C:\\Windows", Map.of()));
    assertTrue(e.getMessage().contains(":1: name 'Temp' has no SDDL line"), e.getMessage());
  }

  @Test
  void writesAreRefused(@TempDir Path dir) throws Exception {
    Target t =
        SnapshotTarget.load(
            write(dir, "Temp\r\n" + FW + "\r\n", StandardCharsets.UTF_16LE),
            "C:\\Windows",
            Map.of());
    assertTrue(t.daclWriter().isEmpty(), "a snapshot offers no writer");
    assertTrue(t.groupWriter().isEmpty());
    assertTrue(t.readOnlyReason().contains("offline snapshot"), t.readOnlyReason());
  }

  @Test
  void readsARealIcaclsSaveFile() throws Exception {
    Path sample = Path.of("../shared/samples/icacls/cbrt64-Reset-inetpub_acls_v1_71e4e35.txt");
    Assumptions.assumeTrue(Files.exists(sample), "SKIPPED: ../shared/samples is absent");
    Target t = SnapshotTarget.load(sample, "C:\\", Map.of());
    assertTrue(t.read("C:\\inetpub").isDaclProtected());
    assertEquals(9, t.read("C:\\inetpub").dacl().size());
    assertTrue(t.isContainer("C:\\inetpub"), "inheritable entries mark a folder");
  }

  @Test
  void icaclsFilesRoundTrip(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("out.txt");
    List<IcaclsSaveFile.Entry> entries =
        List.of(new IcaclsSaveFile.Entry("a", FW, 0), new IcaclsSaveFile.Entry("a\\b", CHILD, 0));
    IcaclsSaveFile.write(f, entries);
    byte[] bytes = Files.readAllBytes(f);
    assertEquals('a', bytes[0]);
    assertEquals(0, bytes[1], "UTF-16LE without a byte order mark");
    assertEquals(
        List.of("a", "a\\b"),
        IcaclsSaveFile.read(f).stream().map(IcaclsSaveFile.Entry::name).toList());
  }
}
