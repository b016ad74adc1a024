package org.wsusfix.resource;

import java.io.IOException;
import java.nio.file.Path;

/** What an {@link Applier} gets from the executor: the target, the journal and the audit log. */
public interface ApplyContext extends RunContext {
  WalkProgress progress();

  Path journalFile();

  /**
   * Journals the intent and forces it to disk before the change it describes; returns its number.
   */
  int intent(ResourceKind<?, ?> kind, UndoPayload payload) throws IOException;

  /** Journals that intent {@code intentSeq} was made and verified. */
  void done(int intentSeq) throws IOException;

  /** Counts descendants rewritten by propagation, for the result line. */
  void rewrote(long descendants);
}
