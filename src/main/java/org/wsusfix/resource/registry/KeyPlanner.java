package org.wsusfix.resource.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.wsusfix.machine.RegistryAccess;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.TargetException;
import org.wsusfix.policy.Expectation.LogonKind;
import org.wsusfix.policy.Grant;
import org.wsusfix.policy.Policy;
import org.wsusfix.policy.RegistryRule;
import org.wsusfix.policy.Trustee;
import org.wsusfix.resource.Digest;
import org.wsusfix.resource.ExpectationResult;
import org.wsusfix.resource.Finding;
import org.wsusfix.resource.PlanContext;
import org.wsusfix.resource.PlanException;
import org.wsusfix.resource.TrusteeResolver;
import org.wsusfix.security.AccessCheck;
import org.wsusfix.security.AccessMask;
import org.wsusfix.security.Ace;
import org.wsusfix.security.AceFlags;
import org.wsusfix.security.Acl;
import org.wsusfix.security.CanonicalOrder;
import org.wsusfix.security.Inheritance;
import org.wsusfix.security.KeyRights;
import org.wsusfix.security.Rights;
import org.wsusfix.security.Sddl;
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;
import org.wsusfix.security.Token;

/** Plans the policy's registry entries: the smallest DACL change per key and its expectations. */
final class KeyPlanner {
  private final PlanContext context;
  private final Target target;
  private final TrusteeResolver names;
  private final Sid domain;

  /** Planned after-states by upper-cased key: later entries below them see these. */
  private final Map<String, SecurityDescriptor> after = new LinkedHashMap<>();

  KeyPlanner(PlanContext context) {
    this.context = context;
    this.target = context.target();
    this.names = context.names();
    this.domain = context.domain();
  }

  void plan(Policy policy) {
    if (policy.registry().isEmpty()) {
      return;
    }
    context.asked();
    RegistryAccess registry = target.registry().orElse(null);
    if (registry == null) {
      for (RegistryRule rule : policy.registry()) {
        context.add(
            new Finding(
                Finding.Severity.UNVERIFIED,
                rule.key(),
                "registry keys cannot be read on " + target.describe() + "; not verified"));
      }
      return;
    }
    for (RegistryRule rule : policy.registry()) {
      try {
        planKey(rule, registry);
      } catch (TargetException e) {
        // a server whose remote registry is off or closed to this account still gets its folders
        // planned
        context.add(
            new Finding(
                Finding.Severity.UNVERIFIED, rule.key(), "not verified: " + e.getMessage()));
      }
    }
  }

  private void planKey(RegistryRule rule, RegistryAccess registry) {
    String key = rule.key();
    if (!registry.keyExists(key)) {
      context.add(
          new Finding(
              Finding.Severity.WARNING,
              key,
              "not found on " + target.describe() + "; entry skipped"));
      return;
    }
    context.checked();
    SecurityDescriptor sd = afterState(key, registry);
    if (sd.isNullDacl()) {
      context.add(
          new Finding(
              Finding.Severity.WARNING,
              key,
              "NULL DACL: everyone has full access, nothing to grant (and nothing protects it)"));
      checkExpectations(rule, sd);
      return;
    }
    Acl dacl = sd.dacl() == null ? Acl.empty() : sd.dacl();
    String notCanonical =
        CanonicalOrder.firstViolation(dacl).map(CanonicalOrder.Violation::describe).orElse(null);
    if (notCanonical != null) {
      context.add(
          new Finding(
              Finding.Severity.CONFLICT,
              key,
              "DACL is not in canonical order ("
                  + notCanonical
                  + "); wsusfix will not reorder it: fix the order first"));
      return;
    }
    List<String> reasons = new ArrayList<>();
    Acl working = dacl;
    if (rule.forbidDeny() != null) {
      working = removeForbiddenDenies(key, rule, working, reasons);
    }
    for (Grant grant : rule.grants()) {
      working = applyGrant(grant, working, reasons);
    }
    if (reasons.isEmpty()) {
      checkExpectations(rule, sd);
      return;
    }
    SecurityDescriptor newSd = sd.withDacl(working);
    String parent = RegistryDacls.parent(key);
    if (registry.propagatesBySelf()
        && !sd.isDaclProtected()
        && parent != null
        && registry.keyExists(parent)) {
      // SetNamedSecurityInfo re-inherits from the parent on every unprotected write
      newSd = Inheritance.recomputeKey(afterState(parent, registry), newSd);
    }
    after.put(id(key), newSd);
    long subkeys =
        context.countDescendants() ? RegistryDacls.walk(registry, key, newSd, step -> true) : -1;
    String before = Sddl.format(sd, domain);
    context.add(
        new KeyChange(
            key,
            before,
            Digest.sha256(before),
            Sddl.format(newSd, domain),
            subkeys,
            reasons,
            access(rule, sd, newSd)));
    checkExpectations(rule, newSd);
  }

