package org.wsusfix.diagnose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.wsusfix.diagnose.iisconfig.IisConfig;
import org.wsusfix.diagnose.iislog.IisLogFinding;

/**
 * Writes a wsusfix/v1 policy that grants what the evidence shows to be missing and nothing more:
 * Read &amp; Execute (OI|CI) for BUILTIN\Users on denied folders under %windir% (their default),
 * the denied account itself elsewhere, Modify for that account where it asked to write; a
 * forbidDeny check for the account and Users; Users membership for an IIS 6 anonymous account;
 * and an {@code expect} entry per folder so plan proves the account really gets in.
 */
public final class PolicySuggester {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z][A-Za-z0-9 _.\\\\-]*");

  private PolicySuggester() {}

  private static final class Rule {
    final String path;
    final Map<String, String> grants = new LinkedHashMap<>();
    final Set<String> forbidDeny = new LinkedHashSet<>();
    final List<String> reasons = new ArrayList<>();
    final Set<String> why = new LinkedHashSet<>();

    Rule(String path) {
      this.path = path;
    }
  }

  private record Expect(String identity, String path, String access, String logon) {}

  /** True when the findings hold anything a policy can fix. */
  public static boolean hasSuggestion(Findings f) {
    return !f.deniedFolders().isEmpty() || !iisFolders(f).isEmpty();
  }

  /** An endpoint refused by an ACL in the IIS log whose folder the configuration names. */
  private record IisFolder(IisLogFinding log, IisConfig.Application app) {}

  private static List<IisFolder> iisFolders(Findings f) {
    List<IisFolder> out = new ArrayList<>();
    if (f.iisConfig() == null) {
      return out;
    }
    for (IisLogFinding i : f.iisPermission()) {
      f.iisConfig().forEndpoint(i.endpoint())
          .filter(a -> a.physicalPath() != null && !a.physicalPath().isBlank())
          .ifPresent(a -> out.add(new IisFolder(i, a)));
    }
    return out;
  }

  /**
   * How a policy names an account the IIS configuration gave: built-in names and SIDs resolve on
   * every target; the virtual account IIS APPPOOL\pool is written as its SID, which follows from
   * the pool name.
   */
  static String trustee(IisConfig.Identity i, String computerName) {
    if (i.sid() != null && i.sid().startsWith("S-1-5-82-")) {
      return i.sid();
    }
    if ("S-1-5-18".equals(i.sid())) {
      return "NT AUTHORITY\\SYSTEM";
    }
    return IisAccounts.trustee(i.account(), computerName);
  }

  public static String yaml(Findings f, List<String> evidence) {
    // Sorted by path, so a folder comes before the folders below it.
    Map<String, Rule> rules = new java.util.TreeMap<>();
    Map<String, Expect> expects = new java.util.TreeMap<>();
    Map<String, String> iis6 = new LinkedHashMap<>();
    for (DeniedPath d : f.deniedFolders()) {
      String path = Folders.policyPath(d.path(), f.windowsDir());
      String key = path.toLowerCase(Locale.ROOT);
      Rule r = rules.computeIfAbsent(key, k -> new Rule(path));
      boolean known = !d.identity().isBlank();
      String who = IisAccounts.trustee(d.identity(), f.computerName());
      boolean write = d.asksWrite();
      String rights = write ? "Modify" : "ReadAndExecute";
      String grantee;
      if (write) {
        if (!known) {
          r.reasons.add(d.process() + " (account unknown): " + d.operation() + " " + d.result()
              + " x" + d.count() + " asked to write; add the account by hand");
          continue;
        }
        grantee = who;
        r.why.add(who + " asked to write here; Modify is granted to that account only");
      } else if (path.startsWith("%windir%") || !known) {
        grantee = "BUILTIN\\Users";
        r.why.add(path.startsWith("%windir%")
            ? "BUILTIN\\Users has Read & Execute under %windir% by default; restore it"
            : "the account is unknown, so Users gets Read & Execute");
      } else {
        grantee = who;
        r.why.add(who + " needs Read & Execute here");
      }
      String before = r.grants.get(grantee);
      if (before == null || "ReadAndExecute".equals(before)) {
        r.grants.put(grantee, rights);
      }
      r.reasons.add(d.process() + " as " + (known ? d.identity() : "an unknown account") + ": "
          + d.operation() + " " + d.result() + " x" + d.count()
          + (d.access() != null ? " (asked: " + d.access() + ")" : ""));
      if (known) {
        r.forbidDeny.add(who);
      }
      r.forbidDeny.add("BUILTIN\\Users");
      if (known) {
        String ek = key + "\u0000" + who.toLowerCase(Locale.ROOT);
        Expect old = expects.get(ek);
        if (old == null || old.access().equals("ReadAndExecute")) {
          expects.put(ek, new Expect(who, path, rights, IisAccounts.logon(d.identity())));
        }
        if (IisAccounts.kind(d.identity()) == IisAccounts.Kind.ANONYMOUS_IIS6) {
          iis6.put(who, IisAccounts.account(d.identity()));
        }
      }
    }
    List<String> idNotes = new ArrayList<>();
    for (IisFolder x : iisFolders(f)) {
      String path = Folders.policyPath(x.app().physicalPath(), f.windowsDir());
      String key = path.toLowerCase(Locale.ROOT);
      Rule r = rules.computeIfAbsent(key, k -> new Rule(path));
      IisConfig.Identity who = x.app().anonymous();
      String t = trustee(who, f.computerName());
      IisLogFinding i = x.log();
      r.reasons.add("IIS log: HTTP " + i.statusText() + " on " + i.endpoint().prefix() + " x"
          + i.count() + " from " + i.clients() + (i.clients() == 1 ? " client" : " clients")
          + " (access denied by an ACL)");
      r.why.add(x.app().site() + x.app().path() + " serves this folder and runs anonymous requests as "
          + who.account() + " (" + who.source() + "); it needs Read & Execute");
      r.grants.putIfAbsent(t, "ReadAndExecute");
      r.forbidDeny.add(t);
      r.forbidDeny.add("BUILTIN\\Users");
      expects.putIfAbsent(key + "\u0000" + t.toLowerCase(Locale.ROOT),
          new Expect(t, path, "ReadAndExecute", IisAccounts.logon(who.account())));
    }
    if (f.iisConfig() != null && !rules.isEmpty()) {
      // The accounts this server really uses must get in wherever something was denied.
      for (IisConfig.Identity id : f.iisConfig().identities()) {
        String t = trustee(id, f.computerName());
        idNotes.add(t + (t.equalsIgnoreCase(id.account()) ? "" : " = " + id.account()) + " ("
            + (id.role() == IisConfig.Role.ANONYMOUS ? "anonymous" : "pool") + "): " + id.source());
        for (Map.Entry<String, Rule> e : rules.entrySet()) {
          Rule r = e.getValue();
          // Through Users every account IIS uses gets in; a grant to one account proves only that one.
          if (!r.grants.containsKey("BUILTIN\\Users")) {
            continue;
          }
          r.forbidDeny.add(t);
          String ek = e.getKey() + "\u0000" + t.toLowerCase(Locale.ROOT);
          expects.putIfAbsent(ek, new Expect(t, r.path, "ReadAndExecute", IisAccounts.logon(id.account())));
        }
        if (IisAccounts.kind(id.account()) == IisAccounts.Kind.ANONYMOUS_IIS6) {
          iis6.put(t, IisAccounts.account(id.account()));
        }
      }
    }
    StringBuilder y = new StringBuilder();
    y.append("# Suggested by wsusfix diagnose: grants what the evidence shows to be missing.\n");
    y.append("# Evidence: ").append(String.join(", ", evidence)).append('\n');
    y.append("# Review it, then run: wsusfix plan -p <this file>\n");
    y.append("apiVersion: wsusfix/v1\n");
    y.append("kind: Policy\n");
    y.append("metadata:\n");
    y.append("  name: wsus-diagnosed\n");
    y.append("  description: ").append(q("Access that diagnose found denied to the WSUS"
        + " web services (" + rules.size() + (rules.size() == 1 ? " folder)" : " folders)")))
        .append('\n');
    if (!idNotes.isEmpty()) {
      y.append("# IisAccounts from the IIS configuration (").append(oneLine(
          java.nio.file.Path.of(f.iisConfig().file()).getFileName().toString())).append("):\n");
      for (String n : idNotes) {
        y.append("#   ").append(oneLine(n)).append('\n');
      }
    }
    y.append("rules:\n");
    for (Rule r : rules.values()) {
      for (String reason : r.reasons) {
        y.append("  # ").append(oneLine(reason)).append('\n');
      }
      for (String why : r.why) {
        y.append("  # ").append(oneLine(why)).append('\n');
      }
      if (r.grants.isEmpty()) {
        y.append("  # no grant could be derived for ").append(oneLine(r.path)).append('\n');
        continue;
      }
      y.append("  - path: ").append(q(r.path)).append('\n');
      y.append("    grants:\n");
      for (Map.Entry<String, String> g : r.grants.entrySet()) {
        y.append("      - trustee: ").append(q(g.getKey())).append('\n');
        y.append("        rights: ").append(g.getValue()).append('\n');
        y.append("        inheritance: [OI, CI]\n");
      }
      y.append("    forbidDeny:\n");
      y.append("      # an explicit Deny for these beats any Allow; report it, do not remove it\n");
      y.append("      trustees: [");
      boolean first = true;
      for (String t : r.forbidDeny) {
        y.append(first ? "" : ", ").append(q(t));
        first = false;
      }
      y.append("]\n");
      y.append("      remove: false\n");
      y.append("    propagate: true\n");
    }
    if (!iis6.isEmpty()) {
      y.append("memberships:\n");
      y.append("  # the IIS 6 anonymous account (")
          .append(oneLine(String.join(", ", iis6.values())))
          .append(") reaches %windir% through BUILTIN\\Users\n");
      y.append("  - group: BUILTIN\\Users\n");
      y.append("    members: [");
      boolean first = true;
      for (String m : iis6.keySet()) {
        y.append(first ? "" : ", ").append(q(m));
        first = false;
      }
      y.append("]\n");
      y.append("    mode: ensure\n");
    }
    if (!expects.isEmpty()) {
      y.append("expect:\n");
      y.append("  # the accounts that were denied must get in after the change\n");
      for (Expect e : expects.values()) {
        y.append("  - identity: ").append(q(e.identity())).append('\n');
        y.append("    path: ").append(q(e.path())).append('\n');
        y.append("    access: ").append(e.access()).append('\n');
        y.append("    logon: ").append(e.logon()).append('\n');
      }
    }
    return y.toString();
  }

  /** A YAML scalar: plain where that is unambiguous, else single-quoted. */
  static String q(String s) {
    if (PLAIN.matcher(s).matches() && !s.endsWith(" ") && !s.contains(" #")) {
      return s;
    }
    return "'" + s.replace("'", "''") + "'";
  }

  private static String oneLine(String s) {
    return s.replace('\r', ' ').replace('\n', ' ');
  }
}
