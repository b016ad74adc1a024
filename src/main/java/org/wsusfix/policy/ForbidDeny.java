package org.wsusfix.policy;

import java.util.List;

/**
 * Deny entries that must not hit these trustees (directly, or through a group they belong to). With
 * {@code remove} the planner removes such entries; otherwise it reports them as conflicts.
 */
public record ForbidDeny(List<Trustee> trustees, boolean remove, SourceLocation at) {
  public ForbidDeny {
    trustees = List.copyOf(trustees);
  }
}
