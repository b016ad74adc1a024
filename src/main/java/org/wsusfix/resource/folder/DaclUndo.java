package org.wsusfix.resource.folder;

import java.util.List;
import org.wsusfix.resource.UndoPayload;

/**
 * A journaled DACL change: the paths written (the planned one, or a batch of descendants that
 * wsusfix re-inherited itself) and, for a target that propagates by itself, the descendants it was
 * about to rewrite.
 *
 * @param inherited the entries are descendants rewritten by propagation, not planned paths
 */
public record DaclUndo(List<Entry> entries, List<Entry> descendants, boolean inherited)
    implements UndoPayload {
  public DaclUndo {
    entries = List.copyOf(entries);
    descendants = List.copyOf(descendants);
  }

  /** One path: its descriptor before and after, in canonical SDDL. */
  public record Entry(String path, boolean container, String before, String after) {}
}
