package org.wsusfix.security;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Access-mask bits for files and folders, the file generic mapping, and the named sets that
 * administrators know from icacls and Explorer.
 */
public final class AccessMask {
  private AccessMask() {}

  public static final int FILE_READ_DATA = 0x1; // LIST_DIRECTORY on folders
  public static final int FILE_WRITE_DATA = 0x2; // ADD_FILE
  public static final int FILE_APPEND_DATA = 0x4; // ADD_SUBDIRECTORY
  public static final int FILE_READ_EA = 0x8;
  public static final int FILE_WRITE_EA = 0x10;
  public static final int FILE_EXECUTE = 0x20; // TRAVERSE
  public static final int FILE_DELETE_CHILD = 0x40;
  public static final int FILE_READ_ATTRIBUTES = 0x80;
  public static final int FILE_WRITE_ATTRIBUTES = 0x100;
  public static final int DELETE = 0x10000;
  public static final int READ_CONTROL = 0x20000;
  public static final int WRITE_DAC = 0x40000;
  public static final int WRITE_OWNER = 0x80000;
  public static final int SYNCHRONIZE = 0x100000;
  public static final int ACCESS_SYSTEM_SECURITY = 0x1000000;
  public static final int MAXIMUM_ALLOWED = 0x2000000;
  public static final int GENERIC_ALL = 0x10000000;
  public static final int GENERIC_EXECUTE = 0x20000000;
  public static final int GENERIC_WRITE = 0x40000000;
  public static final int GENERIC_READ = 0x80000000;
  public static final int GENERIC_BITS =
      GENERIC_ALL | GENERIC_EXECUTE | GENERIC_WRITE | GENERIC_READ;

  public static final int FILE_GENERIC_READ = 0x120089;
  public static final int FILE_GENERIC_WRITE = 0x120116;
  public static final int FILE_GENERIC_EXECUTE = 0x1200A0;
  public static final int FILE_ALL_ACCESS = 0x1F01FF;

  /** icacls F, M, RX, R, W, D: the masks its simple rights stand for. */
  public static final int FULL_CONTROL = FILE_ALL_ACCESS;

  public static final int MODIFY = 0x1301BF;
  public static final int READ_AND_EXECUTE = 0x1200A9;
  public static final int READ = 0x120089;
  public static final int WRITE = 0x100116;

  /** The generic mapping for files and folders (what GENERIC_* mean on NTFS). */
  public static final GenericMapping FILE_MAPPING =
      new GenericMapping(
          FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_GENERIC_EXECUTE, FILE_ALL_ACCESS);

  public static final int KEY_QUERY_VALUE = 0x1;
  public static final int KEY_SET_VALUE = 0x2;
  public static final int KEY_CREATE_SUB_KEY = 0x4;
  public static final int KEY_ENUMERATE_SUB_KEYS = 0x8;
  public static final int KEY_NOTIFY = 0x10;
  public static final int KEY_CREATE_LINK = 0x20;
  public static final int KEY_READ = 0x20019;
  public static final int KEY_WRITE = 0x20006;

  /** Same bits as KEY_READ: Windows defines it so. */
  public static final int KEY_EXECUTE = 0x20019;

  public static final int KEY_ALL_ACCESS = 0xF003F;

  /** The generic mapping for registry keys (what GENERIC_* mean on a key). */
  public static final GenericMapping REGISTRY_MAPPING =
      new GenericMapping(KEY_READ, KEY_WRITE, KEY_EXECUTE, KEY_ALL_ACCESS);

  /** The four object-specific meanings of the generic bits. */
  public record GenericMapping(int read, int write, int execute, int all) {
    /** Replaces generic bits with the specific rights they stand for. */
    public int map(int mask) {
      int out = mask & ~GENERIC_BITS;
      if ((mask & GENERIC_READ) != 0) {
        out |= read;
      }
      if ((mask & GENERIC_WRITE) != 0) {
        out |= write;
      }
      if ((mask & GENERIC_EXECUTE) != 0) {
        out |= execute;
      }
      if ((mask & GENERIC_ALL) != 0) {
        out |= all;
      }
      return out;
    }
  }

  private static final Map<String, Integer> NAMED = new LinkedHashMap<>();
  // icacls' abbreviations for specific rights, in the order icacls lists them.
  private static final String[] SPECIFIC_NAMES = {
    "DE", "RC", "WDAC", "WO", "S", "AS", "MA", "GR", "GW", "GE", "GA", "RD", "WD", "AD", "REA",
    "WEA", "X", "DC", "RA", "WA"
  };
  private static final int[] SPECIFIC_BITS = {
    DELETE,
    READ_CONTROL,
    WRITE_DAC,
    WRITE_OWNER,
    SYNCHRONIZE,
    ACCESS_SYSTEM_SECURITY,
    MAXIMUM_ALLOWED,
    GENERIC_READ,
    GENERIC_WRITE,
    GENERIC_EXECUTE,
    GENERIC_ALL,
    FILE_READ_DATA,
    FILE_WRITE_DATA,
    FILE_APPEND_DATA,
    FILE_READ_EA,
    FILE_WRITE_EA,
    FILE_EXECUTE,
    FILE_DELETE_CHILD,
    FILE_READ_ATTRIBUTES,
    FILE_WRITE_ATTRIBUTES
  };

