package org.wsusfix.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.wsusfix.resource.Change;
import org.wsusfix.resource.ChangeText;
import org.wsusfix.resource.ChangeText.Colour;
import org.wsusfix.resource.ExpectationResult;
import org.wsusfix.resource.Finding;
import org.wsusfix.resource.ResourceKind;
import org.wsusfix.security.Rights;
import org.wsusfix.security.RightsText;
import org.wsusfix.security.Sid;

/** Renders a plan for people: each change as its kind shows it, then findings and expectations. */
public final class PlanText {
  private final Function<Sid, String> names;
  private final boolean colour;
  private final Sid domain;
  private final ResourceKinds kinds;

  public PlanText(Function<Sid, String> names, Sid domain, boolean colour) {
    this(names, domain, colour, ResourceKinds.STANDARD);
  }

  public PlanText(Function<Sid, String> names, Sid domain, boolean colour, ResourceKinds kinds) {
    this.names = names;
    this.domain = domain;
    this.colour = colour;
    this.kinds = kinds;
  }

  public String render(Plan plan) {
    StringBuilder s = new StringBuilder();
    ChangeText text = new ChangeText(s, names, domain, colour);
    s.append("Policy ").append(plan.policyName()).append(" (sha256 ")
        .append(plan.policyDigest(), 0, Math.min(12, plan.policyDigest().length()))
        .append(") against ").append(plan.target()).append("\n\n");
    for (Change c : plan.changes()) {
      ResourceKinds.render(kinds.of(c), c, text);
    }
    for (Finding f : plan.findings()) {
      String tag = switch (f.severity()) {
        case CONFLICT -> text.paint("! conflict   ", Colour.RED);
        case WARNING -> text.paint("! warning    ", Colour.YELLOW);
        case UNVERIFIED -> text.paint("? unverified ", Colour.YELLOW);
      };
      s.append(tag).append(f.subject()).append(": ").append(f.message()).append('\n');
    }
    if (!plan.findings().isEmpty()) {
      s.append('\n');
    }
    for (ExpectationResult e : plan.expectations()) {
      String state = switch (e.status()) {
        case MET -> text.paint("met", Colour.GREEN);
        case NOT_MET -> text.paint("NOT MET", Colour.RED);
        case UNVERIFIED -> text.paint("unverified", Colour.YELLOW);
      };
      s.append("expect ").append(e.identity()).append(' ').append(rights(e.required(), e.path()))
          .append(" on ").append(e.path()).append(": ").append(state)
          .append(" (gets ").append(rights(e.granted(), e.path())).append("; ").append(e.decidedBy()).append(")\n");
    }
    if (!plan.expectations().isEmpty()) {
      s.append('\n');
    }
    s.append(summary(plan, kinds)).append('\n');
    return s.toString();
  }

  public static String summary(Plan plan) {
    return summary(plan, ResourceKinds.STANDARD);
  }

  /** One line: how many changes of which kind, conflicts and unverified items. */
  public static String summary(Plan plan, ResourceKinds kinds) {
    long conflicts = plan.findings().stream().filter(f -> f.severity() == Finding.Severity.CONFLICT).count();
    long unverified = plan.findings().stream().filter(f -> f.severity() == Finding.Severity.UNVERIFIED).count();
    long unmet = plan.expectations().stream().filter(e -> !e.met()).count();
    if (plan.nothingChecked()) {
      return "Nothing checked: none of the policy's paths exists on " + plan.target() + ".";
    }
    if (plan.compliant()) {
      return "Compliant: nothing to change" + (unverified > 0 ? " (" + unverified + " unverified)" : "") + ".";
    }
    // Only the kinds that change something: five kinds of zero would bury the one that matters.
    List<String> perKind = new ArrayList<>();
    for (ResourceKind<?, ?> k : kinds.all()) {
      int count = ResourceKinds.changesOf(k, plan.changes()).size();
      if (count > 0) {
        perKind.add(count + " " + k.noun());
      }
    }
    int n = plan.changes().size();
    return String.format("Plan: %d change%s%s, %d conflict%s, %d unmet expectation%s, %d unverified.",
        n, n == 1 ? "" : "s", perKind.isEmpty() ? "" : " (" + String.join(", ", perKind) + ")", conflicts, conflicts == 1 ? "" : "s",
        unmet, unmet == 1 ? "" : "s", unverified);
  }

  /** A key's rights by their registry names (ReadKey), a file's as icacls writes them (RX). */
  private static String rights(Rights r, String path) {
    boolean key = path.regionMatches(true, 0, "HKLM\\", 0, 5);
    return RightsText.rights(r, key ? RightsText.Names.KEY : RightsText.Names.FILE);
  }
}
