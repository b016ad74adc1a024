package org.wsusfix.diagnose;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.wsusfix.diagnose.iisconfig.IisConfig;
import org.wsusfix.diagnose.iislog.HttpErrFinding;
import org.wsusfix.diagnose.iislog.IisLogFinding;
import org.wsusfix.diagnose.iislog.IisStatusText;
import org.wsusfix.diagnose.wulog.Endpoint;
import org.wsusfix.diagnose.wulog.ErrorCatalog;
import org.wsusfix.diagnose.wulog.ServerSetting;
import org.wsusfix.diagnose.wulog.Signature;

/** The verdict, the evidence and the next step, for people (text) and for scripts (JSON). */
public final class Report {
  private static final DateTimeFormatter TEXT_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final DateTimeFormatter JSON_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
  private static final int TEXT_ROWS = 20;

  private Report() {}

  /** One sentence: what fails, and why where the evidence says so. */
  public static String verdict(Findings f) {
    Optional<DeniedPath> top = f.deniedFolders().stream().findFirst();
    Optional<Signature> auth = f.auth401();
    Optional<Signature> perm = f.firstPermissionRelated();
    String cause = top.map(Report::cause).orElse(null);
    if (auth.isPresent()) {
      Signature s = auth.get();
      String head =
          s.code() == ErrorCatalog.INVALID_OPERATION
              ? "Clients fail with HTTP 401 / 0x800710DD"
              : "Clients fail with HTTP 401 (" + s.hex() + " " + s.name() + ")";
      return head
          + ": "
          + (cause != null
              ? cause
              : iisCause(f) != null
                  ? iisCause(f) + "; the denied folder is not in this evidence"
                  : refusal(s) + "; the denied folder is not in this evidence");
    }
    if (perm.isPresent()) {
      Signature s = perm.get();
      String head =
          "Clients fail with "
              + (s.httpStatus() != null ? "HTTP " + s.httpStatus() + " (" : "(")
              + s.hex()
              + " "
              + s.name()
              + ")";
      return head
          + ": "
          + (cause != null ? cause : refusal(s) + "; the denied folder is not in this evidence");
    }
    if (cause != null) {
      DeniedPath d = top.get();
      if (!f.iisPermission().isEmpty()) {
        IisLogFinding i = f.iisPermission().get(0);
        return "IIS refuses WSUS requests with HTTP "
            + i.statusText()
            + " on "
            + i.endpoint().prefix()
            + ": "
            + cause;
      }
      return d.process() + ": " + cause;
    }
    if (!f.iisPermission().isEmpty()) {
      IisLogFinding i = f.iisPermission().get(0);
      return "IIS refuses WSUS requests with HTTP "
          + i.statusText()
          + " on "
          + i.endpoint().prefix()
          + " ("
          + i.count()
          + (i.count() == 1 ? " request" : " requests")
          + " from "
          + i.clients()
          + (i.clients() == 1 ? " client" : " clients")
          + "): "
          + iisWho(f, i)
          + " is denied by a file-system ACL; the denied folder is not in this evidence";
    }
    if (!f.denied().isEmpty()) {
      DeniedPath d = f.denied().get(0);
      return d.process() + " (" + d.identity() + ") is denied " + d.operation() + " on " + d.path();
    }
    if (!f.privilegeNotHeld().isEmpty() || !f.badImpersonation().isEmpty()) {
      DeniedPath d =
          !f.privilegeNotHeld().isEmpty()
              ? f.privilegeNotHeld().get(0)
              : f.badImpersonation().get(0);
      return d.process()
          + " ("
          + d.identity()
          + ") fails with "
          + d.result()
          + " on "
          + d.path()
          + ": a privilege or impersonation problem, not an ACL";
    }
    if (!f.httpErrFaults().isEmpty()) {
      return f.httpErrFaults().get(0).verdict();
    }
    if (!f.iisFaults().isEmpty()) {
      return f.iisFaults().get(0).verdict();
    }
    if (!f.serverSignatures().isEmpty()) {
      Signature s = f.serverSignatures().get(0);
      return "Clients fail with "
          + s.hex()
          + " "
          + s.name()
          + ": not a permission problem ("
          + s.meaning()
          + ")";
    }
    if (!f.otherSignatures().isEmpty()) {
      Signature s = f.otherSignatures().get(0);
      return "No failure against the WSUS server: the client's "
          + (s.httpStatus() != null
              ? "HTTP " + s.httpStatus() + " (" + s.hex() + " " + s.name() + ")"
              : s.hex() + " " + s.name())
          + " was "
          + where(s)
          + unmanaged(f)
          + ", not a WSUS server permission problem";
    }
    return "No WSUS failure and no denied access found in the evidence";
  }

