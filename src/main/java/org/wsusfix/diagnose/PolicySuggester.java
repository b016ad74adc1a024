package org.wsusfix.diagnose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.wsusfix.diagnose.iisconfig.IisConfig;
import org.wsusfix.diagnose.iislog.IisEndpoint;
import org.wsusfix.diagnose.iislog.IisLogFinding;
import org.wsusfix.policy.InvalidValue;
import org.wsusfix.policy.PolicySyntax;
import org.wsusfix.policy.Trustee;

/**
 * Writes a wsusfix/v1 policy that grants what the evidence shows to be missing and nothing more:
 * Read &amp; Execute (OI|CI) for BUILTIN\Users on denied folders under %windir% (their default),
 * the denied account itself elsewhere, Modify for that account where it asked to write; a
 * forbidDeny check for the account and Users; Users membership for an IIS 6 anonymous account; and
 * an {@code expect} entry per folder so plan proves the account really gets in.
 */
public final class PolicySuggester {
  private PolicySuggester() {}

  /** A rule while the evidence is gathered; grants and forbidDeny keyed by identity. */
  private static final class Draft {
    final String path;
    final Map<String, SuggestedPolicy.Grant> grants = new LinkedHashMap<>();
    final Map<String, String> forbidDeny = new LinkedHashMap<>();
    final List<String> reasons = new ArrayList<>();
    final Set<String> why = new LinkedHashSet<>();

    Draft(String path) {
      this.path = path;
    }

    void forbidDeny(String trustee) {
      forbidDeny.putIfAbsent(PolicySyntax.identityKey(checked(trustee)), checked(trustee).text());
    }
  }

  /** True when the findings hold anything a policy can fix. */
  public static boolean hasSuggestion(Findings f) {
    return !f.deniedFolders().isEmpty()
        || !iisFolders(f).isEmpty()
        || !iisSettingFaults(f).isEmpty();
  }

  /** True when the IIS log shows a failure that an IIS setting or a user right explains. */
  public static boolean hasIisSettingFault(Findings f) {
    return !iisSettingFaults(f).isEmpty();
  }

  /** The WSUS directories that take anonymous requests (all but ApiRemoting30, the console's). */
  private static final Set<IisEndpoint> ANONYMOUS =
      java.util.EnumSet.complementOf(java.util.EnumSet.of(IisEndpoint.API_REMOTING));

  /** Default site of a WSUS installation. */
  static final String WSUS_SITE = "WSUS Administration";

  /**
   * IIS log groups an IIS setting or a user right explains: 401.2 never answered on an anonymous
   * directory (anonymous authentication off), 401.1 never answered there (the anonymous account's
   * logon failed) and 500.24 (ASP.NET impersonation in the integrated pipeline).
   */
  static List<IisLogFinding> iisSettingFaults(Findings f) {
    return f.iis().stream()
        .filter(i -> anonymousOff(i) || anonymousLogon(i) || impersonation(i))
        .toList();
  }

  private static boolean anonymousOff(IisLogFinding i) {
    return i.status() == 401
        && i.subStatus() == 2
        && i.kind() == IisLogFinding.Kind.UNANSWERED_401
        && ANONYMOUS.contains(i.endpoint());
  }

  private static boolean anonymousLogon(IisLogFinding i) {
    return i.status() == 401
        && i.subStatus() == 1
        && i.kind() == IisLogFinding.Kind.UNANSWERED_401
        && ANONYMOUS.contains(i.endpoint());
  }

  private static boolean impersonation(IisLogFinding i) {
    return i.status() == 500 && i.subStatus() == 24;
  }

  /** An endpoint refused by an ACL in the IIS log whose folder the configuration names. */
  private record IisFolder(IisLogFinding log, IisConfig.Application app) {}

