package org.wsusfix.plan;

import java.util.List;
import org.wsusfix.resource.Change;
import org.wsusfix.resource.ExpectationResult;
import org.wsusfix.resource.Finding;

/**
 * What applying a policy to a target would change, and what it could not decide.
 *
 * @param target the target as the user named it, for people
 * @param nothingChecked the policy asked for something and none of it exists on the target: the
 *     target is neither compliant nor not
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
  /** 2: every field of a change is present and typed (format 1 readers filled in defaults). */
  public static final int FORMAT_VERSION = 2;

  public Plan {
    changes = List.copyOf(changes);
    findings = List.copyOf(findings);
    expectations = List.copyOf(expectations);
  }

  /**
   * Nothing to change, no conflict, every expectation met, and something was checked: a policy none
   * of whose paths exists on the target proved nothing ({@link #nothingChecked}).
   */
  public boolean compliant() {
    return !nothingChecked
        && changes.isEmpty()
        && findings.stream().noneMatch(Finding::blocksCompliance)
        && expectations.stream().allMatch(ExpectationResult::met);
  }

  /** The changes of one type, in plan order. */
  public <C extends Change> List<C> changes(Class<C> type) {
    return changes.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
