package org.wsusfix.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.wsusfix.resource.Change;
import org.wsusfix.resource.ChangeText;
import org.wsusfix.resource.ChangeText.Colour;
import org.wsusfix.resource.ChangeText.Mark;
import org.wsusfix.resource.ExpectationResult;
import org.wsusfix.resource.Finding;
import org.wsusfix.resource.ResourceKind;
import org.wsusfix.security.Rights;
import org.wsusfix.security.RightsText;
import org.wsusfix.security.SafeText;
import org.wsusfix.security.Sid;

/**
 * Renders a plan for people: a one-line verdict, each change as its kind shows it, then findings
 * (one line per cause, however many subjects share it) and expectations, the summary line, and a
 * legend of the marks the text used.
 */
public final class PlanText {
  private final Function<Sid, String> names;
  private final boolean colour;
  private final Sid domain;
  private final ResourceKinds kinds;
  private String shownTarget;

  public PlanText(Function<Sid, String> names, Sid domain, boolean colour) {
    this(names, domain, colour, ResourceKinds.STANDARD);
  }

  public PlanText(Function<Sid, String> names, Sid domain, boolean colour, ResourceKinds kinds) {
    this.names = names;
    this.domain = domain;
    this.colour = colour;
    this.kinds = kinds;
  }

  /**
   * Names the target as the user gave it (from {@link org.wsusfix.machine.Targets#shown}) instead
   * of the plan's canonical description, which may add options the user did not write.
   */
  public PlanText showingTarget(String shown) {
    this.shownTarget = shown;
    return this;
  }

  public String render(Plan plan) {
    String target = shownTarget != null ? shownTarget : SafeText.escape(plan.target());
    StringBuilder s = new StringBuilder();
    ChangeText text = new ChangeText(s, names, domain, colour);
    s.append(verdict(plan, kinds, target)).append('\n');
    s.append("Policy ")
        .append(SafeText.escape(plan.policyName()))
        .append(" (sha256 ")
        .append(plan.policyDigest(), 0, Math.min(12, plan.policyDigest().length()))
        .append(") against ")
        .append(target)
        .append("\n\n");
    for (Change c : plan.changes()) {
      ResourceKinds.render(kinds.of(c), c, text);
    }
    for (List<Finding> cause : causes(plan.findings())) {
      Finding f = cause.get(0);
      String tag =
          switch (f.severity()) {
            case CONFLICT -> text.marked(Mark.WARNING, "", "conflict   ", Colour.RED);
            case WARNING -> text.marked(Mark.WARNING, "", "warning    ");
            case UNVERIFIED -> text.marked(Mark.UNVERIFIED, "", "unverified ");
          };
      s.append(tag)
          .append(subjects(cause))
          .append(": ")
          .append(message(f, plan.target(), target))
          .append('\n');
    }
    if (!plan.findings().isEmpty()) {
      s.append('\n');
    }
    for (ExpectationResult e : plan.expectations()) {
      String state =
          switch (e.status()) {
            case MET -> text.paint("met", Colour.GREEN);
            case NOT_MET -> text.paint("NOT MET", Colour.RED);
            case UNVERIFIED -> text.paint("unverified", Colour.YELLOW);
          };
      s.append("expect ")
          .append(e.identity())
          .append(' ')
          .append(rights(e.required(), e.path()))
          .append(" on ")
          .append(e.path())
          .append(": ")
          .append(state)
          .append(" (gets ")
          .append(rights(e.granted(), e.path()))
          .append("; ")
          .append(e.decidedBy())
          .append(")\n");
    }
    if (!plan.expectations().isEmpty()) {
      s.append('\n');
    }
    s.append(summary(plan, kinds, target)).append('\n');
    Set<Mark> marks = text.marks();
    if (!marks.isEmpty()) {
      List<String> legend = new ArrayList<>();
      for (Mark m : marks) {
        legend.add(m.symbol() + " " + m.meaning());
      }
      s.append("Legend: ").append(String.join(", ", legend)).append('\n');
    }
    return s.toString();
  }

  /**
   * Findings grouped by cause (severity, message and what they are about), in order of first
   * appearance.
   */
  private static List<List<Finding>> causes(List<Finding> findings) {
    Map<List<Object>, List<Finding>> byCause = new LinkedHashMap<>();
    for (Finding f : findings) {
      byCause
          .computeIfAbsent(
              Arrays.asList(f.severity(), f.message(), f.subjectNoun()), k -> new ArrayList<>())
          .add(f);
    }
    return new ArrayList<>(byCause.values());
  }

