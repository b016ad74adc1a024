package org.wsusfix.resource;

/**
 * Something the planner saw but will not change by itself.
 *
 * @param subject the path or group concerned
 * @param subjectNoun what the subject is ({@code path}, {@code user right}), so that the plan text
 *     can count findings of one cause; null until {@link PlanContext} names it after the kind
 */
public record Finding(Severity severity, String subject, String message, String subjectNoun) {
  public Finding(Severity severity, String subject, String message) {
    this(severity, subject, message, null);
  }

  /** This finding, its subject named by {@code noun}. */
  public Finding about(String noun) {
    return new Finding(severity, subject, message, noun);
  }

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
