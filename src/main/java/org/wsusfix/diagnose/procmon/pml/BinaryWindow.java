package org.wsusfix.diagnose.procmon.pml;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Little-endian random access to a file through one reusable window, so that walking millions of
 * events reads the file sequentially with constant memory.
 */
final class BinaryWindow {
  private final FileChannel channel;
  private final long size;
  private ByteBuffer window;
  private long windowStart;
  private int windowLength;

  BinaryWindow(FileChannel channel, int capacity) throws IOException {
    this.channel = channel;
    this.size = channel.size();
    this.window = ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
  }

  long size() {
    return size;
  }

  /** Makes [pos, pos+len) readable and returns the buffer index of pos. */
  private int at(long pos, int len) throws IOException {
    if (pos < 0 || pos + len > size) {
      throw new EOFException(
          "offset 0x"
              + Long.toHexString(pos)
              + " + "
              + len
              + " lies beyond the end of the file ("
              + size
              + " bytes)");
    }
    if (pos >= windowStart && pos + len <= windowStart + windowLength) {
      return (int) (pos - windowStart);
    }
    if (len > window.capacity()) {
      window =
          ByteBuffer.allocate(Math.max(len, window.capacity() * 2)).order(ByteOrder.LITTLE_ENDIAN);
    }
    window.clear();
    long p = pos;
    while (window.hasRemaining() && p < size) {
      int r = channel.read(window, p);
      if (r < 0) {
        break;
      }
      p += r;
    }
    windowStart = pos;
    windowLength = window.position();
    if (windowLength < len) {
      throw new EOFException("short read at offset 0x" + Long.toHexString(pos));
    }
    return 0;
  }

  int u8(long pos) throws IOException {
    return window.get(at(pos, 1)) & 0xFF;
  }

  int u16(long pos) throws IOException {
    return window.getShort(at(pos, 2)) & 0xFFFF;
  }

  int i32(long pos) throws IOException {
    return window.getInt(at(pos, 4));
  }

  long u32(long pos) throws IOException {
    return i32(pos) & 0xFFFFFFFFL;
  }

  long u64(long pos) throws IOException {
    return window.getLong(at(pos, 8));
  }

  /**
   * The bytes [pos, pos+len); a length read from the file is checked before anything is allocated.
   */
  byte[] bytes(long pos, long len) throws IOException {
    if (len < 0 || len > size || pos < 0 || pos > size - len) {
      throw new EOFException(
          "a length of "
              + len
              + " bytes at offset 0x"
              + Long.toHexString(pos)
              + " reaches beyond the end of the file ("
              + size
              + " bytes)");
    }
    int i = at(pos, (int) len);
    byte[] out = new byte[(int) len];
    window.get(i, out);
    return out;
  }
}
