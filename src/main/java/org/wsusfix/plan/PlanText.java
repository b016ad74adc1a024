package org.wsusfix.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.wsusfix.security.AccessMask;
import org.wsusfix.security.Ace;
import org.wsusfix.security.AceFlags;
import org.wsusfix.security.Acl;
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;

/** Renders a plan for people: per path the ACEs before and after, with + and - markers. */
public final class PlanText {
  private final Function<Sid, String> names;
  private final boolean colour;
  private final Sid domain;

  public PlanText(Function<Sid, String> names, Sid domain, boolean colour) {
    this.names = names;
    this.domain = domain;
    this.colour = colour;
  }

  public String render(Plan plan) {
    StringBuilder s = new StringBuilder();
    s.append("Policy ").append(plan.policyName()).append(" (sha256 ")
        .append(plan.policyDigest(), 0, Math.min(12, plan.policyDigest().length()))
        .append(") against ").append(plan.target()).append("\n\n");
    for (Change c : plan.changes()) {
      if (c instanceof DaclChange d) {
        renderDacl(d, s);
      } else if (c instanceof MembershipChange m) {
        s.append(paint(m.add() ? "+ " : "- ", m.add() ? GREEN : RED))
            .append(m.add() ? "add member    " : "REMOVE member ").append(m.memberName())
            .append(m.add() ? " to " : " from ").append(m.groupName()).append('\n');
        for (String r : m.reasons()) {
          s.append("    why: ").append(r).append('\n');
        }
        s.append('\n');
      }
    }
    for (Finding f : plan.findings()) {
      String tag = switch (f.severity()) {
        case CONFLICT -> paint("! conflict   ", RED);
        case WARNING -> paint("! warning    ", YELLOW);
        case UNVERIFIED -> paint("? unverified ", YELLOW);
      };
      s.append(tag).append(f.subject()).append(": ").append(f.message()).append('\n');
    }
    if (!plan.findings().isEmpty()) {
      s.append('\n');
    }
    for (ExpectationResult e : plan.expectations()) {
      String state = switch (e.status()) {
        case MET -> paint("met", GREEN);
        case NOT_MET -> paint("NOT MET", RED);
        case UNVERIFIED -> paint("unverified", YELLOW);
      };
      s.append("expect ").append(e.identity()).append(' ').append(AccessMask.icacls(e.required()))
          .append(" on ").append(e.path()).append(": ").append(state)
          .append(" (gets ").append(AccessMask.icacls(e.granted())).append("; ").append(e.decidedBy()).append(")\n");
    }
    if (!plan.expectations().isEmpty()) {
      s.append('\n');
    }
    s.append(summary(plan)).append('\n');
    return s.toString();
  }

  /** One line: how many changes of which kind, conflicts and unverified items. */
  public static String summary(Plan plan) {
    long dacls = plan.daclChanges().size();
    long members = plan.membershipChanges().size();
    long conflicts = plan.findings().stream().filter(f -> f.severity() == Finding.Severity.CONFLICT).count();
    long unverified = plan.findings().stream().filter(f -> f.severity() == Finding.Severity.UNVERIFIED).count();
    long unmet = plan.expectations().stream().filter(e -> !e.met()).count();
    if (plan.nothingChecked()) {
      return "Nothing checked: none of the policy's paths exists on " + plan.target() + ".";
    }
    if (plan.compliant()) {
      return "Compliant: nothing to change" + (unverified > 0 ? " (" + unverified + " unverified)" : "") + ".";
    }
    return String.format("Plan: %d change%s (%d DACL, %d membership), %d conflict%s, %d unmet expectation%s, %d unverified.",
        dacls + members, dacls + members == 1 ? "" : "s", dacls, members, conflicts, conflicts == 1 ? "" : "s",
        unmet, unmet == 1 ? "" : "s", unverified);
  }

  private void renderDacl(DaclChange d, StringBuilder s) {
    SecurityDescriptor before = Descriptors.parse(d.before(), domain);
    SecurityDescriptor after = Descriptors.parse(d.after(), domain);
    s.append(paint("~ ", YELLOW)).append(d.path()).append("  (").append(d.container() ? "folder" : "file");
    if (after.isDaclProtected()) {
      s.append(", protected");
    }
    if (after.isDaclAutoInherited()) {
      s.append(", auto-inherited");
    }
    s.append(")\n");
    for (String line : aceDiff(before.dacl(), after.dacl())) {
      s.append(line).append('\n');
    }
    for (String r : d.reasons()) {
      s.append("    why: ").append(r).append('\n');
    }
    for (DaclChange.EffectiveAccess a : d.access()) {
      s.append("    access (network logon) of ").append(a.identity()).append(": ")
          .append(access(a.before())).append(" -> ").append(access(a.after())).append('\n');
    }
    if (d.propagate() && d.container()) {
      s.append("    inherited by: ").append(d.descendants() == DaclChange.NOT_COUNTED
          ? "every descendant that inherits (not counted ahead with --yes; the count of those rewritten follows)"
          : d.descendants() < 0 ? "unknown (target cannot walk)"
          : String.format("%,d descendant%s", d.descendants(), d.descendants() == 1 ? "" : "s")).append('\n');
    } else if (d.container()) {
      s.append("    propagate: false (descendants are not rewritten now)\n");
    }
    s.append("    after: ").append(d.after()).append("\n\n");
  }

  private static String access(int mask) {
    return mask == 0 ? "none" : AccessMask.icacls(mask);
  }

  /** Unchanged ACEs plainly, removed ones with -, added ones with +, in the order of the new list. */
  List<String> aceDiff(Acl before, Acl after) {
    List<Ace> old = before == null ? List.of() : before.aces();
    List<Ace> now = after == null ? List.of() : after.aces();
    List<String> lines = new ArrayList<>();
    int i = 0;
    for (Ace ace : now) {
      int at = old.subList(i, old.size()).indexOf(ace);
      if (at >= 0) {
        for (int k = i; k < i + at; k++) {
          lines.add(paint("    - " + ace(old.get(k)), RED));
        }
        lines.add("      " + ace(ace));
        i += at + 1;
      } else {
        lines.add(paint("    + " + ace(ace), GREEN));
      }
    }
    for (int k = i; k < old.size(); k++) {
      lines.add(paint("    - " + ace(old.get(k)), RED));
    }
    return lines;
  }

  String ace(Ace ace) {
    String type = ace.type().isAllow() ? "allow" : ace.type().isDeny() ? "deny " : ace.type().sddl();
    return String.format("%s %-34s %s%s", type, names.apply(ace.sid()), AceFlags.icacls(ace.flags()),
        "(" + AccessMask.icacls(ace.mask()) + ")");
  }

  private static final String RED = "\u001b[31m";
  private static final String GREEN = "\u001b[32m";
  private static final String YELLOW = "\u001b[33m";

  private String paint(String text, String code) {
    return colour ? code + text + "\u001b[0m" : text;
  }
}
