package org.wsusfix.resource.rights;

import java.util.List;
import org.wsusfix.resource.Change;
import org.wsusfix.security.Sid;

/** The holders of one user right before and after the change (SIDs; names only for display). */
public record RightChange(
    String right, List<Holder> before, List<Holder> after, List<String> reasons) implements Change {
  public RightChange {
    before = List.copyOf(before);
    after = List.copyOf(after);
    reasons = List.copyOf(reasons);
  }

  @Override
  public String kind() {
    return "user-right";
  }

  /** One account holding the right. */
  public record Holder(Sid sid, String name) {}
}
