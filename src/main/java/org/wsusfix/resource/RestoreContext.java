package org.wsusfix.resource;

import java.io.PrintWriter;

/** What a {@link Restorer} gets from rollback, and where it counts what happened. */
public interface RestoreContext extends RunContext {
  /** Where "would restore", "refused" and "failed" lines go. */
  PrintWriter out();

  /** A dry run reads and says what it would do; it changes nothing. */
  boolean dryRun();

  void restored();

  /** Already at its before-state. */
  void skipped();

  /** Someone else changed it since: left alone. */
  void refused(String problem);

  void failed(String problem);

  /** Items of {@link ResourceKind#restoreUnits} handled, for the progress line. */
  void handled(long units);
}
