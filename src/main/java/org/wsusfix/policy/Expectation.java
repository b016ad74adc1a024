package org.wsusfix.policy;

import org.wsusfix.security.Rights;

/**
 * An effective-access assertion: after the plan, {@code identity} logged on as {@code logon} must
 * be granted {@code access} on {@code path}.
 */
public record Expectation(
    Trustee identity, String path, Rights access, LogonKind logon, SourceLocation at) {
  /** How the identity logs on decides which implicit groups Windows puts in its token. */
  public enum LogonKind {
    NETWORK,
    INTERACTIVE,
    SERVICE,
    BATCH
  }
}
