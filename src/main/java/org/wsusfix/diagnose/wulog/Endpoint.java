package org.wsusfix.diagnose.wulog;

/**
 * Where a failed client request went, as far as the log tells. Only the WSUS kinds (and {@link
 * #UPDATE_SERVER}, when the log does not say whether the client uses WSUS) can be the WSUS server's
 * fault.
 */
public enum Endpoint {
  WSUS_CLIENT_WEB_SERVICE("the WSUS client web service", true),
  WSUS_CONTENT("a download from the WSUS server's content", true),
  /** The log names no WSUS server and no other service: possibly a WSUS server. */
  UPDATE_SERVER("the update server (the log does not say whether it is a WSUS server)", true),
  MICROSOFT_UPDATE("Microsoft's update service", false),
  DOWNLOAD("a Delivery Optimization / BITS download from Microsoft or a peer", false),
  SLS("the Service Locator Service (SLS) at Microsoft", false),
  STORE("the Microsoft Store catalogue", false),
  PROXY("a proxy on the client's side", false);

  private final String description;
  private final boolean wsus;

  Endpoint(String description, boolean wsus) {
    this.description = description;
    this.wsus = wsus;
  }

  public String description() {
    return description;
  }

  /** Whether a failure here may be the WSUS server's. */
  public boolean wsus() {
    return wsus;
  }
}
