package org.wsusfix.resource.rights;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.wsusfix.machine.AuditLog;
import org.wsusfix.machine.Capability;
import org.wsusfix.machine.RightsAccess;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.TargetException;
import org.wsusfix.policy.Expectation.LogonKind;
import org.wsusfix.policy.Membership;
import org.wsusfix.policy.Policy;
import org.wsusfix.policy.Trustee;
import org.wsusfix.policy.UserRight;
import org.wsusfix.resource.Applier;
import org.wsusfix.resource.ApplyContext;
import org.wsusfix.resource.ChangeText;
import org.wsusfix.resource.DriftException;
import org.wsusfix.resource.Fields;
import org.wsusfix.resource.Finding;
import org.wsusfix.resource.PlanContext;
import org.wsusfix.resource.PlanException;
import org.wsusfix.resource.ResourceKind;
import org.wsusfix.resource.RestoreContext;
import org.wsusfix.resource.Restorer;
import org.wsusfix.resource.TrusteeResolver;
import org.wsusfix.security.AccountRights;
import org.wsusfix.security.Sid;

/**
 * User rights (privileges and logon rights): the policy's {@code userRights}, one right per change,
 * journaled with every holder it had so rollback puts back exactly that set.
 */
public final class UserRights implements ResourceKind<RightChange, RightUndo> {
  @Override
  public String name() {
    return "user-right";
  }

  @Override
  public String noun() {
    return "user right";
  }

  @Override
  public String subjectNoun() {
    return "user right";
  }

  @Override
  public Class<RightChange> changeType() {
    return RightChange.class;
  }

  @Override
  public Class<RightUndo> payloadType() {
    return RightUndo.class;
  }

  @Override
  public Capability capability(Target target) {
    return target
        .rights()
        .map(r -> r.writer().isPresent() ? Capability.READ_WRITE : Capability.READ)
        .orElse(Capability.NONE);
  }

  // --- plan ---

  @Override
  public void plan(Policy policy, PlanContext context) {
    if (policy.userRights().isEmpty()) {
      return;
    }
    context.asked();
    Target target = context.target();
    RightsAccess rights = target.rights().orElse(null);
    if (rights == null) {
      for (UserRight r : policy.userRights()) {
        context.add(
            new Finding(
                Finding.Severity.UNVERIFIED,
                r.right(),
                "user rights cannot be read on " + target.describe() + "; not verified"));
      }
      return;
    }
    context.checked();
    for (UserRight r : policy.userRights()) {
      try {
        planRight(r, rights, context);
      } catch (TargetException e) {
        context.add(
            new Finding(Finding.Severity.UNVERIFIED, r.right(), "not verified: " + e.getMessage()));
      }
    }
  }

  private void planRight(UserRight r, RightsAccess rights, PlanContext context) {
    TrusteeResolver names = context.names();
    RightsAccess.Holders holders = rights.holders(r.right());
    Set<Sid> before = new LinkedHashSet<>(holders.sids().stream().sorted().toList());
    Set<Sid> after = new LinkedHashSet<>(before);
    List<String> reasons = new ArrayList<>();
    if (!holders.unresolved().isEmpty()) {
      context.add(
          new Finding(
              Finding.Severity.UNVERIFIED,
              r.right(),
              "held by accounts "
                  + context.target().describe()
                  + " cannot resolve ("
                  + String.join(", ", holders.unresolved())
                  + "); they are left as they are"));
    }
    Set<Sid> wanted = new LinkedHashSet<>();
    for (Trustee t : r.members()) {
      Sid sid = resolve(t, r, context);
      if (sid == null) {
        continue;
      }
      wanted.add(sid);
      if (after.add(sid)) {
        reasons.add(names.nameOf(sid) + " must hold " + r.right() + " (" + t.at() + ")");
      }
    }
    if (r.mode() == Membership.Mode.EXACT) {
      for (Sid sid : before) {
        if (!wanted.contains(sid)) {
          after.remove(sid);
          reasons.add(
              "mode exact: "
                  + names.nameOf(sid)
                  + " is not listed for "
                  + r.right()
                  + " ("
                  + r.at()
                  + ")");
          context.add(
              new Finding(
                  Finding.Severity.WARNING,
                  r.right(),
                  "REMOVES " + names.nameOf(sid) + " from " + r.right() + " (mode: exact)"));
        }
      }
    }
    for (Trustee t : r.forbid()) {
      Sid sid = resolve(t, r, context);
      if (sid == null) {
        continue;
      }
      if (after.remove(sid)) {
        reasons.add(names.nameOf(sid) + " must not hold " + r.right() + " (" + t.at() + ")");
      }
      for (Sid group : context.tokens().groups(sid, LogonKind.NETWORK)) {
        if (before.contains(group)) {
          // Taking the right from a whole group would change it for every other member too.
          context.add(
              new Finding(
                  Finding.Severity.CONFLICT,
                  r.right(),
                  names.nameOf(sid)
                      + " holds "
                      + r.right()
                      + " through "
                      + names.nameOf(group)
                      + "; remove "
                      + names.nameOf(group)
                      + " from it if that is meant"));
        }
      }
    }
    if (AccountRights.isLogonRight(r.right())
        && r.right().startsWith("SeDeny")
        && !after.equals(before)) {
      context.add(
          new Finding(
              Finding.Severity.WARNING,
              r.right(),
              "a group policy that assigns "
                  + r.right()
                  + " puts it back at its next refresh: change the GPO too"));
    }
    if (!after.equals(before)) {
      context.add(
          new RightChange(r.right(), holders(before, names), holders(after, names), reasons));
    }
  }

