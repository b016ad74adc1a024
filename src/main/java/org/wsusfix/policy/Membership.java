package org.wsusfix.policy;

import java.util.List;

/** Members a local group must have; {@link Mode#EXACT} also removes everyone else. */
public record Membership(Trustee group, List<Trustee> members, Mode mode, SourceLocation at) {
  public enum Mode {
    ENSURE,
    EXACT
  }

  public Membership {
    members = List.copyOf(members);
  }
}
