package org.wsusfix.diagnose.procmon.pml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wsusfix.diagnose.input.InputFormatException;
import org.wsusfix.diagnose.procmon.ProcmonEvent;

class PmlReaderTest {
  @TempDir Path dir;

  static PmlFixture wsusCapture(boolean is64) {
    PmlFixture f = new PmlFixture(is64);
    int w3wp = f.process(3120, "w3wp.exe", "NT AUTHORITY\\NETWORK SERVICE");
    int svc = f.process(888, "svchost.exe", "NT AUTHORITY\\LOCAL SERVICE");
    f.fs(w3wp, 6, 0, "C:\\WINDOWS\\Microsoft.NET\\Framework", 0xC0000022, null);
    f.createFile(
        w3wp, "C:\\WINDOWS\\Microsoft.NET", 0xC0000022, 0x100001, true, PmlFixture.sid(5, 17));
    f.createFile(
        w3wp,
        "C:\\WINDOWS\\Microsoft.NET\\Framework\\v2.0.50727\\mscorlib.dll",
        0xC0000022,
        0x80000000,
        false,
        PmlFixture.sid(5, 17));
    f.fs(w3wp, 32, 1, "C:\\WINDOWS\\Temp", 0, "*.tmp");
    f.fs(w3wp, 25, 5, "C:\\WINDOWS\\Temp\\a.tmp", 0xC0000034, null);
    f.regOpenKey(svc, "HKLM\\SOFTWARE\\Secret", 0xC0000061, 0x40000);
    f.regQueryValue(svc, "HKLM\\SOFTWARE\\Microsoft\\Value", 0x80000005);
    f.tcpSend(w3wp, new byte[] {10, 0, 0, 5}, 80, new byte[] {10, 0, 0, 9}, 50123, true);
    byte[] v6a = new byte[16];
    v6a[0] = (byte) 0xfe;
    v6a[1] = (byte) 0x80;
    v6a[15] = 1;
    byte[] v6b = new byte[16];
    v6b[15] = 1;
    f.tcpSend(w3wp, v6a, 443, v6b, 8531, false);
    f.loadImage(w3wp, "C:\\WINDOWS\\System32\\ntdll.dll");
    f.createFile(w3wp, "C:\\inetpub\\wwwroot", 0xC00000A5, 0x80, true, null);
    f.fs(w3wp, 26, 0x77, "C:\\x", 0, null);
    return f;
  }

