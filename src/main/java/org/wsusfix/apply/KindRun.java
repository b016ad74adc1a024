package org.wsusfix.apply;

import org.wsusfix.machine.AuditLog;
import org.wsusfix.machine.Target;
import org.wsusfix.resource.RunContext;
import org.wsusfix.security.Sid;

/** The part of an apply or rollback run that both share. */
abstract class KindRun implements RunContext {
  private final Target target;
  private final Sid domain;
  private final AuditLog audit;

  KindRun(Target target, Sid domain, AuditLog audit) {
    this.target = target;
    this.domain = domain;
    this.audit = audit;
  }

  @Override
  public Target target() {
    return target;
  }

  @Override
  public Sid domain() {
    return domain;
  }

  @Override
  public AuditLog audit() {
    return audit;
  }
}
