package org.wsusfix.policy;

import java.util.List;

/**
 * What must hold on one registry key. {@code key} is normalised ({@code HKLM\SOFTWARE\...}); grants
 * use registry rights and CI-only inheritance; {@code forbidDeny} may be null; {@code expect} are
 * effective-access assertions on the key.
 */
public record RegistryRule(
    String key,
    List<Grant> grants,
    ForbidDeny forbidDeny,
    List<KeyExpectation> expect,
    SourceLocation at) {
  public RegistryRule {
    grants = List.copyOf(grants);
    expect = List.copyOf(expect);
  }

  /** An identity must get at least {@code access} on the key. */
  public record KeyExpectation(
      Trustee identity,
      org.wsusfix.security.Rights access,
      Expectation.LogonKind logon,
      SourceLocation at) {}
}
