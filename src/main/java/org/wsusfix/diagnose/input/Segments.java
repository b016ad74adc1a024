package org.wsusfix.diagnose.input;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one task per segment of a large file at the same time: segment 0 on the calling thread, each
 * other one on a thread of its own. The readers merge what the segments found in file order
 * themselves; this only starts, waits and collects failures.
 */
public final class Segments {
  private Segments() {}

  /** The work on one segment. */
  public interface Task {
    void run(int segment) throws Exception;
  }

  /**
   * Runs {@code task} for segments 0 to {@code n - 1} and waits for all of them.
   *
   * @return per segment, what it failed with, or null
   * @throws IOException when interrupted while waiting
   */
  public static Throwable[] run(int n, String name, Task task) throws IOException {
    Throwable[] failures = new Throwable[n];
    List<Thread> workers = new ArrayList<>(n);
    for (int i = 1; i < n; i++) {
      int k = i;
      Thread t =
          new Thread(
              () -> {
                try {
                  task.run(k);
                } catch (Throwable e) {
                  failures[k] = e;
                }
              },
              name + "-" + k);
      t.setDaemon(true);
      t.start();
      workers.add(t);
    }
    try {
      task.run(0);
    } catch (Throwable e) {
      failures[0] = e;
    }
    for (Thread t : workers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while reading " + name, e);
      }
    }
    return failures;
  }

  /** Throws a segment's failure as the reader would have met it on one thread; nothing for null. */
  public static void rethrow(Throwable failure) throws IOException {
    if (failure instanceof IOException io) {
      throw io;
    } else if (failure instanceof RuntimeException re) {
      throw re;
    } else if (failure instanceof Error err) {
      throw err;
    } else if (failure != null) {
      throw new IOException(failure);
    }
  }
}
