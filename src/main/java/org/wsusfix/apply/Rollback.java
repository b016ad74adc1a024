package org.wsusfix.apply;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.wsusfix.plan.Descriptors;
import org.wsusfix.plan.WalkProgress;
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;
import org.wsusfix.machine.AuditLog;
import org.wsusfix.machine.HeldDescriptors;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.TargetException;

/**
 * Restores the before-states an undo journal recorded, newest change first. A path whose live
 * DACL is the recorded after-state is restored; one already at its before-state is skipped; any
 * other state means someone changed it since, and it is left alone unless forced.
 */
public final class Rollback {
  private final Target target;
  private final PrintWriter out;
  private final AuditLog audit;
  private WalkProgress progress = WalkProgress.NONE;
  private long pathsDone;
  private long pathsTotal;

  public Rollback(Target target, PrintWriter out) {
    this.target = target;
    this.out = out;
    this.audit = AuditLog.of(target);
  }

  /** Reports how many journaled paths have been handled, for a progress line. */
  public Rollback withProgress(WalkProgress progress) {
    this.progress = progress;
    return this;
  }

  /** Counts per outcome, and one line per refusal or failure. */
  public record Result(int restored, int skipped, int refused, int failed, boolean finishedRun, List<String> problems) {
    public boolean complete() {
      return refused == 0 && failed == 0;
    }

    public String summary() {
      return String.format("rollback: %d restored, %d already as before, %d refused, %d failed%s", restored,
          skipped, refused, failed, finishedRun ? "" : " (the journal has no end record: that run did not finish)");
    }
  }

  private int restored;
  private int skipped;
  private int refused;
  private int failed;
  private final List<String> problems = new ArrayList<>();

  /** Runs over verified journal records (see {@link UndoJournal#read}). */
  public Result run(List<JsonNode> records, boolean force, boolean dryRun) {
    return run(records, force, dryRun, 0);
  }

  /**
   * As {@link #run(List, boolean, boolean)}, restoring the paths of intent {@code forcedIntent}
   * (its sequence number; 0 for none) even when their state is unexpected: the executor passes
   * the change it was making when it failed, whose read-back may show neither state.
   */
  Result run(List<JsonNode> records, boolean force, boolean dryRun, int forcedIntent) {
    Sid domain = records.get(0).hasNonNull("domainSid") ? Sid.parse(records.get(0).get("domainSid").asText()) : null;
    boolean finished = records.stream().anyMatch(r -> "end".equals(r.path("type").asText()));
    for (JsonNode r : records) {
      pathsTotal += r.path("entries").size() + r.path("descendants").size();
    }
    try {
      return restoreAll(records, domain, finished, force, dryRun, forcedIntent);
    } finally {
      progress.finished();
    }
  }

  private Result restoreAll(List<JsonNode> records, Sid domain, boolean finished, boolean force, boolean dryRun,
      int forcedIntent) {
    for (int i = records.size() - 1; i >= 0; i--) {
      JsonNode r = records.get(i);
      if (!"intent".equals(r.path("type").asText())) {
        continue;
      }
      String kind = r.path("kind").asText();
      boolean forceThis = force || r.path("seq").asInt() == forcedIntent;
      if (kind.equals("dacl")) {
        JsonNode entries = r.path("entries");
        List<JsonNode> todo = new ArrayList<>();
        for (int k = entries.size() - 1; k >= 0; k--) {
          todo.add(entries.get(k));
        }
        r.path("descendants").forEach(todo::add);
        // A target that propagates changes descendants with each restore: one path at a time.
        int size = target.propagatesBySelf() ? 1 : Executor.BATCH;
        for (int from = 0; from < todo.size(); from += size) {
          List<JsonNode> batch = todo.subList(from, Math.min(todo.size(), from + size));
          restoreBatch(batch, domain, forceThis, dryRun);
          pathsDone += batch.size();
          progress.walked("journaled paths handled", pathsDone, pathsTotal);
        }
      } else if (kind.equals("add-member") || kind.equals("remove-member")) {
        attempt(() -> restoreMembership(r, kind.equals("add-member"), dryRun));
      } else {
        throw new JournalException("journal line " + r.path("seq") + ": unknown change kind '" + kind + "'");
      }
    }
    out.flush();
    return new Result(restored, skipped, refused, failed, finished, problems);
  }

  private void attempt(Runnable restore) {
    try {
      restore.run();
    } catch (TargetException e) {
      fail(e);
    }
  }

