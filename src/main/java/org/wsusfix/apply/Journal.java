package org.wsusfix.apply;

import java.nio.file.Path;
import java.util.List;

/** An undo journal read back and verified: its header and every record after it, in order. */
public record Journal(Path file, JournalRecord.Header header, List<JournalRecord> records) {
  public Journal {
    records = List.copyOf(records);
  }

  public List<JournalRecord.Intent> intents() {
    return records.stream()
        .filter(JournalRecord.Intent.class::isInstance)
        .map(JournalRecord.Intent.class::cast)
        .toList();
  }

  /** Whether the run that wrote it got to its end record. */
  public boolean finished() {
    return records.stream().anyMatch(JournalRecord.End.class::isInstance);
  }
}
