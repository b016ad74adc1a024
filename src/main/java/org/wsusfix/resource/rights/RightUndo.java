package org.wsusfix.resource.rights;

import java.util.List;
import org.wsusfix.resource.UndoPayload;

/** A journaled user-right change: every holder before, and every holder intended after. */
public record RightUndo(
    String right, List<RightChange.Holder> before, List<RightChange.Holder> after)
    implements UndoPayload {
  public RightUndo {
    before = List.copyOf(before);
    after = List.copyOf(after);
  }
}
