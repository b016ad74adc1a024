package org.wsusfix.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.wsusfix.plan.DaclChange;
import org.wsusfix.plan.Descriptors;
import org.wsusfix.plan.Plan;
import org.wsusfix.security.AccessMask;
import org.wsusfix.security.Ace;
import org.wsusfix.security.Acl;
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;
import org.wsusfix.security.WellKnownSids;

/**
 * Refuses plans that would give broad groups the right to change files: a policy typo such as
 * {@code FullControl} for Users on C:\Windows must not reach a server unless asked for.
 */
public final class Guardrails {
  private Guardrails() {}

  static final Set<Sid> BROAD = Set.of(WellKnownSids.EVERYONE, WellKnownSids.USERS,
      WellKnownSids.AUTHENTICATED_USERS, WellKnownSids.ANONYMOUS, WellKnownSids.GUESTS);

  static final int CHANGE_RIGHTS = AccessMask.FILE_WRITE_DATA | AccessMask.FILE_APPEND_DATA
      | AccessMask.FILE_WRITE_EA | AccessMask.FILE_WRITE_ATTRIBUTES | AccessMask.FILE_DELETE_CHILD
      | AccessMask.DELETE | AccessMask.WRITE_DAC | AccessMask.WRITE_OWNER;

  /** One line per ACE that would newly let a broad group write, modify or take control. */
  public static List<String> problems(Plan plan, Sid domain) {
    List<String> out = new ArrayList<>();
    for (DaclChange c : plan.daclChanges()) {
      SecurityDescriptor before = Descriptors.parse(c.before(), domain);
      SecurityDescriptor after = Descriptors.parse(c.after(), domain);
      for (Ace ace : aces(after.dacl())) {
        if (!ace.type().isAllow() || !BROAD.contains(ace.sid())) {
          continue;
        }
        int rights = AccessMask.FILE_MAPPING.map(ace.mask()) & CHANGE_RIGHTS;
        int had = grantedBefore(before.dacl(), ace.sid());
        if ((rights & ~had) != 0) {
          out.add(c.path() + ": would give " + WellKnownSids.nameOf(ace.sid()).orElse(ace.sid().toString())
              + " " + AccessMask.icacls(ace.mask()) + " (write access for a broad group);"
              + " pass --allow-broad-write if that is really meant");
        }
      }
    }
    return out;
  }

  private static int grantedBefore(Acl dacl, Sid sid) {
    int had = 0;
    for (Ace ace : aces(dacl)) {
      if (ace.type().isAllow() && ace.sid().equals(sid)) {
        had |= AccessMask.FILE_MAPPING.map(ace.mask());
      }
    }
    return had & CHANGE_RIGHTS;
  }

  private static List<Ace> aces(Acl acl) {
    return acl == null ? List.of() : acl.aces();
  }
}
