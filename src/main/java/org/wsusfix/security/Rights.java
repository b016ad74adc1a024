package org.wsusfix.security;

/**
 * An access mask as a value: what a grant asks for, what an access check grants. Its own type so
 * that it cannot be passed where inheritance flags are expected.
 */
public record Rights(int mask) {
  public static final Rights NONE = new Rights(0);

  public static Rights of(int mask) {
    return mask == 0 ? NONE : new Rights(mask);
  }

  public boolean isNone() {
    return mask == 0;
  }

  /**
   * Whether these rights include every right of {@code required}, generic rights mapped for files.
   */
  public boolean covers(Rights required) {
    return AccessMask.covers(
        AccessMask.FILE_MAPPING.map(mask), AccessMask.FILE_MAPPING.map(required.mask));
  }

  /** As icacls writes it: {@code RX}, {@code M}, {@code (RD,WD)}. */
  public String icacls() {
    return AccessMask.icacls(mask);
  }

  /** {@code 0x1200a9}, the form plans store. */
  public String hex() {
    return AccessMask.hex(mask);
  }

  @Override
  public String toString() {
    return icacls();
  }
}
