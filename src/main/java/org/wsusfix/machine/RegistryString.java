package org.wsusfix.machine;

import java.nio.charset.StandardCharsets;

/** Registry string values as the registry stores them: UTF-16LE, usually ending in NUL. */
public final class RegistryString {
  public static final int REG_SZ = 1;
  public static final int REG_EXPAND_SZ = 2;

  /** Longest value read; a folder path is far shorter, a larger value is not one. */
  public static final int MAX_BYTES = 65_536;

  private RegistryString() {}

  /**
   * The text of a REG_SZ or REG_EXPAND_SZ value: everything before the first NUL, since writers are
   * free to leave the terminator out or put garbage after it.
   *
   * @throws TargetException when the value has another type or an odd length
   */
  public static String decode(String key, String name, int type, byte[] data, int length) {
    if (type != REG_SZ && type != REG_EXPAND_SZ) {
      throw new TargetException(
          key + "\\" + name + ": value of type " + type + ", not a string (REG_SZ)");
    }
    if (length % 2 != 0 || length > data.length) {
      throw new TargetException(
          key + "\\" + name + ": string value of " + length + " bytes is malformed");
    }
    String text = new String(data, 0, length, StandardCharsets.UTF_16LE);
    int nul = text.indexOf('\0');
    return nul < 0 ? text : text.substring(0, nul);
  }
}
