package org.wsusfix.apply;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.TargetException;
import org.wsusfix.resource.Digest;

/**
 * One apply or rollback at a time per target: an OS file lock beside the journals (held by this
 * process until closed, released by the OS if it dies) plus whatever lock the target itself has.
 */
public final class ApplyLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;
  private final AutoCloseable targetLock;

  private ApplyLock(FileChannel channel, FileLock lock, AutoCloseable targetLock) {
    this.channel = channel;
    this.lock = lock;
    this.targetLock = targetLock;
  }

  public static ApplyLock take(Path journalDir, Target target) {
    Path file =
        journalDir.resolve(".lock-" + Digest.sha256(target.id().toString()).substring(0, 16));
    FileChannel ch = null;
    try {
      Files.createDirectories(journalDir);
      ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = ch.tryLock();
      if (lock == null) {
        throw busy(target, file);
      }
      return new ApplyLock(ch, lock, target.lock());
    } catch (OverlappingFileLockException e) {
      close(ch);
      throw busy(target, file);
    } catch (IOException e) {
      close(ch);
      throw new TargetException("cannot take the apply lock " + file + ": " + e.getMessage());
    } catch (RuntimeException e) {
      close(ch);
      throw e;
    }
  }

  private static TargetException busy(Target target, Path file) {
    return new TargetException(
        "another apply or rollback is running against "
            + target.describe()
            + " (lock "
            + file
            + "); wait for it to finish");
  }

  private static void close(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // nothing more to release
      }
    }
  }

  @Override
  public void close() throws Exception {
    try {
      targetLock.close();
    } finally {
      lock.release();
      channel.close();
    }
  }
}
