package org.wsusfix.security;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * SIDs that are the same on every Windows machine, with the names Windows shows for them in an
 * English installation. Names resolve here without asking a target, so a policy that says {@code
 * BUILTIN\Users} works on a French or German server whose group is called otherwise.
 */
public final class WellKnownSids {
  private WellKnownSids() {}

  public static final Sid NULL = Sid.parse("S-1-0-0");
  public static final Sid EVERYONE = Sid.parse("S-1-1-0");
  public static final Sid LOCAL = Sid.parse("S-1-2-0");
  public static final Sid CONSOLE_LOGON = Sid.parse("S-1-2-1");
  public static final Sid CREATOR_OWNER = Sid.parse("S-1-3-0");
  public static final Sid CREATOR_GROUP = Sid.parse("S-1-3-1");
  public static final Sid CREATOR_OWNER_SERVER = Sid.parse("S-1-3-2");
  public static final Sid CREATOR_GROUP_SERVER = Sid.parse("S-1-3-3");
  public static final Sid OWNER_RIGHTS = Sid.parse("S-1-3-4");
  public static final Sid DIALUP = Sid.parse("S-1-5-1");
  public static final Sid NETWORK = Sid.parse("S-1-5-2");
  public static final Sid BATCH = Sid.parse("S-1-5-3");
  public static final Sid INTERACTIVE = Sid.parse("S-1-5-4");
  public static final Sid SERVICE = Sid.parse("S-1-5-6");
  public static final Sid ANONYMOUS = Sid.parse("S-1-5-7");
  public static final Sid ENTERPRISE_DOMAIN_CONTROLLERS = Sid.parse("S-1-5-9");
  public static final Sid PRINCIPAL_SELF = Sid.parse("S-1-5-10");
  public static final Sid AUTHENTICATED_USERS = Sid.parse("S-1-5-11");
  public static final Sid RESTRICTED_CODE = Sid.parse("S-1-5-12");
  public static final Sid TERMINAL_SERVER_USER = Sid.parse("S-1-5-13");
  public static final Sid REMOTE_INTERACTIVE_LOGON = Sid.parse("S-1-5-14");
  public static final Sid THIS_ORGANIZATION = Sid.parse("S-1-5-15");

  /** IIS 7+ anonymous user. Not IU: that alias is INTERACTIVE. */
  public static final Sid IUSR = Sid.parse("S-1-5-17");

  public static final Sid LOCAL_SYSTEM = Sid.parse("S-1-5-18");
  public static final Sid LOCAL_SERVICE = Sid.parse("S-1-5-19");
  public static final Sid NETWORK_SERVICE = Sid.parse("S-1-5-20");
  public static final Sid WRITE_RESTRICTED_CODE = Sid.parse("S-1-5-33");
  public static final Sid BUILTIN_DOMAIN = Sid.parse("S-1-5-32");
  public static final Sid ADMINISTRATORS = Sid.parse("S-1-5-32-544");
  public static final Sid USERS = Sid.parse("S-1-5-32-545");
  public static final Sid GUESTS = Sid.parse("S-1-5-32-546");
  public static final Sid POWER_USERS = Sid.parse("S-1-5-32-547");
  public static final Sid ACCOUNT_OPERATORS = Sid.parse("S-1-5-32-548");
  public static final Sid SERVER_OPERATORS = Sid.parse("S-1-5-32-549");
  public static final Sid PRINT_OPERATORS = Sid.parse("S-1-5-32-550");
  public static final Sid BACKUP_OPERATORS = Sid.parse("S-1-5-32-551");
  public static final Sid REPLICATOR = Sid.parse("S-1-5-32-552");
  public static final Sid PRE_WINDOWS_2000 = Sid.parse("S-1-5-32-554");
  public static final Sid REMOTE_DESKTOP_USERS = Sid.parse("S-1-5-32-555");
  public static final Sid NETWORK_CONFIGURATION_OPERATORS = Sid.parse("S-1-5-32-556");
  public static final Sid PERFORMANCE_MONITOR_USERS = Sid.parse("S-1-5-32-558");
  public static final Sid PERFORMANCE_LOG_USERS = Sid.parse("S-1-5-32-559");
  public static final Sid IIS_IUSRS = Sid.parse("S-1-5-32-568");
  public static final Sid CRYPTO_OPERATORS = Sid.parse("S-1-5-32-569");
  public static final Sid EVENT_LOG_READERS = Sid.parse("S-1-5-32-573");
  public static final Sid REMOTE_MANAGEMENT_USERS = Sid.parse("S-1-5-32-580");
  public static final Sid TRUSTED_INSTALLER =
      Sid.parse("S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464");
  public static final Sid ALL_APPLICATION_PACKAGES = Sid.parse("S-1-15-2-1");
  public static final Sid ALL_RESTRICTED_APPLICATION_PACKAGES = Sid.parse("S-1-15-2-2");
  public static final Sid LOW_INTEGRITY = Sid.parse("S-1-16-4096");
  public static final Sid MEDIUM_INTEGRITY = Sid.parse("S-1-16-8192");
  public static final Sid HIGH_INTEGRITY = Sid.parse("S-1-16-12288");
  public static final Sid SYSTEM_INTEGRITY = Sid.parse("S-1-16-16384");

