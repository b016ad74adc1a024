package org.wsusfix.diagnose.procmon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wsusfix.diagnose.Samples;
import org.wsusfix.diagnose.procmon.csv.ProcmonCsvReader;
import org.wsusfix.diagnose.procmon.pml.PmlReader;

/** The native log and the CSV export of the same capture must read event for event alike. */
class PmlCsvConformanceTest {

  @Test
  void pmlAndCsvOfTheSameCaptureAgreeOnEveryEvent() throws Exception {
    Path pml = Samples.require("procmon/procmon-parser_UTC64Process.PML");
    Path csv = Samples.require("procmon/procmon-parser_UTC64Process.CSV");
    List<ProcmonEvent> fromCsv = new ArrayList<>();
    ProcmonCsvReader.read(csv, ProcmonCsvReader.Mode.ALL, fromCsv::add);
    List<ProcmonEvent> fromPml = new ArrayList<>();
    try (PmlReader r = PmlReader.open(pml)) {
      assertTrue(r.is64Bit());
      assertEquals(fromCsv.size(), r.eventCount());
      r.read(false, fromPml::add);
    }
    assertEquals(fromCsv.size(), fromPml.size());
    for (int i = 0; i < fromCsv.size(); i++) {
      ProcmonEvent c = fromCsv.get(i);
      ProcmonEvent p = fromPml.get(i);
      String where = "event " + (i + 1);
      assertEquals(c.process(), p.process(), where + " process");
      assertEquals(c.pid(), p.pid(), where + " pid");
      assertEquals(c.operation(), p.operation(), where + " operation");
      assertEquals(c.path(), p.path(), where + " path");
      assertEquals(c.result(), p.result(), where + " result");
      assertEquals(c.user(), p.user(), where + " user");
    }
  }
}
