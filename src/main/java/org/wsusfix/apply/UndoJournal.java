package org.wsusfix.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.wsusfix.plan.Descriptors;

/**
 * The write-ahead undo journal: JSON Lines, a header, then an {@code intent} record before each
 * change and a {@code done} record after it, and an {@code end} record when the run finishes.
 *
 * <p>Every line ends with {@code "hash"}: the SHA-256 of the line's text before that field, which
 * includes {@code "prev"}, the hash of the line before. Editing, reordering or cutting a line
 * breaks the chain; a run that died leaves no {@code end} record, which rollback reports. Each
 * line is forced to disk before the change it describes is made.
 */
public final class UndoJournal implements AutoCloseable {
  static final int FORMAT_VERSION = 1;
  static final String GENESIS = "0".repeat(64);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String HASH_FIELD = ",\"hash\":\"";

  private final Path file;
  private final FileChannel channel;
  private String lastHash = GENESIS;
  private int seq;

  /** Over an open, empty channel; tests pass one that fails. */
  UndoJournal(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
  }

  /** Creates a new journal; refuses to overwrite an existing file. */
  public static UndoJournal create(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    return new UndoJournal(file, ch);
  }

  public Path file() {
    return file;
  }

  public static ObjectNode record(String type) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("type", type);
    return n;
  }

  /** Appends a record with the next sequence number, chained and forced to disk; returns the number. */
  public int append(ObjectNode record) throws IOException {
    ObjectNode line = MAPPER.createObjectNode();
    line.put("seq", seq + 1);
    line.put("prev", lastHash);
    line.setAll(record);
    String text = MAPPER.writeValueAsString(line);
    String prefix = text.substring(0, text.length() - 1);
    String hash = Descriptors.sha256(prefix);
    String full = prefix + HASH_FIELD + hash + "\"}\n";
    ByteBuffer bytes = ByteBuffer.wrap(full.getBytes(StandardCharsets.UTF_8));
    long start = channel.position();
    try {
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(true);
    } catch (IOException e) {
      // A torn last line would make the whole journal unreadable for rollback: cut it off.
      try {
        channel.truncate(start);
        channel.position(start);
        channel.force(true);
      } catch (IOException ignored) {
        // the original failure is the one to report
      }
      throw e;
    }
    seq++;
    lastHash = hash;
    return seq;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /**
   * Reads and verifies a journal.
   *
   * @throws JournalException naming the line when the file is not an intact journal
   */
  public static List<JsonNode> read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new JournalException(file + ": cannot read: " + e.getMessage());
    }
    byte[] raw;
    try {
      raw = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new JournalException(file + ": cannot read: " + e.getMessage());
    }
    if (raw.length > 0 && raw[raw.length - 1] != '\n') {
      throw new JournalException(file + ":" + lines.size() + ": truncated: the last line is incomplete");
    }
    List<JsonNode> records = new ArrayList<>();
    String prev = GENESIS;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int at = line.lastIndexOf(HASH_FIELD);
      if (at < 0 || !line.endsWith("\"}")) {
        throw new JournalException(file + ":" + (i + 1) + ": not a journal line (no hash)");
      }
      String prefix = line.substring(0, at);
      String hash = line.substring(at + HASH_FIELD.length(), line.length() - 2);
      if (!Descriptors.sha256(prefix).equals(hash)) {
        throw new JournalException(file + ":" + (i + 1) + ": tampered: the line does not match its hash");
      }
      JsonNode node;
      try {
        node = MAPPER.readTree(line);
      } catch (JsonProcessingException e) {
        throw new JournalException(file + ":" + (i + 1) + ": not JSON: " + e.getOriginalMessage());
      }
      if (!prev.equals(node.path("prev").asText())) {
        throw new JournalException(file + ":" + (i + 1)
            + ": tampered: the chain is broken (a line was removed, inserted or moved before this one)");
      }
      if (node.path("seq").asInt() != i + 1) {
        throw new JournalException(file + ":" + (i + 1) + ": tampered: sequence number " + node.path("seq") + " out of order");
      }
      prev = hash;
      records.add(node);
    }
    if (records.isEmpty() || !"header".equals(records.get(0).path("type").asText())) {
      throw new JournalException(file + ":1: not an undo journal (no header line)");
    }
    int version = records.get(0).path("formatVersion").asInt(-1);
    if (version != FORMAT_VERSION) {
      throw new JournalException(file + ":1: journal formatVersion " + version + " is not supported");
    }
    return records;
  }
}