  private Acl applyGrant(Grant grant, Acl dacl, List<String> reasons) {
    Sid sid = names.resolve(grant.trustee());
    int rights = grant.rights().mask();
    int inheritance = grant.inheritance().bits();
    int missing = KeyCoverage.missing(dacl, sid, rights, inheritance);
    if (missing == 0) {
      return dacl;
    }
    String need =
        names.nameOf(sid)
            + " needs "
            + KeyRights.describe(rights)
            + AceFlags.icacls(inheritance)
            + " on "
            + KeyCoverage.describe(missing);
    List<Ace> aces = new ArrayList<>(dacl.aces());
    for (int i = 0; i < aces.size(); i++) {
      Ace ace = aces.get(i);
      if (ace.type().isAllow()
          && !ace.isInherited()
          && ace.objectType() == null
          && ace.inheritedObjectType() == null
          && ace.sid().equals(sid)
          && ace.inheritance() == inheritance) {
        aces.set(i, ace.withMask(ace.mask() | rights));
        reasons.add(
            need
                + ": widened its explicit entry from "
                + KeyRights.describe(ace.mask())
                + " ("
                + grant.at()
                + ")");
        return dacl.withAces(aces);
      }
    }
    reasons.add(need + ": added an allow entry (" + grant.at() + ")");
    return CanonicalOrder.insert(dacl, Ace.allow(sid, rights, inheritance));
  }

  private Acl removeForbiddenDenies(String key, RegistryRule rule, Acl dacl, List<String> reasons) {
    Map<Sid, String> hit = new LinkedHashMap<>();
    for (Trustee t : rule.forbidDeny().trustees()) {
      Sid sid = resolve(t);
      if (sid == null) {
        continue;
      }
      hit.putIfAbsent(sid, names.nameOf(sid));
      for (Sid g : context.tokens().groups(sid, LogonKind.NETWORK)) {
        hit.putIfAbsent(g, names.nameOf(sid));
      }
    }
    int needed = 0;
    for (Grant g : rule.grants()) {
      needed |= AccessMask.REGISTRY_MAPPING.map(g.rights().mask());
    }
    List<Ace> kept = new ArrayList<>();
    boolean removed = false;
    for (Ace ace : dacl.aces()) {
      String victim = hit.get(ace.sid());
      boolean blocks =
          ace.type().isDeny()
              && victim != null
              && (needed == 0 || (AccessMask.REGISTRY_MAPPING.map(ace.mask()) & needed) != 0);
      if (!blocks) {
        kept.add(ace);
        continue;
      }
      String what =
          "deny "
              + KeyRights.describe(ace.mask())
              + AceFlags.icacls(ace.flags())
              + " for "
              + names.nameOf(ace.sid())
              + " blocks "
              + victim;
      if (ace.isInherited()) {
        kept.add(ace);
        context.add(
            new Finding(
                Finding.Severity.CONFLICT,
                key,
                what
                    + "; it is inherited: remove it on the parent key (add an entry for that key)"));
      } else if (rule.forbidDeny().remove()) {
        removed = true;
        reasons.add("removed explicit " + what + " (" + rule.forbidDeny().at() + ")");
      } else {
        kept.add(ace);
        context.add(
            new Finding(
                Finding.Severity.CONFLICT,
                key,
                what
                    + "; the policy forbids it but does not allow removal (forbidDeny.remove: false)"));
      }
    }
    return removed ? dacl.withAces(kept) : dacl;
  }