  /** Where a failure's requests went: the endpoint and, where known, its server. */
  private static String where(Signature s) {
    String d = s.endpoint().description();
    if (s.endpoint() == Endpoint.DOWNLOAD && !s.servers().isEmpty()) {
      d = "a Delivery Optimization / BITS download from " + String.join(", ", s.servers());
    } else if (!s.servers().isEmpty()) {
      d = d + " (" + String.join(", ", s.servers()) + ")";
    }
    return "against " + d;
  }

  /** " while the client had no WSUS server" where the logs say so throughout. */
  private static String unmanaged(Findings f) {
    return !f.wsusSettings().isEmpty()
            && f.wsusSettings().stream().noneMatch(ServerSetting::managed)
        ? " (the client has no WSUS server)"
        : "";
  }

  private static String refusal(Signature s) {
    if (s.endpoint() == Endpoint.UPDATE_SERVER) {
      return "the update server refuses the request (the log does not say whether the client uses"
          + " WSUS; look for 'WSUS server:' in a longer log)";
    }
    Integer http = s.httpStatus();
    if (http == null) {
      return "the WSUS server rejects the request";
    }
    switch (http) {
      case 401:
        return "IIS on the WSUS server refuses the request";
      case 403:
        return s.endpoint() == Endpoint.WSUS_CONTENT
            ? "the WSUS server forbids the content download"
            : "the WSUS server forbids the request";
      default:
        return "the WSUS web service fails on the server";
    }
  }

  /** Who IIS says is refused, from the log's first ACL refusal and the configuration. */
  private static String iisCause(Findings f) {
    if (f.iisPermission().isEmpty()) {
      return null;
    }
    IisLogFinding i = f.iisPermission().get(0);
    String what =
        "IIS logs " + i.statusText() + " (access denied by an ACL) on " + i.endpoint().prefix();
    return what + ": " + iisWho(f, i) + " is refused";
  }

  private static String iisWho(Findings f, IisLogFinding i) {
    IisConfig.Identity who = servingIdentity(f, i);
    if (who == null) {
      return "the account IIS runs these requests as";
    }
    String d = IisAccounts.describe(who.account());
    // An empty anonymous userName makes the pool identity serve anonymous requests too.
    return who.role() == IisConfig.Role.ANONYMOUS
            && IisAccounts.kind(who.account()) == IisAccounts.Kind.POOL
        ? IisAccounts.account(who.account())
            + " (the pool identity, which also serves anonymous requests"
            + " here)"
        : d;
  }

  /** The account a request to the endpoint runs as, per the configuration; null when unknown. */
  static IisConfig.Identity servingIdentity(Findings f, IisLogFinding i) {
    if (f.iisConfig() == null) {
      return null;
    }
    return f.iisConfig()
        .forEndpoint(i.endpoint())
        .map(IisConfig.Application::anonymous)
        .or(
            () ->
                f.iisConfig().fallback().stream()
                    .filter(x -> x.role() == IisConfig.Role.ANONYMOUS)
                    .findFirst())
        .orElse(null);
  }

