package org.wsusfix.cli;

import java.io.PrintStream;
import org.wsusfix.resource.WalkProgress;

/**
 * One line on standard error, rewritten in place while a long walk runs, then erased: a bar with a
 * percentage when the total is known, a running count when it is not. Redrawn at most ten times a
 * second, and never when standard error is not a terminal (logs stay clean).
 */
final class ProgressLine implements WalkProgress {
  private static final long EVERY_NANOS = 100_000_000L;
  private static final int BAR = 24;
  private final PrintStream err;
  private final long everyNanos;
  private long last;
  private int shown;

  ProgressLine(PrintStream err, long everyNanos) {
    this.err = err;
    this.everyNanos = everyNanos;
    this.last = System.nanoTime() - everyNanos;
  }

  /** A progress line on standard error for a person at a terminal; otherwise nothing. */
  static WalkProgress forTerminal() {
    return Terminal.interactive() ? new ProgressLine(System.err, EVERY_NANOS) : WalkProgress.NONE;
  }

  @Override
  public void walked(String what, long done, long total) {
    long now = System.nanoTime();
    if (now - last < everyNanos) {
      return;
    }
    last = now;
    draw(render(what, done, total));
  }

  @Override
  public void finished() {
    if (shown > 0) {
      err.print("\r" + " ".repeat(shown) + "\r");
      err.flush();
      shown = 0;
    }
  }

  static String render(String what, long done, long total) {
    if (total <= 0) {
      return String.format("%s: %,d so far", what, done);
    }
    long d = Math.min(done, total);
    int filled = (int) (BAR * d / total);
    return String.format(
        "[%s%s] %3d%% %,d of %,d %s",
        "#".repeat(filled), "-".repeat(BAR - filled), 100 * d / total, d, total, what);
  }

  private void draw(String text) {
    String line = text.length() > 100 ? text.substring(0, 97) + "..." : text;
    int pad = Math.max(0, shown - line.length());
    err.print("\r" + line + " ".repeat(pad));
    err.flush();
    shown = line.length();
  }
}
