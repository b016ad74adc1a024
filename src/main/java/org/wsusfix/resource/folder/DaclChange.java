package org.wsusfix.resource.folder;

import java.util.List;
import org.wsusfix.resource.Change;
import org.wsusfix.security.Rights;
import org.wsusfix.security.Sid;

/**
 * A new DACL for one path.
 *
 * @param before the descriptor as read (owner, group, DACL) in canonical SDDL
 * @param beforeSha256 SHA-256 of {@code before}'s UTF-8 bytes: apply refuses when the live state no
 *     longer hashes to it (drift)
 * @param after the descriptor to write (only its DACL and DACL control bits are written)
 * @param descendants how many descendants will have their inherited ACEs rewritten
 * @param access effective access of the trustees the rule names, before and after
 */
public record DaclChange(
    String path,
    boolean container,
    String before,
    String beforeSha256,
    String after,
    boolean propagate,
    Descendants descendants,
    List<String> reasons,
    List<Access> access)
    implements Change {
  public DaclChange {
    reasons = List.copyOf(reasons);
    access = List.copyOf(access);
  }

  @Override
  public String kind() {
    return "dacl";
  }

  /** What one identity may do on the path before and after the change. */
  public record Access(String identity, Sid sid, Rights before, Rights after) {}
}
