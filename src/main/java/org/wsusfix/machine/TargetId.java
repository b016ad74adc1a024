package org.wsusfix.machine;

import java.util.Locale;

/**
 * Which server (or file) a target is, independent of how it was reached: the user name, signing
 * options and other connection details are not part of it. Locks, plans and undo journals are
 * matched on this value; {@link Target#describe()} is only for people.
 *
 * @param scheme {@code local}, {@code smb} or {@code snapshot}
 * @param location what identifies the target within its scheme, compared without case ({@code
 *     host:port/share/root} for SMB, the absolute file for a snapshot, the computer name for the
 *     local machine)
 */
public record TargetId(String scheme, String location) {
  public TargetId {
    if (scheme == null || scheme.isEmpty() || scheme.indexOf(':') >= 0) {
      throw new IllegalArgumentException("a target id needs a scheme without ':'");
    }
    location = location == null ? "" : location.toLowerCase(Locale.ROOT);
  }

  /** {@code scheme:location}, the form stored in plans and journals. */
  @Override
  public String toString() {
    return scheme + ":" + location;
  }

  /** The inverse of {@link #toString()}. */
  public static TargetId parse(String text) {
    int colon = text == null ? -1 : text.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("'" + text + "' is not a target id (scheme:location)");
    }
    return new TargetId(text.substring(0, colon), text.substring(colon + 1));
  }
}
