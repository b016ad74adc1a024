package org.wsusfix.cli;

import org.wsusfix.machine.Target;
import org.wsusfix.machine.TargetException;
import org.wsusfix.plan.Plan;
import org.wsusfix.plan.PlanText;
import org.wsusfix.plan.Planner;
import org.wsusfix.policy.Policy;
import org.wsusfix.resource.PlanException;

/** Loads a policy, opens the target and plans: the common first half of plan, check and apply. */
final class PlannedTarget {
  final Policy policy;
  final Target target;
  final Planner planner;
  final Plan plan;

  /** The target as the user gave it, for people. */
  final String shownTarget;

  private PlannedTarget(
      Policy policy, Target target, Planner planner, Plan plan, String shownTarget) {
    this.policy = policy;
    this.target = target;
    this.planner = planner;
    this.plan = plan;
    this.shownTarget = shownTarget;
  }

  /**
   * Opens the target and plans; the caller closes {@link #target}. Errors exit with {@code
   * errorCode}.
   */
  static PlannedTarget of(PolicyOption policyOption, TargetOptions targetOptions, int errorCode) {
    return of(policyOption, targetOptions, errorCode, true);
  }

  /**
   * As {@link #of(PolicyOption, TargetOptions, int)}; see {@link Planner#Planner(Target, boolean)}.
   */
  static PlannedTarget of(
      PolicyOption policyOption,
      TargetOptions targetOptions,
      int errorCode,
      boolean countDescendants) {
    Policy policy = policyOption.load(errorCode);
    Target target = targetOptions.open(errorCode);
    try {
      Planner planner =
          new Planner(target, countDescendants).withProgress(ProgressLine.forTerminal());
      return new PlannedTarget(
          policy, target, planner, planner.plan(policy), targetOptions.shown());
    } catch (PlanException | TargetException | IllegalArgumentException e) {
      target.close();
      throw new UserError(e.getMessage(), errorCode, e);
    }
  }

  PlanText text() {
    return new PlanText(
            planner.names()::nameOf, target.machineSid().orElse(null), Terminal.colour())
        .showingTarget(shownTarget);
  }
}
