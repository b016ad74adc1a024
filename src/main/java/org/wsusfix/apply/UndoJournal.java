package org.wsusfix.apply;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.wsusfix.files.BoundedFiles;
import org.wsusfix.files.RefusedFileException;
import org.wsusfix.machine.TargetId;
import org.wsusfix.plan.ResourceKinds;
import org.wsusfix.resource.Digest;
import org.wsusfix.resource.Fields;
import org.wsusfix.resource.FormatException;
import org.wsusfix.resource.LocatedJson;
import org.wsusfix.resource.ResourceKind;
import org.wsusfix.resource.UndoPayload;
import org.wsusfix.security.Sid;

/**
 * The write-ahead undo journal: JSON Lines, a header, then an {@code intent} record before each
 * change and a {@code done} record after it, and an {@code end} record when the run finishes.
 *
 * <p>Every line ends with {@code "hash"}: the SHA-256 of the line's text before that field, which
 * includes {@code "prev"}, the hash of the line before. Editing, reordering or cutting a line
 * breaks the chain; a run that died leaves no {@code end} record, which rollback reports. Each line
 * is forced to disk before the change it describes is made.
 *
 * <p>Format 2 (written now) keeps each intent's payload in {@code "change"}, beside the {@code
 * "resource"} kind that wrote it. Format 1 put the payload's fields in the intent itself, named by
 * {@code "kind"}; such journals are still read and rolled back.
 */
public final class UndoJournal implements AutoCloseable {
  static final int FORMAT_VERSION = 2;
  static final String GENESIS = "0".repeat(64);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String HASH_FIELD = ",\"hash\":\"";

  private final Path file;
  private final FileChannel channel;
  private final ResourceKinds kinds;
  private String lastHash = GENESIS;
  private int seq;

  /** Over an open, empty channel; tests pass one that fails. */
  UndoJournal(Path file, FileChannel channel, ResourceKinds kinds) {
    this.file = file;
    this.channel = channel;
    this.kinds = kinds;
  }