  private static Sid resolve(Trustee t, UserRight r, PlanContext context) {
    try {
      return context.names().resolve(t);
    } catch (PlanException e) {
      if (context.target().hasAccounts()) {
        throw e;
      }
      context.add(
          new Finding(
              Finding.Severity.UNVERIFIED,
              r.right(),
              "'"
                  + t
                  + "' not checked: the account cannot be"
                  + " resolved on "
                  + context.target().describe()));
      return null;
    }
  }

  private static List<RightChange.Holder> holders(Set<Sid> sids, TrusteeResolver names) {
    return sids.stream().map(s -> new RightChange.Holder(s, names.nameOf(s))).toList();
  }

  // --- plan file and text ---

  @Override
  public List<String> changeKinds() {
    return List.of("user-right");
  }

  @Override
  public void writeChange(RightChange c, ObjectNode out) {
    out.put("right", c.right());
    write(out.putArray("before"), c.before());
    write(out.putArray("after"), c.after());
  }

  private static void write(ArrayNode array, List<RightChange.Holder> holders) {
    for (RightChange.Holder h : holders) {
      ObjectNode n = array.addObject();
      n.put("sid", h.sid().toString());
      n.put("name", h.name());
    }
  }

  @Override
  public RightChange readChange(String kind, Fields in, List<String> reasons) {
    return new RightChange(right(in), read(in, "before"), read(in, "after"), reasons);
  }

  private static String right(Fields in) {
    String right = in.text("right");
    if (!AccountRights.isKnown(right)) {
      throw in.problem("right", "is not a user right wsusfix knows");
    }
    return right;
  }

  private static List<RightChange.Holder> read(Fields in, String name) {
    List<RightChange.Holder> out = new ArrayList<>();
    Set<Sid> seen = new LinkedHashSet<>();
    for (Fields h : in.objects(name, true)) {
      Sid sid = h.sid("sid");
      if (!seen.add(sid)) {
        throw h.problem("sid", "is listed twice");
      }
      out.add(new RightChange.Holder(sid, h.text("name")));
    }
    return out;
  }

  @Override
  public void render(RightChange c, ChangeText text) {
    Set<Sid> before = sids(c.before());
    Set<Sid> after = sids(c.after());
    text.mark(ChangeText.Mark.CHANGED).append("user right ").append(c.right()).append("\n");
    for (RightChange.Holder h : c.after()) {
      text.append(
              before.contains(h.sid())
                  ? "      " + text.name(h.sid())
                  : text.marked(ChangeText.Mark.ADDED, "    ", text.name(h.sid())))
          .append("\n");
    }
    for (RightChange.Holder h : c.before()) {
      if (!after.contains(h.sid())) {
        text.append(text.marked(ChangeText.Mark.REMOVED, "    ", text.name(h.sid()))).append("\n");
      }
    }
    for (String r : c.reasons()) {
      text.append("    why: ").append(r).append("\n");
    }
    text.append("\n");
  }

