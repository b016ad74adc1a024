package org.wsusfix.policy;

import java.util.Objects;

/**
 * A trustee as the policy wrote it: a SID string, an SDDL alias, or an account name (which may hold
 * variables such as {@code IUSR_%COMPUTERNAME%}). Names are resolved against a target at plan time;
 * plans store SIDs only.
 */
public record Trustee(String text, Kind kind, SourceLocation at) {
  public enum Kind {
    SID,
    ALIAS,
    NAME
  }

  public Trustee {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(kind, "kind");
    at = at == null ? SourceLocation.UNKNOWN : at;
  }

  @Override
  public String toString() {
    return text;
  }
}
