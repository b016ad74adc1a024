package org.wsusfix.diagnose.input;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Sequential and positional reads of a file through memory-mapped windows: one copy from the page
 * cache into the caller's array, several times cheaper than reads through an InputStream, which
 * copy twice. Shared by the Procmon CSV and IIS log readers, which scan files of gigabytes.
 */
public final class MappedFile implements AutoCloseable {
  private static final long WINDOW = 64L << 20;

  /**
   * Unmaps a window as soon as it is done with, so the process does not keep gigabytes of file
   * pages mapped until some garbage collection; null where the JDK does not offer it.
   */
  private static final java.lang.invoke.MethodHandle UNMAP = unmapper();

  private final FileChannel channel;
  private final long size;
  private final long window;
  private MappedByteBuffer map;
  private long mapStart;
  private long position;

  public MappedFile(Path file) throws IOException {
    this(file, WINDOW);
  }

  /** With a chosen window size, so tests cross window ends with little data. */
  MappedFile(Path file, long window) throws IOException {
    channel = FileChannel.open(file, StandardOpenOption.READ);
    size = channel.size();
    this.window = window;
  }

  public void seek(long pos) {
    position = pos;
  }

  public long size() {
    return size;
  }

  /** Reads up to len bytes at the current position; -1 at the end of the file. */
  public int read(byte[] b, int off, int len) throws IOException {
    if (position >= size) {
      return len == 0 ? 0 : -1;
    }
    int n = readAt(position, b, off, len);
    position += n;
    return n;
  }

  /** Reads up to len bytes at pos without moving the position; 0 at the end of the file. */
  public int readAt(long pos, byte[] b, int off, int len) throws IOException {
    int done = 0;
    while (done < len && pos + done < size) {
      long p = pos + done;
      if (map == null || p < mapStart || p >= mapStart + map.capacity()) {
        unmap();
        mapStart = p;
        map = channel.map(FileChannel.MapMode.READ_ONLY, p, Math.min(window, size - p));
      }
      int n = (int) Math.min(len - done, mapStart + map.capacity() - p);
      map.get((int) (p - mapStart), b, off + done, n);
      done += n;
    }
    return done;
  }

  /** The bytes [pos, pos+len), fewer at the end of the file. */
  public byte[] readAt(long pos, int len) throws IOException {
    byte[] b = new byte[len];
    int n = readAt(pos, b, 0, len);
    return n == len ? b : java.util.Arrays.copyOf(b, Math.max(0, n));
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
          .findVirtual(
              unsafeClass,
              "invokeCleaner",
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
