package org.wsusfix.resource;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.wsusfix.machine.Target;
import org.wsusfix.policy.Trustee;
import org.wsusfix.policy.Variables;
import org.wsusfix.security.SddlAliases;
import org.wsusfix.security.Sid;
import org.wsusfix.security.WellKnownSids;

/**
 * Turns policy trustees into SIDs: SID strings as written, SDDL aliases from the table (domain
 * aliases against the target's machine SID), well-known names without asking the target, other
 * names through the target. Plans store only the SIDs.
 */
public final class TrusteeResolver {
  private final Target target;
  private final Map<String, Sid> cache = new HashMap<>();

  public TrusteeResolver(Target target) {
    this.target = target;
  }

  /**
   * @throws PlanException naming the policy location when the trustee does not resolve
   */
  public Sid resolve(Trustee trustee) {
    Sid cached = cache.get(trustee.text());
    if (cached != null) {
      return cached;
    }
    Sid sid =
        switch (trustee.kind()) {
          case SID -> Sid.parse(trustee.text());
          case ALIAS -> resolveAlias(trustee);
          case NAME -> resolveName(trustee);
        };
    cache.put(trustee.text(), sid);
    return sid;
  }

  private Sid resolveAlias(Trustee trustee) {
    try {
      return SddlAliases.resolve(trustee.text(), target.machineSid().orElse(null))
          .orElseThrow(
              () ->
                  new PlanException(
                      trustee.at() + ": unknown SDDL alias '" + trustee.text() + "'"));
    } catch (IllegalArgumentException e) {
      throw new PlanException(trustee.at() + ": " + e.getMessage());
    }
  }

  private Sid resolveName(Trustee trustee) {
    String name;
    try {
      name = Variables.expand(trustee.text(), target.variables());
    } catch (IllegalArgumentException e) {
      throw new PlanException(trustee.at() + ": " + e.getMessage());
    }
    Optional<Sid> sid = WellKnownSids.lookup(name);
    if (sid.isEmpty()) {
      sid = target.lookupName(name);
    }
    return sid.orElseThrow(
        () ->
            new PlanException(
                trustee.at() + ": unknown account '" + name + "' on " + target.describe()));
  }

  /** A readable name for a SID: well-known name, the target's account name, or the SID. */
  public String nameOf(Sid sid) {
    return WellKnownSids.nameOf(sid).or(() -> safeLookup(sid)).orElse(sid.toString());
  }

  private Optional<String> safeLookup(Sid sid) {
    try {
      return target.lookupSid(sid);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
