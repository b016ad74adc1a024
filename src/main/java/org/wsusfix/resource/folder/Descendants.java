package org.wsusfix.resource.folder;

/** How many descendants a DACL change re-inherits into, or why that is not known. */
public sealed interface Descendants {
  /** Counted by walking the tree (0 for a file, or when nothing below changes). */
  record Counted(long count) implements Descendants {
    public Counted {
      if (count < 0) {
        throw new IllegalArgumentException("a descendant count cannot be negative");
      }
    }
  }

  /** The target cannot list the tree (a snapshot saved without /t). */
  record NotWalkable() implements Descendants {}

  /** Not walked ahead: an unattended apply counts while it writes. */
  record NotCounted() implements Descendants {}

  static Descendants counted(long n) {
    return new Counted(n);
  }

  /** The plan file's number: the count, -1 for {@link NotWalkable}, -2 for {@link NotCounted}. */
  default long planFileValue() {
    if (this instanceof Counted c) {
      return c.count();
    }
    return this instanceof NotWalkable ? -1 : -2;
  }

  static Descendants fromPlanFile(long value) {
    return value == -1 ? new NotWalkable() : value == -2 ? new NotCounted() : new Counted(value);
  }
}