  private Path write(byte[] bytes) throws Exception {
    Path p = dir.resolve("cap.pml");
    Files.write(p, bytes);
    return p;
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void everyEventClassReadsAsProcmonShowsIt(boolean is64) throws Exception {
    Path p = write(wsusCapture(is64).build());
    List<ProcmonEvent> ev = new ArrayList<>();
    try (PmlReader r = PmlReader.open(p)) {
      assertEquals(is64, r.is64Bit());
      assertEquals("C:\\Windows", r.systemRoot());
      assertEquals("WSUS01", r.computerName());
      assertEquals(12, r.eventCount());
      r.read(false, ev::add);
    }
    assertEquals(12, ev.size());
    ProcmonEvent open = ev.get(0);
    assertEquals("w3wp.exe", open.process());
    assertEquals(3120, open.pid());
    assertEquals("QueryOpen", open.operation());
    assertEquals("C:\\WINDOWS\\Microsoft.NET\\Framework", open.path());
    assertEquals("ACCESS DENIED", open.result());
    assertEquals("NT AUTHORITY\\NETWORK SERVICE", open.user());
    assertNull(open.impersonating());

    ProcmonEvent create = ev.get(1);
    assertEquals("CreateFile", create.operation());
    assertEquals("NT AUTHORITY\\IUSR", create.impersonating());
    assertEquals("Read Data/List Directory, Synchronize", create.desiredAccess());
    assertTrue(create.directory());
    ProcmonEvent dll = ev.get(2);
    assertEquals("Generic Read", dll.desiredAccess(), "GENERIC_READ maps to the file rights");
    assertFalse(dll.directory());

    assertEquals("QueryDirectory", ev.get(3).operation());
    assertEquals("C:\\WINDOWS\\Temp\\*.tmp", ev.get(3).path());
    assertEquals("SUCCESS", ev.get(3).result());
    assertEquals("QueryStandardInformationFile", ev.get(4).operation());
    assertEquals("NAME NOT FOUND", ev.get(4).result());

    ProcmonEvent reg = ev.get(5);
    assertEquals("svchost.exe", reg.process());
    assertEquals("RegOpenKey", reg.operation());
    assertEquals("HKLM\\SOFTWARE\\Secret", reg.path());
    assertEquals("PRIVILEGE NOT HELD", reg.result());
    assertEquals("Write DAC", reg.desiredAccess());
    assertEquals("RegQueryValue", ev.get(6).operation());
    assertEquals("HKLM\\SOFTWARE\\Microsoft\\Value", ev.get(6).path());
    assertEquals("BUFFER OVERFLOW", ev.get(6).result());

    assertEquals("TCP Send", ev.get(7).operation());
    assertEquals("wsus01:http -> 10.0.0.9:50123", ev.get(7).path());
    assertEquals("TCP Send", ev.get(8).operation());
    assertEquals("fe80::1:443 -> ::1:8531", ev.get(8).path());

    assertEquals("Load Image", ev.get(9).operation());
    assertEquals("C:\\WINDOWS\\System32\\ntdll.dll", ev.get(9).path());
    assertEquals("BAD IMPERSONATION", ev.get(10).result());
    assertEquals("<Unknown>", ev.get(11).operation(), "unknown sub-operation");
  }

  @Test
  void interestingOnlySkipsTheRest() throws Exception {
    Path p = write(wsusCapture(true).build());
    List<ProcmonEvent> ev = new ArrayList<>();
    try (PmlReader r = PmlReader.open(p)) {
      r.read(true, ev::add);
    }
    assertEquals(List.of(1L, 2L, 3L, 6L, 11L), ev.stream().map(ProcmonEvent::index).toList());
  }

  @Test
  void otherVersionsAreRefused() throws Exception {
    PmlFixture f = wsusCapture(true);
    f.version = 8;
    Path p = write(f.build());
    InputFormatException e = assertThrows(InputFormatException.class, () -> PmlReader.open(p));
    assertTrue(
        e.getMessage()
            .endsWith(
                "cap.pml: PML version 8 is not supported (only version 9);"
                    + " open the file in Process Monitor and save it as CSV instead"),
        e.getMessage());
  }

  @Test
  void truncatedCaptureIsAnErrorNotACrash() throws Exception {
    byte[] full = wsusCapture(true).build();
    Path p = write(Arrays.copyOf(full, 0x3A8 + 200));
    InputFormatException e =
        assertThrows(
            InputFormatException.class,
            () -> {
              try (PmlReader r = PmlReader.open(p)) {
                r.read(false, x -> {});
              }
            });
    assertTrue(e.getMessage().contains("cap.pml: "), e.getMessage());
  }

  @Test
  void aNegativeStringLengthIsACorruptCaptureNotAJavaError() throws Exception {
    byte[] b = wsusCapture(true).build();
    java.nio.ByteBuffer h = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    int hosts = (int) h.getLong(0x3A0);
    assertTrue(h.getInt(hosts) > 0, "the fixture names a host");
    h.putInt(hosts + 4 + 16, 0x80000000); // the first host name's length

    Path p = write(b);
    InputFormatException e = assertThrows(InputFormatException.class, () -> PmlReader.open(p));
    assertTrue(
        e.getMessage().contains("cap.pml: truncated or corrupt: a length of 2147483648 bytes"),
        e.getMessage());
  }

  @Test
  void notAPmlFile() throws Exception {
    Path p = dir.resolve("x.pml");
    Files.writeString(p, "x".repeat(0x400));
    InputFormatException e = assertThrows(InputFormatException.class, () -> PmlReader.open(p));
    assertTrue(
        e.getMessage()
            .endsWith("x.pml: not a Process Monitor log: the file does not start" + " with 'PML_'"),
        e.getMessage());
    assertFalse(PmlReader.looksLikePml(p));
  }
}
