package org.wsusfix.policy;

import java.util.List;

/**
 * A loaded, validated policy. Example:
 *
 * <pre>
 * apiVersion: wsusfix/v1
 * kind: Policy
 * metadata:
 *   name: wsus-iis6
 * rules:
 *   - path: '%windir%\Microsoft.NET'
 *     grants:
 *       - trustee: BUILTIN\Users
 *         rights: ReadAndExecute
 *         inheritance: [OI, CI]
 * memberships:
 *   - group: BUILTIN\Users
 *     members: ['IUSR_%COMPUTERNAME%']
 *     mode: ensure
 * </pre>
 *
 * @param digest SHA-256 of the policy file's bytes, lower-case hex; plans and journals quote it
 */
public record Policy(
    String name,
    String description,
    List<Rule> rules,
    List<Membership> memberships,
    List<Expectation> expect,
    String source,
    String digest) {
  public static final String API_VERSION = "wsusfix/v1";
  public static final String KIND = "Policy";

  public Policy {
    rules = List.copyOf(rules);
    memberships = List.copyOf(memberships);
    expect = List.copyOf(expect);
  }
}
