package org.wsusfix.resource;

import java.io.IOException;
import java.nio.file.Path;
import org.wsusfix.machine.AuditLog;
import org.wsusfix.machine.Target;
import org.wsusfix.security.Sid;

/** What an {@link Applier} gets from the executor: the target, the journal and the audit log. */
public interface ApplyContext {
  Target target();

  /** The target's machine SID, for domain-relative SDDL; null when it has none. */
  Sid domain();

  AuditLog audit();

  WalkProgress progress();

  Path journalFile();

  /** Journals the intent and forces it to disk before the change it describes; returns its number. */
  int intent(ResourceKind<?, ?> kind, UndoPayload payload) throws IOException;

  /** Journals that intent {@code intentSeq} was made and verified. */
  void done(int intentSeq) throws IOException;

  /** Counts descendants rewritten by propagation, for the result line. */
  void rewrote(long descendants);
}
