package org.wsusfix.resource.folder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.TargetException;
import org.wsusfix.machine.WindowsPaths;
import org.wsusfix.policy.Expectation;
import org.wsusfix.policy.Expectation.LogonKind;
import org.wsusfix.policy.ForbidDeny;
import org.wsusfix.policy.Grant;
import org.wsusfix.policy.Policy;
import org.wsusfix.policy.Rule;
import org.wsusfix.policy.Trustee;
import org.wsusfix.policy.Variables;
import org.wsusfix.resource.Digest;
import org.wsusfix.resource.ExpectationResult;
import org.wsusfix.resource.Finding;
import org.wsusfix.resource.PlanContext;
import org.wsusfix.resource.PlanException;
import org.wsusfix.resource.TokenGroups;
import org.wsusfix.resource.TrusteeResolver;
import org.wsusfix.security.AccessMask;
import org.wsusfix.security.Ace;
import org.wsusfix.security.AceFlags;
import org.wsusfix.security.Acl;
import org.wsusfix.security.CanonicalOrder;
import org.wsusfix.security.Inheritance;
import org.wsusfix.security.Rights;
import org.wsusfix.security.Sddl;
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;

/**
 * Plans the policy's folder rules and effective-access expectations: the smallest DACL change per
 * rule, the descendants that re-inherit it, and expectations checked on the after-state. One
 * instance per planning run; it reads only.
 */
final class FolderPlanner {
  private final PlanContext context;
  private final Target target;
  private final TrusteeResolver names;
  private final Sid domain;

  /** Planned after-states by path key: later rules and expectations below them see these. */
  private final Map<String, SecurityDescriptor> after = new LinkedHashMap<>();

  /** Looked up once, by the first rule that names the content folder. */
  private ContentLocation content;

  FolderPlanner(PlanContext context) {
    this.context = context;
    this.target = context.target();
    this.names = context.names();
    this.domain = context.domain();
  }

  void plan(Policy policy) {
    if (!policy.rules().isEmpty()) {
      context.asked();
    }
    List<Finding> findings = new ArrayList<>();
    for (Rule rule : policy.rules()) {
      planRule(rule, context.tokens(), after, findings);
    }
    for (Expectation e : policy.expect()) {
      checkExpectation(e, context.tokens(), after, findings);
    }
    findings.forEach(context::add);
  }

  // --- rules ---

  private void planRule(
      Rule rule,
      TokenGroups identities,
      Map<String, SecurityDescriptor> after,
      List<Finding> findings) {
    String path = pathOf(rule.path(), rule.at().toString(), findings);
    if (path == null) {
      return;
    }
    if (!target.exists(path)) {
      findings.add(
          new Finding(
              Finding.Severity.WARNING,
              path,
              "not found on " + target.describe() + "; rule skipped"));
      return;
    }
    context.checked();
    // A folder below an earlier rule's change is planned from what it will inherit from it.
    SecurityDescriptor sd = afterState(path, after);
    boolean container = target.isContainer(path);
    if (sd.isNullDacl()) {
      findings.add(
          new Finding(
              Finding.Severity.WARNING,
              path,
              "NULL DACL: everyone has full access, nothing to grant (and nothing protects it)"));
      return;
    }
    Acl dacl = sd.dacl() == null ? Acl.empty() : sd.dacl();
    String notCanonical =
        CanonicalOrder.firstViolation(dacl).map(CanonicalOrder.Violation::describe).orElse(null);
    if (notCanonical != null) {
      findings.add(
          new Finding(
              Finding.Severity.CONFLICT,
              path,
              "DACL is not in canonical order ("
                  + notCanonical
                  + "); wsusfix will not reorder it: fix the order first"));
      return;
    }
    List<String> reasons = new ArrayList<>();
    Acl working = dacl;
    if (rule.forbidDeny() != null) {
      working = removeForbiddenDenies(path, rule, working, identities, reasons, findings);
    }
    for (Grant grant : rule.grants()) {
      working = applyGrant(grant, working, container, reasons);
    }
    if (reasons.isEmpty()) {
      return;
    }
    if (sd.isDaclProtected()) {
      findings.add(
          new Finding(
              Finding.Severity.WARNING,
              path,
              "DACL is protected: it does not inherit from"
                  + " its parent, which is often how such entries get lost; the fix adds them here explicitly"));
    }
    SecurityDescriptor newSd = sd.withDacl(working);
    String parent = WindowsPaths.parent(path);
    if (target.propagatesBySelf()
        && !sd.isDaclProtected()
        && parent != null
        && target.exists(parent)) {
      // Windows re-inherits from the parent on every unprotected write: the after-state says so.
      newSd = Inheritance.recomputeChild(afterState(parent, after), newSd, container);
    }
    after.put(WindowsPaths.key(path), newSd);
    Descendants descendants = Descendants.counted(0);
    if (container && rule.propagate()) {
      descendants =
          !target.canWalk()
              ? new Descendants.NotWalkable()
              : !context.countDescendants()
                  ? new Descendants.NotCounted()
                  : Descendants.counted(
                      new Propagation(target, context.progress())
                          .count(
                              path,
                              newSd,
                              hasChangedAncestor(WindowsPaths.parent(path), after) ? sd : null));
    }
    String before = Sddl.format(sd, domain);
    context.add(
        new DaclChange(
            path,
            container,
            before,
            Digest.sha256(before),
            Sddl.format(newSd, domain),
            rule.propagate(),
            descendants,
            reasons,
            effectiveAccess(rule, sd, newSd, identities)));
  }