  private static String cause(DeniedPath d) {
    return IisAccounts.describe(d.identity())
        + " is denied "
        + (d.asksWrite() ? "write" : "read")
        + " on "
        + d.path();
  }

  public static String nextStep(Findings f, String policyOut) {
    if (!f.deniedFolders().isEmpty()) {
      return policyOut != null
          ? "Review " + policyOut + ", then run: wsusfix plan -p " + policyOut
          : "Suggest a policy with --emit-policy fix.yaml, review it, then run: wsusfix plan -p fix.yaml";
    }
    if (PolicySuggester.hasSuggestion(f) && f.iisPermission().isEmpty()) {
      // only IIS settings and user rights: no folder to look for
      return policyOut != null
          ? "Review "
              + policyOut
              + ", then run: wsusfix plan -p "
              + policyOut
              + " (it names the configuration line to change; apply makes the edit)"
          : "Suggest the IIS settings with --emit-policy fix.yaml, review it, then run: wsusfix plan -p"
              + " fix.yaml";
    }
    if (PolicySuggester.hasSuggestion(f)) {
      return policyOut != null
          ? "Review "
              + policyOut
              + ", then run: wsusfix plan -p "
              + policyOut
              + "; if clients still fail, capture Process Monitor on the server to find the other"
              + " denied folders"
          : "Suggest a policy for the service folders with --emit-policy fix.yaml, review it, then run:"
              + " wsusfix plan -p fix.yaml";
    }
    if (!f.iisPermission().isEmpty() && f.iisConfig() == null) {
      return "Give the server's applicationHost.config (or MetaBase.xml) with --iis-config to learn"
          + " which identity is refused, and capture Process Monitor on the WSUS server while a client"
          + " syncs (filter Result is ACCESS DENIED), then run: wsusfix diagnose --procmon CAPTURE.PML";
    }
    if (!f.denied().isEmpty() && f.firstPermissionRelated().isEmpty()) {
      return "The denied objects are registry keys or other non-file objects, which policies do not"
          + " manage; check their permissions with regedit or the owning service";
    }
    if (f.firstPermissionRelated().isPresent() || !f.iisPermission().isEmpty()) {
      return "Capture Process Monitor on the WSUS server while a client syncs (filter Process Name is"
          + " w3wp.exe, Result is ACCESS DENIED), save it and run: wsusfix diagnose --procmon"
          + " CAPTURE.PML";
    }
    if (!f.privilegeNotHeld().isEmpty() || !f.badImpersonation().isEmpty()) {
      return "Check the user rights (secpol.msc) and the impersonation settings of the process shown;"
          + " a folder ACL will not fix this";
    }
    if (!f.httpErrFaults().isEmpty()) {
      HttpErrFinding h = f.httpErrFaults().get(0);
      String pool = h.queue().isEmpty() ? "the WSUS application pool (WsusPool)" : h.queue();
      return switch (h.cause()) {
        case POOL_STOPPED ->
            "Start "
                + pool
                + " (IIS Manager, Application Pools, or Start-WebAppPool)"
                + " and find why it stopped in the System event log (WAS: rapid-fail protection, identity"
                + " password); on WSUS raise its Private Memory Limit (Advanced Settings)";
        case POOL_OVERLOADED ->
            "Raise the Queue Length and the Private Memory Limit of "
                + pool
                + " (Advanced Settings); check the System event log for recycling and the server's"
                + " memory";
        default ->
            "Check the System and Application event logs for "
                + pool
                + "'s worker process"
                + " (crashes, recycling); then run diagnose again with the IIS logs of the same time";
      };
    }
    if (!f.iisFaults().isEmpty()) {
      return iisNextStep(f.iisFaults().get(0));
    }
    if (!f.serverSignatures().isEmpty()) {
      Signature s = f.serverSignatures().get(0);
      return ErrorCatalog.find(s.code())
          .map(ErrorCatalog.Entry::check)
          .orElse("See wsusfix explain " + s.hex());
    }
    if (!f.otherSignatures().isEmpty()) {
      Signature s = f.otherSignatures().get(0);
      if (s.endpoint() == Endpoint.PROXY) {
        return ErrorCatalog.find(s.code()).map(ErrorCatalog.Entry::check).orElse("Check the proxy");
      }
      return "Nothing to fix on a WSUS server; if the client should use one, check its WUServer"
          + " policy (gpresult /h, HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate), otherwise"
          + " the network path (proxy, firewall, TLS inspection) to "
          + (s.servers().isEmpty()
              ? "Microsoft's update and download servers"
              : String.join(", ", s.servers()));
    }
    return "Nothing to fix from this evidence";
  }

