package org.wsusfix.machine.smb;

/**
 * A failure talking to an SMB server, with a one-line message that names the object and says what
 * went wrong in words an administrator knows ("access denied", "not found"), followed by the NT
 * status name so the exact code can be looked up.
 */
public final class SmbException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long ntStatus;

  SmbException(String message, long ntStatus, Throwable cause) {
    super(message, cause);
    this.ntStatus = ntStatus;
  }

  /** Failure with an NT status: "{@code subject}: access denied (STATUS_ACCESS_DENIED)". */
  static SmbException of(String subject, long ntStatus, Throwable cause) {
    return new SmbException(
        subject + ": " + NtStatusText.describe(ntStatus) + " (" + NtStatusText.name(ntStatus) + ")",
        ntStatus,
        cause);
  }

  /** Failure without an NT status (network, protocol). */
  static SmbException plain(String message, Throwable cause) {
    return new SmbException(message, 0, cause);
  }

  /** The NT status code (0 when the failure carried none). */
  public long ntStatus() {
    return ntStatus;
  }

  public boolean isAccessDenied() {
    return ntStatus == NtStatusText.ACCESS_DENIED;
  }

  /** Another client has the object open without sharing it. */
  public boolean isSharingViolation() {
    return ntStatus == NtStatusText.SHARING_VIOLATION;
  }

  public boolean isNotFound() {
    return ntStatus == NtStatusText.OBJECT_NAME_NOT_FOUND
        || ntStatus == NtStatusText.OBJECT_PATH_NOT_FOUND;
  }
}
