package org.wsusfix.resource;

import org.wsusfix.machine.AuditLog;
import org.wsusfix.machine.Target;
import org.wsusfix.security.Sid;

/** What every apply or rollback run gives the kinds: the target and the audit log. */
public interface RunContext {
  Target target();

  /** The target's machine SID, for domain-relative SDDL; null when it has none. */
  Sid domain();

  AuditLog audit();
}
