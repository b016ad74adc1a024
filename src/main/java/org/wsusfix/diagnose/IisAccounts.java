package org.wsusfix.diagnose;

import java.util.Locale;

/**
 * What the accounts seen in evidence are to WSUS: the IIS anonymous identity, an application pool
 * identity, or something else; and how a policy names them.
 */
public final class IisAccounts {
  /** The part an account plays for IIS / WSUS. */
  public enum Kind {
    /** IIS 7+ built-in anonymous account IUSR (S-1-5-17). */
    ANONYMOUS,
    /** IIS 6 anonymous account IUSR_&lt;MACHINE&gt;, a local user that must be in Users. */
    ANONYMOUS_IIS6,
    /** The worker process identity: NETWORK SERVICE, IIS APPPOOL\..., IWAM_..., ASPNET. */
    POOL,
    OTHER
  }

  private IisAccounts() {}

  /** The account part of {@code DOMAIN\account}. */
  public static String account(String identity) {
    int slash = identity.lastIndexOf('\\');
    return slash >= 0 ? identity.substring(slash + 1) : identity;
  }

  private static String domain(String identity) {
    int slash = identity.lastIndexOf('\\');
    return slash >= 0 ? identity.substring(0, slash) : "";
  }

  public static Kind kind(String identity) {
    if (identity == null || identity.isBlank()) {
      return Kind.OTHER;
    }
    String acc = account(identity).toUpperCase(Locale.ROOT);
    String dom = domain(identity).toUpperCase(Locale.ROOT);
    if (identity.equals("S-1-5-17")
        || (acc.equals("IUSR") && (dom.isEmpty() || dom.equals("NT AUTHORITY")))) {
      return Kind.ANONYMOUS;
    }
    if (acc.startsWith("IUSR_")) {
      return Kind.ANONYMOUS_IIS6;
    }
    if (identity.equals("S-1-5-20")
        || acc.equals("NETWORK SERVICE")
        || dom.equals("IIS APPPOOL")
        || identity.startsWith("S-1-5-82-")
        || acc.startsWith("IWAM_")
        || acc.equals("ASPNET")
        || acc.equals("LOCAL SERVICE")
        || identity.equals("S-1-5-19")) {
      return Kind.POOL;
    }
    return Kind.OTHER;
  }

  /** Accounts WSUS runs as or serves through; their denials are listed first. */
  public static boolean isWsusIdentity(String identity) {
    return kind(identity) != Kind.OTHER;
  }

  /** Words for the verdict: "the IIS anonymous identity (IUSR)". */
  public static String describe(String identity) {
    if (identity == null || identity.isBlank()) {
      return "the process";
    }
    switch (kind(identity)) {
      case ANONYMOUS:
        return "the IIS anonymous identity (IUSR)";
      case ANONYMOUS_IIS6:
        return "the IIS anonymous account " + account(identity);
      case POOL:
        return "the application pool identity (" + account(identity) + ")";
      default:
        return identity;
    }
  }

  /**
   * How a policy names the account: built-in names that resolve on any machine, and the IIS 6
   * anonymous account of the machine itself as {@code IUSR_%COMPUTERNAME%}.
   */
  public static String trustee(String identity, String computerName) {
    if (identity == null || identity.isBlank()) {
      return "BUILTIN\\Users";
    }
    String acc = account(identity);
    String upper = acc.toUpperCase(Locale.ROOT);
    switch (kind(identity)) {
      case ANONYMOUS:
        return "IUSR";
      case ANONYMOUS_IIS6:
        {
          String machine = upper.substring("IUSR_".length());
          String dom = domain(identity).toUpperCase(Locale.ROOT);
          boolean local =
              machine.equals(dom)
                  || (computerName != null && machine.equalsIgnoreCase(computerName));
          return local ? "IUSR_%COMPUTERNAME%" : identity;
        }
      default:
        if (identity.equals("S-1-5-20") || upper.equals("NETWORK SERVICE")) {
          return "NT AUTHORITY\\NETWORK SERVICE";
        }
        if (identity.equals("S-1-5-19") || upper.equals("LOCAL SERVICE")) {
          return "NT AUTHORITY\\LOCAL SERVICE";
        }
        return identity;
    }
  }

  /** The logon type that gives the account its implicit groups when IIS uses it. */
  public static String logon(String identity) {
    switch (kind(identity)) {
      case POOL:
        return "service";
      case ANONYMOUS:
      case ANONYMOUS_IIS6:
        return "network";
      default:
        return "network";
    }
  }
}
