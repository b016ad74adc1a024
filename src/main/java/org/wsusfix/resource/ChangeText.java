package org.wsusfix.resource;

import java.util.function.Function;
import org.wsusfix.security.Sid;

/** Where a kind renders its changes for people, with names and colours of the plan text. */
public final class ChangeText {
  public enum Colour {
    RED("\u001b[31m"), GREEN("\u001b[32m"), YELLOW("\u001b[33m");

    private final String code;

    Colour(String code) {
      this.code = code;
    }
  }

  private final StringBuilder out;
  private final Function<Sid, String> names;
  private final Sid domain;
  private final boolean colour;

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
}
