package org.wsusfix.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A journal's lines as raw JSON, after the real reader has verified it: what tests look inside. */
public final class JournalLines {
  private JournalLines() {}

  public static List<JsonNode> read(Path file) {
    UndoJournal.read(file);
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file)) {
        out.add(mapper.readTree(line));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The payload of an intent line: its own fields in format 1, {@code change} in format 2. */
  public static JsonNode change(JsonNode intent) {
    return intent.has("change") ? intent.get("change") : intent;
  }
}
