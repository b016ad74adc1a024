package org.wsusfix.resource;

/**
 * Hears how far a walk below a changed folder has got, for a progress line on a terminal. Called on
 * the walking thread after each batch of descendants.
 */
public interface WalkProgress {
  WalkProgress NONE =
      new WalkProgress() {
        @Override
        public void walked(String what, long done, long total) {}

        @Override
        public void finished() {}
      };

  /**
   * @param what what is counted, as the line shows it after the numbers: "below C:\\Data"
   * @param done how many are handled so far (read when counting, rewritten when applying)
   * @param total how many there are to handle, or -1 when not known ahead
   */
  void walked(String what, long done, long total);

  /** The walk is over: a progress line should go. */
  void finished();
}
