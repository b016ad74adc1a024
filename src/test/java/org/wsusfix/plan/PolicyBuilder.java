package org.wsusfix.plan;

import java.util.ArrayList;
import java.util.List;
import org.wsusfix.policy.Expectation;
import org.wsusfix.policy.ForbidDeny;
import org.wsusfix.policy.Grant;
import org.wsusfix.policy.Membership;
import org.wsusfix.policy.Policy;
import org.wsusfix.policy.Rule;
import org.wsusfix.policy.SourceLocation;
import org.wsusfix.policy.Trustee;
import org.wsusfix.security.AceFlags;
import org.wsusfix.security.InheritFlags;
import org.wsusfix.security.Rights;
import org.wsusfix.security.Sid;

/** Builds policy records for planner tests without going through YAML. */
final class PolicyBuilder {
  static final int OICI = AceFlags.OBJECT_INHERIT | AceFlags.CONTAINER_INHERIT;
  private final List<Rule> rules = new ArrayList<>();
  private final List<Membership> memberships = new ArrayList<>();
  private final List<Expectation> expect = new ArrayList<>();
  private int line = 1;

  static Trustee trustee(String text) {
    Trustee.Kind kind =
        Sid.looksLikeSid(text)
            ? Trustee.Kind.SID
            : text.length() == 2 && text.equals(text.toUpperCase())
                ? Trustee.Kind.ALIAS
                : Trustee.Kind.NAME;
    return new Trustee(text, kind, new SourceLocation("test.yaml", 1, 1));
  }

  private SourceLocation at() {
    return new SourceLocation("test.yaml", line++, 5);
  }

  PolicyBuilder grant(String path, String trustee, int rights, int inheritance) {
    rules.add(
        new Rule(
            path,
            List.of(
                new Grant(trustee(trustee), Rights.of(rights), InheritFlags.of(inheritance), at())),
            null,
            true,
            at()));
    return this;
  }

  PolicyBuilder grantForbidding(
      String path, String trustee, int rights, boolean remove, String... forbidden) {
    List<Trustee> f = new ArrayList<>();
    for (String t : forbidden) {
      f.add(trustee(t));
    }
    rules.add(
        new Rule(
            path,
            List.of(new Grant(trustee(trustee), Rights.of(rights), InheritFlags.of(OICI), at())),
            new ForbidDeny(f, remove, at()),
            true,
            at()));
    return this;
  }

  PolicyBuilder member(String group, String member, Membership.Mode mode) {
    memberships.add(new Membership(trustee(group), List.of(trustee(member)), mode, at()));
    return this;
  }

  PolicyBuilder expect(String identity, String path, int access) {
    expect.add(
        new Expectation(
            trustee(identity), path, Rights.of(access), Expectation.LogonKind.NETWORK, at()));
    return this;
  }

  Policy build() {
    return new Policy("test", "", rules, memberships, expect, "test.yaml", "0".repeat(64));
  }
}
