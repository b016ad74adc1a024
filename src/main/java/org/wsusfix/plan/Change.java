package org.wsusfix.plan;

import java.util.List;

/** One change a plan would make on a target. Plans are data: apply consumes exactly these. */
public sealed interface Change permits DaclChange, MembershipChange {
  /** Short kind for people and JSON: {@code dacl}, {@code add-member}, {@code remove-member}. */
  String kind();

  /** Why the change is needed, one sentence each. */
  List<String> reasons();
}
