package org.wsusfix.machine.smb;

import java.util.Locale;
import java.util.Map;

/**
 * Names and plain-words meanings of the NT status codes an SMB or SAMR/LSA call can return here.
 */
final class NtStatusText {
  static final long ACCESS_DENIED = 0xC0000022L;
  static final long OBJECT_NAME_NOT_FOUND = 0xC0000034L;
  static final long OBJECT_PATH_NOT_FOUND = 0xC000003AL;
  static final long LOGON_FAILURE = 0xC000006DL;
  static final long BAD_NETWORK_NAME = 0xC00000CCL;
  static final long MEMBER_NOT_IN_ALIAS = 0xC0000152L;
  static final long MEMBER_IN_ALIAS = 0xC0000153L;
  static final long NONE_MAPPED = 0xC0000073L;
  static final long SOME_NOT_MAPPED = 0x00000107L;
  static final long SHARING_VIOLATION = 0xC0000043L;

  private record Text(String name, String meaning) {}

  private static final Map<Long, Text> TEXTS =
      Map.ofEntries(
          Map.entry(ACCESS_DENIED, new Text("STATUS_ACCESS_DENIED", "access denied")),
          Map.entry(OBJECT_NAME_NOT_FOUND, new Text("STATUS_OBJECT_NAME_NOT_FOUND", "not found")),
          Map.entry(
              OBJECT_PATH_NOT_FOUND,
              new Text("STATUS_OBJECT_PATH_NOT_FOUND", "a folder on the path does not exist")),
          Map.entry(0xC0000033L, new Text("STATUS_OBJECT_NAME_INVALID", "invalid name")),
          Map.entry(
              LOGON_FAILURE,
              new Text("STATUS_LOGON_FAILURE", "logon failure: unknown user name or bad password")),
          Map.entry(0xC0000072L, new Text("STATUS_ACCOUNT_DISABLED", "the account is disabled")),
          Map.entry(
              0xC0000234L, new Text("STATUS_ACCOUNT_LOCKED_OUT", "the account is locked out")),
          Map.entry(0xC0000071L, new Text("STATUS_PASSWORD_EXPIRED", "the password has expired")),
          Map.entry(
              0xC0000224L,
              new Text("STATUS_PASSWORD_MUST_CHANGE", "the password must be changed first")),
          Map.entry(0xC000006EL, new Text("STATUS_ACCOUNT_RESTRICTION", "account restriction")),
          Map.entry(BAD_NETWORK_NAME, new Text("STATUS_BAD_NETWORK_NAME", "no such share")),
          Map.entry(
              0xC0000043L,
              new Text(
                  "STATUS_SHARING_VIOLATION", "in use by another program (sharing violation)")),
          Map.entry(
              0xC0000061L,
              new Text("STATUS_PRIVILEGE_NOT_HELD", "a required privilege is not held")),
          Map.entry(
              0xC000000DL, new Text("STATUS_INVALID_PARAMETER", "the server rejected a parameter")),
          Map.entry(0xC00000BBL, new Text("STATUS_NOT_SUPPORTED", "not supported by the server")),
          Map.entry(
              0xC0000002L, new Text("STATUS_NOT_IMPLEMENTED", "not implemented by the server")),
          Map.entry(0xC0000103L, new Text("STATUS_NOT_A_DIRECTORY", "not a folder")),
          Map.entry(0xC00000BAL, new Text("STATUS_FILE_IS_A_DIRECTORY", "is a folder")),
          Map.entry(
              0xC0000077L,
              new Text("STATUS_INVALID_ACL", "the server rejected the ACL as invalid")),
          Map.entry(0xC0000078L, new Text("STATUS_INVALID_SID", "invalid SID")),
          Map.entry(
              0xC0000079L,
              new Text(
                  "STATUS_INVALID_SECURITY_DESCR",
                  "the server rejected the security descriptor as invalid")),
          Map.entry(
              0xC0000023L,
              new Text("STATUS_BUFFER_TOO_SMALL", "the answer does not fit the buffer")),
          Map.entry(0xC0000008L, new Text("STATUS_INVALID_HANDLE", "invalid handle")),
          Map.entry(0xC000035CL, new Text("STATUS_NETWORK_SESSION_EXPIRED", "the session expired")),
          Map.entry(
              0xC0000203L,
              new Text("STATUS_USER_SESSION_DELETED", "the session was closed by the server")),
          Map.entry(
              0xC00000C9L, new Text("STATUS_NETWORK_NAME_DELETED", "the share was disconnected")),
          Map.entry(0xC0000151L, new Text("STATUS_NO_SUCH_ALIAS", "no such local group")),
          Map.entry(
              MEMBER_NOT_IN_ALIAS,
              new Text("STATUS_MEMBER_NOT_IN_ALIAS", "not a member of the group")),
          Map.entry(
              MEMBER_IN_ALIAS, new Text("STATUS_MEMBER_IN_ALIAS", "already a member of the group")),
          Map.entry(0xC000017AL, new Text("STATUS_NO_SUCH_MEMBER", "no such account")),
          Map.entry(0xC0000064L, new Text("STATUS_NO_SUCH_USER", "no such user")),
          Map.entry(NONE_MAPPED, new Text("STATUS_NONE_MAPPED", "no such account")),
          Map.entry(
              0xC00000ACL,
              new Text("STATUS_PIPE_NOT_AVAILABLE", "the RPC service is not available")));

  private NtStatusText() {}

  /** "STATUS_ACCESS_DENIED", or "NTSTATUS 0x..." for codes not listed here. */
  static String name(long status) {
    Text t = TEXTS.get(status & 0xFFFF_FFFFL);
    return t != null
        ? t.name()
        : String.format(Locale.ROOT, "NTSTATUS 0x%08X", status & 0xFFFF_FFFFL);
  }

  /** Plain words for the code, or "failed" for codes not listed here. */
  static String describe(long status) {
    Text t = TEXTS.get(status & 0xFFFF_FFFFL);
    return t != null ? t.meaning() : "failed";
  }
}
