package org.wsusfix.diagnose.procmon;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.wsusfix.security.Sid;
import org.wsusfix.security.WellKnownSids;

/**
 * How Process Monitor words NTSTATUS results, access masks and well-known SIDs, so that a native
 * capture reads exactly like its CSV export.
 */
public final class ProcmonText {
  public static final String ACCESS_DENIED = "ACCESS DENIED";
  public static final String PRIVILEGE_NOT_HELD = "PRIVILEGE NOT HELD";
  public static final String BAD_IMPERSONATION = "BAD IMPERSONATION";

  public static final int STATUS_ACCESS_DENIED = 0xC0000022;
  public static final int STATUS_PRIVILEGE_NOT_HELD = 0xC0000061;
  public static final int STATUS_BAD_IMPERSONATION_LEVEL = 0xC00000A5;

  private static final Map<Integer, String> RESULTS = new LinkedHashMap<>();
  private static final Map<Integer, String> FILE_ACCESS = new LinkedHashMap<>();
  private static final Map<Integer, String> KEY_ACCESS = new LinkedHashMap<>();

  static {
    Object[] results = {
      0,
      "SUCCESS",
      0x104,
      "REPARSE",
      0x105,
      "MORE ENTRIES",
      0x108,
      "OPLOCK BREAK IN PROGRESS",
      0x10b,
      "NOTIFY CLEANUP",
      0x10c,
      "NOTIFY ENUM DIR",
      0x12a,
      "FILE LOCKED WITH ONLY READERS",
      0x12b,
      "FILE LOCKED WITH WRITERS",
      0x215,
      "OPLOCK SWITCHED TO NEW HANDLE",
      0x216,
      "OPLOCK HANDLE CLOSED",
      0x367,
      "WAIT FOR OPLOCK",
      0x40000016,
      "PREDEFINED HANDLE",
      0x80000002,
      "DATATYPE MISALIGNMENT",
      0x80000005,
      "BUFFER OVERFLOW",
      0x80000006,
      "NO MORE FILES",
      0x80000015,
      "INVALID EA FLAG",
      0x8000001a,
      "NO MORE ENTRIES",
      0xc0000001,
      "UNSUCCESSFUL",
      0xc0000002,
      "NOT IMPLEMENTED",
      0xc0000003,
      "INVALID INFO CLASS",
      0xc0000004,
      "INFO LENGTH MISMATCH",
      0xc0000005,
      "ACCESS VIOLATION",
      0xc0000006,
      "IN PAGE ERROR",
      0xc0000008,
      "INVALID HANDLE",
      0xc000000d,
      "INVALID PARAMETER",
      0xc000000e,
      "NO SUCH DEVICE",
      0xc000000f,
      "NO SUCH FILE",
      0xc0000010,
      "INVALID DEVICE REQUEST",
      0xc0000011,
      "END OF FILE",
      0xc0000012,
      "WRONG VOLUME",
      0xc0000013,
      "NO MEDIA",
      0xc0000015,
      "NONEXISTENT SECTOR",
      0xc0000017,
      "NO MEMORY",
      0xc0000021,
      "ALREADY COMMITED",
      0xc0000022,
      ACCESS_DENIED,
      0xc0000023,
      "BUFFER TOO SMALL",
      0xc0000024,
      "OBJECT TYPE MISMATCH",
      0xc0000032,
      "DISK CORRUPT",
      0xc0000033,
      "NAME INVALID",
      0xc0000034,
      "NAME NOT FOUND",
      0xc0000035,
      "NAME COLLISION",
      0xc0000039,
      "OBJECT PATH INVALID",
      0xc000003a,
      "PATH NOT FOUND",
      0xc000003b,
      "PATH SYNTAX BAD",
      0xc000003c,
      "DATA OVERRUN",
      0xc000003f,
      "CRC ERROR",
      0xc0000043,
      "SHARING VIOLATION",
      0xc0000044,
      "QUOTA EXCEEDED",
      0xc000004f,
      "EAS NOT SUPPORTED",
      0xc0000050,
      "EA TOO LARGE",
      0xc0000051,
      "NONEXISTENT EA ENTRY",
      0xc0000052,
      "NO EAS ON FILE",
      0xc0000053,
      "EA CORRUPTED ERROR",
      0xc0000054,
      "FILE LOCK CONFLICT",
      0xc0000055,
      "NOT GRANTED",
      0xc0000056,
      "DELETE PENDING",
      0xc0000061,
      PRIVILEGE_NOT_HELD,
      0xc000006d,
      "LOGON FAILURE",
      0xc000007e,
      "RANGE NOT LOCKED",
      0xc000007f,
      "DISK FULL",
      0xc0000098,
      "FILE INVALID",
      0xc000009a,
      "INSUFFICIENT RESOURCES",
      0xc000009c,
      "DEVICE DATA ERROR",
      0xc000009d,
      "DEVICE NOT CONNECTED",
      0xc00000a2,
      "MEDIA WRITE PROTECTED",
      0xc00000a5,
      BAD_IMPERSONATION,
      0xc00000ab,
      "INSTANCE NOT AVAILABLE",
      0xc00000ac,
      "PIPE NOT AVAILABLE",
      0xc00000ad,
      "INVALID PIPE STATE",
      0xc00000ae,
      "PIPE BUSY",
      0xc00000b0,
      "PIPE DISCONNECTED",
      0xc00000b1,
      "PIPE CLOSING",
      0xc00000b2,
      "PIPE CONNECTED",
      0xc00000b3,
      "PIPE LISTENING",
      0xc00000b4,
      "INVALID READ MODE",
      0xc00000b5,
      "IO TIMEOUT",
      0xc00000ba,
      "IS DIRECTORY",
      0xc00000bb,
      "NOT SUPPORTED",
      0xc00000bd,
      "DUPLICATE NAME",
      0xc00000be,
      "BAD NETWORK PATH",
      0xc00000c1,
      "BAD NETWORK PATH",
      0xc00000c3,
      "INVALID NETWORK RESPONSE",
      0xc00000c4,
      "NETWORK ERROR",
      0xc00000cc,
      "BAD NETWORK NAME",
      0xc00000d4,
      "BAD NETWORK NAME",
      0xc00000d8,
      "CANT WAIT",
      0xc00000d9,
      "PIPE EMPTY",
      0xc00000db,
      "CSC OBJECT PATH NOT FOUND",
      0xc00000e2,
      "OPLOCK NOT GRANTED",
      0xc00000ef,
      "INVALID PARAMETER 1",
      0xc00000f0,
      "INVALID PARAMETER 2",
      0xc00000f1,
      "INVALID PARAMETER 3",
      0xc00000f2,
      "INVALID PARAMETER 4",
      0xc00000fb,
      "REDIRECTOR NOT STARTED",
      0xc0000101,
      "NOT EMPTY",
      0xc0000102,
      "FILE CORRUPT",
      0xc0000103,
      "NOT A DIRECTORY",
      0xc0000107,
      "FILES OPEN",
      0xc000010d,
      "CANNOT IMPERSONATE",
      0xc0000120,
      "CANCELLED",
      0xc0000121,
      "CANNOT DELETE",
      0xc0000123,
      "FILE DELETED",
      0xc0000128,
      "FILE CLOSED",
      0xc000012a,
      "THREAD NOT IN PROCESS",
      0xc0000148,
      "INVALID LEVEL",
      0xc000014b,
      "PIPE BROKEN",
      0xc000014c,
      "REGISTRY CORRUPT",
      0xc000014d,
      "IO FAILED",
      0xc000017c,
      "KEY DELETED",
      0xc0000181,
      "CHILD MUST BE VOLATILE",
      0xc0000184,
      "INVALID DEVICE STATE",
      0xc0000185,
      "IO DEVICE ERROR",
      0xc0000188,
      "LOG FILE FULL",
      0xc000019c,
      "FS DRIVER REQUIRED",
      0xc0000205,
      "INSUFFICIENT SERVER RESOURCES",
      0xc0000207,
      "INVALID ADDRESS COMPONENT",
      0xc000020c,
      "DISCONNECTED",
      0xc0000225,
      "NOT FOUND",
      0xc0000243,
      "USER MAPPED FILE",
      0xc0000248,
      "LOGIN WKSTA RESTRICTION",
      0xc0000257,
      "PATH NOT COVERED",
      0xc000026d,
      "DFS UNAVAILABLE",
      0xc0000273,
      "NO MORE MATCHES",
      0xc0000275,
      "NOT REPARSE POINT",
      0xc00002ea,
      "CANNOT MAKE",
      0xc00002f0,
      "OBJECTID NOT FOUND",
      0xc0000388,
      "DOWNGRADE DETECTED",
      0xc0000425,
      "HIVE UNLOADED",
      0xc0000427,
      "FILE SYSTEM LIMITATION",
      0xc0000463,
      "DEVICE FEATURE NOT SUPPORTED",
      0xc000046d,
      "OBJECT NOT EXTERNALLY BACKED",
      0xc0000909,
      "CANNOT BREAK OPLOCK",
      0xc0190001,
      "TRANSACTIONAL CONFLICT",
      0xc0190002,
      "INVALID TRANSACTION",
      0xc0190003,
      "TRANSACTION_NOT_ACTIVE",
      0xc019003e,
      "EFS NOT ALLOWED IN TRANSACTION",
      0xc019003f,
      "TRANSACTIONAL OPEN NOT ALLOWED",
      0xc0190040,
      "TRANSACTED MAPPING UNSUPPORTED REMOTE",
      0xc0190044,
      "CANNOT EXECUTE FILE IN TRANSACTION",
      0xc0190049,
      "SPARSE NOT ALLOWED IN TRANSACTION",
      0xc01c0004,
      "FAST IO DISALLOWED",
    };
    for (int i = 0; i < results.length; i += 2) {
      RESULTS.put(((Number) results[i]).intValue(), (String) results[i + 1]);
    }
    // Procmon names whole sets first, then the single rights that are left over.
    Object[] file = {
      0x1f01ff,
      "All Access",
      0x1201bf,
      "Generic Read/Write/Execute",
      0x12019f,
      "Generic Read/Write",
      0x1200a9,
      "Generic Read/Execute",
      0x1201b6,
      "Generic Write/Execute",
      0x120089,
      "Generic Read",
      0x120116,
      "Generic Write",
      0x1200a0,
      "Generic Execute",
      0x1,
      "Read Data/List Directory",
      0x2,
      "Write Data/Add File",
      0x4,
      "Append Data/Add Subdirectory/Create Pipe Instance",
      0x8,
      "Read EA",
      0x10,
      "Write EA",
      0x20,
      "Execute/Traverse",
      0x40,
      "Delete Child",
      0x80,
      "Read Attributes",
      0x100,
      "Write Attributes",
    };
    Object[] key = {
      0xf003f, "All Access", 0x2001f, "Read/Write", 0x20019, "Read", 0x20006, "Write",
      0x1, "Query Value", 0x2, "Set Value", 0x4, "Create Sub Key", 0x8, "Enumerate Sub Keys",
      0x10, "Notify", 0x20, "Create Link", 0x300, "WOW64_Res", 0x200, "WOW64_32Key",
      0x100, "WOW64_64Key",
    };
    Object[] common = {
      0x10000,
      "Delete",
      0x20000,
      "Read Control",
      0x40000,
      "Write DAC",
      0x80000,
      "Write Owner",
      0x100000,
      "Synchronize",
      0x1000000,
      "Access System Security",
      0x2000000,
      "Maximum Allowed",
    };
    fill(FILE_ACCESS, file);
    fill(FILE_ACCESS, common);
    fill(KEY_ACCESS, key);
    fill(KEY_ACCESS, common);
  }

