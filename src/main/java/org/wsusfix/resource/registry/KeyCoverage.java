package org.wsusfix.resource.registry;

import org.wsusfix.security.AccessMask;
import org.wsusfix.security.Ace;
import org.wsusfix.security.AceFlags;
import org.wsusfix.security.Acl;
import org.wsusfix.security.Sid;

/**
 * Whether a key's DACL already gives a trustee some rights with some inheritance, counting explicit
 * and inherited entries and entries that together cover the need (Windows stores "this key and
 * subkeys" as one entry for the key and an inherit-only one for subkeys).
 */
final class KeyCoverage {
  private KeyCoverage() {}

  static final int SELF = 1;
  static final int SUBKEYS = 2;
  static final int DEEPER = 4;
  private static final int[] SCOPES = {SELF, SUBKEYS, DEEPER};

  static int scopes(int flags) {
    int s = (flags & AceFlags.INHERIT_ONLY) != 0 ? 0 : SELF;
    if ((flags & AceFlags.CONTAINER_INHERIT) != 0) {
      s |= SUBKEYS;
      if ((flags & AceFlags.NO_PROPAGATE_INHERIT) == 0) {
        s |= DEEPER;
      }
    }
    return s;
  }

  /** The scopes where {@code trustee} lacks some of {@code rights}; 0 when the need is met. */
  static int missing(Acl dacl, Sid trustee, int rights, int inheritance) {
    int needed = scopes(inheritance);
    int required = AccessMask.REGISTRY_MAPPING.map(rights);
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
              && (scopes(ace.flags()) & scope) != 0) {
            have |= AccessMask.REGISTRY_MAPPING.map(ace.mask());
          }
        }
      }
      if (!AccessMask.covers(have, required)) {
        missing |= scope;
      }
    }
    return missing;
  }

  static String describe(int scopes) {
    StringBuilder s = new StringBuilder();
    for (int[] pair : new int[][] {{SELF, 0}, {SUBKEYS, 1}, {DEEPER, 2}}) {
      if ((scopes & pair[0]) != 0) {
        s.append(s.length() > 0 ? ", " : "")
            .append(new String[] {"this key", "subkeys", "keys further down"}[pair[1]]);
      }
    }
    return s.toString();
  }
}