  private Acl applyGrant(Grant grant, Acl dacl, boolean container, List<String> reasons) {
    Sid sid = names.resolve(grant.trustee());
    int rights = grant.rights().mask();
    int inheritance = container ? grant.inheritance().bits() : 0;
    int missing = GrantCoverage.missing(dacl, sid, rights, inheritance, container);
    if (missing == 0) {
      return dacl;
    }
    String need =
        names.nameOf(sid)
            + " needs "
            + AccessMask.icacls(rights)
            + AceFlags.icacls(inheritance).replace("(I)", "")
            + " on "
            + GrantCoverage.describeScopes(missing);
    List<Ace> aces = new ArrayList<>(dacl.aces());
    for (int i = 0; i < aces.size(); i++) {
      Ace ace = aces.get(i);
      if (widenable(ace, sid) && ace.inheritance() == inheritance) {
        aces.set(i, ace.withMask(ace.mask() | rights));
        reasons.add(
            need
                + ": widened its explicit entry from "
                + AccessMask.icacls(ace.mask())
                + " ("
                + grant.at()
                + ")");
        return dacl.withAces(aces);
      }
    }
    reasons.add(need + ": added an allow entry (" + grant.at() + ")");
    return CanonicalOrder.insert(dacl, Ace.allow(sid, rights, inheritance));
  }

  private static boolean widenable(Ace ace, Sid sid) {
    return ace.type().isAllow()
        && !ace.isInherited()
        && ace.objectType() == null
        && ace.inheritedObjectType() == null
        && ace.sid().equals(sid);
  }

