package org.wsusfix.policy;

import org.wsusfix.security.InheritFlags;
import org.wsusfix.security.Rights;

/**
 * One required allow entry: the trustee must have at least {@code rights} on the path with the
 * inheritance flags {@code inheritance}.
 */
public record Grant(Trustee trustee, Rights rights, InheritFlags inheritance, SourceLocation at) {
  public Grant {
    at = at == null ? SourceLocation.UNKNOWN : at;
  }
}
