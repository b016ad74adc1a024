package org.wsusfix.machine;

/**
 * Where each applied or rolled-back change is recorded for the server's own audit trail (the
 * Windows Application event log on the local machine). The undo journal stays the source of truth;
 * an audit record that cannot be written never stops or undoes a change.
 */
public interface AuditLog {
  /** What happened; decides the event type an administrator filters on. */
  enum Kind {
    APPLIED,
    ROLLED_BACK,
    FAILED
  }

  void record(Kind kind, String message);

  /** Targets that keep an audit trail; the others get {@link #NONE}. */
  interface Source {
    AuditLog audit();
  }

  AuditLog NONE = (kind, message) -> {};

  /**
   * The target's audit log. A mix-in rather than a method on {@link Target}, so the machine core
   * does not depend on apply.
   */
  static AuditLog of(Target target) {
    return target instanceof Source s ? s.audit() : NONE;
  }
}
