package org.wsusfix.resource;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;
import org.wsusfix.security.Sid;

/**
 * Where a kind renders its changes for people, with names and colours of the plan text. Lines start
 * with a {@link Mark} through {@link #mark} or {@link #marked}, so the plan's legend can list
 * exactly the marks it used.
 */
public final class ChangeText {
  public enum Colour {
    RED("\u001b[31m"),
    GREEN("\u001b[32m"),
    YELLOW("\u001b[33m");

    private final String code;

    Colour(String code) {
      this.code = code;
    }
  }

  /** The marks at the start of a plan's lines, in the order the legend lists them. */
  public enum Mark {
    CHANGED("~", "changed", Colour.YELLOW),
    ADDED("+", "added", Colour.GREEN),
    REMOVED("-", "removed", Colour.RED),
    UNVERIFIED("?", "unverified", Colour.YELLOW),
    WARNING("!", "warning or conflict", Colour.YELLOW);

    private final String symbol;
    private final String meaning;
    private final Colour colour;

    Mark(String symbol, String meaning, Colour colour) {
      this.symbol = symbol;
      this.meaning = meaning;
      this.colour = colour;
    }

    public String symbol() {
      return symbol;
    }

    public String meaning() {
      return meaning;
    }
  }

  private final StringBuilder out;
  private final Function<Sid, String> names;
  private final Sid domain;
  private final boolean colour;
  private final Set<Mark> used = EnumSet.noneOf(Mark.class);

  public ChangeText(StringBuilder out, Function<Sid, String> names, Sid domain, boolean colour) {
    this.out = out;
    this.names = names;
    this.domain = domain;
    this.colour = colour;
  }

  public String name(Sid sid) {
    return names.apply(sid);
  }

  public Function<Sid, String> names() {
    return names;
  }

  public Sid domain() {
    return domain;
  }

  public ChangeText append(String text) {
    out.append(text);
    return this;
  }

  public ChangeText append(String text, Colour c) {
    out.append(paint(text, c));
    return this;
  }

  public String paint(String text, Colour c) {
    return colour ? c.code + text + "\u001b[0m" : text;
  }

  /** Appends the mark and a space, in its colour: {@code ~ } before a changed path. */
  public ChangeText mark(Mark m) {
    used.add(m);
    return append(m.symbol + " ", m.colour);
  }

  /**
   * A whole line's text after its indent and mark, all in the mark's colour: {@code + allow ...}.
   */
  public String marked(Mark m, String indent, String text) {
    used.add(m);
    return paint(indent + m.symbol + " " + text, m.colour);
  }

  /** As {@link #marked(Mark, String, String)}, in another colour (a conflict's red). */
  public String marked(Mark m, String indent, String text, Colour c) {
    used.add(m);
    return paint(indent + m.symbol + " " + text, c);
  }

  /** The marks written so far. */
  public Set<Mark> marks() {
    return EnumSet.copyOf(used);
  }
}
