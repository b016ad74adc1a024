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
  private static final long WINDOW = 64L << 20;
  /**
   * Unmaps a window as soon as it is done with, so the process does not keep the whole file
   * mapped until some garbage collection; null where the JDK does not offer it.
   */
  private static final java.lang.invoke.MethodHandle UNMAP = unmapper();

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
        unmap();
        mapStart = p;
        map = channel.map(FileChannel.MapMode.READ_ONLY, p, Math.min(WINDOW, size - p));
      }
      int n = (int) Math.min(len - done, mapStart + map.capacity() - p);
      map.get((int) (p - mapStart), b, off + done, n);
      done += n;
    }
    return done;
  }

  private void unmap() {
    MappedByteBuffer old = map;
    map = null;
    if (old != null && UNMAP != null) {
      try {
        UNMAP.invoke(old);
      } catch (Throwable ignored) {
        // left to the garbage collector
      }
    }
  }

  private static java.lang.invoke.MethodHandle unmapper() {
    try {
      Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
      java.lang.reflect.Field f = unsafeClass.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      Object unsafe = f.get(null);
      return java.lang.invoke.MethodHandles.lookup()
          .findVirtual(unsafeClass, "invokeCleaner",
              java.lang.invoke.MethodType.methodType(void.class, java.nio.ByteBuffer.class))
          .bindTo(unsafe);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  @Override
  public void close() throws IOException {
    unmap();
    channel.close();
  }
}
