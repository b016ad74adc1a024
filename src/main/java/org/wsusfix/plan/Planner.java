package org.wsusfix.plan;

import org.wsusfix.machine.Target;
import org.wsusfix.policy.Policy;
import org.wsusfix.resource.PlanContext;
import org.wsusfix.resource.ResourceKind;
import org.wsusfix.resource.TrusteeResolver;
import org.wsusfix.resource.WalkProgress;

/**
 * Diffs a policy against a target and produces the smallest set of changes that satisfies it, by
 * asking each resource kind in turn. Reads only: nothing on the target is changed.
 */
public final class Planner {
  private final Target target;
  private final TrusteeResolver names;
  private final boolean countDescendants;
  private final ResourceKinds kinds;
  private WalkProgress progress = WalkProgress.NONE;

  public Planner(Target target) {
    this(target, true);
  }

  /**
   * @param countDescendants whether to walk below each propagating change to count the descendants
   *     that re-inherit; an unattended apply, which nobody reads before it writes, skips that walk
   *     and reports the count of what it rewrote
   */
  public Planner(Target target, boolean countDescendants) {
    this(target, countDescendants, ResourceKinds.STANDARD);
  }

  public Planner(Target target, boolean countDescendants, ResourceKinds kinds) {
    this.target = target;
    this.countDescendants = countDescendants;
    this.kinds = kinds;
    this.names = new TrusteeResolver(target);
  }

  /** Reports the walks that count descendants, for a progress line. */
  public Planner withProgress(WalkProgress progress) {
    this.progress = progress;
    return this;
  }

  public TrusteeResolver names() {
    return names;
  }

  public Plan plan(Policy policy) {
    PlanContext context = new PlanContext(target, names, countDescendants, progress);
    for (ResourceKind<?, ?> kind : kinds.all()) {
      context.planning(kind);
      kind.plan(policy, context);
    }
    return new Plan(
        Plan.FORMAT_VERSION,
        target.describe(),
        policy.name(),
        policy.digest(),
        context.changes(),
        context.findings(),
        context.expectations(),
        context.nothingChecked());
  }
}