  private static String iisNextStep(IisLogFinding i) {
    return switch (i.kind()) {
      case UNANSWERED_401 ->
          "Check the authentication settings of "
              + i.endpoint().prefix()
              + " in IIS Manager (WSUS clients need Anonymous authentication enabled) and the clients'"
              + " credentials; a folder ACL is not the first suspect";
      case FORBIDDEN ->
          i.subStatus() == 4 || i.subStatus() == 5
              ? "Either point the clients at the HTTPS URL (port 8531) or clear Require SSL on "
                  + i.endpoint().prefix()
                  + " in IIS Manager"
              : "Check the IIS settings of "
                  + i.endpoint().prefix()
                  + " for: "
                  + IisStatusText.meaning(i.status(), Math.max(0, i.subStatus()));
      case UNAVAILABLE ->
          "Start the WsusPool application pool and raise its Private Memory Limit"
              + " (Advanced Settings); check the System event log for WAS errors and the HTTPERR log";
      default ->
          "Check the Application event log and the web.config of "
              + i.endpoint().prefix()
              + " for: "
              + IisStatusText.meaning(i.status(), Math.max(0, i.subStatus()));
    };
  }

  public static String text(Findings f, String policyOut) {
    return text(f, policyOut, null);
  }

  /**
   * @param audit the configuration held against its shipped policy, or null when there is none to
   *     show
   */
  public static String text(Findings f, String policyOut, ConfigAudit audit) {
    StringBuilder sb = new StringBuilder();
    sb.append(verdict(f)).append('\n');
    if (!f.signatures().isEmpty()) {
      sb.append("\nClient log evidence:\n");
      for (Signature s : f.signatures()) {
        sb.append("  ").append(s.hex()).append(' ').append(s.name());
        if (s.httpStatus() != null) {
          sb.append(" (HTTP ").append(s.httpStatus()).append(')');
        }
        sb.append(
                !s.againstWsus()
                    ? "  not the WSUS server"
                    : s.permissionRelated() ? "  server permissions" : "  not permissions")
            .append('\n');
        sb.append("    to ").append(s.endpoint().description()).append('\n');
        sb.append("    ")
            .append(s.count())
            .append(s.count() == 1 ? " attempt" : " attempts")
            .append(", ")
            .append(s.lines())
            .append(s.lines() == 1 ? " line" : " lines")
            .append(", ")
            .append(time(s.firstSeen(), TEXT_TIME));
        if (!s.lastSeen().equals(s.firstSeen())) {
          sb.append(" .. ").append(time(s.lastSeen(), TEXT_TIME));
        }
        sb.append('\n');
        if (!s.servers().isEmpty()) {
          sb.append("    server ").append(String.join(", ", s.servers())).append('\n');
        }
        if (!s.agentBuilds().isEmpty()) {
          sb.append("    agent ").append(String.join(", ", s.agentBuilds())).append('\n');
        }
        sb.append("    ").append(s.meaning()).append('\n');
      }
    }
    if (!f.wsusSettings().isEmpty()) {
      sb.append("\nWSUS server setting of the client:\n");
      for (ServerSetting w : f.wsusSettings()) {
        sb.append("  lines ")
            .append(w.firstLine())
            .append('-')
            .append(w.lastLine())
            .append("  ")
            .append(w.managed() ? w.server() : "none (Microsoft Update)");
        if (w.statusServer() != null && !w.statusServer().equals(w.server())) {
          sb.append(", status server ").append(w.statusServer());
        }
        sb.append('\n');
      }
    }
    iisText(sb, f);
    if (audit != null && !audit.behind(f).isEmpty()) {
      sb.append("\nIIS configuration behind these failures (held against ")
          .append(audit.policy())
          .append("):\n");
      for (org.wsusfix.resource.iis.IisAudit.Check c : audit.behind(f)) {
        sb.append("  ")
            .append(c.application())
            .append(' ')
            .append(c.setting())
            .append(" is ")
            .append(c.actual().isEmpty() ? "''" : c.actual())
            .append(", expected ")
            .append(c.expected())
            .append("  (")
            .append(c.setAt() == null ? "IIS default: nothing sets it" : c.setAt())
            .append(")\n");
      }
    }
    if (!f.httpErr().isEmpty()) {
      sb.append("\nHTTP.sys error log evidence:\n");
      for (HttpErrFinding h : f.httpErr()) {
        sb.append("  ")
            .append(h.count())
            .append("x  ")
            .append(h.status() > 0 ? h.status() + " " : "")
            .append(h.reason())
            .append("  ")
            .append(h.where())
            .append("  ")
            .append(h.queue().isEmpty() ? "(no queue)" : h.queue())
            .append("  ")
            .append(h.clients())
            .append(h.clients() == 1 ? " client" : " clients")
            .append(", ")
            .append(time(h.firstSeen(), TEXT_TIME));
        if (!h.lastSeen().equals(h.firstSeen())) {
          sb.append(" .. ").append(time(h.lastSeen(), TEXT_TIME));
        }
        sb.append(" UTC\n      ").append(h.verdict()).append('\n');
      }
    }
    section(sb, "Denied accesses (Process Monitor)", f.denied());
    section(sb, "PRIVILEGE NOT HELD (a user right, not an ACL)", f.privilegeNotHeld());
    section(sb, "BAD IMPERSONATION (impersonation level, not an ACL)", f.badImpersonation());
    sb.append("\nNext step: ").append(nextStep(f, policyOut)).append('\n');
    return sb.toString();
  }

