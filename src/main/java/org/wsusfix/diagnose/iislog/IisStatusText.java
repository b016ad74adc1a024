package org.wsusfix.diagnose.iislog;

import java.util.Map;

/** What IIS status codes, sub-status codes and win32 status codes mean for a WSUS server. */
public final class IisStatusText {
  /** ERROR_ACCESS_DENIED: the file-system (or registry) ACL refused the identity. */
  public static final long WIN32_ACCESS_DENIED = 5;

  private IisStatusText() {}

  private static final Map<String, String> MEANINGS =
      Map.ofEntries(
          Map.entry("401.0", "access denied (no sub-status)"),
          Map.entry("401.1", "logon failed: the credentials were not accepted"),
          Map.entry(
              "401.2",
              "logon failed: no authentication method the client offered is enabled (the first leg of a challenge)"),
          Map.entry(
              "401.3",
              "access denied by the ACL on the requested resource: the identity IIS uses cannot read it"),
          Map.entry("401.4", "authorization failed by a filter"),
          Map.entry("401.5", "authorization failed by an ISAPI or CGI application"),
          Map.entry("403.0", "forbidden"),
          Map.entry(
              "403.1",
              "execute access forbidden: the handler's access policy does not allow scripts or executables"),
          Map.entry("403.2", "read access forbidden by the handler's access policy"),
          Map.entry("403.3", "write access forbidden"),
          Map.entry("403.4", "SSL required: the endpoint demands HTTPS and the client used HTTP"),
          Map.entry("403.5", "SSL 128-bit required"),
          Map.entry("403.6", "the client IP address is rejected by IP restrictions"),
          Map.entry("403.7", "a client certificate is required"),
          Map.entry("403.8", "site access denied by a domain-name restriction"),
          Map.entry("403.9", "too many concurrent users"),
          Map.entry("403.10", "invalid configuration"),
          Map.entry("403.12", "the certificate mapping denied access"),
          Map.entry("403.13", "the client certificate is revoked"),
          Map.entry(
              "403.14", "directory listing denied: no default document for the requested folder"),
          Map.entry("403.16", "the client certificate is untrusted or invalid"),
          Map.entry("403.17", "the client certificate has expired or is not yet valid"),
          Map.entry("403.18", "the request cannot run in this application pool"),
          Map.entry("403.19", "CGI cannot run for this client in this application pool"),
          Map.entry("403.501", "refused by dynamic IP restrictions: too many concurrent requests"),
          Map.entry(
              "403.502", "refused by dynamic IP restrictions: too many requests in a short time"),
          Map.entry("403.503", "refused by IP restrictions"),
          Map.entry("500.0", "the web service failed (module or ASP.NET error)"),
          Map.entry("500.11", "the application is shutting down"),
          Map.entry("500.12", "the application is busy restarting"),
          Map.entry("500.13", "the web server is too busy"),
          Map.entry(
              "500.19",
              "the configuration data is invalid or cannot be read (web.config or applicationHost.config)"),
          Map.entry("500.21", "a module in the configuration is not recognised"),
          Map.entry("500.22", "an ASP.NET setting does not apply in integrated pipeline mode"),
          Map.entry(
              "500.23", "an ASP.NET handler setting does not apply in integrated pipeline mode"),
          Map.entry(
              "500.24",
              "an ASP.NET impersonation setting does not apply in integrated pipeline mode"),
          Map.entry("502.3", "bad gateway: the upstream request timed out or failed"),
          Map.entry(
              "503.0",
              "service unavailable: the application pool is stopped or disabled (rapid-fail protection or the private memory limit)"),
          Map.entry("503.2", "service unavailable: the concurrent request limit is exceeded"),
          Map.entry("503.3", "service unavailable: the ASP.NET queue is full"),
          Map.entry("503.4", "service unavailable: the FastCGI queue is full"));

  private static final Map<Long, String> WIN32 =
      Map.ofEntries(
          Map.entry(0L, "success"),
          Map.entry(2L, "file not found"),
          Map.entry(3L, "path not found"),
          Map.entry(5L, "access denied"),
          Map.entry(13L, "invalid data"),
          Map.entry(64L, "the client closed the connection"),
          Map.entry(121L, "timeout"),
          Map.entry(995L, "operation aborted"),
          Map.entry(1236L, "connection aborted by the client"),
          Map.entry(1326L, "unknown user name or bad password"),
          Map.entry(1330L, "password expired"),
          Map.entry(1331L, "account disabled"),
          Map.entry(1909L, "account locked out"),
          Map.entry(2148074252L, "SEC_E_LOGON_DENIED: logon denied"),
          Map.entry(2148074254L, "SEC_E_NO_CREDENTIALS: no credentials yet (challenge)"));

  /** What status.substatus means; never null. */
  public static String meaning(int status, int subStatus) {
    String m = MEANINGS.get(status + "." + subStatus);
    if (m != null) {
      return m;
    }
    return switch (status) {
      case 401 -> "access denied";
      case 403 -> "forbidden";
      case 500 -> "the web service failed";
      case 502 -> "bad gateway";
      case 503 -> "service unavailable: the application pool is stopped or overloaded";
      default -> "HTTP " + status;
    };
  }

  /** Name of a win32 status as IIS logs it (decimal), e.g. "5 access denied". */
  public static String win32(long code) {
    String name = WIN32.get(code);
    return name == null ? Long.toString(code) : code + " " + name;
  }

  /** Whether the record shows the file-system ACL refusing the identity IIS runs the request as. */
  public static boolean permissionDenied(int status, int subStatus, long win32) {
    if (status == 401) {
      // 401.1 and 401.2 carry win32 status 5 too (the anonymous first leg of every NTLM challenge
      // is logged "401 2 5"): only 401.3, or a 401 whose log has no sub-status, is the ACL.
      return subStatus == 3 || subStatus < 1 && win32 == WIN32_ACCESS_DENIED;
    }
    // 500.19 with access denied: the configuration file itself cannot be read.
    return status == 500 && win32 == WIN32_ACCESS_DENIED;
  }
}
