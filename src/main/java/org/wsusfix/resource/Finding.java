package org.wsusfix.resource;

/**
 * Something the planner saw but will not change by itself.
 *
 * @param subject the path or group concerned
 */
public record Finding(Severity severity, String subject, String message) {
  public enum Severity {
    /** The policy cannot be met without a decision by the administrator. */
    CONFLICT,
    /** Worth knowing before applying (a removal, a protected DACL, a missing path). */
    WARNING,
    /** The target cannot tell (an offline snapshot has no group data). */
    UNVERIFIED
  }

  /** Conflicts and unmet expectations make a target non-compliant; warnings do not. */
  public boolean blocksCompliance() {
    return severity == Severity.CONFLICT;
  }
}
