package org.wsusfix.resource;

import org.wsusfix.security.Rights;
import org.wsusfix.security.Sid;

/**
 * An effective-access assertion checked against the state the plan would leave.
 *
 * @param granted the access the identity would have
 * @param decidedBy the ACE that decided, in readable form, or why nothing granted it
 */
public record ExpectationResult(
    String identity,
    Sid sid,
    String path,
    Rights required,
    Rights granted,
    Status status,
    String decidedBy) {

  public enum Status {
    MET,
    NOT_MET,
    /** Not met with the groups known here, but the target has no group data to be sure. */
    UNVERIFIED
  }

  public boolean met() {
    return status != Status.NOT_MET;
  }
}
