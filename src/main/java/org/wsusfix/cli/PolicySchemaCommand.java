package org.wsusfix.cli;

import org.wsusfix.policy.PolicyLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code wsusfix policy schema}: the JSON Schema of the policy format, for editors. */
@Command(
    name = "schema",
    mixinStandardHelpOptions = true,
    description = {
      "Print the JSON Schema (draft 2020-12) of the policy format.",
      "VS Code (YAML extension): save it and put '# yaml-language-server: $schema=policy.schema.json'",
      "at the top of a policy file for completion and checks while typing."
    })
public final class PolicySchemaCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().getOut().print(PolicyLoader.schema());
    spec.commandLine().getOut().flush();
  }
}
