package org.wsusfix.resource.group;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.wsusfix.machine.AuditLog;
import org.wsusfix.machine.Capability;
import org.wsusfix.machine.GroupWriter;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.TargetException;
import org.wsusfix.policy.Membership;
import org.wsusfix.policy.Policy;
import org.wsusfix.policy.Trustee;
import org.wsusfix.policy.Variables;
import org.wsusfix.resource.Applier;
import org.wsusfix.resource.ApplyContext;
import org.wsusfix.resource.ChangeText;
import org.wsusfix.resource.DriftException;
import org.wsusfix.resource.Fields;
import org.wsusfix.resource.Finding;
import org.wsusfix.resource.PlanContext;
import org.wsusfix.resource.ResourceKind;
import org.wsusfix.resource.RestoreContext;
import org.wsusfix.resource.Restorer;
import org.wsusfix.resource.TrusteeResolver;
import org.wsusfix.security.Sid;

/** Local group memberships: the policy's {@code memberships}, changed one member at a time. */
public final class GroupMemberships implements ResourceKind<MembershipChange, MembershipUndo> {
  @Override
  public String name() {
    return "membership";
  }

  @Override
  public String subjectNoun() {
    return "group";
  }

  @Override
  public String noun() {
    return "membership";
  }

  @Override
  public Class<MembershipChange> changeType() {
    return MembershipChange.class;
  }

  @Override
  public Class<MembershipUndo> payloadType() {
    return MembershipUndo.class;
  }

  @Override
  public Capability capability(Target target) {
    return !target.hasAccounts()
        ? Capability.NONE
        : target.groupWriter().isPresent() ? Capability.READ_WRITE : Capability.READ;
  }

  // --- plan ---

  @Override
  public void plan(Policy policy, PlanContext context) {
    if (!policy.memberships().isEmpty()) {
      context.asked();
      context.checked();
    }
    for (Membership m : policy.memberships()) {
      planMembership(m, context);
    }
  }

  private void planMembership(Membership m, PlanContext context) {
    Target target = context.target();
    TrusteeResolver names = context.names();
    if (!capability(target).canRead()) {
      context.add(
          new Finding(
              Finding.Severity.UNVERIFIED,
              m.group().text(),
              "group members cannot be read on "
                  + target.describe()
                  + "; membership of "
                  + String.join(", ", m.members().stream().map(t -> shown(t, target)).toList())
                  + " not verified"));
      return;
    }
    Sid group = names.resolve(m.group());
    String groupName = names.nameOf(group);
    Set<Sid> wanted = new LinkedHashSet<>();
    for (Trustee t : m.members()) {
      wanted.add(names.resolve(t));
    }
    Optional<Set<Sid>> current = target.groupMembers(group);
    if (current.isEmpty()) {
      context.add(
          new Finding(
              Finding.Severity.UNVERIFIED,
              groupName,
              "members of "
                  + groupName
                  + " cannot be read on "
                  + target.describe()
                  + "; membership of "
                  + String.join(", ", wanted.stream().map(names::nameOf).toList())
                  + " not verified"));
      return;
    }
    for (Sid member : wanted) {
      if (!current.get().contains(member)) {
        context.tokens().plannedAdd(group, member);
        context.add(
            new MembershipChange(
                true,
                group,
                groupName,
                member,
                names.nameOf(member),
                List.of(
                    names.nameOf(member)
                        + " must be a member of "
                        + groupName
                        + " ("
                        + m.at()
                        + ")")));
      }
    }
    if (m.mode() == Membership.Mode.EXACT) {
      for (Sid member : current.get()) {
        if (!wanted.contains(member)) {
          context.tokens().plannedRemove(group, member);
          context.add(
              new MembershipChange(
                  false,
                  group,
                  groupName,
                  member,
                  names.nameOf(member),
                  List.of(
                      "mode exact: "
                          + names.nameOf(member)
                          + " is not listed for "
                          + groupName
                          + " ("
                          + m.at()
                          + ")")));
          context.add(
              new Finding(
                  Finding.Severity.WARNING,
                  groupName,
                  "REMOVES " + names.nameOf(member) + " from " + groupName + " (mode: exact)"));
        }
      }
    }
  }

  /** A trustee as written, with the variables this target knows filled in. */
  private static String shown(Trustee t, Target target) {
    try {
      return Variables.expand(t.text(), target.variables());
    } catch (IllegalArgumentException e) {
      return t.text();
    }
  }

  // --- plan file and text ---

  @Override
  public List<String> changeKinds() {
    return List.of("add-member", "remove-member");
  }

  @Override
  public void writeChange(MembershipChange m, ObjectNode out) {
    out.put("group", m.group().toString());
    out.put("groupName", m.groupName());
    out.put("member", m.member().toString());
    out.put("memberName", m.memberName());
  }

  @Override
  public MembershipChange readChange(String kind, Fields in, List<String> reasons) {
    return new MembershipChange(
        kind.equals("add-member"),
        in.sid("group"),
        in.text("groupName"),
        in.sid("member"),
        in.text("memberName"),
        reasons);
  }

