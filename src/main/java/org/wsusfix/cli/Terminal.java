package org.wsusfix.cli;

/** What the output is connected to. */
final class Terminal {
  private Terminal() {}

  /** Colour only for a person at a terminal, and never when NO_COLOR is set. */
  static boolean colour() {
    return System.console() != null
        && System.getenv("NO_COLOR") == null
        && !"dumb".equals(System.getenv("TERM"));
  }

  static boolean interactive() {
    return System.console() != null;
  }
}
