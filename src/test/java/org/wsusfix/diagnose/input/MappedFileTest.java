package org.wsusfix.diagnose.input;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappedFileTest {
  @TempDir Path dir;

  private Path file(int n) throws Exception {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + i / 251);
    }
    Path f = dir.resolve("data.bin");
    Files.write(f, b);
    return f;
  }

  @Test
  void readsAcrossWindowEndsAsOneStream() throws Exception {
    int n = 10_000;
    Path f = file(n);
    byte[] want = Files.readAllBytes(f);
    for (long window : new long[] {7, 64, 4096, 1 << 20}) {
      try (MappedFile m = new MappedFile(f, window)) {
        assertEquals(n, m.size());
        // Sequential reads of odd sizes, each crossing window ends.
        byte[] got = new byte[n];
        int at = 0;
        for (int r; (r = m.read(got, at, Math.min(333, n - at))) > 0; ) {
          at += r;
        }
        assertEquals(n, at, "window " + window);
        assertArrayEquals(want, got, "window " + window);
        assertEquals(-1, m.read(new byte[1], 0, 1), "at the end");
        // Positional reads, backwards too, and a read running past the end.
        for (int pos : new int[] {9_990, 0, 4_095, 4_096, 63, 1}) {
          byte[] part = m.readAt(pos, 100);
          assertArrayEquals(
              Arrays.copyOfRange(want, pos, Math.min(n, pos + 100)),
              part,
              "window " + window + " at " + pos);
        }
        assertEquals(0, m.readAt(n, 10).length);
      }
    }
  }
}
