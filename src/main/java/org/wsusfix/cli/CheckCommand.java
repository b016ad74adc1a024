package org.wsusfix.cli;

import java.util.concurrent.Callable;
import org.wsusfix.plan.PlanText;
import org.wsusfix.plan.ResourceKinds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Compliance probe for Intune, SCCM or Ansible: one line, and the exit code.",
      "Exit codes: 0 compliant, 1 not compliant, 2 error, 3 nothing checked (no path of the policy exists there)."
    })
public final class CheckCommand implements Callable<Integer> {
  @Mixin PolicyOption policy;
  @Mixin TargetOptions target;
  @Mixin DebugOption debug;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PlannedTarget run = PlannedTarget.of(policy, target, 2);
    try (var t = run.target) {
      spec.commandLine()
          .getOut()
          .println(
              (run.plan.nothingChecked()
                      ? "nothing checked: "
                      : run.plan.compliant() ? "compliant: " : "not compliant: ")
                  + run.policy.name()
                  + " on "
                  + run.shownTarget
                  + " - "
                  + PlanText.summary(run.plan, ResourceKinds.STANDARD, run.shownTarget));
      spec.commandLine().getOut().flush();
      return run.plan.nothingChecked() ? 3 : run.plan.compliant() ? 0 : 1;
    }
  }
}
