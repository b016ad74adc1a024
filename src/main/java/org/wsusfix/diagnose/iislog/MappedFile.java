package org.wsusfix.diagnose.iislog;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Positional reads through memory-mapped windows: one copy from the page cache into the caller's
 * array, where a stream would copy twice.
 */
final class MappedFile implements AutoCloseable {
  private static final long WINDOW = 256L << 20;

  private final FileChannel channel;
  private final long size;
  private MappedByteBuffer map;
  private long mapStart;

  MappedFile(Path file) throws IOException {
    channel = FileChannel.open(file, StandardOpenOption.READ);
    size = channel.size();
  }

  long size() {
    return size;
  }

  /** Reads up to len bytes at pos; returns how many (0 at the end of the file). */
  int read(long pos, byte[] b, int off, int len) throws IOException {
    int done = 0;
    while (done < len && pos + done < size) {
      long p = pos + done;
      if (map == null || p < mapStart || p >= mapStart + map.capacity()) {
        map = null; // the old window goes with the next collection; windows are few
        mapStart = p;
        map = channel.map(FileChannel.MapMode.READ_ONLY, p, Math.min(WINDOW, size - p));
      }
      int n = (int) Math.min(len - done, mapStart + map.capacity() - p);
      map.get((int) (p - mapStart), b, off + done, n);
      done += n;
    }
    return done;
  }

  @Override
  public void close() throws IOException {
    map = null;
    channel.close();
  }
}
