package org.wsusfix.apply;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsusfix.machine.TargetException;
import org.wsusfix.machine.memory.MemoryTarget;

class ApplyLockTest {
  @TempDir Path dir;

  @Test
  void aSecondApplyOnTheSameTargetIsRefusedUntilTheFirstEnds() throws Exception {
    MemoryTarget first = Fixture.server("smb://admin@wsus01/C$");
    // Another process would hold its own target object for the same server.
    MemoryTarget second = Fixture.server("smb://admin@wsus01/C$");
    try (ApplyLock held = ApplyLock.take(dir, first)) {
      TargetException e = assertThrows(TargetException.class, () -> ApplyLock.take(dir, second));
      assertTrue(
          e.getMessage()
              .startsWith("another apply or rollback is running against smb://admin@wsus01/C$"),
          e.getMessage());
    }
    ApplyLock.take(dir, second).close();
  }

  @Test
  void theTargetsOwnLockIsHonouredAcrossJournalFolders() throws Exception {
    MemoryTarget t = Fixture.server();
    try (ApplyLock held = ApplyLock.take(dir.resolve("a"), t)) {
      TargetException e =
          assertThrows(TargetException.class, () -> ApplyLock.take(dir.resolve("b"), t));
      assertTrue(e.getMessage().contains("holds the lock"), e.getMessage());
    }
    // The refused attempt released its file lock: folder b is free again.
    ApplyLock.take(dir.resolve("b"), t).close();
  }

  @Test
  void differentTargetsDoNotBlockEachOther() throws Exception {
    try (ApplyLock a = ApplyLock.take(dir, Fixture.server("smb://admin@wsus01/C$"));
        ApplyLock b = ApplyLock.take(dir, Fixture.server("smb://admin@wsus02/C$"))) {
      assertTrue(true);
    }
  }
}