  private Acl removeForbiddenDenies(
      String path,
      Rule rule,
      Acl dacl,
      TokenGroups identities,
      List<String> reasons,
      List<Finding> findings) {
    ForbidDeny forbid = rule.forbidDeny();
    Map<Sid, String> hit = new LinkedHashMap<>();
    for (Trustee t : forbid.trustees()) {
      Sid sid = resolveOffline(t, path, findings);
      if (sid == null) {
        continue;
      }
      hit.putIfAbsent(sid, names.nameOf(sid));
      for (Sid g : identities.groups(sid, LogonKind.NETWORK)) {
        hit.putIfAbsent(g, names.nameOf(sid));
      }
    }
    int needed = 0;
    for (Grant g : rule.grants()) {
      needed |= AccessMask.FILE_MAPPING.map(g.rights().mask());
    }
    List<Ace> kept = new ArrayList<>();
    boolean removed = false;
    for (Ace ace : dacl.aces()) {
      String victim = hit.get(ace.sid());
      boolean blocks =
          ace.type().isDeny()
              && victim != null
              && (needed == 0 || (AccessMask.FILE_MAPPING.map(ace.mask()) & needed) != 0);
      if (!blocks) {
        kept.add(ace);
        continue;
      }
      String what =
          "deny "
              + AccessMask.icacls(ace.mask())
              + AceFlags.icacls(ace.flags())
              + " for "
              + names.nameOf(ace.sid())
              + " blocks "
              + victim;
      if (ace.isInherited()) {
        kept.add(ace);
        findings.add(
            new Finding(
                Finding.Severity.CONFLICT,
                path,
                what
                    + "; it is inherited"
                    + sourceOf(path, ace)
                    + ": remove it there (add a rule for that path)"));
      } else if (forbid.remove()) {
        removed = true;
        reasons.add("removed explicit " + what + " (" + forbid.at() + ")");
      } else {
        kept.add(ace);
        findings.add(
            new Finding(
                Finding.Severity.CONFLICT,
                path,
                what
                    + "; the policy forbids it but does not allow removal (forbidDeny.remove: false)"));
      }
    }
    return removed ? dacl.withAces(kept) : dacl;
  }

  /**
   * Resolves a trustee; on a target without account data (a snapshot) an account that only the
   * server knows becomes an unverified finding instead of an error.
   */
  private Sid resolveOffline(Trustee t, String path, List<Finding> findings) {
    try {
      return names.resolve(t);
    } catch (PlanException e) {
      if (target.hasAccounts()) {
        throw e;
      }
      if (findings != null) {
        findings.add(
            new Finding(
                Finding.Severity.UNVERIFIED,
                path,
                "deny entries naming '"
                    + shown(t)
                    + "' itself not checked: the account cannot be resolved on "
                    + target.describe()
                    + " (denies for its groups are)"));
      }
      return null;
    }
  }

  /** A trustee as written, with the variables this target knows filled in. */
  private String shown(Trustee t) {
    try {
      return Variables.expand(t.text(), target.variables());
    } catch (IllegalArgumentException e) {
      return t.text();
    }
  }

  /** Names the nearest ancestor that holds the inherited deny explicitly, when it can be found. */
  private String sourceOf(String path, Ace inherited) {
    for (String p = WindowsPaths.parent(path); p != null; p = WindowsPaths.parent(p)) {
      try {
        if (!target.exists(p)) {
          return "";
        }
        Acl acl = target.read(p).dacl();
        if (acl == null) {
          return "";
        }
        for (Ace a : acl.aces()) {
          if (!a.isInherited()
              && a.type() == inherited.type()
              && a.sid().equals(inherited.sid())
              && (a.flags() & (AceFlags.OBJECT_INHERIT | AceFlags.CONTAINER_INHERIT)) != 0) {
            return " from " + p;
          }
        }
      } catch (TargetException e) {
        return "";
      }
    }
    return "";
  }

  private List<DaclChange.Access> effectiveAccess(
      Rule rule, SecurityDescriptor before, SecurityDescriptor afterSd, TokenGroups identities) {
    Set<Sid> who = new LinkedHashSet<>();
    for (Grant g : rule.grants()) {
      who.add(names.resolve(g.trustee()));
    }
    if (rule.forbidDeny() != null) {
      for (Trustee t : rule.forbidDeny().trustees()) {
        Sid sid = resolveOffline(t, null, null);
        if (sid != null) {
          who.add(sid);
        }
      }
    }
    List<DaclChange.Access> out = new ArrayList<>();
    for (Sid sid : who) {
      Set<Sid> groups = identities.groups(sid, LogonKind.NETWORK);
      out.add(
          new DaclChange.Access(
              names.nameOf(sid),
              sid,
              Rights.of(EffectiveAccess.maximumAllowed(before, sid, groups)),
              Rights.of(EffectiveAccess.maximumAllowed(afterSd, sid, groups))));
    }
    return out;
  }

