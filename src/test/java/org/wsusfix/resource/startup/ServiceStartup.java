package org.wsusfix.resource.startup;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.wsusfix.machine.Capability;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.TargetException;
import org.wsusfix.policy.Policy;
import org.wsusfix.resource.Applier;
import org.wsusfix.resource.ApplyContext;
import org.wsusfix.resource.Change;
import org.wsusfix.resource.ChangeText;
import org.wsusfix.resource.DriftException;
import org.wsusfix.resource.Fields;
import org.wsusfix.resource.Finding;
import org.wsusfix.resource.PlanContext;
import org.wsusfix.resource.ResourceKind;
import org.wsusfix.resource.RestoreContext;
import org.wsusfix.resource.Restorer;
import org.wsusfix.resource.UndoPayload;

/**
 * A third resource kind that exists only in tests: the start mode of Windows services. It proves
 * that a kind plugs into the generic planner, executor, journal and rollback without touching them.
 */
final class ServiceStartup
    implements ResourceKind<ServiceStartup.StartupChange, ServiceStartup.StartupUndo> {
  /** Where a target keeps service start modes; a target declares the kind by implementing it. */
  interface Services {
    Map<String, String> startModes();

    /** Null when the target can read start modes but not change them. */
    default Writer writer() {
      return null;
    }

    interface Writer {
      void setStartMode(String service, String mode);
    }
  }

  record StartupChange(String service, String before, String after, List<String> reasons)
      implements Change {
    @Override
    public String kind() {
      return "start-mode";
    }
  }

  record StartupUndo(String service, String before, String after) implements UndoPayload {}

  private final Map<String, String> wanted;

  /** A real kind reads its wants from the policy; this one is given them. */
  ServiceStartup(Map<String, String> wanted) {
    this.wanted = Map.copyOf(wanted);
  }

  @Override
  public String name() {
    return "startup";
  }

  @Override
  public String noun() {
    return "start mode";
  }

  @Override
  public Class<StartupChange> changeType() {
    return StartupChange.class;
  }

  @Override
  public Class<StartupUndo> payloadType() {
    return StartupUndo.class;
  }

  @Override
  public Capability capability(Target target) {
    if (!(target instanceof Services s)) {
      return Capability.NONE;
    }
    return s.writer() != null ? Capability.READ_WRITE : Capability.READ;
  }

  @Override
  public void plan(Policy policy, PlanContext context) {
    context.asked();
    if (!(context.target() instanceof Services s)) {
      context.add(
          new Finding(Finding.Severity.UNVERIFIED, "services", "start modes cannot be read here"));
      return;
    }
    context.checked();
    new java.util.TreeMap<>(wanted)
        .forEach(
            (service, mode) -> {
              String now = s.startModes().get(service);
              if (!mode.equals(now)) {
                context.add(
                    new StartupChange(
                        service, now, mode, List.of(service + " must start " + mode)));
              }
            });
  }

  @Override
  public List<String> changeKinds() {
    return List.of("start-mode");
  }

  @Override
  public void writeChange(StartupChange c, ObjectNode out) {
    out.put("service", c.service());
    out.put("before", c.before());
    out.put("after", c.after());
  }

  @Override
  public StartupChange readChange(String kind, Fields in, List<String> reasons) {
    return new StartupChange(in.text("service"), in.text("before"), in.text("after"), reasons);
  }

  @Override
  public void render(StartupChange c, ChangeText text) {
    text.mark(ChangeText.Mark.CHANGED)
        .append("service ")
        .append(c.service())
        .append(": ")
        .append(c.before())
        .append(" -> ")
        .append(c.after())
        .append("\n\n");
  }

  @Override
  public void writePayload(StartupUndo u, ObjectNode out) {
    out.put("service", u.service());
    out.put("before", u.before());
    out.put("after", u.after());
  }

  @Override
  public StartupUndo readPayload(Fields in) {
    return new StartupUndo(in.text("service"), in.text("before"), in.text("after"));
  }

  @Override
  public StartupUndo readFormat1(String kind, Fields in) {
    throw in.problem("kind", "start modes were not journaled in format 1");
  }

  @Override
  public List<String> writeProblems(Target target, List<StartupChange> changes) {
    return List.of();
  }

  @Override
  public List<String> restoreProblems(Target target, List<StartupUndo> payloads) {
    return List.of();
  }

  @Override
  public Applier<StartupChange> applier(ApplyContext context, List<StartupChange> planned) {
    Services s = (Services) context.target();
    return c -> {
      String now = s.startModes().get(c.service());
      if (!c.before().equals(now)) {
        throw new DriftException(c.service() + ": start mode changed since the plan was made");
      }
      int seq = context.intent(this, new StartupUndo(c.service(), c.before(), c.after()));
      s.writer().setStartMode(c.service(), c.after());
      if (!c.after().equals(s.startModes().get(c.service()))) {
        throw new TargetException(c.service() + ": start mode read back differs");
      }
      context.done(seq);
    };
  }

  @Override
  public Restorer<StartupUndo> restorer(RestoreContext context) {
    Services s = (Services) context.target();
    return (u, force) -> {
      String now = s.startModes().get(u.service());
      if (u.before().equals(now)) {
        context.skipped();
      } else if (!u.after().equals(now) && !force) {
        context.refused(u.service() + ": changed by someone else since");
      } else if (context.dryRun()) {
        context.restored();
      } else {
        s.writer().setStartMode(u.service(), u.before());
        context.restored();
      }
      context.handled(1);
    };
  }

  @Override
  public long restoreUnits(StartupUndo payload) {
    return 1;
  }
}
