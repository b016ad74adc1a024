package org.wsusfix.policy;

import java.util.List;

/**
 * Who must hold one user right ({@code SeImpersonatePrivilege}, {@code SeBatchLogonRight} ...) and
 * who must not: {@code members} are added (and with {@link Membership.Mode#EXACT} every other
 * holder removed); {@code forbid} are removed when they hold it.
 */
public record UserRight(
    String right,
    List<Trustee> members,
    Membership.Mode mode,
    List<Trustee> forbid,
    SourceLocation at) {
  public UserRight {
    members = List.copyOf(members);
    forbid = List.copyOf(forbid);
  }
}