  /** One subject as it is; several as {@code 3 user rights (A, B, C)}. */
  private static String subjects(List<Finding> cause) {
    if (cause.size() == 1) {
      return SafeText.escape(cause.get(0).subject());
    }
    String noun = cause.get(0).subjectNoun() != null ? cause.get(0).subjectNoun() : "item";
    List<String> each = new ArrayList<>();
    cause.forEach(f -> each.add(SafeText.escape(f.subject())));
    return cause.size() + " " + noun + "s (" + String.join(", ", each) + ")";
  }

  /** A finding's message, naming the target as the header does. */
  private static String message(Finding f, String described, String shown) {
    return SafeText.escape(f.message()).replace(SafeText.escape(described), shown);
  }

  /**
   * The first line: compliant, not compliant and why, or nothing checked, as the exit codes of plan
   * (0, 2, 3) and check (0, 1, 3) say; counts as in {@link #summary(Plan, ResourceKinds)}.
   */
  public static String verdict(Plan plan, ResourceKinds kinds, String target) {
    long unverified = count(plan, Finding.Severity.UNVERIFIED);
    String unsure =
        unverified == 0
            ? ""
            : "; " + unverified + " item" + (unverified == 1 ? "" : "s") + " unverified";
    if (plan.nothingChecked()) {
      return "Verdict: nothing checked: none of the policy's paths exists on " + target;
    }
    if (plan.compliant()) {
      return "Verdict: compliant" + unsure;
    }
    List<String> why = new ArrayList<>();
    int n = plan.changes().size();
    if (n > 0) {
      List<String> perKind = perKind(plan, kinds);
      why.add(
          n
              + " change"
              + (n == 1 ? "" : "s")
              + " needed"
              + (perKind.isEmpty() ? "" : " (" + String.join(", ", perKind) + ")"));
    }
    long conflicts = count(plan, Finding.Severity.CONFLICT);
    if (conflicts > 0) {
      why.add(conflicts + " conflict" + (conflicts == 1 ? "" : "s") + " to decide");
    }
    long unmet = plan.expectations().stream().filter(e -> !e.met()).count();
    if (unmet > 0) {
      why.add(unmet + " unmet expectation" + (unmet == 1 ? "" : "s"));
    }
    return "Verdict: not compliant: " + String.join("; ", why) + unsure;
  }

  public static String summary(Plan plan) {
    return summary(plan, ResourceKinds.STANDARD);
  }

  public static String summary(Plan plan, ResourceKinds kinds) {
    return summary(plan, kinds, SafeText.escape(plan.target()));
  }

  /**
   * One line: how many changes of which kind, conflicts and unverified items (not lines: a folded
   * line counts each).
   */
  public static String summary(Plan plan, ResourceKinds kinds, String target) {
    long conflicts = count(plan, Finding.Severity.CONFLICT);
    long unverified = count(plan, Finding.Severity.UNVERIFIED);
    long unmet = plan.expectations().stream().filter(e -> !e.met()).count();
    if (plan.nothingChecked()) {
      return "Nothing checked: none of the policy's paths exists on " + target + ".";
    }
    if (plan.compliant()) {
      return "Compliant: nothing to change"
          + (unverified > 0 ? " (" + unverified + " unverified)" : "")
          + ".";
    }
    List<String> perKind = perKind(plan, kinds);
    int n = plan.changes().size();
    return String.format(
        "Plan: %d change%s%s, %d conflict%s, %d unmet expectation%s, %d unverified.",
        n,
        n == 1 ? "" : "s",
        perKind.isEmpty() ? "" : " (" + String.join(", ", perKind) + ")",
        conflicts,
        conflicts == 1 ? "" : "s",
        unmet,
        unmet == 1 ? "" : "s",
        unverified);
  }

  private static long count(Plan plan, Finding.Severity severity) {
    return plan.findings().stream().filter(f -> f.severity() == severity).count();
  }

  /** Only the kinds that change something: five kinds of zero would bury the one that matters. */
  private static List<String> perKind(Plan plan, ResourceKinds kinds) {
    List<String> perKind = new ArrayList<>();
    for (ResourceKind<?, ?> k : kinds.all()) {
      int count = ResourceKinds.changesOf(k, plan.changes()).size();
      if (count > 0) {
        perKind.add(count + " " + k.noun());
      }
    }
    return perKind;
  }

  /** A key's rights by their registry names (ReadKey), a file's as icacls writes them (RX). */
  private static String rights(Rights r, String path) {
    boolean key = path.regionMatches(true, 0, "HKLM\\", 0, 5);
    return RightsText.rights(r, key ? RightsText.Names.KEY : RightsText.Names.FILE);
  }
}
