package org.wsusfix.resource;

import java.util.ArrayList;
import java.util.List;
import org.wsusfix.machine.Target;
import org.wsusfix.security.Sid;

/**
 * One planning run as the resource kinds see it: the target, shared name and token lookups, and
 * where changes, findings and expectation results go. Kinds plan in registration order, so a later
 * kind sees the token groups an earlier one changes.
 */
public final class PlanContext {
  private final Target target;
  private final TrusteeResolver names;
  private final TokenGroups tokens;
  private final boolean countDescendants;
  private final WalkProgress progress;
  private final List<Change> changes = new ArrayList<>();
  private final List<Finding> findings = new ArrayList<>();
  private final List<ExpectationResult> expectations = new ArrayList<>();
  private boolean asked;
  private boolean checked;
  private ResourceKind<?, ?> planning;

  /**
   * @param countDescendants whether to walk below propagating changes to count descendants; an
   *     unattended apply, which nobody reads before it writes, skips that walk
   */
  public PlanContext(
      Target target, TrusteeResolver names, boolean countDescendants, WalkProgress progress) {
    this.target = target;
    this.names = names;
    this.tokens = new TokenGroups(target);
    this.countDescendants = countDescendants;
    this.progress = progress;
  }

  public Target target() {
    return target;
  }

  public Sid domain() {
    return target.machineSid().orElse(null);
  }

  public TrusteeResolver names() {
    return names;
  }

  /** Token group closures, with the memberships this plan changes. */
  public TokenGroups tokens() {
    return tokens;
  }

  public boolean countDescendants() {
    return countDescendants;
  }

  public WalkProgress progress() {
    return progress;
  }

  public void add(Change change) {
    changes.add(change);
  }

  /** The kind whose findings follow: they are about its {@link ResourceKind#subjectNoun()}. */
  public void planning(ResourceKind<?, ?> kind) {
    planning = kind;
  }

  public void add(Finding finding) {
    findings.add(
        finding.subjectNoun() != null || planning == null
            ? finding
            : finding.about(planning.subjectNoun()));
  }

  public void add(ExpectationResult result) {
    expectations.add(result);
  }

  /** A kind had something of the policy to check. */
  public void asked() {
    asked = true;
  }

  /** A kind found something of the policy on the target and checked it. */
  public void checked() {
    checked = true;
  }

  /** The policy asked for something and nothing of it exists on the target. */
  public boolean nothingChecked() {
    return asked && !checked;
  }

  public List<Change> changes() {
    return List.copyOf(changes);
  }

  public List<Finding> findings() {
    return List.copyOf(findings);
  }

  public List<ExpectationResult> expectations() {
    return List.copyOf(expectations);
  }
}
