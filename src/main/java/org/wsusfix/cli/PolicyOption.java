package org.wsusfix.cli;

import org.wsusfix.policy.Policy;
import org.wsusfix.policy.PolicyException;
import org.wsusfix.policy.PolicyLoader;
import picocli.CommandLine.Option;

/** -p POLICY: a policy file, or the name of a shipped policy (wsus-iis6, wsus-iis7, wsus-2012). */
public final class PolicyOption {
  @Option(
      names = {"-p", "--policy"},
      paramLabel = "POLICY",
      required = true,
      completionCandidates = ShippedNames.class,
      description = "Policy file, or a shipped policy by name: wsus-iis6, wsus-iis7, wsus-2012")
  String policy;

  /** What bash completion offers besides file names. */
  static final class ShippedNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return PolicyLoader.BUILTIN.iterator();
    }
  }

  public Policy load(int exitCode) {
    try {
      return PolicyLoader.open(policy);
    } catch (PolicyException e) {
      throw new UserError(e.getMessage(), exitCode, e);
    }
  }
}
