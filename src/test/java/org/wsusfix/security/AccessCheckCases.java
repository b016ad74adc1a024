package org.wsusfix.security;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Writes random access checks with this model's answers, one per line, for {@code
 * scripts/crosscheck-accesscheck.sh}, which replays them through Samba's {@code se_access_check}.
 * Line format: {@code OWNER (NULL|D) [TYPE,FLAGS,MASK,SID]... | USER GROUP... | REQUEST ALLOWED
 * GRANTED}.
 */
public final class AccessCheckCases {
  private AccessCheckCases() {}

  private static final Sid[] SIDS = {
    WellKnownSids.EVERYONE,
    WellKnownSids.USERS,
    WellKnownSids.ADMINISTRATORS,
    WellKnownSids.LOCAL_SYSTEM,
    WellKnownSids.AUTHENTICATED_USERS,
    WellKnownSids.IUSR,
    WellKnownSids.NETWORK_SERVICE,
    Sid.parse("S-1-5-21-1-2-3-1001"),
    Sid.parse("S-1-5-21-1-2-3-1002"),
    // Never in a token: they only match through the owner rule or not at all.
    WellKnownSids.CREATOR_OWNER,
    WellKnownSids.OWNER_RIGHTS
  };
  private static final int TOKEN_SIDS = 9;
  private static final int[] MASKS = {
    0x1f01ff, 0x1200a9, 0x1301bf, 0x120089, 0x100116, 0x1, 0x2, 0x10000, 0x20000, 0x40000, 0x100000,
    0x80000
  };
  private static final int[] REQUESTS = {
    0x1,
    0x2,
    0x4,
    0x20,
    0x80,
    0x10000,
    0x20000,
    0x40000,
    0x80000,
    0x100000,
    AccessMask.MAXIMUM_ALLOWED
  };

  public static void main(String[] args) {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 10000;
    write(count, System.out);
  }

  static void write(int count, PrintStream out) {
    for (int seed = 0; seed < count; seed++) {
      Random r = new Random(seed);
      List<Ace> aces = new ArrayList<>();
      int n = r.nextInt(9);
      for (int i = 0; i < n; i++) {
        Sid sid = SIDS[r.nextInt(SIDS.length)];
        int mask = r.nextInt(4) == 0 ? r.nextInt(0x1f01ff + 1) : MASKS[r.nextInt(MASKS.length)];
        int flags = 0;
        for (int bit : new int[] {0x1, 0x2, 0x4, 0x8, 0x10}) {
          if (r.nextInt(3) == 0) {
            flags |= bit;
          }
        }
        aces.add(r.nextInt(4) == 0 ? Ace.deny(sid, mask, flags) : Ace.allow(sid, mask, flags));
      }
      Sid owner = SIDS[7 + r.nextInt(2)];
      boolean nullDacl = r.nextInt(25) == 0;
      SecurityDescriptor sd =
          nullDacl
              ? new SecurityDescriptor(
                  SecurityDescriptor.SELF_RELATIVE | SecurityDescriptor.DACL_PRESENT,
                  owner,
                  WellKnownSids.LOCAL_SYSTEM,
                  null,
                  null)
              : SecurityDescriptor.withDacl(owner, WellKnownSids.LOCAL_SYSTEM, Acl.of(aces), 0);
      Sid user = r.nextBoolean() ? SIDS[7] : SIDS[5];
      Set<Sid> groups = new LinkedHashSet<>();
      for (int i = 0; i < TOKEN_SIDS; i++) {
        if (r.nextInt(3) == 0 && !SIDS[i].equals(user)) {
          groups.add(SIDS[i]);
        }
      }
      int request = 0;
      int bits = 1 + r.nextInt(3);
      for (int j = 0; j < bits; j++) {
        request |= REQUESTS[r.nextInt(REQUESTS.length)];
      }
      AccessCheck.Result res = AccessCheck.check(sd, new Token(user, groups), request);

      StringBuilder line = new StringBuilder().append(owner).append(nullDacl ? " NULL" : " D");
      if (!nullDacl) {
        for (Ace ace : aces) {
          line.append(' ')
              .append(ace.type().isDeny() ? 'D' : 'A')
              .append(',')
              .append(ace.flags())
              .append(',')
              .append(ace.mask())
              .append(',')
              .append(ace.sid());
        }
      }
      line.append(" | ").append(user);
      for (Sid g : groups) {
        line.append(' ').append(g);
      }
      line.append(" | ")
          .append(Integer.toUnsignedString(request))
          .append(' ')
          .append(res.allowed() ? 1 : 0)
          .append(' ')
          .append(Integer.toUnsignedString(res.granted()));
      out.println(line);
    }
  }
}
