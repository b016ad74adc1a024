package org.wsusfix.resource;

/** Restores one kind's journaled before-states, counting outcomes in its {@link RestoreContext}. */
public interface Restorer<U extends UndoPayload> {
  /**
   * @param force restore even what someone else changed since (or the change in flight when an
   *     apply failed, whose read-back may show neither state)
   */
  void restore(U payload, boolean force);
}
