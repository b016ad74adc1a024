package org.wsusfix.machine.windows;

import org.wsusfix.machine.TargetException;

/** Win32 and NET_API_STATUS codes as short readable text, always with the number. */
final class Win32Error {
  private Win32Error() {}

  static final int FILE_NOT_FOUND = 2;
  static final int PATH_NOT_FOUND = 3;
  static final int ACCESS_DENIED = 5;
  static final int INVALID_HANDLE = 6;
  static final int NO_MORE_FILES = 18;
  static final int SHARING_VIOLATION = 32;
  static final int BAD_NETPATH = 53;
  static final int BAD_NET_NAME = 67;
  static final int INVALID_PARAMETER = 87;
  static final int INSUFFICIENT_BUFFER = 122;
  static final int INVALID_NAME = 123;
  static final int ALREADY_EXISTS = 183;
  static final int FILENAME_EXCED_RANGE = 206;
  static final int MORE_DATA = 234;
  static final int PRIVILEGE_NOT_HELD = 1314;
  static final int NONE_MAPPED = 1332;
  static final int INVALID_ACL = 1336;
  static final int INVALID_SECURITY_DESCR = 1338;
  static final int NO_SUCH_ALIAS = 1376;
  static final int MEMBER_NOT_IN_ALIAS = 1377;
  static final int MEMBER_IN_ALIAS = 1378;
  static final int NO_SUCH_MEMBER = 1387;
  static final int INVALID_MEMBER = 1388;
  static final int NERR_GROUP_NOT_FOUND = 2220;
  static final int NERR_USER_NOT_FOUND = 2221;

  /** {@code access denied (Windows error 5)}. */
  static String text(int code) {
    String what =
        switch (code) {
          case FILE_NOT_FOUND -> "file not found";
          case PATH_NOT_FOUND -> "path not found";
          case ACCESS_DENIED -> "access denied";
          case INVALID_HANDLE -> "invalid handle";
          case SHARING_VIOLATION -> "in use by another process";
          case BAD_NETPATH -> "network path not found";
          case BAD_NET_NAME -> "network name not found";
          case INVALID_PARAMETER -> "invalid parameter";
          case INVALID_NAME -> "invalid name syntax";
          case FILENAME_EXCED_RANGE -> "name too long";
          case PRIVILEGE_NOT_HELD -> "a required privilege is not held";
          case NONE_MAPPED -> "no such account (no mapping between account names and security IDs)";
          case INVALID_ACL -> "invalid ACL";
          case INVALID_SECURITY_DESCR -> "invalid security descriptor";
          case NO_SUCH_ALIAS -> "no such local group";
          case MEMBER_NOT_IN_ALIAS -> "not a member of the group";
          case MEMBER_IN_ALIAS -> "already a member of the group";
          case NO_SUCH_MEMBER -> "the member does not exist";
          case INVALID_MEMBER -> "the member has the wrong account type for this group";
          case NERR_GROUP_NOT_FOUND -> "local group not found";
          case NERR_USER_NOT_FOUND -> "user not found";
          default -> null;
        };
    return (what == null ? "failed" : what) + " (Windows error " + code + ")";
  }

  /**
   * {@code SUBJECT: DOING: access denied (Windows error 5)}, with the elevation hint for denials.
   */
  static TargetException fail(String subject, String doing, int code) {
    return fail(subject, doing, code, true);
  }

  /**
   * As {@link #fail(String, String, int)}; {@code mayNeedElevation} is false when the process is
   * known to be elevated already, where telling the user to elevate would mislead.
   */
  static TargetException fail(String subject, String doing, int code, boolean mayNeedElevation) {
    boolean denied = code == ACCESS_DENIED || code == PRIVILEGE_NOT_HELD;
    String hint = denied && mayNeedElevation ? "; run wsusfix from an elevated prompt" : "";
    return new TargetException(subject + ": " + doing + ": " + text(code) + hint);
  }
}
