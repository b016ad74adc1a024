package org.wsusfix.plan;

import java.util.List;

/** Adds or removes one member of a local group (SIDs; names only for display). */
public record MembershipChange(
    boolean add, String group, String groupName, String member, String memberName, List<String> reasons)
    implements Change {
  public MembershipChange {
    reasons = List.copyOf(reasons);
  }

  @Override
  public String kind() {
    return add ? "add-member" : "remove-member";
  }
}