  private static void iisText(StringBuilder sb, Findings f) {
    if (!f.iis().isEmpty()) {
      sb.append("\nIIS log evidence:\n");
      long handshakes = 0;
      for (IisLogFinding i : f.iis()) {
        if (!i.kind().fault()) {
          handshakes += i.count();
          continue;
        }
        sb.append("  ")
            .append(i.count())
            .append("x  HTTP ")
            .append(i.statusText())
            .append("  ")
            .append(i.endpoint().prefix())
            .append("  ")
            .append(i.clients())
            .append(i.clients() == 1 ? " client" : " clients")
            .append(", ")
            .append(time(i.firstSeen(), TEXT_TIME));
        if (!i.lastSeen().equals(i.firstSeen())) {
          sb.append(" .. ").append(time(i.lastSeen(), TEXT_TIME));
        }
        sb.append(" UTC\n");
        sb.append("      win32 status ").append(win32Text(i)).append('\n');
        sb.append("      ").append(i.verdict()).append('\n');
      }
      if (handshakes > 0) {
        sb.append("  (")
            .append(handshakes)
            .append(handshakes == 1 ? " 401 was" : " 401s were")
            .append(" the normal authentication challenge, answered by a 200; not counted)\n");
      }
    }
    if (f.iisConfig() != null) {
      IisConfig c = f.iisConfig();
      sb.append("\nIdentities IIS uses (")
          .append(c.iisVersion() == 6 ? "IIS 6 metabase" : "applicationHost.config")
          .append("):\n");
      for (IisConfig.Application a : c.applications()) {
        sb.append("  ")
            .append(a.site())
            .append(a.path())
            .append("  anonymous ")
            .append(a.anonymous().account())
            .append(", pool ")
            .append(a.pool())
            .append(" as ")
            .append(a.poolIdentity().account())
            .append('\n');
      }
      for (IisConfig.Identity i : c.identities()) {
        sb.append("    ")
            .append(i.role() == IisConfig.Role.ANONYMOUS ? "anonymous " : "pool      ")
            .append(i.account())
            .append(i.sid() != null ? " (" + i.sid() + ")" : "")
            .append(": ")
            .append(i.source())
            .append('\n');
      }
    }
  }

