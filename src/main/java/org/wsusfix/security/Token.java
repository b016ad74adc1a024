package org.wsusfix.security;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who asks for access: the user SID and every group SID of the access token (group memberships
 * already expanded, implicit logon groups included). Group attributes (deny-only, disabled) are not
 * modelled: every group counts for allow and deny alike.
 */
public record Token(Sid user, Set<Sid> groups) {
  public Token {
    Objects.requireNonNull(user, "user");
    groups =
        Collections.unmodifiableSet(new LinkedHashSet<>(Objects.requireNonNull(groups, "groups")));
  }

  /** How the account logged on; decides the implicit groups Windows adds to the token. */
  public enum LogonKind {
    /** Console logon (LOGON32_LOGON_INTERACTIVE). */
    INTERACTIVE,
    /** Remote Desktop (LOGON32_LOGON_INTERACTIVE through Terminal Services). */
    REMOTE_INTERACTIVE,
    /** SMB, IIS with network logon, RPC (LOGON32_LOGON_NETWORK and NETWORK_CLEARTEXT). */
    NETWORK,
    /** Scheduled tasks, IIS with batch logon (LOGON32_LOGON_BATCH). */
    BATCH,
    /** Services, IIS application pools (LOGON32_LOGON_SERVICE). */
    SERVICE,
    /** A null-session network logon as NT AUTHORITY\ANONYMOUS LOGON. */
    ANONYMOUS
  }

  /**
   * A token as Windows builds it for {@code user} with its (already expanded) group memberships,
   * adding the groups the logon itself brings:
   *
   * <ul>
   *   <li>Everyone (S-1-1-0) always, except for ANONYMOUS LOGON, which gets it only when the "Let
   *       Everyone permissions apply to anonymous users" policy is on ({@code
   *       everyoneIncludesAnonymous}; off by default since Windows XP / Server 2003);
   *   <li>Authenticated Users (S-1-5-11) for every logon except anonymous and the built-in Guest
   *       account (RID 501), which Windows leaves out of that group;
   *   <li>INTERACTIVE (S-1-5-4) plus LOCAL (S-1-2-0) and CONSOLE LOGON (S-1-2-1) for console
   *       logons; INTERACTIVE, LOCAL and REMOTE INTERACTIVE LOGON (S-1-5-14) for Remote Desktop;
   *       NETWORK (S-1-5-2) for network and anonymous logons; BATCH (S-1-5-3); SERVICE (S-1-5-6);
   *   <li>This Organization (S-1-5-15) for domain accounts ({@code domainAccount}); a local account
   *       or an anonymous logon does not get it.
   * </ul>
   *
   * The logon SID (S-1-5-5-x-y) and the NTLM / Kerberos authentication SIDs are left out: no file
   * ACL on a WSUS server names them.
   */
  public static Token forLogon(
      Sid user,
      Set<Sid> memberships,
      LogonKind kind,
      boolean domainAccount,
      boolean everyoneIncludesAnonymous) {
    Set<Sid> groups = new LinkedHashSet<>(memberships);
    boolean anonymous = kind == LogonKind.ANONYMOUS || user.equals(WellKnownSids.ANONYMOUS);
    if (!anonymous || everyoneIncludesAnonymous) {
      groups.add(WellKnownSids.EVERYONE);
    }
    if (!anonymous && !isBuiltinGuest(user)) {
      groups.add(WellKnownSids.AUTHENTICATED_USERS);
    }
    switch (kind) {
      case INTERACTIVE -> {
        groups.add(WellKnownSids.INTERACTIVE);
        groups.add(WellKnownSids.CONSOLE_LOGON);
        groups.add(WellKnownSids.LOCAL);
      }
      case REMOTE_INTERACTIVE -> {
        groups.add(WellKnownSids.INTERACTIVE);
        groups.add(WellKnownSids.REMOTE_INTERACTIVE_LOGON);
        groups.add(WellKnownSids.LOCAL);
      }
      case NETWORK, ANONYMOUS -> groups.add(WellKnownSids.NETWORK);
      case BATCH -> groups.add(WellKnownSids.BATCH);
      case SERVICE -> groups.add(WellKnownSids.SERVICE);
    }
    if (domainAccount && !anonymous) {
      groups.add(WellKnownSids.THIS_ORGANIZATION);
    }
    groups.remove(user);
    return new Token(user, groups);
  }

  /** The same with the default anonymous policy. */
  public static Token forLogon(
      Sid user, Set<Sid> memberships, LogonKind kind, boolean domainAccount) {
    return forLogon(user, memberships, kind, domainAccount, false);
  }

  private static boolean isBuiltinGuest(Sid user) {
    // Account domains are S-1-5-21-a-b-c; the built-in Guest is RID 501 in each of them.
    return user.authority() == 5
        && user.subAuthorityCount() == 5
        && user.subAuthority(0) == 21
        && user.rid() == 501;
  }

  /** True when the token holds {@code sid} as its user or one of its groups. */
  public boolean has(Sid sid) {
    return user.equals(sid) || groups.contains(sid);
  }

  /** A copy with more groups (for example memberships resolved later). */
  public Token withGroups(Set<Sid> more) {
    Set<Sid> all = new LinkedHashSet<>(groups);
    all.addAll(more);
    return new Token(user, all);
  }
}
