package org.wsusfix.diagnose.wulog;

import java.time.LocalDateTime;
import java.util.List;

/**
 * One failure seen in client logs: a catalogued code (with the HTTP status it came with), where the
 * request went, in how many sync attempts and log lines, when, by which agent build.
 *
 * @param permissionRelated whether the code, at a WSUS server, points at its permissions
 * @param endpoint where the failed requests went
 * @param count sync attempts (or download jobs) that failed with this code
 * @param lines log lines naming the code
 * @param servers the servers the requests went to (WSUS URLs, or host names), where the log says
 */
public record Signature(
    long code,
    String name,
    Integer httpStatus,
    boolean permissionRelated,
    String meaning,
    Endpoint endpoint,
    long count,
    long lines,
    LocalDateTime firstSeen,
    LocalDateTime lastSeen,
    List<String> servers,
    List<String> agentBuilds,
    List<String> files) {

  public String hex() {
    return ErrorCatalog.Entry.hex(code);
  }

  /** Whether the failure may be the WSUS server's (and not Microsoft's, a peer's or a proxy's). */
  public boolean againstWsus() {
    return endpoint.wsus();
  }

  /** A failure that points at the WSUS server's permissions. */
  public boolean serverPermission() {
    return permissionRelated && againstWsus();
  }

  /** The 401 / 0x800710DD signature this tool exists for. */
  public boolean isAuth401() {
    return httpStatus != null && httpStatus == 401 && serverPermission();
  }
}