  private static Set<Sid> sids(List<RightChange.Holder> holders) {
    return holders.stream()
        .map(RightChange.Holder::sid)
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  // --- journal ---

  @Override
  public void writePayload(RightUndo u, ObjectNode out) {
    out.put("right", u.right());
    write(out.putArray("before"), u.before());
    write(out.putArray("after"), u.after());
  }

  @Override
  public RightUndo readPayload(Fields in) {
    return new RightUndo(right(in), read(in, "before"), read(in, "after"));
  }

  @Override
  public RightUndo readFormat1(String kind, Fields in) {
    throw in.problem("kind", "user rights were not journaled in format 1");
  }

  // --- apply and rollback ---

  @Override
  public List<String> writeProblems(Target target, List<RightChange> changes) {
    return changes.isEmpty()
        ? List.of()
        : target
            .rights()
            .flatMap(RightsAccess::writer)
            .map(RightsAccess.Writer::rightsWriteProblems)
            .orElse(List.of());
  }

  @Override
  public List<String> restoreProblems(Target target, List<RightUndo> payloads) {
    return payloads.isEmpty()
        ? List.of()
        : target
            .rights()
            .flatMap(RightsAccess::writer)
            .map(RightsAccess.Writer::rightsWriteProblems)
            .orElse(List.of());
  }

  @Override
  public Applier<RightChange> applier(ApplyContext context, List<RightChange> planned) {
    Target target = context.target();
    RightsAccess rights =
        target.rights().orElseThrow(() -> new TargetException(target.readOnlyReason()));
    RightsAccess.Writer writer =
        rights.writer().orElseThrow(() -> new TargetException(target.readOnlyReason()));
    return c -> {
      Set<Sid> before = sids(c.before());
      Set<Sid> after = sids(c.after());
      if (!rights.holders(c.right()).sids().equals(before)) {
        throw new DriftException(
            c.right()
                + ": its holders changed since the plan was made (drift); nothing more was changed");
      }
      int seq = context.intent(this, new RightUndo(c.right(), c.before(), c.after()));
      change(writer, c.right(), before, after);
      if (!rights.holders(c.right()).sids().equals(after)) {
        throw new TargetException(c.right() + ": its holders did not change as asked");
      }
      context.done(seq);
      context
          .audit()
          .record(
              AuditLog.Kind.APPLIED,
              "wsusfix changed who holds "
                  + c.right()
                  + ": "
                  + names(c.before())
                  + " -> "
                  + names(c.after())
                  + "\nUndo journal: "
                  + context.journalFile());
    };
  }

  /** Adds what {@code to} has and {@code from} lacks, then removes the rest. */
  private static void change(RightsAccess.Writer writer, String right, Set<Sid> from, Set<Sid> to) {
    for (Sid s : to) {
      if (!from.contains(s)) {
        writer.addRight(s, right);
      }
    }
    for (Sid s : from) {
      if (!to.contains(s)) {
        writer.removeRight(s, right);
      }
    }
  }

  private static String names(List<RightChange.Holder> holders) {
    return holders.isEmpty()
        ? "nobody"
        : holders.stream().map(RightChange.Holder::name).collect(Collectors.joining(", "));
  }

  @Override
  public Restorer<RightUndo> restorer(RestoreContext context) {
    return (u, force) -> {
      Target target = context.target();
      RightsAccess rights =
          target.rights().orElseThrow(() -> new TargetException(target.readOnlyReason()));
      Set<Sid> live = rights.holders(u.right()).sids();
      Set<Sid> before = sids(u.before());
      context.handled(1);
      if (live.equals(before)) {
        context.skipped();
        return;
      }
      if (!live.equals(sids(u.after())) && !force) {
        context.refused(
            u.right()
                + ": its holders were changed by someone else since (--force restores them anyway)");
        return;
      }
      if (context.dryRun()) {
        context
            .out()
            .println("  would restore the holders of " + u.right() + ": " + names(u.before()));
        context.restored();
        return;
      }
      RightsAccess.Writer writer =
          rights.writer().orElseThrow(() -> new TargetException(target.readOnlyReason()));
      change(writer, u.right(), live, before);
      if (!rights.holders(u.right()).sids().equals(before)) {
        throw new TargetException(u.right() + ": its holders did not change back as asked");
      }
      context.restored();
      context
          .audit()
          .record(
              AuditLog.Kind.ROLLED_BACK,
              "wsusfix restored who holds " + u.right() + ": " + names(u.before()));
    };
  }

  @Override
  public long restoreUnits(RightUndo payload) {
    return 1;
  }
}
