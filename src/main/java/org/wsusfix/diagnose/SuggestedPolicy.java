package org.wsusfix.diagnose;

import java.util.List;

/**
 * The policy diagnose suggests, as data: every path and trustee already checked with the policy
 * syntax, so the YAML written from it loads to exactly these rules. Notes become comments.
 *
 * @param evidence the names of the evidence files
 * @param refused what the evidence named that the policy format cannot hold, with why
 * @param identitySource the IIS configuration file the identity notes come from, or null
 * @param identityNotes the accounts the IIS configuration names, one note each
 * @param rules one per folder, parents before the folders below them
 * @param memberships group memberships to ensure
 * @param expects effective access the denied accounts must have after the change
 * @param iis the IIS settings the IIS log shows missing, or null
 * @param userRights user rights the IIS log shows in the way
 */
public record SuggestedPolicy(
    List<String> evidence,
    List<String> refused,
    String identitySource,
    List<String> identityNotes,
    List<Rule> rules,
    List<Membership> memberships,
    List<Expect> expects,
    Iis iis,
    List<Right> userRights) {

  public static final String NAME = "wsus-diagnosed";

  /** Every suggested grant is inherited by subfolders and files. */
  public static final List<String> INHERITANCE = List.of("OI", "CI");

  public SuggestedPolicy {
    evidence = List.copyOf(evidence);
    refused = List.copyOf(refused);
    identityNotes = List.copyOf(identityNotes);
    rules = List.copyOf(rules);
    memberships = List.copyOf(memberships);
    expects = List.copyOf(expects);
    userRights = List.copyOf(userRights);
  }

  public SuggestedPolicy(
      List<String> evidence,
      List<String> refused,
      String identitySource,
      List<String> identityNotes,
      List<Rule> rules,
      List<Membership> memberships,
      List<Expect> expects) {
    this(
        evidence,
        refused,
        identitySource,
        identityNotes,
        rules,
        memberships,
        expects,
        null,
        List.of());
  }

  /**
   * The WSUS site's IIS settings: one site, the applications the log shows failing.
   *
   * @param noAspNetImpersonation applications that answered 500.24: checked by plan, never changed
   */
  public record Iis(
      String site,
      List<String> notes,
      List<IisApplication> applications,
      List<String> noAspNetImpersonation,
      List<String> reportNotes) {
    public Iis {
      notes = List.copyOf(notes);
      applications = List.copyOf(applications);
      noAspNetImpersonation = List.copyOf(noAspNetImpersonation);
      reportNotes = List.copyOf(reportNotes);
    }
  }

  /**
   * An application and the settings it is documented to have.
   *
   * @param anonymousUser {@code ""} for the pool identity; null to leave the account alone
   * @param windows Windows authentication wanted (ApiRemoting30), else null to leave it alone
   */
  public record IisApplication(
      String path, List<String> notes, boolean anonymous, String anonymousUser, Boolean windows) {
    public IisApplication {
      notes = List.copyOf(notes);
    }
  }

  /** A user right and the accounts that must not hold it. */
  public record Right(String right, List<String> forbid, List<String> notes) {
    public Right {
      forbid = List.copyOf(forbid);
      notes = List.copyOf(notes);
    }
  }

  /**
   * A folder: with no grants it is written as comments only (nothing could be derived).
   *
   * @param forbidDeny trustees an explicit Deny for which is reported (never removed)
   */
  public record Rule(String path, List<String> notes, List<Grant> grants, List<String> forbidDeny) {
    public Rule {
      notes = List.copyOf(notes);
      grants = List.copyOf(grants);
      forbidDeny = List.copyOf(forbidDeny);
    }
  }

  /**
   * @param rights a named right set of the policy format, e.g. ReadAndExecute
   */
  public record Grant(String trustee, String rights) {}

  public record Membership(String group, List<String> members, String note) {
    public Membership {
      members = List.copyOf(members);
    }
  }

  /**
   * @param logon a logon kind of the policy format (network, service, ...)
   */
  public record Expect(String identity, String path, String access, String logon) {}

  /** True when nothing would be written but comments: no policy to suggest. */
  public boolean isEmpty() {
    return activeRules().isEmpty()
        && memberships.isEmpty()
        && expects.isEmpty()
        && iis == null
        && userRights.isEmpty();
  }

  /** The rules that are written as rules, not only as comments. */
  public List<Rule> activeRules() {
    return rules.stream().filter(r -> !r.grants().isEmpty()).toList();
  }
}
