package org.wsusfix.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.wsusfix.policy.Policy;
import org.wsusfix.policy.PolicyException;
import org.wsusfix.policy.PolicyLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code wsusfix policy validate FILE...}: one line per file, "ok" with counts or the error. Every
 * file is checked even after a failure, so one run reports all broken files.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check policy files without contacting any target.",
      "Prints 'FILE: ok (N rules, M memberships, K expectations)' or 'wsusfix: FILE:LINE:COLUMN: what is wrong'.",
      "Exit 0 when every file is valid, 1 otherwise."
    })
public final class PolicyValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "FILE",
      description = "Policy file, or the NAME of a shipped policy (builtin:NAME).")
  List<String> files;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int failures = 0;
    for (String file : files) {
      try {
        Policy p = PolicyLoader.open(file);
        out.println(
            p.source()
                + ": ok ("
                + count(p.rules().size(), "rule")
                + ", "
                + count(p.memberships().size(), "membership")
                + ", "
                + count(p.expect().size(), "expectation")
                + (p.registry().isEmpty() ? "" : ", " + count(p.registry().size(), "registry key"))
                + (p.userRights().isEmpty()
                    ? ""
                    : ", " + count(p.userRights().size(), "user right"))
                + (p.iis() == null
                    ? ""
                    : ", " + count(p.iis().applications().size(), "IIS application"))
                + ")");
      } catch (PolicyException e) {
        err.println("wsusfix: " + e.getMessage());
        failures++;
      }
    }
    out.flush();
    err.flush();
    return failures == 0 ? 0 : 1;
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
