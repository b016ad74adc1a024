package org.wsusfix.security;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The user rights Windows' LSA assigns to accounts, by their constant names (ntsecapi.h, winnt.h):
 * privileges ({@code Se...Privilege}) and logon rights ({@code Se...LogonRight}, including the
 * {@code SeDeny...} ones). secpol.msc shows them under "User Rights Assignment".
 */
public final class AccountRights {
  private AccountRights() {}

  public static final List<String> PRIVILEGES =
      List.of(
          "SeAssignPrimaryTokenPrivilege",
          "SeAuditPrivilege",
          "SeBackupPrivilege",
          "SeChangeNotifyPrivilege",
          "SeCreateGlobalPrivilege",
          "SeCreatePagefilePrivilege",
          "SeCreatePermanentPrivilege",
          "SeCreateSymbolicLinkPrivilege",
          "SeCreateTokenPrivilege",
          "SeDebugPrivilege",
          "SeDelegateSessionUserImpersonatePrivilege",
          "SeEnableDelegationPrivilege",
          "SeImpersonatePrivilege",
          "SeIncreaseBasePriorityPrivilege",
          "SeIncreaseQuotaPrivilege",
          "SeIncreaseWorkingSetPrivilege",
          "SeLoadDriverPrivilege",
          "SeLockMemoryPrivilege",
          "SeMachineAccountPrivilege",
          "SeManageVolumePrivilege",
          "SeProfileSingleProcessPrivilege",
          "SeRelabelPrivilege",
          "SeRemoteShutdownPrivilege",
          "SeRestorePrivilege",
          "SeSecurityPrivilege",
          "SeShutdownPrivilege",
          "SeSyncAgentPrivilege",
          "SeSystemEnvironmentPrivilege",
          "SeSystemProfilePrivilege",
          "SeSystemtimePrivilege",
          "SeTakeOwnershipPrivilege",
          "SeTcbPrivilege",
          "SeTimeZonePrivilege",
          "SeTrustedCredManAccessPrivilege",
          "SeUndockPrivilege",
          "SeUnsolicitedInputPrivilege");

  public static final List<String> LOGON_RIGHTS =
      List.of(
          "SeBatchLogonRight",
          "SeDenyBatchLogonRight",
          "SeDenyInteractiveLogonRight",
          "SeDenyNetworkLogonRight",
          "SeDenyRemoteInteractiveLogonRight",
          "SeDenyServiceLogonRight",
          "SeInteractiveLogonRight",
          "SeNetworkLogonRight",
          "SeRemoteInteractiveLogonRight",
          "SeServiceLogonRight");

  /** Privileges then logon rights. */
  public static List<String> all() {
    List<String> out = new java.util.ArrayList<>(PRIVILEGES);
    out.addAll(LOGON_RIGHTS);
    return out;
  }

  public static boolean isKnown(String name) {
    return PRIVILEGES.contains(name) || LOGON_RIGHTS.contains(name);
  }

  public static boolean isLogonRight(String name) {
    return LOGON_RIGHTS.contains(name);
  }

  /** The exact spelling of a right written in another case, e.g. {@code seimpersonateprivilege}. */
  public static Optional<String> spelledAs(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return all().stream().filter(r -> r.toLowerCase(Locale.ROOT).equals(lower)).findFirst();
  }
}
