package org.wsusfix.diagnose.iislog;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

/**
 * Responses of one kind from one WSUS endpoint, as the IIS log shows them.
 *
 * @param endpoint the WSUS web service
 * @param example one decoded cs-uri-stem of these requests
 * @param status HTTP status
 * @param subStatus IIS sub-status ({@code sc-substatus}), -1 when the log has no such column
 * @param win32 counts per {@code sc-win32-status} value, ascending
 * @param clients distinct {@code c-ip} values
 * @param firstSeen first time (UTC, as IIS logs it)
 * @param sites the {@code s-sitename} values (W3SVC and the site id), empty when the log has no
 *     such column
 */
public record IisLogFinding(
    IisEndpoint endpoint,
    Kind kind,
    String example,
    int status,
    int subStatus,
    Map<Long, Long> win32,
    long count,
    long clients,
    LocalDateTime firstSeen,
    LocalDateTime lastSeen,
    List<String> files,
    List<String> sites) {

  public IisLogFinding {
    files = List.copyOf(files);
    sites = List.copyOf(sites);
  }

  /** How a group of responses is to be read. */
  public enum Kind {
    /** 401.3 or a 401 with win32 status 5: an ACL refuses the identity IIS uses. */
    PERMISSION(true),
    /** A 401 that no successful response from the same client followed: suspicious. */
    UNANSWERED_401(true),
    /** 401.1 / 401.2 followed by success from the same client: the normal challenge. */
    HANDSHAKE(false),
    FORBIDDEN(true),
    SERVER_ERROR(true),
    UNAVAILABLE(true);

    private final boolean fault;

    Kind(boolean fault) {
      this.fault = fault;
    }

    public boolean fault() {
      return fault;
    }
  }

  public String statusText() {
    return subStatus < 0 ? Integer.toString(status) : status + "." + subStatus;
  }

  public boolean permissionRelated() {
    return kind == Kind.PERMISSION;
  }

  /**
   * What a 401.1 or 401.2 means on a directory WSUS clients reach anonymously (they send no
   * credentials).
   */
  private String anonymousMeaning() {
    if (endpoint == IisEndpoint.API_REMOTING) {
      return "";
    }
    return subStatus == 2
        ? ": Anonymous Authentication is off on " + endpoint.application()
        : subStatus == 1
            ? ": the anonymous account cannot log on (a 'Deny access to this computer from the"
                + " network' right, or the password of a configured account)"
            : "";
  }

  /** One sentence saying what these responses mean. */
  public String verdict() {
    String where = endpoint.prefix();
    String n =
        count
            + (count == 1 ? " request" : " requests")
            + " from "
            + clients
            + (clients == 1 ? " client" : " clients");
    return switch (kind) {
      case PERMISSION ->
          "HTTP "
              + statusText()
              + " on "
              + where
              + " ("
              + n
              + "): "
              + (status == 401
                  ? IisStatusText.meaning(401, 3)
                  : IisStatusText.meaning(status, subStatus) + "; win32 status 5, access denied");
      case UNANSWERED_401 ->
          "HTTP "
              + statusText()
              + " on "
              + where
              + " ("
              + n
              + ") never followed by"
              + " success from the same client: "
              + IisStatusText.meaning(status, subStatus)
              + "; suspicious, not the normal challenge"
              + anonymousMeaning();
      case HANDSHAKE ->
          "HTTP "
              + statusText()
              + " on "
              + where
              + " ("
              + n
              + ") followed by success:"
              + " the normal authentication challenge, not a fault";
      default ->
          "HTTP "
              + statusText()
              + " on "
              + where
              + " ("
              + n
              + "): "
              + IisStatusText.meaning(status, Math.max(0, subStatus));
    };
  }
}
