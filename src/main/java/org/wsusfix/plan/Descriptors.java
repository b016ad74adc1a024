package org.wsusfix.plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.Set;
import org.wsusfix.security.AccessCheck;
import org.wsusfix.security.AccessMask;
import org.wsusfix.security.Ace;
import org.wsusfix.security.Acl;
import org.wsusfix.security.CanonicalOrder;
import org.wsusfix.security.Inheritance;
import org.wsusfix.security.Sddl;
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;
import org.wsusfix.security.Token;
import org.wsusfix.security.WellKnownSids;

/** The questions the planner and executor ask of the security core, in one place. */
public final class Descriptors {
  private Descriptors() {}

  /** Windows-canonical SDDL of a descriptor. */
  public static String sddl(SecurityDescriptor sd, Sid domain) {
    return Sddl.format(sd, domain);
  }

  public static SecurityDescriptor parse(String sddl, Sid domain) {
    return Sddl.parse(sddl, domain);
  }

  /** SHA-256 of the canonical SDDL: what a plan pins the before-state with. */
  public static String sha256(String sddl) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(sddl.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The child's descriptor after it re-inherits from {@code parent}, as Windows would write it. */
  public static SecurityDescriptor inheritInto(SecurityDescriptor parent, SecurityDescriptor child, boolean container) {
    return Inheritance.recomputeChild(parent, child, container);
  }

  /** Null when canonical, otherwise why not. */
  public static String whyNotCanonical(Acl dacl) {
    return CanonicalOrder.firstViolation(dacl).map(CanonicalOrder.Violation::describe).orElse(null);
  }

  public static Acl insertCanonical(Acl dacl, Ace ace) {
    return CanonicalOrder.insert(dacl, ace);
  }

  /** Effective access of a user with these groups: the granted mask and what decided it. */
  public static Access access(SecurityDescriptor sd, Sid user, Set<Sid> groups, int desired, Function<Sid, String> names) {
    AccessCheck.Result r = AccessCheck.check(sd, new Token(user, groups), desired);
    if ((desired & AccessMask.MAXIMUM_ALLOWED) == 0 || r.steps().isEmpty()) {
      String why = r.granted() == 0 && (desired & AccessMask.MAXIMUM_ALLOWED) != 0
          ? "no entry grants this identity anything" : r.describe();
      return new Access(r.granted(), r.allowed(), why);
    }
    List<String> parts = new ArrayList<>();
    for (AccessCheck.Step step : r.steps()) {
      Ace ace = step.ace();
      String what = step.denied() != 0 ? "denies " + AccessMask.icacls(step.denied())
          : "grants " + AccessMask.icacls(step.granted());
      parts.add("ACE " + step.index() + " (" + (ace.type().isDeny() ? "deny " : "allow ") + names.apply(ace.sid())
          + " " + AccessMask.icacls(ace.mask()) + ") " + what);
    }
    return new Access(r.granted(), r.allowed(), String.join("; ", parts));
  }

  public static Access access(SecurityDescriptor sd, Sid user, Set<Sid> groups, int desired) {
    return access(sd, user, groups, desired, s -> WellKnownSids.nameOf(s).orElse(s.toString()));
  }

  public static int maximumAllowed(SecurityDescriptor sd, Sid user, Set<Sid> groups) {
    return AccessCheck.effectiveAccess(sd, new Token(user, groups)).granted();
  }

  /** Outcome of an access check. */
  public record Access(int granted, boolean allowed, String decidedBy) {}
}
