package org.wsusfix.machine;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.wsusfix.security.Sid;

/**
 * User rights (privileges and logon rights) as the target's LSA assigns them ({@link
 * Target#rights()}): who holds each right directly.
 */
public interface RightsAccess {
  /** The accounts the right is assigned to (not through groups: the LSA keeps direct holders). */
  Holders holders(String right);

  /** How this target changes user rights; empty when it cannot. */
  Optional<Writer> writer();

  /**
   * Holders of one right.
   *
   * @param unresolved holders an offline source names but cannot turn into SIDs; not guessed
   */
  record Holders(Set<Sid> sids, List<String> unresolved) {
    public Holders {
      sids = Set.copyOf(sids);
      unresolved = List.copyOf(unresolved);
    }
  }

  /** The write half, offered by targets that can change user rights. */
  interface Writer {
    void addRight(Sid account, String right);

    void removeRight(Sid account, String right);

    /**
     * Problems that would stop a change (elevation, access to the LSA), found before the first
     * change.
     */
    List<String> rightsWriteProblems();
  }
}
