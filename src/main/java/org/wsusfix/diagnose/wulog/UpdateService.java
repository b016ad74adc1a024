package org.wsusfix.diagnose.wulog;

import java.util.Locale;
import java.util.Optional;

/**
 * The update services a Windows Update agent talks to, by the service id it prints ({@code
 * ServiceId = {...}}, {@code Get response for service ...}). Only one of them is a WSUS server; a
 * failure against any other is Microsoft's, never the WSUS server's permissions.
 */
public enum UpdateService {
  WSUS("3DA21691-E39D-4DA6-8A4B-B43877BCB1B7", "Windows Server Update Service"),
  MICROSOFT_UPDATE("7971F918-A847-4430-9279-4A52D1EFE18D", "Microsoft Update"),
  WINDOWS_UPDATE("9482F4B4-E343-43B6-B170-9A65BC822C77", "Windows Update"),
  STORE_DCAT("855E8A7C-ECB4-4CA3-B045-1DFA50104289", "Windows Store (DCat Prod)"),
  DCAT_FLIGHTING("8B24B027-1DEE-BABB-9A95-3517DFB9C552", "DCat Flighting Prod"),
  STORE("117CAB2D-82B1-4B5A-A08C-4D62DBEE7782", "Windows Store");

  private final String id;
  private final String displayName;

  UpdateService(String id, String displayName) {
    this.id = id;
    this.displayName = displayName;
  }

  public String id() {
    return id;
  }

  public String displayName() {
    return displayName;
  }

  /** The service of an id as the agent prints it, with or without braces, any case. */
  public static Optional<UpdateService> of(String id) {
    String t = id.trim().replace("{", "").replace("}", "").toUpperCase(Locale.ROOT);
    for (UpdateService s : values()) {
      if (s.id.equals(t)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** Whether the service is one of the Store's catalogues rather than the update catalogue. */
  public boolean store() {
    return this == STORE_DCAT || this == STORE || this == DCAT_FLIGHTING;
  }
}
