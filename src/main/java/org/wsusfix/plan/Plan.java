package org.wsusfix.plan;

import java.util.List;

/**
 * What applying a policy to a target would change, and what it could not decide.
 *
 * @param nothingChecked the policy has rules but none of their paths exists on the target, and
 *     no membership was checked either: the target is neither compliant nor not
 */
public record Plan(
    int formatVersion,
    String target,
    String policyName,
    String policyDigest,
    List<Change> changes,
    List<Finding> findings,
    List<ExpectationResult> expectations,
    boolean nothingChecked) {
  public static final int FORMAT_VERSION = 1;

  public Plan {
    changes = List.copyOf(changes);
    findings = List.copyOf(findings);
    expectations = List.copyOf(expectations);
  }

  /**
   * Nothing to change, no conflict, every expectation met, and something was checked: a policy
   * none of whose paths exists on the target proved nothing ({@link #nothingChecked}).
   */
  public boolean compliant() {
    return !nothingChecked && changes.isEmpty()
        && findings.stream().noneMatch(Finding::blocksCompliance)
        && expectations.stream().allMatch(ExpectationResult::met);
  }

  public List<DaclChange> daclChanges() {
    return changes.stream().filter(DaclChange.class::isInstance).map(DaclChange.class::cast).toList();
  }

  public List<MembershipChange> membershipChanges() {
    return changes.stream().filter(MembershipChange.class::isInstance).map(MembershipChange.class::cast).toList();
  }
}
