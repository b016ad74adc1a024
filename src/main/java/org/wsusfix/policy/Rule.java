package org.wsusfix.policy;

import java.util.List;

/**
 * What must hold on one path. {@code path} is absolute and may hold variables ({@code %windir%});
 * {@code forbidDeny} may be null; {@code propagate} says whether children inherit the change.
 */
public record Rule(
    String path, List<Grant> grants, ForbidDeny forbidDeny, boolean propagate, SourceLocation at) {
  public Rule {
    grants = List.copyOf(grants);
  }
}