  private static final Map<Sid, String> NAMES = new LinkedHashMap<>();
  private static final Map<String, Sid> BY_NAME = new LinkedHashMap<>();

  static {
    name(NULL, "NULL SID");
    name(EVERYONE, "Everyone");
    name(LOCAL, "LOCAL");
    name(CONSOLE_LOGON, "CONSOLE LOGON");
    name(CREATOR_OWNER, "CREATOR OWNER");
    name(CREATOR_GROUP, "CREATOR GROUP");
    name(CREATOR_OWNER_SERVER, "CREATOR OWNER SERVER");
    name(CREATOR_GROUP_SERVER, "CREATOR GROUP SERVER");
    name(OWNER_RIGHTS, "OWNER RIGHTS");
    name(DIALUP, "NT AUTHORITY\\DIALUP");
    name(NETWORK, "NT AUTHORITY\\NETWORK");
    name(BATCH, "NT AUTHORITY\\BATCH");
    name(INTERACTIVE, "NT AUTHORITY\\INTERACTIVE");
    name(SERVICE, "NT AUTHORITY\\SERVICE");
    name(ANONYMOUS, "NT AUTHORITY\\ANONYMOUS LOGON");
    name(ENTERPRISE_DOMAIN_CONTROLLERS, "NT AUTHORITY\\ENTERPRISE DOMAIN CONTROLLERS");
    name(PRINCIPAL_SELF, "NT AUTHORITY\\SELF");
    name(AUTHENTICATED_USERS, "NT AUTHORITY\\Authenticated Users");
    name(RESTRICTED_CODE, "NT AUTHORITY\\RESTRICTED");
    name(TERMINAL_SERVER_USER, "NT AUTHORITY\\TERMINAL SERVER USER");
    name(REMOTE_INTERACTIVE_LOGON, "NT AUTHORITY\\REMOTE INTERACTIVE LOGON");
    name(THIS_ORGANIZATION, "NT AUTHORITY\\This Organization");
    name(IUSR, "NT AUTHORITY\\IUSR");
    name(LOCAL_SYSTEM, "NT AUTHORITY\\SYSTEM");
    name(LOCAL_SERVICE, "NT AUTHORITY\\LOCAL SERVICE");
    name(NETWORK_SERVICE, "NT AUTHORITY\\NETWORK SERVICE");
    name(WRITE_RESTRICTED_CODE, "NT AUTHORITY\\WRITE RESTRICTED");
    name(ADMINISTRATORS, "BUILTIN\\Administrators");
    name(USERS, "BUILTIN\\Users");
    name(GUESTS, "BUILTIN\\Guests");
    name(POWER_USERS, "BUILTIN\\Power Users");
    name(ACCOUNT_OPERATORS, "BUILTIN\\Account Operators");
    name(SERVER_OPERATORS, "BUILTIN\\Server Operators");
    name(PRINT_OPERATORS, "BUILTIN\\Print Operators");
    name(BACKUP_OPERATORS, "BUILTIN\\Backup Operators");
    name(REPLICATOR, "BUILTIN\\Replicator");
    name(PRE_WINDOWS_2000, "BUILTIN\\Pre-Windows 2000 Compatible Access");
    name(REMOTE_DESKTOP_USERS, "BUILTIN\\Remote Desktop Users");
    name(NETWORK_CONFIGURATION_OPERATORS, "BUILTIN\\Network Configuration Operators");
    name(PERFORMANCE_MONITOR_USERS, "BUILTIN\\Performance Monitor Users");
    name(PERFORMANCE_LOG_USERS, "BUILTIN\\Performance Log Users");
    name(IIS_IUSRS, "BUILTIN\\IIS_IUSRS");
    name(CRYPTO_OPERATORS, "BUILTIN\\Cryptographic Operators");
    name(EVENT_LOG_READERS, "BUILTIN\\Event Log Readers");
    name(REMOTE_MANAGEMENT_USERS, "BUILTIN\\Remote Management Users");
    name(TRUSTED_INSTALLER, "NT SERVICE\\TrustedInstaller");
    name(ALL_APPLICATION_PACKAGES, "APPLICATION PACKAGE AUTHORITY\\ALL APPLICATION PACKAGES");
    name(
        ALL_RESTRICTED_APPLICATION_PACKAGES,
        "APPLICATION PACKAGE AUTHORITY\\ALL RESTRICTED APPLICATION PACKAGES");
    name(LOW_INTEGRITY, "Mandatory Label\\Low Mandatory Level");
    name(MEDIUM_INTEGRITY, "Mandatory Label\\Medium Mandatory Level");
    name(HIGH_INTEGRITY, "Mandatory Label\\High Mandatory Level");
    name(SYSTEM_INTEGRITY, "Mandatory Label\\System Mandatory Level");
    // Short forms administrators type; Windows' own lookup accepts most of them too.
    alias("SYSTEM", LOCAL_SYSTEM);
    alias("NETWORK SERVICE", NETWORK_SERVICE);
    alias("LOCAL SERVICE", LOCAL_SERVICE);
    alias("Authenticated Users", AUTHENTICATED_USERS);
    alias("ANONYMOUS LOGON", ANONYMOUS);
    alias("Anonymous", ANONYMOUS);
    alias("INTERACTIVE", INTERACTIVE);
    alias("NETWORK", NETWORK);
    alias("IUSR", IUSR);
    alias("IIS_IUSRS", IIS_IUSRS);
    alias("Users", USERS);
    alias("Administrators", ADMINISTRATORS);
    alias("Guests", GUESTS);
    alias("TrustedInstaller", TRUSTED_INSTALLER);
    alias("ALL APPLICATION PACKAGES", ALL_APPLICATION_PACKAGES);
  }

