package org.wsusfix.diagnose.procmon;

import java.util.function.Consumer;

/**
 * A consumer of events that also takes a run of equal events in one call. Captures repeat the same
 * denial thousands of times; a reader that recognises a repeated row hands it over once with its
 * count instead of building and delivering every copy.
 */
public interface CountedSink extends Consumer<ProcmonEvent> {
  /** Takes {@code times} events equal to {@code e}, in no particular order with other calls. */
  void accept(ProcmonEvent e, long times);

  @Override
  default void accept(ProcmonEvent e) {
    accept(e, 1);
  }
}