  private ProcmonText() {}

  private static void fill(Map<Integer, String> map, Object[] pairs) {
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((Integer) pairs[i], (String) pairs[i + 1]);
    }
  }

  /** The Result column for an NTSTATUS value. */
  public static String result(int status) {
    String s = RESULTS.get(status);
    return s != null ? s : String.format(Locale.ROOT, "0x%X", status & 0xFFFFFFFFL);
  }

  /** True for the three results diagnosing is about. */
  public static boolean isInteresting(int status) {
    return status == STATUS_ACCESS_DENIED
        || status == STATUS_PRIVILEGE_NOT_HELD
        || status == STATUS_BAD_IMPERSONATION_LEVEL;
  }

  public static boolean isInteresting(String result) {
    return ACCESS_DENIED.equals(result)
        || PRIVILEGE_NOT_HELD.equals(result)
        || BAD_IMPERSONATION.equals(result);
  }

  public static String fileAccess(int mask) {
    return access(mask, 0x120089, 0x120116, 0x1200a0, 0x1f01ff, FILE_ACCESS);
  }

  public static String keyAccess(int mask) {
    return access(mask, 0x20019, 0x20006, 0x20019, 0xf003f, KEY_ACCESS);
  }

  private static String access(
      int mask, int genRead, int genWrite, int genExec, int genAll, Map<Integer, String> names) {
    // Generic bits are mapped to the object's specific rights before naming, as Windows does.
    if ((mask & 0x80000000) != 0) {
      mask |= genRead;
    }
    if ((mask & 0x40000000) != 0) {
      mask |= genWrite;
    }
    if ((mask & 0x20000000) != 0) {
      mask |= genExec;
    }
    if ((mask & 0x10000000) != 0) {
      mask |= genAll;
    }
    StringBuilder sb = new StringBuilder();
    int left = mask;
    for (Map.Entry<Integer, String> e : names.entrySet()) {
      int v = e.getKey();
      if ((left & v) == v) {
        if (sb.length() > 0) {
          sb.append(", ");
        }
        sb.append(e.getValue());
        left &= ~v;
      }
    }
    return sb.length() == 0 ? String.format(Locale.ROOT, "None 0x%x", mask) : sb.toString();
  }

  /** A SID string as Procmon shows it: the account name for well-known SIDs, else the SID. */
  public static String sidName(String sid) {
    if (!Sid.looksLikeSid(sid)) {
      return sid;
    }
    try {
      return WellKnownSids.nameOf(Sid.parse(sid)).orElse(sid);
    } catch (IllegalArgumentException e) {
      return sid;
    }
  }

  /** Binary SID to {@code S-1-...}; empty when the bytes are not exactly one SID. */
  public static String sidString(byte[] b) {
    try {
      Sid sid = Sid.read(b, 0);
      return sid.binaryLength() == b.length ? sid.toString() : "";
    } catch (IllegalArgumentException e) {
      return "";
    }
  }
}
