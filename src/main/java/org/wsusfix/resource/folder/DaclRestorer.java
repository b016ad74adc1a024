package org.wsusfix.resource.folder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.wsusfix.machine.AuditLog;
import org.wsusfix.machine.DaclWriter;
import org.wsusfix.machine.HeldDescriptors;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.TargetException;
import org.wsusfix.resource.RestoreContext;
import org.wsusfix.resource.Restorer;
import org.wsusfix.security.Sddl;
import org.wsusfix.security.SecurityDescriptor;

/**
 * Restores journaled DACLs. A path whose live DACL is the recorded after-state is restored; one
 * already at its before-state is skipped; any other state means someone changed it since, and it is
 * left alone unless forced.
 */
final class DaclRestorer implements Restorer<DaclUndo> {
  private final RestoreContext context;
  private final Target target;

  /** Null in a dry run or on a read-only target: then nothing is written. */
  private final DaclWriter writer;

  DaclRestorer(RestoreContext context) {
    this.context = context;
    this.target = context.target();
    this.writer = context.dryRun() ? null : target.daclWriter().orElse(null);
  }

  @Override
  public void restore(DaclUndo undo, boolean force) {
    List<DaclUndo.Entry> todo = new ArrayList<>();
    for (int k = undo.entries().size() - 1; k >= 0; k--) {
      todo.add(undo.entries().get(k));
    }
    todo.addAll(undo.descendants());
    // A target that propagates changes descendants with each restore: one path at a time.
    int size = target.propagatesBySelf() ? 1 : DaclApplier.WINDOW;
    for (int from = 0; from < todo.size(); from += size) {
      List<DaclUndo.Entry> batch = todo.subList(from, Math.min(todo.size(), from + size));
      restoreBatch(batch, force);
      context.handled(batch.size());
    }
  }

  /**
   * Restores a batch of journaled paths, read on handles held until the write ({@link
   * DaclWriter#hold}); a dry run only reads. When the batch cannot be read as a whole (a path is
   * gone), its paths go one at a time, so each failure names only itself and the others are still
   * restored.
   */
  private void restoreBatch(List<DaclUndo.Entry> batch, boolean force) {
    List<String> paths = new ArrayList<>(batch.size());
    batch.forEach(e -> paths.add(e.path()));
    HeldDescriptors held;
    try {
      if (writer == null && !context.dryRun()) {
        throw new TargetException(target.readOnlyReason());
      }
      held = writer == null ? HeldDescriptors.readNow(target, null, paths) : writer.hold(paths);
    } catch (TargetException e) {
      if (batch.size() == 1) {
        context.failed(e.getMessage());
      } else {
        batch.forEach(entry -> restoreBatch(List.of(entry), force));
      }
      return;
    }
    try (held) {
      Map<Integer, SecurityDescriptor> writes = new LinkedHashMap<>();
      List<SecurityDescriptor> befores = new ArrayList<>(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        DaclUndo.Entry entry = batch.get(i);
        SecurityDescriptor before = Sddl.parse(entry.before(), context.domain());
        SecurityDescriptor after = Sddl.parse(entry.after(), context.domain());
        befores.add(before);
        SecurityDescriptor live = held.descriptors().get(i);
        if (DaclWrites.sameDacl(live, before)) {
          context.skipped();
        } else if (!DaclWrites.sameDacl(live, after) && !force) {
          context.refused(
              entry.path()
                  + ": changed by someone else since (neither the recorded after- nor"
                  + " before-state); left alone (--force restores it anyway). Now: "
                  + Sddl.format(live, context.domain()));
        } else if (context.dryRun()) {
          context.restored();
          context.out().println("  would restore " + entry.path());
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
          context.failed(w.getValue().failure().getMessage());
        } else if (!DaclWrites.sameDacl(w.getValue().readBack(), befores.get(i))) {
          context.failed(
              path + ": read back after restoring differs from the recorded before-state");
        } else {
          context.restored();
          context
              .audit()
              .record(
                  AuditLog.Kind.ROLLED_BACK,
                  "wsusfix restored the DACL of "
                      + path
                      + "\nNow: "
                      + batch.get(i).before()
                      + "\nWas: "
                      + Sddl.format(held.descriptors().get(i), context.domain()));
        }
      }
    }
  }
}