  @Override
  public void render(MembershipChange m, ChangeText text) {
    text.mark(m.add() ? ChangeText.Mark.ADDED : ChangeText.Mark.REMOVED)
        .append(m.add() ? "add member    " : "REMOVE member ")
        .append(m.memberName())
        .append(m.add() ? " to " : " from ")
        .append(m.groupName())
        .append("\n");
    for (String r : m.reasons()) {
      text.append("    why: ").append(r).append("\n");
    }
    text.append("\n");
  }

  // --- journal ---

  @Override
  public void writePayload(MembershipUndo u, ObjectNode out) {
    out.put("added", u.added());
    out.put("group", u.group().toString());
    out.put("groupName", u.groupName());
    out.put("member", u.member().toString());
    out.put("memberName", u.memberName());
  }

  @Override
  public MembershipUndo readPayload(Fields in) {
    return new MembershipUndo(
        in.bool("added"),
        in.sid("group"),
        in.text("groupName"),
        in.sid("member"),
        in.text("memberName"));
  }

  @Override
  public MembershipUndo readFormat1(String kind, Fields in) {
    return new MembershipUndo(
        kind.equals("add-member"),
        in.sid("group"),
        in.text("groupName"),
        in.sid("member"),
        in.text("memberName"));
  }

  // --- apply and rollback ---

  @Override
  public List<String> writeProblems(Target target, List<MembershipChange> changes) {
    return changes.isEmpty()
        ? List.of()
        : target.groupWriter().map(GroupWriter::groupWriteProblems).orElse(List.of());
  }

  @Override
  public List<String> restoreProblems(Target target, List<MembershipUndo> payloads) {
    return payloads.isEmpty()
        ? List.of()
        : target.groupWriter().map(GroupWriter::groupWriteProblems).orElse(List.of());
  }

  @Override
  public Applier<MembershipChange> applier(ApplyContext context, List<MembershipChange> planned) {
    Target target = context.target();
    GroupWriter writer =
        target.groupWriter().orElseThrow(() -> new TargetException(target.readOnlyReason()));
    return m -> {
      Optional<Set<Sid>> members = target.groupMembers(m.group());
      if (members.isEmpty()) {
        throw new TargetException(
            "members of " + m.groupName() + " cannot be read on " + target.describe());
      }
      if (members.get().contains(m.member()) == m.add()) {
        throw new DriftException(
            m.memberName()
                + (m.add() ? " is already" : " is no longer")
                + " a member of "
                + m.groupName()
                + ": changed since the plan was made (drift); nothing more was changed");
      }
      int seq =
          context.intent(
              this,
              new MembershipUndo(m.add(), m.group(), m.groupName(), m.member(), m.memberName()));
      if (m.add()) {
        writer.addGroupMember(m.group(), m.member());
      } else {
        writer.removeGroupMember(m.group(), m.member());
      }
      boolean nowMember = target.groupMembers(m.group()).orElse(Set.of()).contains(m.member());
      if (nowMember != m.add()) {
        throw new TargetException(
            m.memberName() + ": membership of " + m.groupName() + " did not change as asked");
      }
      context.done(seq);
      context
          .audit()
          .record(
              AuditLog.Kind.APPLIED,
              "wsusfix "
                  + (m.add() ? "added " : "removed ")
                  + m.memberName()
                  + " ("
                  + m.member()
                  + ")"
                  + (m.add() ? " to " : " from ")
                  + m.groupName()
                  + " ("
                  + m.group()
                  + ")\nUndo journal: "
                  + context.journalFile());
    };
  }

  @Override
  public Restorer<MembershipUndo> restorer(RestoreContext context) {
    return (u, force) -> {
      Target target = context.target();
      String what = u.memberName() + " in " + u.groupName();
      Set<Sid> members =
          target
              .groupMembers(u.group())
              .orElseThrow(
                  () -> new TargetException("members of " + u.groupName() + " cannot be read"));
      if (members.contains(u.member()) != u.added()) {
        context.skipped();
        return;
      }
      if (context.dryRun()) {
        context.restored();
        context.out().println("  would " + (u.added() ? "remove " : "add back ") + what);
        return;
      }
      GroupWriter writer =
          target.groupWriter().orElseThrow(() -> new TargetException(target.readOnlyReason()));
      if (u.added()) {
        writer.removeGroupMember(u.group(), u.member());
      } else {
        writer.addGroupMember(u.group(), u.member());
      }
      // Checked like a DACL restore: exit 0 must mean the member really is back where it was.
      if (target.groupMembers(u.group()).orElse(Set.of()).contains(u.member()) == u.added()) {
        throw new TargetException(what + ": membership did not change back as asked");
      }
      context.restored();
      context
          .audit()
          .record(
              AuditLog.Kind.ROLLED_BACK,
              "wsusfix "
                  + (u.added() ? "removed " : "added back ")
                  + u.memberName()
                  + " ("
                  + u.member()
                  + ")"
                  + (u.added() ? " from " : " to ")
                  + u.groupName()
                  + " ("
                  + u.group()
                  + ")");
    };
  }
}
