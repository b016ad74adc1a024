package org.wsusfix.cli;

import java.io.PrintWriter;
import org.wsusfix.policy.Policy;
import org.wsusfix.policy.PolicyLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wsusfix policy list}: the shipped policies; {@code --print NAME} writes one out as a
 * starting point for a site's own policy.
 */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "List the policies shipped with wsusfix, or print one (with its comments) to adapt it.",
      "Use a shipped policy directly with '-p NAME' or '-p builtin:NAME'."
    })
public final class PolicyListCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(
      names = "--print",
      paramLabel = "NAME",
      description = "Print the YAML of this shipped policy.")
  String print;

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    if (print != null) {
      byte[] yaml = PolicyLoader.builtinBytes(print);
      if (yaml == null) {
        throw new UserError(
            "no shipped policy '"
                + print
                + "'; shipped policies: "
                + String.join(", ", PolicyLoader.BUILTIN),
            1);
      }
      out.print(new String(yaml, java.nio.charset.StandardCharsets.UTF_8));
      out.flush();
      return;
    }
    for (String name : PolicyLoader.BUILTIN) {
      Policy p = PolicyLoader.loadBuiltin(name);
      out.printf("%-10s %s%n", name, p.description() == null ? "" : p.description().strip());
    }
    out.flush();
  }
}
