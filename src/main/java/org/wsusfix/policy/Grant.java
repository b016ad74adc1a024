package org.wsusfix.policy;

import org.wsusfix.security.AceFlags;

/**
 * One required allow entry: the trustee must have at least {@code rights} on the path with the
 * inheritance flags {@code inheritance} (a combination of OI, CI, NP, IO as ACE flag bits).
 */
public record Grant(Trustee trustee, int rights, int inheritance, SourceLocation at) {
  public Grant {
    if ((inheritance & ~AceFlags.INHERITANCE_FLAGS) != 0) {
      throw new IllegalArgumentException("a grant's inheritance may only use OI, CI, NP, IO: 0x"
          + Integer.toHexString(inheritance));
    }
    at = at == null ? SourceLocation.UNKNOWN : at;
  }
}
