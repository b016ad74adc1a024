package org.wsusfix.diagnose.wulog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Windows Update error codes an administrator meets when clients cannot talk to WSUS, each with
 * what it means and whether it points at the server's NTFS permissions.
 */
public final class ErrorCatalog {

  /** One catalogue entry. {@code httpStatus} is null where the code is not an HTTP answer. */
  public record Entry(
      long code,
      String name,
      String meaning,
      Integer httpStatus,
      boolean permissionRelated,
      String check) {

    /** The code as Windows Update prints it, {@code 0x800710DD}. */
    public String hex() {
      return hex(code);
    }

    public static String hex(long code) {
      return String.format(Locale.ROOT, "0x%08X", code);
    }
  }

  /** 0x800710DD: generic unless the same attempt shows HTTP 401. */
  public static final long INVALID_OPERATION = 0x800710DDL;

  private static final Map<Long, Entry> ENTRIES = new LinkedHashMap<>();

  static {
    add(
        INVALID_OPERATION,
        "ERROR_INVALID_OPERATION",
        "HRESULT_FROM_WIN32(4317): the operation identifier is not valid. Generic on its own; together"
            + " with HTTP 401 in the same sync attempt it means the WSUS web service refused the client",
        null,
        true,
        "Look for 'HTTP status code = 401' in the same attempt; if present, run Process Monitor on the"
            + " WSUS server (w3wp.exe, Result ACCESS DENIED) and check that BUILTIN\\Users has Read &"
            + " Execute on %windir%\\Microsoft.NET and below");
    add(
        0x80244017L,
        "WU_E_PT_HTTP_STATUS_DENIED",
        "HTTP 401: IIS could not read a file as the anonymous identity (401.3, an ACL) or Anonymous"
            + " authentication is off on the WSUS web service (401.2)",
        401,
        true,
        "IIS log for 401.3 (ACL) on ClientWebService / SimpleAuthWebService; NTFS rights of IUSR /"
            + " IUSR_<machine> and Users on %windir%\\Microsoft.NET and the WSUS web service folders");
    add(
        0x80244018L,
        "WU_E_PT_HTTP_STATUS_FORBIDDEN",
        "HTTP 403: the server refused the request (access forbidden: an ACL on the WSUS folders, SSL"
            + " required (403.4) or an IP restriction)",
        403,
        true,
        "IIS log sub-status (403.x); NTFS rights on the WSUS content folder and web service folders;"
            + " IP restrictions and SSL settings of the WSUS site");
    add(
        0x80190193L,
        "BG_E_HTTP_ERROR_403",
        "HTTP 403 returned to a BITS / Delivery Optimization download",
        403,
        true,
        "NTFS rights of the WSUS content folder (WsusContent) for the anonymous identity and"
            + " NETWORK SERVICE; IIS log of the Content virtual directory");
    add(
        0x80190191L,
        "BG_E_HTTP_ERROR_401",
        "HTTP 401 returned to a BITS / Delivery Optimization download",
        401,
        true,
        "NTFS rights of the WSUS content folder for the anonymous identity; IIS log of /Content");
    add(
        0x8024401FL,
        "WU_E_PT_HTTP_STATUS_SERVER_ERROR",
        "HTTP 500: the WSUS web service failed on the server; 500.24 is ASP.NET impersonation turned"
            + " on under the integrated pipeline, otherwise often an ACL on the ASP.NET or WSUS folders",
        500,
        true,
        "IIS log sub-status (500.24: turn ASP.NET impersonation off on the WSUS virtual directories)"
            + " and the Application event log on the server; ASP.NET Temporary Files and web.config"
            + " readable by the pool identity");
    add(
        0x80244016L,
        "WU_E_PT_HTTP_STATUS_BAD_REQUEST",
        "HTTP 400: the server could not understand the request",
        400,
        false,
        "Proxy or SSL inspection between client and server; IIS request limits");
    add(
        0x80244019L,
        "WU_E_PT_HTTP_STATUS_NOT_FOUND",
        "HTTP 404: the requested URL does not exist on the server, usually a missing WSUS virtual"
            + " directory (ClientWebService, SimpleAuthWebService, SelfUpdate, Content)",
        404,
        false,
        "The WSUS server URL and port in the client policy; the WSUS virtual directories of the"
            + " WSUS Administration site in IIS (wsusutil postinstall recreates them)");
    add(
        0x8024401BL,
        "WU_E_PT_HTTP_STATUS_PROXY_AUTH_REQ",
        "HTTP 407: a proxy on the client's side requires authentication; not the WSUS server",
        407,
        false,
        "WinHTTP proxy settings (netsh winhttp show proxy) and a proxy bypass for the WSUS server");
    add(
        0x8024401CL,
        "WU_E_PT_HTTP_STATUS_REQUEST_TIMEOUT",
        "HTTP 408: the server timed out waiting for the request",
        408,
        false,
        "Network path and load on the WSUS server");
    add(
        0x80244021L,
        "WU_E_PT_HTTP_STATUS_BAD_GATEWAY",
        "HTTP 502: a proxy or gateway got an invalid answer",
        502,
        false,
        "Proxy between client and server");
    add(
        0x80244022L,
        "WU_E_PT_HTTP_STATUS_SERVICE_UNAVAIL",
        "HTTP 503: the service is unavailable, usually the WsusPool application pool stopped",
        503,
        false,
        "State and recycling / private memory limit of the WsusPool application pool");
    add(
        0x8024400EL,
        "WU_E_PT_SOAP_SERVER",
        "The server answered with a SOAP fault (an error inside the WSUS web service)",
        null,
        false,
        "SoftwareDistribution.log and the Application event log on the WSUS server");
    add(
        0x8024402CL,
        "WU_E_PT_WINHTTP_NAME_NOT_RESOLVED",
        "The proxy or server name could not be resolved",
        null,
        false,
        "DNS name of the WSUS server and proxy settings");
    add(
        0x80072EE2L,
        "ERROR_INTERNET_TIMEOUT",
        "The connection to the server timed out",
        null,
        false,
        "Firewall and routing to the WSUS port (8530/8531 or 80/443)");
    add(
        0x80072EE7L,
        "ERROR_INTERNET_NAME_NOT_RESOLVED",
        "The server name could not be resolved",
        null,
        false,
        "DNS name in the WUServer policy");
    add(
        0x80072EFDL,
        "ERROR_INTERNET_CANNOT_CONNECT",
        "The client could not connect to the server",
        null,
        false,
        "WSUS site bindings, firewall, and that the server listens on the port");
    add(
        0x80072EFEL,
        "ERROR_INTERNET_CONNECTION_ABORTED",
        "The connection was aborted (often TLS or a proxy)",
        null,
        false,
        "TLS configuration on both ends; proxies and SSL inspection");
    add(
        0x80072F0CL,
        "ERROR_INTERNET_CLIENT_AUTH_CERT_NEEDED",
        "The server asks for a client certificate",
        null,
        false,
        "SSL settings of the WSUS virtual directories (client certificates: Ignore)");
    add(
        0x80072F8FL,
        "ERROR_INTERNET_SECURE_FAILURE",
        "TLS failure: certificate not trusted, expired, wrong name, or clock skew",
        null,
        false,
        "WSUS certificate chain and name, client clock");
  }