  static {
    // Named sets carry SYNCHRONIZE as Explorer and icacls grant them.
    NAMED.put("FullControl", FULL_CONTROL);
    NAMED.put("Modify", MODIFY);
    NAMED.put("ReadAndExecute", READ_AND_EXECUTE);
    NAMED.put("ListFolderContents", READ_AND_EXECUTE);
    NAMED.put("Read", READ);
    NAMED.put("Write", WRITE);
    NAMED.put("ListDirectory", FILE_READ_DATA | SYNCHRONIZE);
    NAMED.put("Traverse", FILE_EXECUTE | SYNCHRONIZE);
    NAMED.put("ReadData", FILE_READ_DATA);
    NAMED.put("WriteData", FILE_WRITE_DATA);
    NAMED.put("CreateFiles", FILE_WRITE_DATA);
    NAMED.put("AppendData", FILE_APPEND_DATA);
    NAMED.put("CreateDirectories", FILE_APPEND_DATA);
    NAMED.put("ReadExtendedAttributes", FILE_READ_EA);
    NAMED.put("WriteExtendedAttributes", FILE_WRITE_EA);
    NAMED.put("ExecuteFile", FILE_EXECUTE);
    NAMED.put("DeleteSubdirectoriesAndFiles", FILE_DELETE_CHILD);
    NAMED.put("ReadAttributes", FILE_READ_ATTRIBUTES);
    NAMED.put("WriteAttributes", FILE_WRITE_ATTRIBUTES);
    NAMED.put("Delete", DELETE);
    NAMED.put("ReadPermissions", READ_CONTROL);
    NAMED.put("ChangePermissions", WRITE_DAC);
    NAMED.put("TakeOwnership", WRITE_OWNER);
    NAMED.put("Synchronize", SYNCHRONIZE);
  }

  /** The named sets a policy may use, in a stable order. */
  public static Map<String, Integer> namedSets() {
    return java.util.Collections.unmodifiableMap(NAMED);
  }

  /**
   * Reads a named set (case-insensitive), an icacls simple right (F M RX R W D), or a number
   * ({@code 0x1200a9} or decimal).
   */
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
    switch (t.toUpperCase(Locale.ROOT)) {
      case "F":
        return Optional.of(FULL_CONTROL);
      case "M":
        return Optional.of(MODIFY);
      case "RX":
        return Optional.of(READ_AND_EXECUTE);
      case "R":
        return Optional.of(READ);
      case "W":
        return Optional.of(WRITE);
      case "D":
        return Optional.of(DELETE);
      default:
        break;
    }
    try {
      if (t.startsWith("0x") || t.startsWith("0X")) {
        return Optional.of((int) Long.parseLong(t.substring(2), 16));
      }
      if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
        long v = Long.parseLong(t);
        return v <= 0xFFFFFFFFL ? Optional.of((int) v) : Optional.empty();
      }
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /**
   * Renders a mask the way icacls does: a simple right when the mask is exactly one ({@code F},
   * {@code M}, {@code RX}, {@code R}, {@code W}, {@code D}), otherwise the simple rights it
   * contains followed by the remaining specific rights, comma-separated.
   */
  public static String icacls(int mask) {
    if (mask == 0) {
      return "N";
    }
    List<String> parts = new ArrayList<>();
    int rest = mask;
    if ((rest & FULL_CONTROL) == FULL_CONTROL) {
      parts.add("F");
      rest &= ~FULL_CONTROL;
    } else {
      if ((rest & MODIFY) == MODIFY) {
        parts.add("M");
        rest &= ~MODIFY;
      } else {
        if ((rest & READ_AND_EXECUTE) == READ_AND_EXECUTE) {
          parts.add("RX");
          rest &= ~READ_AND_EXECUTE;
        } else if ((rest & READ) == READ) {
          parts.add("R");
          rest &= ~READ;
        }
        if ((mask & WRITE) == WRITE) {
          parts.add("W");
          rest &= ~WRITE;
        }
      }
    }
    if (parts.isEmpty() && rest == DELETE) {
      return "D";
    }
    for (int i = 0; i < SPECIFIC_BITS.length; i++) {
      if ((rest & SPECIFIC_BITS[i]) != 0) {
        parts.add(SPECIFIC_NAMES[i]);
        rest &= ~SPECIFIC_BITS[i];
      }
    }
    if (rest != 0) {
      parts.add(String.format("0x%x", rest));
    }
    return String.join(",", parts);
  }

  /** Lower-case hex as Windows prints masks in SDDL and as plans store them. */
  public static String hex(int mask) {
    return "0x" + Integer.toHexString(mask);
  }

  /** True when {@code granted} has every bit of {@code required}. */
  public static boolean covers(int granted, int required) {
    return (granted & required) == required;
  }
}
