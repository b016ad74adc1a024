package org.wsusfix.security;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Access rights on registry keys by the names administrators know: .NET's RegistryRights ({@code
 * ReadKey}, {@code FullControl}, ...), SDDL's {@code KR KW KX KA}, or a mask. A key's generic
 * rights mean {@link AccessMask#REGISTRY_MAPPING}, not the file meanings.
 */
public final class KeyRights {
  private KeyRights() {}

  private static final Map<String, Integer> NAMED = new LinkedHashMap<>();

  static {
    NAMED.put("FullControl", AccessMask.KEY_ALL_ACCESS);
    NAMED.put("ReadKey", AccessMask.KEY_READ);
    NAMED.put("WriteKey", AccessMask.KEY_WRITE);
    NAMED.put("ExecuteKey", AccessMask.KEY_EXECUTE);
    NAMED.put("QueryValues", AccessMask.KEY_QUERY_VALUE);
    NAMED.put("SetValue", AccessMask.KEY_SET_VALUE);
    NAMED.put("CreateSubKey", AccessMask.KEY_CREATE_SUB_KEY);
    NAMED.put("EnumerateSubKeys", AccessMask.KEY_ENUMERATE_SUB_KEYS);
    NAMED.put("Notify", AccessMask.KEY_NOTIFY);
    NAMED.put("CreateLink", AccessMask.KEY_CREATE_LINK);
    NAMED.put("Delete", AccessMask.DELETE);
    NAMED.put("ReadPermissions", AccessMask.READ_CONTROL);
    NAMED.put("ChangePermissions", AccessMask.WRITE_DAC);
    NAMED.put("TakeOwnership", AccessMask.WRITE_OWNER);
  }

  /** SDDL's registry letters. */
  private static final Map<String, Integer> LETTERS =
      Map.of(
          "KA",
          AccessMask.KEY_ALL_ACCESS,
          "KR",
          AccessMask.KEY_READ,
          "KW",
          AccessMask.KEY_WRITE,
          "KX",
          AccessMask.KEY_EXECUTE);

  /** Every bit that means something on a key (generic bits are mapped away before this). */
  public static final int VALID = AccessMask.KEY_ALL_ACCESS | AccessMask.SYNCHRONIZE;

  public static Map<String, Integer> namedSets() {
    return Collections.unmodifiableMap(NAMED);
  }

  /** Every spelling {@link #parse} accepts by name, in a stable order. */
  public static List<String> names() {
    List<String> out = new ArrayList<>(NAMED.keySet());
    out.addAll(List.of("KA", "KR", "KW", "KX"));
    return out;
  }

  /** A named set or SDDL letter pair (case-insensitive), or a number; generic bits are mapped. */
  public static Optional<Integer> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.trim();
    for (Map.Entry<String, Integer> e : NAMED.entrySet()) {
      if (e.getKey().equalsIgnoreCase(t)) {
        return Optional.of(e.getValue());
      }
    }
    Integer letters = LETTERS.get(t.toUpperCase(Locale.ROOT));
    if (letters != null) {
      return Optional.of(letters);
    }
    try {
      if (t.startsWith("0x") || t.startsWith("0X")) {
        long v = Long.parseLong(t.substring(2), 16);
        return v <= 0xFFFFFFFFL
            ? Optional.of(AccessMask.REGISTRY_MAPPING.map((int) v))
            : Optional.empty();
      }
      if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
        long v = Long.parseLong(t);
        return v <= 0xFFFFFFFFL
            ? Optional.of(AccessMask.REGISTRY_MAPPING.map((int) v))
            : Optional.empty();
      }
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** For people: {@code FullControl}, {@code ReadKey}, else the names of the bits, else hex. */
  public static String describe(int mask) {
    if (mask == 0) {
      return "none";
    }
    int m = AccessMask.REGISTRY_MAPPING.map(mask) & ~AccessMask.SYNCHRONIZE;
    if ((m & AccessMask.KEY_ALL_ACCESS) == AccessMask.KEY_ALL_ACCESS) {
      return "FullControl" + rest(m & ~AccessMask.KEY_ALL_ACCESS);
    }
    List<String> parts = new ArrayList<>();
    int rest = m;
    if ((rest & AccessMask.KEY_READ) == AccessMask.KEY_READ) {
      parts.add("ReadKey");
      rest &= ~AccessMask.KEY_READ;
    }
    if ((rest & AccessMask.KEY_WRITE) == (AccessMask.KEY_WRITE & ~AccessMask.READ_CONTROL)
        && (m & AccessMask.KEY_WRITE) == AccessMask.KEY_WRITE) {
      parts.add("WriteKey");
      rest &= ~AccessMask.KEY_WRITE;
    }
    for (Map.Entry<String, Integer> e : NAMED.entrySet()) {
      int bit = e.getValue();
      if (Integer.bitCount(bit) == 1 && (rest & bit) != 0) {
        parts.add(e.getKey());
        rest &= ~bit;
      }
    }
    if (rest != 0) {
      parts.add(AccessMask.hex(rest));
    }
    return String.join(",", parts);
  }

  private static String rest(int bits) {
    return bits == 0 ? "" : "," + AccessMask.hex(bits);
  }

  /**
   * Whether {@code granted} includes every right of {@code required}, generic bits mapped for keys.
   */
  public static boolean covers(int granted, int required) {
    return AccessMask.covers(
        AccessMask.REGISTRY_MAPPING.map(granted), AccessMask.REGISTRY_MAPPING.map(required));
  }
}
