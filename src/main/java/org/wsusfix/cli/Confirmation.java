package org.wsusfix.cli;

import java.io.PrintWriter;

/** The explicit "type yes" step before anything on a target changes. */
final class Confirmation {
  private Confirmation() {}

  /**
   * Asks on the terminal; refuses when there is none (a script must say --yes) and when the answer
   * is anything but {@code yes}.
   *
   * @param verb what --yes would skip, for the refusal message: "apply", "roll back"
   */
  static void require(PrintWriter out, String question, String verb) {
    if (System.console() == null) {
      throw new UserError(
          "refused: no terminal to confirm on; pass --yes to " + verb + " without asking");
    }
    out.print(question + " Type yes to continue: ");
    out.flush();
    String answer = System.console().readLine();
    if (answer == null || !answer.trim().equals("yes")) {
      throw new UserError("not confirmed: nothing was changed");
    }
  }
}
