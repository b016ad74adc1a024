package org.wsusfix.resource;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.wsusfix.machine.Target;
import org.wsusfix.policy.Expectation.LogonKind;
import org.wsusfix.security.Sid;
import org.wsusfix.security.Token;
import org.wsusfix.security.WellKnownSids;

/**
 * Group closure of an identity as Windows builds its token: the implicit groups of the logon
 * (Everyone, Authenticated Users, NETWORK ...) plus every local group that contains the identity or
 * one of those, transitively. Membership changes the plan makes are taken into account.
 */
public final class TokenGroups {
  private final Target target;
  private final Map<Sid, Set<Sid>> added = new HashMap<>();
  private final Map<Sid, Set<Sid>> removed = new HashMap<>();
  private boolean unknown;

  public TokenGroups(Target target) {
    this.target = target;
  }

  /** Records a planned change so later checks see the after-state. */
  public void plannedAdd(Sid group, Sid member) {
    added.computeIfAbsent(member, m -> new LinkedHashSet<>()).add(group);
  }

  public void plannedRemove(Sid group, Sid member) {
    removed.computeIfAbsent(member, m -> new LinkedHashSet<>()).add(group);
  }

  /** True once some closure could not be read from the target (offline data). */
  public boolean incomplete() {
    return unknown;
  }

  /**
   * The token groups (without the identity itself) for {@code identity} logged on as {@code logon}.
   * A group never logs on: its access is that of a token holding just it and the groups it is a
   * member of, the same on every target.
   */
  public Set<Sid> groups(Sid identity, LogonKind logon) {
    Set<Sid> groups =
        new LinkedHashSet<>(
            WellKnownSids.isGroup(identity) ? Set.of() : implicitGroups(identity, logon));
    Deque<Sid> todo = new ArrayDeque<>(groups);
    todo.add(identity);
    while (!todo.isEmpty()) {
      for (Sid g : groupsOf(todo.pop())) {
        if (!g.equals(identity) && groups.add(g)) {
          todo.add(g);
        }
      }
    }
    return groups;
  }

  private Set<Sid> groupsOf(Sid member) {
    Optional<Set<Sid>> direct = target.groupsOf(member);
    if (direct.isEmpty()) {
      unknown = true;
    }
    Set<Sid> out = new LinkedHashSet<>(direct.orElseGet(() -> windowsDefaults(member)));
    out.addAll(added.getOrDefault(member, Set.of()));
    out.removeAll(removed.getOrDefault(member, Set.of()));
    return out;
  }

  /**
   * Offline data has no groups; Windows puts Authenticated Users and INTERACTIVE in BUILTIN\Users
   * on every installation, so checks assume that much (and say they assumed it).
   */
  private static Set<Sid> windowsDefaults(Sid member) {
    if (member.equals(WellKnownSids.AUTHENTICATED_USERS)
        || member.equals(WellKnownSids.INTERACTIVE)) {
      return Set.of(WellKnownSids.USERS);
    }
    return Set.of();
  }

  /**
   * What Windows puts in every token of that logon kind (Everyone, Authenticated Users, NETWORK
   * ...).
   */
  public static Set<Sid> implicitGroups(Sid identity, LogonKind logon) {
    return Token.forLogon(identity, Set.of(), Token.LogonKind.valueOf(logon.name()), false)
        .groups();
  }
}