  /**
   * Null for an account a target without account data cannot resolve (it is reported elsewhere).
   */
  private Sid resolve(Trustee t) {
    try {
      return names.resolve(t);
    } catch (PlanException e) {
      if (target.hasAccounts()) {
        throw e;
      }
      return null;
    }
  }

  private List<KeyChange.Access> access(
      RegistryRule rule, SecurityDescriptor before, SecurityDescriptor afterSd) {
    Set<Sid> who = new LinkedHashSet<>();
    for (Grant g : rule.grants()) {
      who.add(names.resolve(g.trustee()));
    }
    if (rule.forbidDeny() != null) {
      for (Trustee t : rule.forbidDeny().trustees()) {
        Sid sid = resolve(t);
        if (sid != null) {
          who.add(sid);
        }
      }
    }
    List<KeyChange.Access> out = new ArrayList<>();
    for (Sid sid : who) {
      Token token = new Token(sid, context.tokens().groups(sid, LogonKind.NETWORK));
      out.add(
          new KeyChange.Access(
              names.nameOf(sid),
              sid,
              Rights.of(
                  AccessCheck.effectiveAccess(before, token, AccessMask.REGISTRY_MAPPING)
                      .granted()),
              Rights.of(
                  AccessCheck.effectiveAccess(afterSd, token, AccessMask.REGISTRY_MAPPING)
                      .granted())));
    }
    return out;
  }

  private void checkExpectations(RegistryRule rule, SecurityDescriptor sd) {
    for (RegistryRule.KeyExpectation e : rule.expect()) {
      Sid sid = resolve(e.identity());
      if (sid == null) {
        context.add(
            new Finding(
                Finding.Severity.UNVERIFIED,
                rule.key(),
                "expectation for '"
                    + e.identity()
                    + "' not checked: the account cannot be resolved on "
                    + target.describe()));
        continue;
      }
      Token token = new Token(sid, context.tokens().groups(sid, e.logon()));
      AccessCheck.Result r =
          AccessCheck.check(sd, token, e.access().mask(), AccessMask.REGISTRY_MAPPING);
      int granted = AccessCheck.effectiveAccess(sd, token, AccessMask.REGISTRY_MAPPING).granted();
      ExpectationResult.Status status =
          r.allowed()
              ? ExpectationResult.Status.MET
              : context.tokens().incomplete()
                  ? ExpectationResult.Status.UNVERIFIED
                  : ExpectationResult.Status.NOT_MET;
      context.add(
          new ExpectationResult(
              names.nameOf(sid),
              sid,
              rule.key(),
              e.access(),
              Rights.of(granted),
              status,
              decidedBy(r)));
    }
  }

  /** What decided an access check, with the rights by their registry names. */
  private String decidedBy(AccessCheck.Result r) {
    Ace ace = r.ace();
    if (ace != null) {
      String entry =
          "ACE "
              + r.index()
              + " ("
              + (ace.type().isDeny() ? "deny " : "allow ")
              + names.nameOf(ace.sid())
              + " "
              + KeyRights.describe(ace.mask())
              + ")";
      return r.allowed()
          ? "granted: " + entry + " completed the request"
          : "denied by " + entry + " for " + KeyRights.describe(ace.mask() & r.missing());
    }
    if (!r.allowed() && r.missing() != 0) {
      return "denied: no entry grants " + KeyRights.describe(r.missing());
    }
    return r.describe();
  }

  /**
   * The descriptor a key will have after the plan: changed itself, or re-inherited below a change.
   */
  private SecurityDescriptor afterState(String key, RegistryAccess registry) {
    SecurityDescriptor own = after.get(id(key));
    if (own != null) {
      return own;
    }
    String parent = RegistryDacls.parent(key);
    if (parent == null || !changedAbove(parent)) {
      return registry.readKey(key);
    }
    return Inheritance.recomputeKey(afterState(parent, registry), registry.readKey(key));
  }

  private boolean changedAbove(String key) {
    for (String k = key; k != null; k = RegistryDacls.parent(k)) {
      if (after.containsKey(id(k))) {
        return true;
      }
    }
    return false;
  }

  static String id(String key) {
    return key.toUpperCase(Locale.ROOT);
  }
}