  private static List<IisFolder> iisFolders(Findings f) {
    List<IisFolder> out = new ArrayList<>();
    if (f.iisConfig() == null) {
      return out;
    }
    for (IisLogFinding i : f.iisPermission()) {
      f.iisConfig()
          .forEndpoint(i.endpoint())
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

  /** The suggested policy written as YAML; see {@link #suggest}. */
  public static String yaml(Findings f, List<String> evidence) {
    return yaml(suggest(f, evidence));
  }

  /**
   * What the evidence shows to be missing, as data. Paths and trustees that the policy format
   * refuses (evidence can hold anything) are left out with a note saying so, so the policy always
   * loads, and to exactly these rules.
   */
  public static SuggestedPolicy suggest(Findings f, List<String> evidence) {
    // Sorted by path, so a folder comes before the folders below it.
    Map<String, Draft> rules = new TreeMap<>();
    Map<String, SuggestedPolicy.Expect> expects = new TreeMap<>();
    Map<String, String> iis6 = new LinkedHashMap<>();
    Map<String, String> iis6Accounts = new LinkedHashMap<>();
    List<String> refused = new ArrayList<>();
    for (DeniedPath d : f.deniedFolders()) {
      Draft r = draft(rules, Folders.policyPath(d.path(), f.windowsDir()), refused);
      if (r == null) {
        continue;
      }
      String path = r.path;
      boolean known = !d.identity().isBlank();
      String who = IisAccounts.trustee(d.identity(), f.computerName());
      String whyNot = known ? refusal(who) : null;
      if (whyNot != null) {
        r.reasons.add(
            d.process()
                + " as "
                + d.identity()
                + ": "
                + d.operation()
                + " "
                + d.result()
                + " x"
                + d.count()
                + "; the account cannot be named in a policy ("
                + whyNot
                + "), add it by hand");
        known = false;
        if (d.asksWrite()) {
          continue;
        }
      }
      if (known) {
        who = checked(who).text();
      }
      boolean write = d.asksWrite();
      String rights = write ? "Modify" : "ReadAndExecute";
      String grantee;
      if (write) {
        if (!known) {
          r.reasons.add(
              d.process()
                  + " (account unknown): "
                  + d.operation()
                  + " "
                  + d.result()
                  + " x"
                  + d.count()
                  + " asked to write; add the account by hand");
          continue;
        }
        grantee = who;
        r.why.add(who + " asked to write here; Modify is granted to that account only");
      } else if (isUnderWindows(path) || !known) {
        grantee = USERS;
        r.why.add(
            isUnderWindows(path)
                ? "BUILTIN\\Users has Read & Execute under %windir% by default; restore it"
                : "the account is unknown, so Users gets Read & Execute");
      } else {
        grantee = who;
        r.why.add(who + " needs Read & Execute here");
      }
      String gk = PolicySyntax.identityKey(checked(grantee));
      SuggestedPolicy.Grant before = r.grants.get(gk);
      if (before == null || "ReadAndExecute".equals(before.rights())) {
        r.grants.put(
            gk, new SuggestedPolicy.Grant(before == null ? grantee : before.trustee(), rights));
      }
      if (whyNot == null) {
        r.reasons.add(
            d.process()
                + " as "
                + (known ? d.identity() : "an unknown account")
                + ": "
                + d.operation()
                + " "
                + d.result()
                + " x"
                + d.count()
                + (d.access() != null ? " (asked: " + d.access() + ")" : ""));
      }
      if (known) {
        r.forbidDeny(who);
      }
      r.forbidDeny(USERS);
      if (known) {
        String ek = expectKey(path, who);
        SuggestedPolicy.Expect old = expects.get(ek);
        if (old == null || old.access().equals("ReadAndExecute")) {
          expects.put(
              ek,
              new SuggestedPolicy.Expect(
                  old == null ? who : old.identity(),
                  path,
                  rights,
                  IisAccounts.logon(d.identity())));
        }
        if (IisAccounts.kind(d.identity()) == IisAccounts.Kind.ANONYMOUS_IIS6) {
          member(iis6, iis6Accounts, who, IisAccounts.account(d.identity()));
        }
      }
    }
    for (IisFolder x : iisFolders(f)) {
      Draft r = draft(rules, Folders.policyPath(x.app().physicalPath(), f.windowsDir()), refused);
      if (r == null) {
        continue;
      }
      IisConfig.Identity who = x.app().anonymous();
      String t = trustee(who, f.computerName());
      IisLogFinding i = x.log();
      r.reasons.add(
          "IIS log: HTTP "
              + i.statusText()
              + " on "
              + i.endpoint().prefix()
              + " x"
              + i.count()
              + " from "
              + i.clients()
              + (i.clients() == 1 ? " client" : " clients")
              + " (access denied by an ACL)");
      String whyNot = refusal(t);
      if (whyNot != null) {
        r.why.add(
            x.app().site()
                + x.app().path()
                + " runs anonymous requests as "
                + who.account()
                + ", which cannot be named in a policy ("
                + whyNot
                + "); add it by hand");
        continue;
      }
      t = checked(t).text();
      r.why.add(
          x.app().site()
              + x.app().path()
              + " serves this folder and runs anonymous requests as "
              + who.account()
              + " ("
              + who.source()
              + "); it needs Read & Execute");
      r.grants.putIfAbsent(
          PolicySyntax.identityKey(checked(t)), new SuggestedPolicy.Grant(t, "ReadAndExecute"));
      r.forbidDeny(t);
      r.forbidDeny(USERS);
      expects.putIfAbsent(
          expectKey(r.path, t),
          new SuggestedPolicy.Expect(
              t, r.path, "ReadAndExecute", IisAccounts.logon(who.account())));
    }
    List<String> idNotes = new ArrayList<>();
    if (f.iisConfig() != null && !rules.isEmpty()) {
      // The accounts this server really uses must get in wherever something was denied.
      for (IisConfig.Identity id : f.iisConfig().identities()) {
        String t = trustee(id, f.computerName());
        String whyNot = refusal(t);
        idNotes.add(
            t
                + (t.equalsIgnoreCase(id.account()) ? "" : " = " + id.account())
                + " ("
                + (id.role() == IisConfig.Role.ANONYMOUS ? "anonymous" : "pool")
                + "): "
                + id.source()
                + (whyNot == null ? "" : "; cannot be named in a policy (" + whyNot + ")"));
        if (whyNot != null) {
          continue;
        }
        t = checked(t).text();
        for (Draft r : rules.values()) {
          // Through Users every account IIS uses gets in; a grant to one account proves only that
          // one.
          if (!r.grants.containsKey(PolicySyntax.identityKey(checked(USERS)))) {
            continue;
          }
          r.forbidDeny(t);
          expects.putIfAbsent(
              expectKey(r.path, t),
              new SuggestedPolicy.Expect(
                  t, r.path, "ReadAndExecute", IisAccounts.logon(id.account())));
        }
        if (IisAccounts.kind(id.account()) == IisAccounts.Kind.ANONYMOUS_IIS6) {
          member(iis6, iis6Accounts, t, IisAccounts.account(id.account()));
        }
      }
    }
    List<SuggestedPolicy.Rule> out = new ArrayList<>();
    for (Draft r : rules.values()) {
      List<String> notes = new ArrayList<>(r.reasons);
      notes.addAll(r.why);
      out.add(
          new SuggestedPolicy.Rule(
              r.path,
              notes,
              List.copyOf(r.grants.values()),
              r.grants.isEmpty() ? List.of() : List.copyOf(r.forbidDeny.values())));
    }
    List<SuggestedPolicy.Membership> memberships = new ArrayList<>();
    if (!iis6.isEmpty()) {
      memberships.add(
          new SuggestedPolicy.Membership(
              USERS,
              List.copyOf(iis6.values()),
              "the IIS 6 anonymous account ("
                  + String.join(", ", iis6Accounts.values())
                  + ") reaches %windir% through BUILTIN\\Users"));
    }
    String source =
        f.iisConfig() == null || idNotes.isEmpty() ? null : fileName(f.iisConfig().file());
    List<SuggestedPolicy.Right> rights = new ArrayList<>();
    SuggestedPolicy.Iis iis = iis(f, rights);
    return new SuggestedPolicy(
        evidence,
        refused,
        source,
        idNotes,
        out,
        memberships,
        List.copyOf(expects.values()),
        iis,
        rights);
  }

  /** An application while the log is read. */
  private static final class AppDraft {
    final String path;
    final IisEndpoint endpoint;
    final List<String> notes = new ArrayList<>();
    String anonymousUser;

    AppDraft(String path, IisEndpoint endpoint) {
      this.path = path;
      this.endpoint = endpoint;
    }
  }

  private static final java.util.regex.Pattern APPLICATION =
      java.util.regex.Pattern.compile("/[A-Za-z0-9_.\\-]+");

  /**
   * Site names a policy takes as they are: what IIS Manager lets people type, less the odd
   * characters.
   */
  private static final java.util.regex.Pattern SITE =
      java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9 _.()-]{0,99}");

  /**
   * The IIS part: the applications the log shows failing for an IIS setting, each with the setting
   * the WSUS documentation gives it, in the site the log or the configuration names; a 401.1 adds
   * the network-logon deny right the anonymous account must not hold.
   */
  private static SuggestedPolicy.Iis iis(Findings f, List<SuggestedPolicy.Right> rights) {
    List<IisLogFinding> faults = iisSettingFaults(f);
    if (faults.isEmpty()) {
      return null;
    }
    IisConfig config = f.iisConfig();
    // by lower-case path: IIS names are case-insensitive, and a policy names each application once
    Map<String, AppDraft> apps = new LinkedHashMap<>();
    Set<String> impersonating = new LinkedHashSet<>();
    List<String> reportNotes = new ArrayList<>();
    Map<String, String> forbid = new LinkedHashMap<>();
    List<String> rightNotes = new ArrayList<>();
    Set<String> siteNotes = new LinkedHashSet<>();
    String site = null;
    for (IisLogFinding i : faults) {
      String s = site(i, config, siteNotes);
      if (site == null) {
        site = s;
      } else if (!s.equalsIgnoreCase(site)) {
        siteNotes.add(
            "the log also shows failures in site "
                + s
                + "; a policy holds one site, so plan it separately");
        continue;
      }
      String seen =
          "IIS log: HTTP "
              + i.statusText()
              + " on "
              + i.endpoint().prefix()
              + " x"
              + i.count()
              + " from "
              + i.clients()
              + (i.clients() == 1 ? " client" : " clients");
      if (impersonation(i)) {
        AppDraft a = app(apps, i.endpoint(), config);
        a.notes.add(
            seen
                + ": ASP.NET impersonation in the integrated pipeline; the documented authentication is"
                + " kept and plan reports where impersonation is set");
        impersonating.add(a.path);
        reportNotes.add(
            seen + ": plan names the identity impersonate=\"true\" that causes it (not changed)");
        continue;
      }
      if (anonymousOff(i)) {
        AppDraft a = app(apps, i.endpoint(), config);
        a.notes.add(
            seen
                + ", never answered: anonymous authentication is off there; WSUS clients"
                + " send no credentials");
        continue;
      }
      // 401.1: the anonymous account could not log on
      IisConfig.Application served =
          config == null ? null : config.forEndpoint(i.endpoint()).orElse(null);
      IisConfig.Identity who = served == null ? null : served.anonymous();
      String t = who == null ? "IUSR" : trustee(who, f.computerName());
      String account =
          who == null
              ? "IUSR (the IIS 7+ default; no configuration given)"
              : who.account() + " (" + who.source() + ")";
      String whyNot = refusal(t);
      if (whyNot != null) {
        rightNotes.add(
            seen
                + ": the anonymous account "
                + who.account()
                + " cannot log on and cannot be named in"
                + " a policy ("
                + whyNot
                + "); check its rights by hand");
        continue;
      }
      t = checked(t).text();
      forbid.putIfAbsent(PolicySyntax.identityKey(checked(t)), t);
      rightNotes.add(
          seen
              + ", never answered: the anonymous account "
              + account
              + " failed to log on over the"
              + " network; 'Deny access to this computer from the network' holding it does that");
      boolean ownAccount =
          who != null
              && who.sid() == null
              && IisAccounts.kind(who.account()) != IisAccounts.Kind.ANONYMOUS_IIS6
              && (served.poolIdentity() == null
                  || !who.account().equalsIgnoreCase(served.poolIdentity().account()));
      if (ownAccount) {
        // A user account of its own: its password is the other usual cause; the pool identity needs
        // none.
        AppDraft a = app(apps, i.endpoint(), config);
        a.anonymousUser = "";
        a.notes.add(
            seen
                + ": anonymous requests log on as "
                + who.account()
                + ", a user account whose"
                + " password may have changed; '' runs them as the pool identity, as the shipped policies allow");
      }
    }
    if (!forbid.isEmpty()) {
      rights.add(
          new SuggestedPolicy.Right(
              "SeDenyNetworkLogonRight", List.copyOf(forbid.values()), rightNotes));
    } else if (!rightNotes.isEmpty()) {
      siteNotes.addAll(rightNotes);
    }
    if (apps.isEmpty()) {
      return null;
    }
    List<SuggestedPolicy.IisApplication> out = new ArrayList<>();
    for (AppDraft a : apps.values()) {
      boolean console = a.endpoint == IisEndpoint.API_REMOTING;
      out.add(
          new SuggestedPolicy.IisApplication(
              a.path, a.notes, !console, a.anonymousUser, console ? true : null));
    }
    return new SuggestedPolicy.Iis(
        site, List.copyOf(siteNotes), out, List.copyOf(impersonating), reportNotes);
  }

  private static AppDraft app(Map<String, AppDraft> apps, IisEndpoint e, IisConfig config) {
    String path = applicationPath(e, config);
    return apps.computeIfAbsent(path.toLowerCase(Locale.ROOT), k -> new AppDraft(path, e));
  }

  /** The application's path as the configuration writes it, when the policy format takes it. */
  private static String applicationPath(IisEndpoint e, IisConfig config) {
    String path =
        config == null ? null : config.forEndpoint(e).map(IisConfig.Application::path).orElse(null);
    return path != null && APPLICATION.matcher(path).matches() ? path : "/" + e.application();
  }

  /**
   * The site of a log group: its s-sitename, or the W3SVC folder of its file, named by the
   * configuration; else the configuration's site of that application; else WSUS's default.
   */
  private static String site(IisLogFinding i, IisConfig config, Set<String> notes) {
    List<String> logNames = new ArrayList<>(i.sites());
    for (String file : i.files()) {
      String dir = file.replace('\\', '/');
      int cut = dir.lastIndexOf('/');
      if (cut > 0) {
        String parent = dir.substring(dir.lastIndexOf('/', cut - 1) + 1, cut);
        if (parent.toUpperCase(Locale.ROOT).matches("W3SVC[0-9]+")) {
          logNames.add(parent);
        }
      }
    }
    String name = null;
    for (String logName : logNames) {
      Optional<String> named = config == null ? Optional.empty() : config.siteOfLogName(logName);
      if (named.isPresent()) {
        name = named.get();
        break;
      }
    }
    if (name == null && config != null) {
      name = config.forEndpoint(i.endpoint()).map(IisConfig.Application::site).orElse(null);
    }
    if (name == null) {
      if (!logNames.isEmpty()) {
        notes.add(
            "the log names site "
                + logNames.get(0)
                + ", which no configuration given names; "
                + WSUS_SITE
                + " assumed (give --iis-config to be sure)");
      }
      return WSUS_SITE;
    }
    if (!SITE.matcher(name).matches()) {
      notes.add(
          "the configuration's site name "
              + name
              + " cannot be written as it is; "
              + WSUS_SITE
              + " assumed: correct it by hand");
      return WSUS_SITE;
    }
    return name;
  }

  private static final String USERS = "BUILTIN\\Users";

  private static boolean isUnderWindows(String path) {
    return path.regionMatches(true, 0, "%windir%", 0, 8);
  }

  /** The rule for a folder, or null (with a note in refused) when the format refuses its path. */
  private static Draft draft(Map<String, Draft> rules, String folder, List<String> refused) {
    String path;
    try {
      path = PolicySyntax.path(folder);
    } catch (InvalidValue e) {
      String note = "not suggested: path " + folder + " (" + e.problem() + ")";
      if (!refused.contains(note)) {
        refused.add(note);
      }
      return null;
    }
    String key = PolicySyntax.pathKey(path).toLowerCase(Locale.ROOT);
    return rules.computeIfAbsent(key, k -> new Draft(path));
  }

  private static String expectKey(String path, String trustee) {
    return PolicySyntax.pathKey(path).toLowerCase(Locale.ROOT)
        + "\u0000"
        + PolicySyntax.identityKey(checked(trustee));
  }

  private static void member(
      Map<String, String> members, Map<String, String> accounts, String trustee, String account) {
    Trustee t = checked(trustee);
    if (PolicySyntax.identityKey(t).equals(PolicySyntax.identityKey(checked(USERS)))) {
      return; // a group is no member of itself
    }
    members.putIfAbsent(PolicySyntax.identityKey(t), t.text());
    accounts.putIfAbsent(PolicySyntax.identityKey(t), account);
  }

  /** Why the policy format refuses a trustee, or null when it takes it. */
  private static String refusal(String trustee) {
    try {
      PolicySyntax.trustee(trustee, null);
      return null;
    } catch (InvalidValue e) {
      return e.problem();
    }
  }

  /** A trustee already known to be valid, in the form the loader reads it back. */
  private static Trustee checked(String trustee) {
    try {
      return PolicySyntax.trustee(trustee, null);
    } catch (InvalidValue e) {
      throw new IllegalArgumentException("trustee not checked before use: " + e.problem());
    }
  }

  /** The last name of a path as written, whatever its separators; no Path (which refuses NUL). */
  private static String fileName(String file) {
    int cut = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
    return file.substring(cut + 1);
  }

  /** Writes the policy; every text that came from evidence goes through {@link YamlText}. */
  public static String yaml(SuggestedPolicy p) {
    StringBuilder y = new StringBuilder();
    y.append("# Suggested by wsusfix diagnose: grants what the evidence shows to be missing.\n");
    y.append("# Evidence: ").append(YamlText.comment(String.join(", ", p.evidence()))).append('\n');
    y.append("# Review it, then run: wsusfix plan -p <this file>\n");
    for (String note : p.refused()) {
      y.append("# ").append(YamlText.comment(note)).append('\n');
    }
    y.append("apiVersion: wsusfix/v1\n");
    y.append("kind: Policy\n");
    y.append("metadata:\n");
    y.append("  name: ").append(SuggestedPolicy.NAME).append('\n');
    int n = p.activeRules().size();
    y.append("  description: ")
        .append(
            YamlText.scalar(
                n > 0 || p.iis() == null && p.userRights().isEmpty()
                    ? "Access that diagnose found denied to the WSUS web services ("
                        + n
                        + (n == 1 ? " folder)" : " folders)")
                    : "IIS settings and user rights that diagnose found in the way of the WSUS web services"))
        .append('\n');
    if (p.identitySource() != null) {
      y.append("# Accounts from the IIS configuration (")
          .append(YamlText.comment(p.identitySource()))
          .append("):\n");
      for (String note : p.identityNotes()) {
        y.append("#   ").append(YamlText.comment(note)).append('\n');
      }
    }
    y.append(p.activeRules().isEmpty() ? "rules: []\n" : "rules:\n");
    for (SuggestedPolicy.Rule r : p.rules()) {
      for (String note : r.notes()) {
        y.append("  # ").append(YamlText.comment(note)).append('\n');
      }
      if (r.grants().isEmpty()) {
        y.append("  # no grant could be derived for ")
            .append(YamlText.comment(r.path()))
            .append('\n');
        continue;
      }
      y.append("  - path: ").append(YamlText.scalar(r.path())).append('\n');
      y.append("    grants:\n");
      for (SuggestedPolicy.Grant g : r.grants()) {
        y.append("      - trustee: ").append(YamlText.scalar(g.trustee())).append('\n');
        y.append("        rights: ").append(g.rights()).append('\n');
        y.append("        inheritance: [")
            .append(String.join(", ", SuggestedPolicy.INHERITANCE))
            .append("]\n");
      }
      y.append("    forbidDeny:\n");
      y.append("      # an explicit Deny for these beats any Allow; report it, do not remove it\n");
      y.append("      trustees: [").append(list(r.forbidDeny())).append("]\n");
      y.append("      remove: false\n");
      y.append("    propagate: true\n");
    }
    if (!p.memberships().isEmpty()) {
      y.append("memberships:\n");
      for (SuggestedPolicy.Membership m : p.memberships()) {
        y.append("  # ").append(YamlText.comment(m.note())).append('\n');
        y.append("  - group: ").append(YamlText.scalar(m.group())).append('\n');
        y.append("    members: [").append(list(m.members())).append("]\n");
        y.append("    mode: ensure\n");
      }
    }
    if (p.iis() != null) {
      SuggestedPolicy.Iis iis = p.iis();
      y.append("iis:\n");
      for (String note : iis.notes()) {
        y.append("  # ").append(YamlText.comment(note)).append('\n');
      }
      y.append("  site: ").append(YamlText.scalar(iis.site())).append('\n');
      y.append("  applications:\n");
      for (SuggestedPolicy.IisApplication a : iis.applications()) {
        for (String note : a.notes()) {
          y.append("    # ").append(YamlText.comment(note)).append('\n');
        }
        y.append("    - path: ").append(YamlText.scalar(a.path())).append('\n');
        y.append("      anonymousAuthentication: {enabled: ")
            .append(a.anonymous())
            .append(
                a.anonymousUser() == null
                    ? ""
                    : ", userName: " + YamlText.scalar(a.anonymousUser()))
            .append("}\n");
        if (a.windows() != null) {
          y.append("      windowsAuthentication: {enabled: ").append(a.windows()).append("}\n");
        }
      }
      if (!iis.noAspNetImpersonation().isEmpty()) {
        y.append("  report:\n");
        for (String note : iis.reportNotes()) {
          y.append("    # ").append(YamlText.comment(note)).append('\n');
        }
        y.append("    noAspNetImpersonation: [")
            .append(list(iis.noAspNetImpersonation()))
            .append("]\n");
      }
    }
    if (!p.userRights().isEmpty()) {
      y.append("userRights:\n");
      for (SuggestedPolicy.Right r : p.userRights()) {
        for (String note : r.notes()) {
          y.append("  # ").append(YamlText.comment(note)).append('\n');
        }
        y.append("  - right: ").append(r.right()).append('\n');
        y.append("    forbid: [").append(list(r.forbid())).append("]\n");
      }
    }
    if (!p.expects().isEmpty()) {
      y.append("expect:\n");
      y.append("  # the accounts that were denied must get in after the change\n");
      for (SuggestedPolicy.Expect e : p.expects()) {
        y.append("  - identity: ").append(YamlText.scalar(e.identity())).append('\n');
        y.append("    path: ").append(YamlText.scalar(e.path())).append('\n');
        y.append("    access: ").append(e.access()).append('\n');
        y.append("    logon: ").append(e.logon()).append('\n');
      }
    }
    return y.toString();
  }

  private static String list(List<String> items) {
    StringBuilder out = new StringBuilder();
    for (String s : items) {
      out.append(out.length() == 0 ? "" : ", ").append(YamlText.scalar(s));
    }
    return out.toString();
  }
}
