package org.wsusfix.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoundedFilesTest {
  @TempDir Path dir;

  @Test
  void aRegularFileWithinTheLimitIsReadWhole() throws Exception {
    Path f = dir.resolve("p.yaml");
    byte[] data = new byte[100_000];
    data[99_999] = 7;
    Files.write(f, data);
    assertArrayEquals(data, BoundedFiles.readAll(f, 100_000, "policy file"));
    assertArrayEquals(
        new byte[0], BoundedFiles.readAll(Files.write(dir.resolve("e"), new byte[0]), 1, "x"));
  }

  @Test
  void aFileOverTheLimitIsRefusedBeforeReading() throws Exception {
    Path f = Files.write(dir.resolve("big.yaml"), new byte[(1 << 20) + 1]);
    RefusedFileException e =
        assertThrows(
            RefusedFileException.class, () -> BoundedFiles.readAll(f, 1 << 20, "policy file"));
    assertEquals(
        f + ": is 1048577 bytes, more than the policy file limit of 1 MiB", e.getMessage());
  }

  @Test
  void aDirectoryAndAMissingFileAreRefused() {
    assertEquals(
        dir + ": is a directory, not a file",
        assertThrows(RefusedFileException.class, () -> BoundedFiles.readAll(dir, 10, "plan"))
            .getMessage());
    assertEquals(
        "no such file",
        assertThrows(
                RefusedFileException.class,
                () -> BoundedFiles.readAll(dir.resolve("none"), 10, "plan"))
            .reason());
  }

  @Test
  void devicesAreNeverRead() {
    Path zero = Path.of("/dev/zero");
    assumeTrue(Files.exists(zero), "no /dev/zero here");
    RefusedFileException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(5),
            () ->
                assertThrows(
                    RefusedFileException.class,
                    () -> BoundedFiles.readAll(zero, 1 << 20, "undo journal")));
    assertEquals("/dev/zero: is not a regular file (a device, pipe or socket)", e.getMessage());
  }

  @Test
  void aNamedPipeIsRefusedWithoutWaitingForAWriter() throws Exception {
    Path fifo = dir.resolve("pipe");
    Process p;
    try {
      p = new ProcessBuilder("mkfifo", fifo.toString()).start();
    } catch (java.io.IOException e) {
      assumeTrue(false, "no mkfifo here");
      return;
    }
    assumeTrue(p.waitFor() == 0 && Files.exists(fifo), "mkfifo failed");
    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () ->
            assertThrows(
                RefusedFileException.class,
                () -> BoundedFiles.readAll(fifo, 1 << 20, "policy file")));
  }

  @Test
  void aFileLargerThanItsReportedSizeIsCaughtWhileReading() {
    // /proc files report size 0 and have content, as a file still being written can.
    Path status = Path.of("/proc/self/status");
    assumeTrue(Files.isRegularFile(status), "no /proc here");
    RefusedFileException e =
        assertThrows(
            RefusedFileException.class, () -> BoundedFiles.readAll(status, 16, "snapshot"));
    assertEquals("grew while being read to more than the snapshot limit of 16 bytes", e.reason());
  }
}
