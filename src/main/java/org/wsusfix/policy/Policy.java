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
 * registry:
 *   - key: 'HKLM\SOFTWARE\Microsoft\Update Services\Server'
 *     grants:
 *       - {trustee: BUILTIN\Users, rights: ReadKey, inheritance: [CI]}
 * userRights:
 *   - right: SeImpersonatePrivilege
 *     members: ['BUILTIN\IIS_IUSRS']
 * </pre>
 *
 * @param digest SHA-256 of the policy file's bytes, lower-case hex; plans and journals quote it
 * @param iis the IIS site's authentication settings; null when the policy has none
 */
public record Policy(
    String name,
    String description,
    List<Rule> rules,
    List<Membership> memberships,
    List<Expectation> expect,
    String source,
    String digest,
    IisSite iis,
    List<RegistryRule> registry,
    List<UserRight> userRights) {
  public static final String API_VERSION = "wsusfix/v1";
  public static final String KIND = "Policy";

  public Policy {
    rules = List.copyOf(rules);
    memberships = List.copyOf(memberships);
    expect = List.copyOf(expect);
    registry = List.copyOf(registry);
    userRights = List.copyOf(userRights);
  }

  /** A policy without {@code iis}, {@code registry} or {@code userRights} sections. */
  public Policy(
      String name,
      String description,
      List<Rule> rules,
      List<Membership> memberships,
      List<Expectation> expect,
      String source,
      String digest) {
    this(name, description, rules, memberships, expect, source, digest, null);
  }

  /** A policy without {@code registry} or {@code userRights} sections. */
  public Policy(
      String name,
      String description,
      List<Rule> rules,
      List<Membership> memberships,
      List<Expectation> expect,
      String source,
      String digest,
      IisSite iis) {
    this(name, description, rules, memberships, expect, source, digest, iis, List.of(), List.of());
  }
}
