package org.wsusfix.diagnose.iislog;

import java.util.Locale;

/** The WSUS web services as they appear in cs-uri-stem; matched case-insensitively by prefix. */
public enum IisEndpoint {
  CLIENT("/ClientWebService/", "ClientWebService"),
  SIMPLE_AUTH("/SimpleAuthWebService/", "SimpleAuthWebService"),
  SERVER_SYNC("/ServerSyncWebService/", "ServerSyncWebService"),
  REPORTING("/ReportingWebService/", "ReportingWebService"),
  DSS_AUTH("/DssAuthWebService/", "DssAuthWebService"),
  API_REMOTING("/ApiRemoting30/", "ApiRemoting30"),
  CONTENT("/Content/", "Content"),
  INVENTORY("/Inventory/", "Inventory"),
  SELF_UPDATE("/selfupdate/", "Selfupdate");

  private final String prefix;
  private final String lower;
  private final String application;

  IisEndpoint(String prefix, String application) {
    this.prefix = prefix;
    this.lower = prefix.toLowerCase(Locale.ROOT);
    this.application = application;
  }

  /** The stem prefix, e.g. {@code /ClientWebService/}. */
  public String prefix() {
    return prefix;
  }

  /** The IIS application (virtual directory) name under the WSUS site. */
  public String application() {
    return application;
  }

  /** The endpoint a decoded stem belongs to, or null for requests outside WSUS. */
  public static IisEndpoint of(String stem) {
    for (IisEndpoint e : values()) {
      if (stem.regionMatches(true, 0, e.lower, 0, e.lower.length())
          || (stem.length() == e.lower.length() - 1
              && stem.regionMatches(true, 0, e.lower, 0, stem.length()))) {
        return e;
      }
    }
    return null;
  }
}
