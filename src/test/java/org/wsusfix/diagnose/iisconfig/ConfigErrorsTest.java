package org.wsusfix.diagnose.iisconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsusfix.diagnose.input.InputFormatException;

/** IIS configuration errors in words, at the right place, never the XML parser's internals. */
class ConfigErrorsTest {
  @TempDir Path dir;

  private String error(byte[] content) throws Exception {
    Path f = Files.write(dir.resolve("applicationHost.config"), content);
    return assertThrows(InputFormatException.class, () -> IisConfigReader.read(f))
        .getMessage()
        .substring(f.toString().length());
  }

  @Test
  void anUnknownDeclaredEncodingIsAFormatErrorNotAnIoError() throws Exception {
    assertEquals(
        ":1: the XML declaration names an encoding Java does not know",
        error(
            "<?xml version=\"1.0\" encoding=\"x-unknown\"?><configuration/>"
                .getBytes(StandardCharsets.US_ASCII)));
  }

  private static byte[] concat(String a, byte[] b, String c) {
    byte[] x = a.getBytes(StandardCharsets.US_ASCII);
    byte[] z = c.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[x.length + b.length + z.length];
    System.arraycopy(x, 0, out, 0, x.length);
    System.arraycopy(b, 0, out, x.length, b.length);
    System.arraycopy(z, 0, out, x.length + b.length, z.length);
    return out;
  }

  @Test
  void invalidUtf8IsReportedWhereItIs() throws Exception {
    assertEquals(
        ":2:5: byte 0xc3 is not valid UTF-8",
        error(concat("<configuration>\n  xy", new byte[] {(byte) 0xC3, 0x28}, "</configuration>")));
  }
}
