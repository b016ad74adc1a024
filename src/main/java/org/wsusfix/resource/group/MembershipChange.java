package org.wsusfix.resource.group;

import java.util.List;
import org.wsusfix.resource.Change;
import org.wsusfix.security.Sid;

/** Adds or removes one member of a local group (SIDs; names only for display). */
public record MembershipChange(
    boolean add, Sid group, String groupName, Sid member, String memberName, List<String> reasons)
    implements Change {
  public MembershipChange {
    reasons = List.copyOf(reasons);
  }

  @Override
  public String kind() {
    return add ? "add-member" : "remove-member";
  }
}