  // --- expectations ---

  private void checkExpectation(
      Expectation e,
      TokenGroups identities,
      Map<String, SecurityDescriptor> after,
      List<Finding> findings) {
    String path = pathOf(e.path(), e.at().toString(), findings);
    if (path == null) {
      return;
    }
    Sid sid;
    try {
      sid = names.resolve(e.identity());
    } catch (PlanException unresolved) {
      if (target.hasAccounts()) {
        throw unresolved;
      }
      findings.add(
          new Finding(
              Finding.Severity.UNVERIFIED,
              path,
              "expectation for '"
                  + shown(e.identity())
                  + "' not checked: the account cannot be resolved on "
                  + target.describe()));
      return;
    }
    if (!target.exists(path)) {
      findings.add(
          new Finding(
              Finding.Severity.WARNING,
              path,
              "expectation skipped: not found on " + target.describe()));
      return;
    }
    SecurityDescriptor sd = afterState(path, after);
    Set<Sid> groups = identities.groups(sid, e.logon());
    EffectiveAccess.Result access =
        EffectiveAccess.check(sd, sid, groups, e.access().mask(), names::nameOf);
    ExpectationResult.Status status =
        access.allowed()
            ? ExpectationResult.Status.MET
            : identities.incomplete()
                ? ExpectationResult.Status.UNVERIFIED
                : ExpectationResult.Status.NOT_MET;
    if (status == ExpectationResult.Status.UNVERIFIED) {
      findings.add(
          new Finding(
              Finding.Severity.UNVERIFIED,
              path,
              names.nameOf(sid)
                  + " would not get "
                  + e.access().icacls()
                  + " with the groups known here ("
                  + target.describe()
                  + " has no group data; Windows' default members of Users assumed)"));
    }
    context.add(
        new ExpectationResult(
            names.nameOf(sid),
            sid,
            path,
            e.access(),
            Rights.of(access.granted()),
            status,
            access.decidedBy()));
  }

  /**
   * The descriptor a path will have after the plan: changed itself, or re-inherited below a change.
   */
  SecurityDescriptor afterState(String path, Map<String, SecurityDescriptor> after) {
    SecurityDescriptor own = after.get(WindowsPaths.key(path));
    if (own != null) {
      return own;
    }
    String parent = WindowsPaths.parent(path);
    if (parent == null || !hasChangedAncestor(parent, after) || !target.exists(parent)) {
      return target.read(path);
    }
    return Inheritance.recomputeChild(
        afterState(parent, after), target.read(path), target.isContainer(path));
  }

  private static boolean hasChangedAncestor(String path, Map<String, SecurityDescriptor> after) {
    for (String p = path; p != null; p = WindowsPaths.parent(p)) {
      if (after.containsKey(WindowsPaths.key(p))) {
        return true;
      }
    }
    return false;
  }

  /**
   * A policy path on this target, or null, with an unverified finding, when it names the WSUS
   * content folder and the target cannot say where that is (an offline snapshot, WSUS missing).
   */
  private String pathOf(String path, String where, List<Finding> findings) {
    Map<String, String> values = target.variables();
    if (ContentLocation.usedBy(path)) {
      if (content == null) {
        content = ContentLocation.lookup(target);
      }
      Optional<Map<String, String>> found = content.values();
      if (found.isEmpty()) {
        findings.add(
            new Finding(
                Finding.Severity.UNVERIFIED,
                path,
                "the WSUS content folder is not known: "
                    + content.unavailable()
                    + "; not verified"));
        return null;
      }
      values = new HashMap<>(values);
      values.putAll(found.get());
    }
    try {
      return WindowsPaths.normalize(Variables.expand(path, values));
    } catch (IllegalArgumentException e) {
      throw new PlanException(where + ": " + e.getMessage());
    }
  }
}
