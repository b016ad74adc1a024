package org.wsusfix.resource.folder;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.wsusfix.security.AccessCheck;
import org.wsusfix.security.AccessMask;
import org.wsusfix.security.Ace;
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;
import org.wsusfix.security.Token;

/** An access check with the deciding entries written out for people. */
public final class EffectiveAccess {
  private EffectiveAccess() {}

  /** Outcome of an access check. */
  public record Result(int granted, boolean allowed, String decidedBy) {}

  /** Effective access of a user with these groups: the granted mask and what decided it. */
  public static Result check(
      SecurityDescriptor sd, Sid user, Set<Sid> groups, int desired, Function<Sid, String> names) {
    AccessCheck.Result r = AccessCheck.check(sd, new Token(user, groups), desired);
    if ((desired & AccessMask.MAXIMUM_ALLOWED) == 0 || r.steps().isEmpty()) {
      String why =
          r.granted() == 0 && (desired & AccessMask.MAXIMUM_ALLOWED) != 0
              ? "no entry grants this identity anything"
              : r.describe();
      return new Result(r.granted(), r.allowed(), why);
    }
    List<String> parts = new ArrayList<>();
    for (AccessCheck.Step step : r.steps()) {
      Ace ace = step.ace();
      String what =
          step.denied() != 0
              ? "denies " + AccessMask.icacls(step.denied())
              : "grants " + AccessMask.icacls(step.granted());
      parts.add(
          "ACE "
              + step.index()
              + " ("
              + (ace.type().isDeny() ? "deny " : "allow ")
              + names.apply(ace.sid())
              + " "
              + AccessMask.icacls(ace.mask())
              + ") "
              + what);
    }
    return new Result(r.granted(), r.allowed(), String.join("; ", parts));
  }

  public static int maximumAllowed(SecurityDescriptor sd, Sid user, Set<Sid> groups) {
    return AccessCheck.effectiveAccess(sd, new Token(user, groups)).granted();
  }
}