  private static String win32Text(IisLogFinding i) {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<Long, Long> w : i.win32().entrySet()) {
      parts.add(
          w.getKey() < 0
              ? "not logged"
              : IisStatusText.win32(w.getKey())
                  + (i.win32().size() > 1 ? " x" + w.getValue() : ""));
    }
    return String.join(", ", parts);
  }

  private static void section(StringBuilder sb, String title, List<DeniedPath> rows) {
    if (rows.isEmpty()) {
      return;
    }
    sb.append('\n').append(title).append(":\n");
    int shown = 0;
    for (DeniedPath d : rows) {
      if (shown++ == TEXT_ROWS) {
        sb.append("  ... ").append(rows.size() - TEXT_ROWS).append(" more (see --json)\n");
        break;
      }
      sb.append("  ")
          .append(d.count())
          .append("x  ")
          .append(d.process())
          .append("  ")
          .append(d.identity().isEmpty() ? "(user unknown)" : d.identity())
          .append("  ")
          .append(d.operation())
          .append("  ")
          .append(d.path())
          .append('\n');
      if (d.access() != null) {
        sb.append("      asked: ").append(d.access()).append('\n');
      }
      if (!d.example().equalsIgnoreCase(d.path())) {
        sb.append("      e.g. ").append(d.example()).append('\n');
      }
    }
  }

  private static String time(LocalDateTime t, DateTimeFormatter f) {
    return t == null ? null : f.format(t);
  }

  public static String json(Findings f, String policyOut) {
    return json(f, policyOut, null);
  }

  /**
   * @param audit as for {@link #text(Findings, String, ConfigAudit)}: its checks behind the
   *     failures as {@code iisConfigChecks}
   */
  public static String json(Findings f, String policyOut, ConfigAudit audit) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("verdict", verdict(f));
    List<Object> sigs = new ArrayList<>();
    for (Signature s : f.signatures()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("code", s.hex());
      m.put("name", s.name());
      m.put("httpStatus", s.httpStatus());
      m.put("count", s.count());
      m.put("lines", s.lines());
      m.put("permissionRelated", s.permissionRelated());
      m.put("endpoint", s.endpoint().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
      m.put("againstWsus", s.againstWsus());
      m.put("meaning", s.meaning());
      m.put("firstSeen", time(s.firstSeen(), JSON_TIME));
      m.put("lastSeen", time(s.lastSeen(), JSON_TIME));
      m.put("servers", s.servers());
      m.put("agentBuilds", s.agentBuilds());
      m.put("files", s.files());
      sigs.add(m);
    }
    root.put("signatures", sigs);
    List<Object> settings = new ArrayList<>();
    for (ServerSetting w : f.wsusSettings()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("file", w.file());
      m.put("server", w.server());
      m.put("statusServer", w.statusServer());
      m.put("firstLine", w.firstLine());
      m.put("lastLine", w.lastLine());
      settings.add(m);
    }
    root.put("wsusServers", settings);
    root.put("deniedPaths", rows(f.denied()));
    root.put("privilegeNotHeld", rows(f.privilegeNotHeld()));
    root.put("badImpersonation", rows(f.badImpersonation()));
    List<Object> iis = new ArrayList<>();
    for (IisLogFinding i : f.iis()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("endpoint", i.endpoint().prefix());
      m.put("example", i.example());
      m.put("kind", i.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
      m.put("httpStatus", i.status());
      m.put("subStatus", i.subStatus() < 0 ? null : i.subStatus());
      m.put("permissionRelated", i.permissionRelated());
      m.put("fault", i.kind().fault());
      m.put("count", i.count());
      m.put("clients", i.clients());
      m.put("firstSeen", time(i.firstSeen(), JSON_TIME));
      m.put("lastSeen", time(i.lastSeen(), JSON_TIME));
      List<Object> w32 = new ArrayList<>();
      for (Map.Entry<Long, Long> w : i.win32().entrySet()) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("code", w.getKey() < 0 ? null : w.getKey());
        e.put("text", w.getKey() < 0 ? "not logged" : IisStatusText.win32(w.getKey()));
        e.put("count", w.getValue());
        w32.add(e);
      }
      m.put("win32Status", w32);
      m.put("verdict", i.verdict());
      IisConfig.Identity who = servingIdentity(f, i);
      m.put("identity", who == null ? null : who.account());
      m.put("files", i.files());
      m.put("sites", i.sites());
      iis.add(m);
    }
    root.put("iis", iis);
    List<Object> httpErr = new ArrayList<>();
    for (HttpErrFinding h : f.httpErr()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("endpoint", h.endpoint() == null ? null : h.endpoint().prefix());
      m.put("url", h.url());
      m.put("httpStatus", h.status() < 0 ? null : h.status());
      m.put("reason", h.reason());
      m.put("queue", h.queue());
      m.put("cause", h.cause().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
      m.put("fault", h.fault());
      m.put("count", h.count());
      m.put("clients", h.clients());
      m.put("firstSeen", time(h.firstSeen(), JSON_TIME));
      m.put("lastSeen", time(h.lastSeen(), JSON_TIME));
      m.put("verdict", h.verdict());
      m.put("files", h.files());
      httpErr.add(m);
    }
    root.put("httpErr", httpErr);
    List<Object> ids = new ArrayList<>();
    if (f.iisConfig() != null) {
      for (IisConfig.Identity i : f.iisConfig().identities()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("account", i.account());
        m.put("sid", i.sid());
        m.put("role", i.role().name().toLowerCase(java.util.Locale.ROOT));
        m.put("source", i.source());
        List<String> where = new ArrayList<>();
        for (IisConfig.Application a : f.iisConfig().applications()) {
          if (a.anonymous() == i
              || a.poolIdentity() == i
              || (i.role() == IisConfig.Role.ANONYMOUS ? a.anonymous() : a.poolIdentity())
                  .account()
                  .equalsIgnoreCase(i.account())) {
            where.add(a.site() + a.path());
          }
        }
        m.put("applications", where);
        ids.add(m);
      }
    }
    root.put("iisIdentities", ids);
    root.put("nextStep", nextStep(f, policyOut));
    root.put("policy", policyOut);
    if (audit != null) {
      List<Object> checks = new ArrayList<>();
      for (org.wsusfix.resource.iis.IisAudit.Check c : audit.behind(f)) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("policy", audit.policy());
        m.put("application", c.application());
        m.put("setting", c.setting());
        m.put("expected", c.expected());
        m.put("actual", c.actual());
        m.put("setAt", c.setAt());
        checks.add(m);
      }
      root.put("iisConfigChecks", checks);
    }
    return JsonText.write(root) + "\n";
  }

  private static List<Object> rows(List<DeniedPath> list) {
    List<Object> out = new ArrayList<>();
    for (DeniedPath d : list) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("process", d.process());
      m.put("identity", d.identity());
      m.put("processUser", d.processUser());
      m.put("path", d.path());
      m.put("operation", d.operation());
      m.put("result", d.result());
      m.put("access", d.access());
      m.put("count", d.count());
      m.put("example", d.example());
      m.put("fileSystem", d.fileSystem());
      out.add(m);
    }
    return out;
  }
}
