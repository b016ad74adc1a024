package org.wsusfix.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;

/**
 * Reads a whole input file only when it is a regular file no larger than a limit. A device ({@code
 * /dev/zero}) would fill the heap and a named pipe would block forever, so neither is opened; the
 * limit is enforced while reading too, so a file that grows meanwhile is also refused.
 *
 * <p>The limits of the formats wsusfix reads whole are here, so that the README can list them in
 * one place. Only the JDK is used: every layer may call this.
 */
public final class BoundedFiles {
  private BoundedFiles() {}

  private static final long MIB = 1L << 20;

  /** Policy files: the shipped ones are a few kilobytes. */
  public static final long POLICY_LIMIT = 4 * MIB;

  /** Plans ({@code plan --out}): the limit PlanJson has documented (256 MB). */
  public static final long PLAN_LIMIT = 256 * MIB;

  /**
   * Undo journals: UndoJournal documents 2 GB; a Java array holds a little less, so one MiB under
   * it (a file that large is not a journal wsusfix wrote either way).
   */
  public static final long JOURNAL_LIMIT = 2047 * MIB;

  /** The largest limit readAll takes: what one byte array can hold. */
  public static final long MAX_LIMIT = Integer.MAX_VALUE - 8;

  /** {@code icacls /save /t} snapshots: about 300 bytes per object in UTF-16, a million objects. */
  public static final long SNAPSHOT_LIMIT = 512 * MIB;

  /**
   * The file's bytes.
   *
   * @param limit the largest size accepted, in bytes
   * @param what what the file should be, for the message: "the {what} limit of 4 MiB"
   * @throws RefusedFileException when it is missing, not a regular file, or larger than the limit;
   *     its message is one line naming the file
   * @throws IOException when reading fails
   */
  public static byte[] readAll(Path file, long limit, String what) throws IOException {
    if (limit < 0 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit " + limit + " is outside 0.." + MAX_LIMIT);
    }
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new RefusedFileException(file, "no such file");
    }
    if (attrs.isDirectory()) {
      throw new RefusedFileException(file, "is a directory, not a file");
    }
    if (!attrs.isRegularFile()) {
      throw new RefusedFileException(file, "is not a regular file (a device, pipe or socket)");
    }
    if (attrs.size() > limit) {
      throw tooLarge(file, attrs.size(), limit, what);
    }
    try (InputStream in = Files.newInputStream(file)) {
      // Some regular files (under /proc) report size 0 and still have content: read to the limit.
      byte[] buf = new byte[(int) Math.min(Math.max(attrs.size() + 1, 8192), limit + 1)];
      int n = 0;
      while (true) {
        if (n == buf.length) {
          if (buf.length > limit) {
            throw tooLarge(file, -1, limit, what);
          }
          buf = Arrays.copyOf(buf, (int) Math.min(limit + 1, (long) buf.length * 2));
        }
        int r = in.read(buf, n, buf.length - n);
        if (r < 0) {
          return n == buf.length ? buf : Arrays.copyOf(buf, n);
        }
        n += r;
      }
    }
  }

  private static RefusedFileException tooLarge(Path file, long size, long limit, String what) {
    String grew = size < 0 ? "grew while being read to" : "is " + size + " bytes,";
    return new RefusedFileException(
        file, grew + " more than the " + what + " limit of " + mib(limit));
  }

  /** A limit for people: in MiB when it is a whole number of them, else in bytes. */
  static String mib(long bytes) {
    return bytes >= MIB && bytes % MIB == 0 ? bytes / MIB + " MiB" : bytes + " bytes";
  }
}
