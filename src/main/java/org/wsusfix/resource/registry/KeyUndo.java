package org.wsusfix.resource.registry;

import java.util.List;
import org.wsusfix.resource.UndoPayload;

/**
 * A journaled key DACL change: the keys written (the planned one, or a batch of subkeys wsusfix
 * re-inherited itself) and, on a target that propagates by itself, the subkeys it was about to
 * rewrite.
 *
 * @param inherited the entries are subkeys rewritten by propagation, not planned keys
 */
public record KeyUndo(List<Entry> entries, List<Entry> subkeys, boolean inherited)
    implements UndoPayload {
  public KeyUndo {
    entries = List.copyOf(entries);
    subkeys = List.copyOf(subkeys);
  }

  /**
   * One key: its descriptor before and after, in canonical SDDL, and the before-descriptor's
   * self-relative bytes in hex (SDDL loses the ACL revision, which a server that stores what it is
   * sent would then change); null in a journal that lacks them.
   */
  public record Entry(String key, String before, String after, String beforeBinary) {}
}
