package org.wsusfix.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsusfix.machine.WindowsPaths;
import org.wsusfix.machine.memory.MemoryTarget;
import org.wsusfix.machine.snapshot.IcaclsSaveFile;
import org.wsusfix.resource.WalkProgress;
import org.wsusfix.resource.folder.DaclWrites;
import org.wsusfix.security.Sddl;
import org.wsusfix.security.SecurityDescriptor;

class IcaclsExportTest {
  @TempDir Path dir;

  @Test
  void writesAnIcaclsSaveFileOfEveryBeforeState() throws IOException {
    MemoryTarget mem = Fixture.server();
    Fixture.State before = Fixture.state(mem);
    Path journal = dir.resolve("undo.jsonl");
    assertTrue(
        new Executor(mem, new PrintWriter(new StringWriter()), WalkProgress.NONE)
            .apply(Fixture.plan(mem), journal, "test")
            .ok());
    Path out = dir.resolve("restore.txt");

    String base = IcaclsExport.write(UndoJournal.read(journal), out);

    assertEquals(Fixture.NET, base);
    byte[] bytes = Files.readAllBytes(out);
    assertFalse(
        bytes.length >= 2 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xfe, "no BOM");
    String text = new String(bytes, StandardCharsets.UTF_16LE);
    assertTrue(text.endsWith("\r\n"));
    assertEquals(
        text.split("\r\n", -1).length - 1,
        text.split("\n", -1).length - 1,
        "every line ends with CRLF");
    assertTrue(text.startsWith("Framework\r\nD:PAI("), text);

    List<IcaclsSaveFile.Entry> entries = IcaclsSaveFile.read(out);
    assertEquals(8, entries.size(), "two folders and six descendants");
    for (IcaclsSaveFile.Entry e : entries) {
      assertFalse(e.name().startsWith("\\") || e.name().contains(":"), e.name());
      assertTrue(e.sddl().startsWith("D:"), "DACL only: " + e.sddl());
      String path = WindowsPaths.join(base, e.name());
      SecurityDescriptor was = before.descriptors().get(path);
      SecurityDescriptor saved = Sddl.parse(e.sddl(), Fixture.MACHINE);
      assertTrue(DaclWrites.sameDacl(was, saved), path + ": " + e.sddl());
      assertEquals(
          was.control()
              & (SecurityDescriptor.DACL_PROTECTED | SecurityDescriptor.DACL_AUTO_INHERITED),
          saved.control()
              & (SecurityDescriptor.DACL_PROTECTED | SecurityDescriptor.DACL_AUTO_INHERITED),
          path);
    }
  }

  @Test
  void aJournalOfMembershipsOnlyHasNothingToExport() throws IOException {
    MemoryTarget mem = Fixture.server();
    Path journal = dir.resolve("undo.jsonl");
    assertTrue(
        new Executor(mem, new PrintWriter(new StringWriter()), WalkProgress.NONE)
            .apply(
                Fixture.plan(
                    mem,
                    """
        apiVersion: wsusfix/v1
        kind: Policy
        metadata:
          name: members
        memberships:
          - group: S-1-5-32-568
            members: [S-1-5-17]
        """),
                journal,
                "test")
            .ok());
    Path out = dir.resolve("restore.txt");
    IOException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IOException.class, () -> IcaclsExport.write(UndoJournal.read(journal), out));
    assertEquals("the journal records no DACL change to export", e.getMessage());
    assertFalse(Files.exists(out));
  }
}
