package org.wsusfix.diagnose.wulog;

import java.time.LocalDateTime;
import java.util.List;

/**
 * One failure seen in client logs: a catalogued code (with the HTTP status it came with), in how
 * many sync attempts and log lines, when, against which server, by which agent build.
 *
 * @param count sync attempts (or download jobs) that failed with this code
 * @param lines log lines naming the code
 */
public record Signature(
    long code,
    String name,
    Integer httpStatus,
    boolean permissionRelated,
    String meaning,
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

  /** The 401 / 0x800710DD signature this tool exists for. */
  public boolean isAuth401() {
    return httpStatus != null && httpStatus == 401 && permissionRelated;
  }
}
