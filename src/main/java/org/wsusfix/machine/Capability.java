package org.wsusfix.machine;

/** What a target can do with one kind of setting. */
public enum Capability {
  /** The target holds no such data (an offline snapshot has no groups). */
  NONE,
  READ,
  READ_WRITE;

  public boolean canRead() {
    return this != NONE;
  }

  public boolean canWrite() {
    return this == READ_WRITE;
  }
}
