package org.wsusfix.diagnose;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The verdict, the evidence and the next step, for people (text) and for scripts (JSON). */
public final class Report {
  private static final DateTimeFormatter TEXT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final DateTimeFormatter JSON_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
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
      return head + ": " + (cause != null ? cause
          : refusal(401) + "; the denied folder is not in this evidence");
    }
    if (perm.isPresent()) {
      Signature s = perm.get();
      String head = "Clients fail with " + (s.httpStatus() != null ? "HTTP " + s.httpStatus() + " (" : "(")
          + s.hex() + " " + s.name() + ")";
      return head + ": " + (cause != null ? cause : refusal(s.httpStatus())
          + "; the denied folder is not in this evidence");
    }
    if (cause != null) {
      DeniedPath d = top.get();
      return d.process() + ": " + cause;
    }
    if (!f.denied().isEmpty()) {
      DeniedPath d = f.denied().get(0);
      return d.process() + " (" + d.identity() + ") is denied " + d.operation() + " on " + d.path();
    }
    if (!f.privilegeNotHeld().isEmpty() || !f.badImpersonation().isEmpty()) {
      DeniedPath d =
          !f.privilegeNotHeld().isEmpty() ? f.privilegeNotHeld().get(0) : f.badImpersonation().get(0);
      return d.process() + " (" + d.identity() + ") fails with " + d.result() + " on " + d.path()
          + ": a privilege or impersonation problem, not an ACL";
    }
    if (!f.signatures().isEmpty()) {
      Signature s = f.signatures().get(0);
      return "Clients fail with " + s.hex() + " " + s.name() + ": not a permission problem ("
          + s.meaning() + ")";
    }
    return "No WSUS failure and no denied access found in the evidence";
  }

  private static String refusal(Integer http) {
    if (http == null) {
      return "the WSUS server rejects the request";
    }
    switch (http) {
      case 401:
        return "IIS on the WSUS server refuses the request";
      case 403:
        return "the WSUS server forbids the request";
      default:
        return "the WSUS web service fails on the server";
    }
  }

  private static String cause(DeniedPath d) {
    return Identities.describe(d.identity()) + " is denied " + (d.asksWrite() ? "write" : "read")
        + " on " + d.path();
  }

  public static String nextStep(Findings f, String policyOut) {
    if (!f.deniedFolders().isEmpty()) {
      return policyOut != null
          ? "Review " + policyOut + ", then run: wsusfix plan -p " + policyOut
          : "Suggest a policy with --emit-policy fix.yaml, review it, then run: wsusfix plan -p fix.yaml";
    }
    if (!f.denied().isEmpty() && f.firstPermissionRelated().isEmpty()) {
      return "The denied objects are registry keys or other non-file objects, which policies do not"
          + " manage; check their permissions with regedit or the owning service";
    }
    if (f.firstPermissionRelated().isPresent()) {
      return "Capture Process Monitor on the WSUS server while a client syncs (filter Process Name is"
          + " w3wp.exe, Result is ACCESS DENIED), save it and run: wsusfix diagnose --procmon"
          + " CAPTURE.PML";
    }
    if (!f.privilegeNotHeld().isEmpty() || !f.badImpersonation().isEmpty()) {
      return "Check the user rights (secpol.msc) and the impersonation settings of the process shown;"
          + " a folder ACL will not fix this";
    }
    if (!f.signatures().isEmpty()) {
      Signature s = f.signatures().get(0);
      return ErrorCatalog.find(s.code()).map(ErrorCatalog.Entry::check).orElse("See wsusfix explain "
          + s.hex());
    }
    return "Nothing to fix from this evidence";
  }

  public static String text(Findings f, String policyOut) {
    StringBuilder sb = new StringBuilder();
    sb.append(verdict(f)).append('\n');
    if (!f.signatures().isEmpty()) {
      sb.append("\nClient log evidence:\n");
      for (Signature s : f.signatures()) {
        sb.append("  ").append(s.hex()).append(' ').append(s.name());
        if (s.httpStatus() != null) {
          sb.append(" (HTTP ").append(s.httpStatus()).append(')');
        }
        sb.append(s.permissionRelated() ? "  server permissions" : "  not permissions").append('\n');
        sb.append("    ").append(s.count()).append(s.count() == 1 ? " attempt" : " attempts")
            .append(", ").append(s.lines()).append(s.lines() == 1 ? " line" : " lines")
            .append(", ").append(time(s.firstSeen(), TEXT_TIME));
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
    section(sb, "Denied accesses (Process Monitor)", f.denied());
    section(sb, "PRIVILEGE NOT HELD (a user right, not an ACL)", f.privilegeNotHeld());
    section(sb, "BAD IMPERSONATION (impersonation level, not an ACL)", f.badImpersonation());
    sb.append("\nNext step: ").append(nextStep(f, policyOut)).append('\n');
    return sb.toString();
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
      sb.append("  ").append(d.count()).append("x  ").append(d.process()).append("  ")
          .append(d.identity().isEmpty() ? "(user unknown)" : d.identity()).append("  ")
          .append(d.operation()).append("  ").append(d.path()).append('\n');
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
      m.put("meaning", s.meaning());
      m.put("firstSeen", time(s.firstSeen(), JSON_TIME));
      m.put("lastSeen", time(s.lastSeen(), JSON_TIME));
      m.put("servers", s.servers());
      m.put("agentBuilds", s.agentBuilds());
      m.put("files", s.files());
      sigs.add(m);
    }
    root.put("signatures", sigs);
    root.put("deniedPaths", rows(f.denied()));
    root.put("privilegeNotHeld", rows(f.privilegeNotHeld()));
    root.put("badImpersonation", rows(f.badImpersonation()));
    root.put("nextStep", nextStep(f, policyOut));
    root.put("policy", policyOut);
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
