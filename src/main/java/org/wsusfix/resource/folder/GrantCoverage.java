package org.wsusfix.resource.folder;

import org.wsusfix.security.AccessMask;
import org.wsusfix.security.Ace;
import org.wsusfix.security.AceFlags;
import org.wsusfix.security.Acl;
import org.wsusfix.security.Sid;

/**
 * Whether a DACL already gives a trustee some rights with some inheritance, counting explicit and
 * inherited ACEs and ACEs that together cover the need (Windows itself stores Users' Read &amp;
 * Execute on C:\Windows as one ACE for the folder and an inherit-only one for its children).
 */
final class GrantCoverage {
  private GrantCoverage() {}

  // Where an ACE's rights land: the object itself, child files, child folders, and deeper down.
  static final int SELF = 1;
  static final int FILES = 2;
  static final int FOLDERS = 4;
  static final int DEEP_FILES = 8;
  static final int DEEP_FOLDERS = 16;
  private static final int[] SCOPES = {SELF, FILES, FOLDERS, DEEP_FILES, DEEP_FOLDERS};

  /** The scopes an ACE (or a requirement) with these flags reaches on a folder. */
  static int scopes(int flags, boolean container) {
    if (!container) {
      return (flags & AceFlags.INHERIT_ONLY) != 0 ? 0 : SELF;
    }
    int s = (flags & AceFlags.INHERIT_ONLY) != 0 ? 0 : SELF;
    boolean oi = (flags & AceFlags.OBJECT_INHERIT) != 0;
    boolean ci = (flags & AceFlags.CONTAINER_INHERIT) != 0;
    boolean np = (flags & AceFlags.NO_PROPAGATE_INHERIT) != 0;
    if (oi) {
      s |= FILES;
      if (!np) {
        s |= DEEP_FILES;
      }
    }
    if (ci) {
      s |= FOLDERS;
      if (!np) {
        s |= DEEP_FOLDERS;
      }
    }
    return s;
  }

  /** The scopes where {@code trustee} lacks some of {@code rights}; 0 when the need is met. */
  static int missing(Acl dacl, Sid trustee, int rights, int inheritance, boolean container) {
    int needed = scopes(inheritance, container);
    int required = AccessMask.FILE_MAPPING.map(rights);
    int missing = 0;
    for (int scope : SCOPES) {
      if ((needed & scope) == 0) {
        continue;
      }
      int have = 0;
      if (dacl != null) {
        for (Ace ace : dacl.aces()) {
          if (ace.type().isAllow()
              && ace.objectType() == null
              && ace.sid().equals(trustee)
              && (scopes(ace.flags(), container) & scope) != 0) {
            have |= AccessMask.FILE_MAPPING.map(ace.mask());
          }
        }
      }
      if (!AccessMask.covers(have, required)) {
        missing |= scope;
      }
    }
    return missing;
  }

  static String describeScopes(int scopes) {
    StringBuilder s = new StringBuilder();
    append(s, scopes, SELF, "this folder");
    append(s, scopes, FILES, "files in it");
    append(s, scopes, FOLDERS, "subfolders");
    append(s, scopes, DEEP_FILES | DEEP_FOLDERS, "everything below");
    return s.toString();
  }

  private static void append(StringBuilder s, int scopes, int bit, String text) {
    if ((scopes & bit) != 0) {
      if (s.length() > 0) {
        s.append(", ");
      }
      s.append(text);
    }
  }
}