  /** Creates a new journal; refuses to overwrite an existing file. */
  public static UndoJournal create(Path file, ResourceKinds kinds) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    return new UndoJournal(file, ch, kinds);
  }

  public Path file() {
    return file;
  }

  // --- writing ---

  /** The first line. */
  public void header(
      String tool, String target, TargetId targetId, String policy, String policyDigest, Sid domain)
      throws IOException {
    ObjectNode n = record("header");
    n.put("formatVersion", FORMAT_VERSION);
    n.put("tool", tool);
    n.put("target", target);
    n.put("targetId", targetId.toString());
    n.put("policy", policy);
    n.put("policyDigest", policyDigest);
    n.put("started", Instant.now().toString());
    if (domain != null) {
      n.put("domainSid", domain.toString());
    }
    append(n);
  }

  /** An intent, forced to disk; returns its sequence number for {@link #done}. */
  public int intent(ResourceKind<?, ?> kind, UndoPayload payload) throws IOException {
    if (!kind.payloadType().isInstance(payload) || kinds.named(kind.name()).orElse(null) != kind) {
      throw new IllegalArgumentException(
          "payload " + payload.getClass().getSimpleName() + " is not " + kind.name() + "'s");
    }
    ObjectNode n = record("intent");
    n.put("resource", kind.name());
    ResourceKinds.writePayload(kind, payload, n.putObject("change"));
    return append(n);
  }

  public void done(int intentSeq) throws IOException {
    ObjectNode n = record("done");
    n.put("intent", intentSeq);
    append(n);
  }

  public void end(String status, String failure) throws IOException {
    ObjectNode n = record("end");
    n.put("status", status);
    if (failure != null) {
      n.put("failure", failure);
    }
    n.put("finished", Instant.now().toString());
    append(n);
  }

  static ObjectNode record(String type) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("type", type);
    return n;
  }

  /**
   * Appends a record with the next sequence number, chained and forced to disk; returns the number.
   */
  int append(ObjectNode record) throws IOException {
    ObjectNode line = MAPPER.createObjectNode();
    line.put("seq", seq + 1);
    line.put("prev", lastHash);
    line.setAll(record);
    String text = MAPPER.writeValueAsString(line);
    String prefix = text.substring(0, text.length() - 1);
    String hash = Digest.sha256(prefix);
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

  // --- reading ---

  public static Journal read(Path file) {
    return read(file, ResourceKinds.STANDARD);
  }

  /**
   * Reads and verifies a journal: the hash chain, then every record's fields.
   *
   * @throws JournalException {@code FILE:LINE: what is wrong} when the file is not an intact
   *     journal
   */
  public static Journal read(Path file, ResourceKinds kinds) {
    String name = file.toString();
    byte[] raw;
    try {
      raw = BoundedFiles.readAll(file, BoundedFiles.JOURNAL_LIMIT, "undo journal");
    } catch (RefusedFileException e) {
      throw new JournalException(name + ": " + e.reason());
    } catch (IOException e) {
      throw new JournalException(name + ": cannot read: " + e.getMessage());
    }
    String text = new String(raw, StandardCharsets.UTF_8);
    List<String> lines = text.isEmpty() ? List.of() : List.of(text.split("\n", -1));
    if (!lines.isEmpty() && !lines.get(lines.size() - 1).isEmpty()) {
      throw new JournalException(
          name + ":" + lines.size() + ": truncated: the last line is incomplete");
    }
    int count = Math.max(0, lines.size() - 1);
    List<JournalRecord> records = new ArrayList<>(count);
    String prev = GENESIS;
    JournalRecord.Header header = null;
    try {
      for (int i = 0; i < count; i++) {
        String line = lines.get(i);
        int at = line.lastIndexOf(HASH_FIELD);
        if (at < 0 || !line.endsWith("\"}")) {
          throw new JournalException(name + ":" + (i + 1) + ": not a journal line (no hash)");
        }
        String prefix = line.substring(0, at);
        String hash = line.substring(at + HASH_FIELD.length(), line.length() - 2);
        if (!Digest.sha256(prefix).equals(hash)) {
          throw new JournalException(
              name + ":" + (i + 1) + ": tampered: the line does not match its hash");
        }
        Fields f = LocatedJson.parseObject(name, line, i + 1);
        if (!prev.equals(f.text("prev"))) {
          throw new JournalException(
              name
                  + ":"
                  + (i + 1)
                  + ": tampered: the chain is broken (a line was removed, inserted or moved before this one)");
        }
        if (f.integer("seq") != i + 1) {
          throw new JournalException(
              name
                  + ":"
                  + (i + 1)
                  + ": tampered: sequence number "
                  + f.integer("seq")
                  + " out of order");
        }
        prev = hash;
        if (i == 0) {
          header = header(name, f);
          records.add(header);
        } else {
          records.add(record(f, header, kinds));
        }
      }
    } catch (FormatException e) {
      throw new JournalException(e.getMessage());
    }
    if (header == null) {
      throw new JournalException(name + ":1: not an undo journal (no header line)");
    }
    return new Journal(file, header, records.subList(1, records.size()));
  }

  private static JournalRecord.Header header(String name, Fields f) {
    if (!f.has("type") || !"header".equals(f.text("type"))) {
      throw new JournalException(name + ":1: not an undo journal (no header line)");
    }
    long version = f.integer("formatVersion");
    if (version != 1 && version != FORMAT_VERSION) {
      throw f.problem(
          "formatVersion",
          "is " + version + ": this wsusfix reads journals of format 1 and " + FORMAT_VERSION);
    }
    TargetId id = null;
    if (version >= 2 || f.has("targetId")) {
      try {
        id = TargetId.parse(f.text("targetId"));
      } catch (IllegalArgumentException e) {
        throw f.problem("targetId", "is not a target id (scheme:location)");
      }
    }
    return new JournalRecord.Header(
        1,
        (int) version,
        f.text("tool"),
        f.text("target"),
        id,
        f.text("policy"),
        f.text("policyDigest"),
        f.text("started"),
        f.has("domainSid") ? f.sid("domainSid") : null);
  }

  private static JournalRecord record(Fields f, JournalRecord.Header header, ResourceKinds kinds) {
    int seq = f.int32("seq");
    String type = f.text("type");
    switch (type) {
      case "intent":
        return header.formatVersion() == 1 ? format1Intent(seq, f, kinds) : intent(seq, f, kinds);
      case "done":
        {
          int intent = f.int32("intent");
          if (intent < 1 || intent >= seq) {
            throw f.problem("intent", "names no earlier line");
          }
          return new JournalRecord.Done(seq, intent);
        }
      case "end":
        return new JournalRecord.End(
            seq, f.text("status"), f.optionalText("failure").orElse(null), f.text("finished"));
      default:
        throw f.problem("type", "is '" + type + "': not a journal record type (intent, done, end)");
    }
  }

  private static JournalRecord.Intent intent(int seq, Fields f, ResourceKinds kinds) {
    String resource = f.text("resource");
    ResourceKind<?, ?> kind =
        kinds
            .named(resource)
            .orElseThrow(
                () ->
                    f.problem(
                        "resource", "is '" + resource + "', which this wsusfix does not know"));
    return new JournalRecord.Intent(seq, resource, kind.readPayload(f.object("change")));
  }

  private static JournalRecord.Intent format1Intent(int seq, Fields f, ResourceKinds kinds) {
    String kind = f.text("kind");
    ResourceKind<?, ?> resource =
        kinds
            .forChangeKind(kind)
            .orElseThrow(() -> f.problem("kind", "is '" + kind + "': unknown change kind"));
    return new JournalRecord.Intent(seq, resource.name(), resource.readFormat1(kind, f));
  }
}
