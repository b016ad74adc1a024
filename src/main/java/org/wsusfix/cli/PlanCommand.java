package org.wsusfix.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.wsusfix.plan.PlanJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = {
      "Shows what a policy would change on a target, and why. Changes nothing.",
      "Exit codes: 0 compliant, 2 changes needed, 1 error, 3 nothing checked (no path of the policy exists there)."
    })
public final class PlanCommand implements Callable<Integer> {
  @Mixin PolicyOption policy;
  @Mixin TargetOptions target;
  @Mixin DebugOption debug;
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print the plan as JSON (the plan file, formatVersion 2)")
  boolean json;

  @Option(
      names = "--out",
      paramLabel = "PLAN.json",
      description = "Also write the plan file that 'apply --plan' takes")
  Path out;

  @Override
  public Integer call() {
    PlannedTarget run = PlannedTarget.of(policy, target, 1);
    try (var t = run.target) {
      // JSON only when asked: building it loads most of Jackson, which costs start-up time.
      String asJson = json || out != null ? PlanJson.write(run.plan) : null;
      if (out != null) {
        try {
          Files.writeString(out, asJson);
        } catch (IOException e) {
          throw new UserError("cannot write " + out + ": " + e.getMessage());
        }
      }
      spec.commandLine().getOut().print(json ? asJson : run.text().render(run.plan));
      spec.commandLine().getOut().flush();
      return run.plan.nothingChecked() ? 3 : run.plan.compliant() ? 0 : 2;
    }
  }
}
