package org.wsusfix.diagnose.procmon.pml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsusfix.diagnose.Diagnoser;
import org.wsusfix.diagnose.Findings;
import org.wsusfix.diagnose.Samples;
import org.wsusfix.diagnose.procmon.CsvFixtures;

/** The same capture saved as PML and as CSV must give the same findings. */
class PmlCsvFindingsTest {
  @TempDir Path dir;

  /** The CSV export Procmon would write for {@link PmlReaderTest#wsusCapture}'s denied events. */
  private static String csvOfCapture() {
    String ns = "NT AUTHORITY\\NETWORK SERVICE";
    return "\uFEFF"
        + CsvFixtures.row(CsvFixtures.FULL_HEADER)
        + CsvFixtures.row(
            "1:00:00 PM",
            "w3wp.exe",
            "3120",
            "QueryOpen",
            "C:\\WINDOWS\\Microsoft.NET\\Framework",
            "ACCESS DENIED",
            "",
            ns)
        + CsvFixtures.row(
            "1:00:00 PM",
            "w3wp.exe",
            "3120",
            "CreateFile",
            "C:\\WINDOWS\\Microsoft.NET",
            "ACCESS DENIED",
            CsvFixtures.CREATE_DIR_DETAIL,
            ns)
        + CsvFixtures.row(
            "1:00:00 PM",
            "w3wp.exe",
            "3120",
            "CreateFile",
            "C:\\WINDOWS\\Microsoft.NET\\Framework\\v2.0.50727\\mscorlib.dll",
            "ACCESS DENIED",
            "Desired Access: Generic Read, Disposition: Open, Options: Non-Directory File, Attributes:"
                + " n/a, ShareMode: Read, AllocationSize: n/a, Impersonating: NT AUTHORITY\\IUSR",
            ns)
        + CsvFixtures.row(
            "1:00:00 PM",
            "w3wp.exe",
            "3120",
            "QueryDirectory",
            "C:\\WINDOWS\\Temp\\*.tmp",
            "SUCCESS",
            "Filter: *.tmp",
            ns)
        + CsvFixtures.row(
            "1:00:00 PM",
            "svchost.exe",
            "888",
            "RegOpenKey",
            "HKLM\\SOFTWARE\\Secret",
            "PRIVILEGE NOT HELD",
            "Desired Access: Write DAC",
            "NT AUTHORITY\\LOCAL SERVICE")
        + CsvFixtures.row(
            "1:00:00 PM",
            "w3wp.exe",
            "3120",
            "CreateFile",
            "C:\\inetpub\\wwwroot",
            "BAD IMPERSONATION",
            "Desired Access: Read Attributes, Disposition: Open, Options:"
                + " Directory, Attributes: n/a",
            ns);
  }

  @Test
  void pmlAndCsvGiveIdenticalFindings() throws Exception {
    Path pml = dir.resolve("cap.PML");
    Files.write(pml, PmlReaderTest.wsusCapture(true).build());
    Path csv = dir.resolve("cap.CSV");
    Files.writeString(csv, csvOfCapture(), StandardCharsets.UTF_8);
    Findings a = Diagnoser.diagnose(List.of(), List.of(pml));
    Findings b = Diagnoser.diagnose(List.of(), List.of(csv));
    assertEquals(3, a.denied().size());
    assertEquals(a.denied(), b.denied());
    assertEquals(a.privilegeNotHeld(), b.privilegeNotHeld());
    assertEquals(a.badImpersonation(), b.badImpersonation());
    assertEquals("NT AUTHORITY\\IUSR", a.denied().get(0).identity(), "anonymous identity first");
  }

  @Test
  void realPmlAndCsvOfOneCaptureGiveIdenticalFindings() throws Exception {
    Path pml = Samples.require("procmon/procmon-parser_UTC64Process.PML");
    Path csv = Samples.require("procmon/procmon-parser_UTC64Process.CSV");
    Findings a = Diagnoser.diagnose(List.of(), List.of(pml));
    Findings b = Diagnoser.diagnose(List.of(), List.of(csv));
    assertEquals(a.denied(), b.denied());
    assertEquals(a.privilegeNotHeld(), b.privilegeNotHeld());
    assertEquals(a.badImpersonation(), b.badImpersonation());
    assertTrue(a.isEmpty(), "this capture holds only successful process events");
  }
}
