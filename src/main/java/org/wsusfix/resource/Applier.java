package org.wsusfix.resource;

import java.io.IOException;

/** Makes one kind's changes: journal the intent, change, read back and verify, journal done. */
public interface Applier<C extends Change> {
  /**
   * @throws DriftException when the live state is not the plan's before-state
   * @throws IOException when the journal cannot be written (nothing more may change)
   */
  void apply(C change) throws IOException;
}
