package org.wsusfix.apply;

import org.wsusfix.machine.TargetId;
import org.wsusfix.resource.UndoPayload;
import org.wsusfix.security.Sid;

/** One line of an undo journal, as read back and verified. */
public sealed interface JournalRecord {
  /** The line's sequence number, from 1. */
  int seq();

  /**
   * The first line: who wrote the journal, for which target and policy.
   *
   * @param targetId null in journals of format 1 written before targets had an identity
   * @param domainSid the target's machine SID, null when it has none
   */
  record Header(
      int seq,
      int formatVersion,
      String tool,
      String target,
      TargetId targetId,
      String policy,
      String policyDigest,
      String started,
      Sid domainSid)
      implements JournalRecord {}

  /** Written and forced to disk before the change it describes. */
  record Intent(int seq, String resource, UndoPayload payload) implements JournalRecord {}

  /** The change of intent {@code intent} was made and verified. */
  record Done(int seq, int intent) implements JournalRecord {}

  /**
   * The run finished.
   *
   * @param status {@code applied}, {@code rolled-back} or {@code rollback-incomplete}
   * @param failure why the apply failed; null when it did not
   */
  record End(int seq, String status, String failure, String finished) implements JournalRecord {}
}
