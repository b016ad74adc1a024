package org.wsusfix.plan;

import java.util.List;

/**
 * A new DACL for one path.
 *
 * @param before the descriptor as read (owner, group, DACL) in canonical SDDL
 * @param beforeSha256 SHA-256 of {@code before}'s UTF-8 bytes: apply refuses when the live state
 *     no longer hashes to it (drift)
 * @param after the descriptor to write (only its DACL and DACL control bits are written)
 * @param descendants how many descendants will have their inherited ACEs rewritten, -1 when the
 *     target cannot walk, {@link #NOT_COUNTED} when the plan was made without walking them
 * @param access effective access of the trustees the rule names, before and after
 */
public record DaclChange(
    String path,
    boolean container,
    String before,
    String beforeSha256,
    String after,
    boolean propagate,
    long descendants,
    List<String> reasons,
    List<EffectiveAccess> access)
    implements Change {
  /** {@link #descendants()} of a plan made without walking the tree (an unattended apply counts while writing). */
  public static final long NOT_COUNTED = -2;

  public DaclChange {
    reasons = List.copyOf(reasons);
    access = List.copyOf(access);
  }

  @Override
  public String kind() {
    return "dacl";
  }

  /** What one identity may do on the path before and after the change. */
  public record EffectiveAccess(String identity, String sid, int before, int after) {}
}