  private ErrorCatalog() {}

  private static void add(
      long code, String name, String meaning, Integer http, boolean perm, String check) {
    ENTRIES.put(code, new Entry(code, name, meaning, http, perm, check));
  }

  public static Optional<Entry> find(long code) {
    return Optional.ofNullable(ENTRIES.get(code & 0xFFFFFFFFL));
  }

  public static List<Entry> all() {
    return Collections.unmodifiableList(new ArrayList<>(ENTRIES.values()));
  }

  /** The entry answering to an HTTP status, used when a log shows the status but no known code. */
  public static Optional<Entry> forHttpStatus(int status) {
    for (Entry e : ENTRIES.values()) {
      if (e.httpStatus() != null && e.httpStatus() == status && e.name().startsWith("WU_E_PT")) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /**
   * Reads a code as people type it: {@code 0x800710DD}, {@code 800710dd}, a symbolic name, or the
   * signed / unsigned decimal forms event logs show ({@code -2147020579}).
   */
  public static Optional<Long> parse(String text) {
    String t = text.trim();
    for (Entry e : ENTRIES.values()) {
      if (e.name().equalsIgnoreCase(t)) {
        return Optional.of(e.code());
      }
    }
    try {
      if (t.regionMatches(true, 0, "0x", 0, 2)) {
        return Optional.of(Long.parseLong(t.substring(2), 16) & 0xFFFFFFFFL);
      }
      if (t.matches("-\\d{1,10}")) {
        return Optional.of(Long.parseLong(t) & 0xFFFFFFFFL);
      }
      if (t.matches("[0-9A-Fa-f]{8}")) {
        return Optional.of(Long.parseLong(t, 16));
      }
      if (t.matches("\\d{1,10}")) {
        long v = Long.parseLong(t);
        if (v <= 0xFFFFFFFFL) {
          return Optional.of(v);
        }
      }
    } catch (NumberFormatException ignored) {
      // falls through to "not a code"
    }
    return Optional.empty();
  }
}
