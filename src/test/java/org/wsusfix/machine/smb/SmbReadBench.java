package org.wsusfix.machine.smb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Times {@link SmbConnection#readDescriptor} over the lab's bench files (scripts/bench-smb-read.sh
 * runs it). Arguments: host port share user password dir count. Prints one line of figures.
 */
public final class SmbReadBench {
  private SmbReadBench() {}

  public static void main(String[] args) {
    String dir = args[5];
    int count = Integer.parseInt(args[6]);
    try (SmbConnection c =
        SmbConnection.connect(args[0], Integer.parseInt(args[1]), args[2], args[3], args[4], "")) {
      List<String> files = new ArrayList<>();
      for (SmbConnection.Entry d : c.list(dir)) {
        if (!d.isDirectory()) {
          continue;
        }
        for (SmbConnection.Entry f : c.list(dir + "\\" + d.name())) {
          if (!f.isDirectory()) {
            files.add(dir + "\\" + d.name() + "\\" + f.name());
          }
        }
      }
      files.sort(null);
      if (files.size() < count) {
        throw new IllegalStateException(
            "only "
                + files.size()
                + " files under "
                + dir
                + ": start the lab with --files "
                + count);
      }
      List<String> sample = files.subList(0, count);
      for (String f : sample.subList(0, Math.min(100, count))) { // warm-up: JIT and server caches
        c.readDescriptor(f);
      }
      long[] lat = new long[count];
      long bytes = 0;
      long t0 = System.nanoTime();
      for (int i = 0; i < count; i++) {
        long s = System.nanoTime();
        bytes += c.readDescriptor(sample.get(i)).length;
        lat[i] = System.nanoTime() - s;
      }
      long total = System.nanoTime() - t0;
      Arrays.sort(lat);
      System.out.printf(
          Locale.ROOT,
          "SmbConnection.readDescriptor: %d files in %.1f ms: %.3f ms per descriptor (p50 %.3f, p99 %.3f, max %.3f ms), %d bytes%n",
          count,
          total / 1e6,
          total / 1e6 / count,
          lat[count / 2] / 1e6,
          lat[(int) (count * 0.99)] / 1e6,
          lat[count - 1] / 1e6,
          bytes);

      // the same reads from several threads on the one session (SMB2 multiplexes them)
      for (int threads : new int[] {4, 8}) {
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(threads);
        long p0 = System.nanoTime();
        long pbytes =
            pool.submit(
                    () -> sample.parallelStream().mapToLong(f -> c.readDescriptor(f).length).sum())
                .join();
        long ptotal = System.nanoTime() - p0;
        pool.shutdown();
        System.out.printf(
            Locale.ROOT,
            "  with %d threads: %d files in %.1f ms: %.3f ms per descriptor, %d bytes%n",
            threads,
            count,
            ptotal / 1e6,
            ptotal / 1e6 / count,
            pbytes);
      }
    }
  }
}
