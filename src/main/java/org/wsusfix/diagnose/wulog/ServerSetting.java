package org.wsusfix.diagnose.wulog;

/**
 * A stretch of a client log during which the agent had one WSUS server setting.
 *
 * @param server the WSUS server URL, or null where the agent printed none ({@code (null)}, {@code
 *     <NULL>}): the client then talks to Microsoft Update
 * @param statusServer the WSUS status (reporting) server, or null
 * @param firstLine the line that printed the setting
 * @param lastLine the last line before the setting changed, or the file's last record
 */
public record ServerSetting(
    String file, String server, String statusServer, long firstLine, long lastLine) {

  public boolean managed() {
    return server != null;
  }
}
