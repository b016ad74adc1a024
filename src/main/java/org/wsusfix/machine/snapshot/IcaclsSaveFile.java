package org.wsusfix.machine.snapshot;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.wsusfix.files.BoundedFiles;

/**
 * Reads and writes the files of {@code icacls PATH /save FILE [/t]}: UTF-16LE without a byte order
 * mark, CRLF, a name line then an SDDL line per object. UTF-8 copies (with or without a BOM) are
 * read too, since people convert these files to look at them.
 */
public final class IcaclsSaveFile {
  private IcaclsSaveFile() {}

  /** One object: its name relative to the folder given to {@code /restore}, and its SDDL. */
  public record Entry(String name, String sddl, int line) {}

  public static List<Entry> read(Path file) throws IOException {
    String text = decode(BoundedFiles.readAll(file, BoundedFiles.SNAPSHOT_LIMIT, "snapshot"), file);
    String[] lines = text.split("\r\n|\n|\r", -1);
    List<Entry> entries = new ArrayList<>();
    int i = 0;
    while (i < lines.length) {
      if (lines[i].isEmpty()) {
        i++;
        continue;
      }
      if (i + 1 >= lines.length || lines[i + 1].isEmpty()) {
        throw new IOException(
            file + ":" + (i + 1) + ": name '" + lines[i] + "' has no SDDL line after it");
      }
      entries.add(new Entry(lines[i], lines[i + 1].trim(), i + 2));
      i += 2;
    }
    if (entries.isEmpty()) {
      throw new IOException(
          file + ": no entries (an icacls /save file has a name line, then an SDDL line)");
    }
    return entries;
  }

  static String decode(byte[] bytes, Path file) throws IOException {
    if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xFE) {
      return utf16(bytes, 2, file);
    }
    if (bytes.length >= 3
        && (bytes[0] & 0xFF) == 0xEF
        && (bytes[1] & 0xFF) == 0xBB
        && (bytes[2] & 0xFF) == 0xBF) {
      return utf8(bytes, 3, file);
    }
    // icacls writes UTF-16LE without a BOM: ASCII names give a zero every second byte.
    if (bytes.length >= 2 && bytes[1] == 0 && bytes[0] != 0) {
      return utf16(bytes, 0, file);
    }
    return utf8(bytes, 0, file);
  }

  private static String utf16(byte[] bytes, int offset, Path file) throws IOException {
    if ((bytes.length - offset) % 2 != 0) {
      throw new IOException(file + ": odd number of bytes for UTF-16LE text (truncated file?)");
    }
    return new String(bytes, offset, bytes.length - offset, StandardCharsets.UTF_16LE);
  }

  private static String utf8(byte[] bytes, int offset, Path file) throws IOException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes, offset, bytes.length - offset))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IOException(file + ": neither UTF-16LE nor UTF-8 text");
    }
  }

  /** Writes entries as icacls does, so {@code icacls DIR /restore FILE} accepts the result. */
  public static void write(Path file, List<Entry> entries) throws IOException {
    StringBuilder s = new StringBuilder();
    for (Entry e : entries) {
      s.append(e.name()).append("\r\n").append(e.sddl()).append("\r\n");
    }
    Files.write(file, s.toString().getBytes(StandardCharsets.UTF_16LE));
  }
}