  /**
   * Restores a batch of journaled paths: one whose live DACL is the recorded after-state is
   * restored, one already at its before-state is skipped, any other is refused unless forced.
   * The paths are read on handles held until the write ({@link Target#hold}); a dry run only
   * reads. When the batch cannot be read as a whole (a path is gone), its paths go one at a
   * time, so each failure names only itself and the others are still restored.
   */
  private void restoreBatch(List<JsonNode> batch, Sid domain, boolean force, boolean dryRun) {
    List<String> paths = new ArrayList<>(batch.size());
    batch.forEach(e -> paths.add(e.path("path").asText()));
    HeldDescriptors held;
    try {
      held = dryRun ? HeldDescriptors.readNow(target, paths) : target.hold(paths);
    } catch (TargetException e) {
      if (batch.size() == 1) {
        fail(e);
      } else {
        batch.forEach(entry -> restoreBatch(List.of(entry), domain, force, dryRun));
      }
      return;
    }
    try (held) {
      Map<Integer, SecurityDescriptor> writes = new LinkedHashMap<>();
      List<SecurityDescriptor> befores = new ArrayList<>(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        JsonNode entry = batch.get(i);
        String path = paths.get(i);
        SecurityDescriptor before = Descriptors.parse(entry.path("before").asText(), domain);
        SecurityDescriptor after = Descriptors.parse(entry.path("after").asText(), domain);
        befores.add(before);
        SecurityDescriptor live = held.descriptors().get(i);
        if (DaclWrites.sameDacl(live, before)) {
          skipped++;
        } else if (!DaclWrites.sameDacl(live, after) && !force) {
          refuse(path, live, domain);
        } else if (dryRun) {
          restored++;
          out.println("  would restore " + path);
        } else {
          writes.put(i, DaclWrites.forWrite(before));
        }
      }
      if (writes.isEmpty()) {
        return;
      }
      Map<Integer, HeldDescriptors.Written> written = held.writeAndRelease(writes);
      for (Map.Entry<Integer, HeldDescriptors.Written> w : written.entrySet()) {
        int i = w.getKey();
        String path = paths.get(i);
        if (w.getValue().failure() != null) {
          fail(w.getValue().failure());
        } else if (!DaclWrites.sameDacl(w.getValue().readBack(), befores.get(i))) {
          fail(new TargetException(path + ": read back after restoring differs from the recorded before-state"));
        } else {
          restored++;
          audit.record(AuditLog.Kind.ROLLED_BACK, "wsusfix restored the DACL of " + path + "\nNow: "
              + batch.get(i).path("before").asText() + "\nWas: " + Descriptors.sddl(held.descriptors().get(i), domain));
        }
      }
    }
  }

  private void refuse(String path, SecurityDescriptor live, Sid domain) {
    refused++;
    String msg = path + ": changed by someone else since (neither the recorded after- nor before-state);"
        + " left alone (--force restores it anyway). Now: " + Descriptors.sddl(live, domain);
    problems.add(msg);
    out.println("  refused: " + msg);
  }

  private void fail(TargetException e) {
    failed++;
    problems.add(e.getMessage());
    out.println("  failed: " + e.getMessage());
  }

  private void restoreMembership(JsonNode r, boolean wasAdd, boolean dryRun) {
    Sid group = Sid.parse(r.path("group").asText());
    Sid member = Sid.parse(r.path("member").asText());
    String what = r.path("memberName").asText() + " in " + r.path("groupName").asText();
    Set<Sid> members = target.groupMembers(group)
        .orElseThrow(() -> new TargetException("members of " + r.path("groupName").asText() + " cannot be read"));
    if (members.contains(member) != wasAdd) {
      skipped++;
      return;
    }
    if (dryRun) {
      restored++;
      out.println("  would " + (wasAdd ? "remove " : "add back ") + what);
      return;
    }
    if (wasAdd) {
      target.removeGroupMember(group, member);
    } else {
      target.addGroupMember(group, member);
    }
    // Checked like a DACL restore: exit 0 must mean the member really is back where it was.
    if (target.groupMembers(group).orElse(Set.of()).contains(member) == wasAdd) {
      throw new TargetException(what + ": membership did not change back as asked");
    }
    restored++;
    audit.record(AuditLog.Kind.ROLLED_BACK, "wsusfix " + (wasAdd ? "removed " : "added back ") + r.path("memberName").asText()
        + " (" + member + ")" + (wasAdd ? " from " : " to ") + r.path("groupName").asText() + " (" + group + ")");
  }
}
