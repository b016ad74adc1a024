package org.wsusfix.resource.registry;

import java.util.List;
import org.wsusfix.resource.Change;
import org.wsusfix.security.Rights;
import org.wsusfix.security.Sid;

/**
 * A new DACL for one registry key.
 *
 * @param before the key's descriptor as read (owner, group, DACL), canonical SDDL
 * @param beforeSha256 SHA-256 of {@code before}: apply refuses when the live key no longer hashes
 *     to it
 * @param after the descriptor to write (only its DACL changes)
 * @param subkeys how many subkeys re-inherit the change; -1 when not counted
 * @param access effective access of the trustees the entry names, before and after
 */
public record KeyChange(
    String key,
    String before,
    String beforeSha256,
    String after,
    long subkeys,
    List<String> reasons,
    List<Access> access)
    implements Change {
  public KeyChange {
    reasons = List.copyOf(reasons);
    access = List.copyOf(access);
  }

  @Override
  public String kind() {
    return "key-dacl";
  }

  /** What one identity may do on the key before and after the change. */
  public record Access(String identity, Sid sid, Rights before, Rights after) {}
}