  private static void name(Sid sid, String name) {
    NAMES.put(sid, name);
    BY_NAME.put(name.toLowerCase(Locale.ROOT), sid);
  }

  private static void alias(String name, Sid sid) {
    BY_NAME.put(name.toLowerCase(Locale.ROOT), sid);
  }

  /** The English display name, e.g. {@code BUILTIN\Users}, when the SID is well known. */
  public static Optional<String> nameOf(Sid sid) {
    return Optional.ofNullable(NAMES.get(sid));
  }

  /** Resolves a well-known account name, case-insensitively, with or without its authority. */
  public static Optional<Sid> lookup(String name) {
    if (name == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(BY_NAME.get(name.trim().toLowerCase(Locale.ROOT)));
  }

  /** Every well-known SID with its display name. */
  public static Map<Sid, String> all() {
    return Collections.unmodifiableMap(NAMES);
  }

  /**
   * Whether the SID is known to stand for a group, never the user of a token: Everyone, the logon
   * groups (NETWORK, INTERACTIVE, Authenticated Users ...), BUILTIN aliases, the well-known domain
   * groups (RIDs 512 to 527 and 553, 571, 572 of a domain), service SIDs and package groups. A
   * group's own access is that of a token holding the group, without the groups Windows adds to a
   * user's logon. Other SIDs (SYSTEM, IUSR, pool identities, accounts) may be users.
   */
  public static boolean isGroup(Sid sid) {
    long a = sid.authority();
    int n = sid.subAuthorityCount();
    if (a == 1 || a == 2) {
      return true; // Everyone; LOCAL and CONSOLE LOGON
    }
    if (a == 3) {
      return sid.equals(CREATOR_GROUP) || sid.equals(CREATOR_GROUP_SERVER);
    }
    if (a == 15) {
      return n >= 1 && sid.subAuthority(0) == 2; // ALL APPLICATION PACKAGES and the like
    }
    if (a != 5 || n == 0) {
      return false;
    }
    long first = sid.subAuthority(0);
    if (n == 1) {
      // DIALUP, NETWORK, BATCH, INTERACTIVE, SERVICE, ENTERPRISE DCs, Authenticated Users,
      // RESTRICTED, TERMINAL SERVER USER, REMOTE INTERACTIVE, THIS ORGANIZATION, WRITE RESTRICTED,
      // local account (113, 114), OTHER ORGANIZATION (1000)
      return (first >= 1 && first <= 4)
          || first == 6
          || first == 9
          || (first >= 11 && first <= 15)
          || first == 33
          || first == 113
          || first == 114
          || first == 1000;
    }
    if (first == 32 || first == 64 || first == 80 || first == 83 || first == 90) {
      return true; // BUILTIN aliases, authentication packages, services, VMs, Window Manager
    }
    if (first == 21 && n == 5) {
      long rid = sid.rid();
      return (rid >= 512 && rid <= 527) || rid == 553 || rid == 571 || rid == 572;
    }
    return false;
  }
}
