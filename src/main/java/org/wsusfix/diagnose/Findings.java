package org.wsusfix.diagnose;

import java.util.List;
import java.util.Optional;
import org.wsusfix.diagnose.iisconfig.IisConfig;
import org.wsusfix.diagnose.iislog.HttpErrFinding;
import org.wsusfix.diagnose.iislog.IisLogFinding;
import org.wsusfix.diagnose.wulog.ServerSetting;
import org.wsusfix.diagnose.wulog.Signature;

/**
 * Everything diagnose found: failure signatures from client logs and denied accesses from Process
 * Monitor captures, each list already in the order it is reported.
 *
 * @param windowsDir the Windows directory of the captured server, when known
 * @param computerName the captured server's name, when known (PML header, IIS 6 metabase)
 * @param iis failed responses of the WSUS endpoints in IIS logs, faults first
 * @param iisConfig what the IIS configuration says, when one was read
 * @param wsusSettings the WSUS server settings the client logs went through
 * @param httpErr requests HTTP.sys refused or dropped (HTTPERR logs), faults first
 */
public record Findings(
    List<Signature> signatures,
    List<DeniedPath> denied,
    List<DeniedPath> privilegeNotHeld,
    List<DeniedPath> badImpersonation,
    String windowsDir,
    String computerName,
    List<IisLogFinding> iis,
    IisConfig iisConfig,
    List<ServerSetting> wsusSettings,
    List<HttpErrFinding> httpErr) {

  public Findings {
    httpErr = List.copyOf(httpErr);
    iis = List.copyOf(iis);
    wsusSettings = List.copyOf(wsusSettings);
    signatures = List.copyOf(signatures);
    denied = List.copyOf(denied);
    privilegeNotHeld = List.copyOf(privilegeNotHeld);
    badImpersonation = List.copyOf(badImpersonation);
  }

  public Findings(
      List<Signature> signatures,
      List<DeniedPath> denied,
      List<DeniedPath> privilegeNotHeld,
      List<DeniedPath> badImpersonation,
      String windowsDir,
      String computerName) {
    this(
        signatures,
        denied,
        privilegeNotHeld,
        badImpersonation,
        windowsDir,
        computerName,
        List.of(),
        null,
        List.of(),
        List.of());
  }

  public boolean isEmpty() {
    return iisFaults().isEmpty()
        && httpErrFaults().isEmpty()
        && serverSignatures().isEmpty()
        && denied.isEmpty()
        && privilegeNotHeld.isEmpty()
        && badImpersonation.isEmpty();
  }

  public Optional<Signature> auth401() {
    return signatures.stream().filter(Signature::isAuth401).findFirst();
  }

  public Optional<Signature> firstPermissionRelated() {
    return signatures.stream().filter(Signature::serverPermission).findFirst();
  }

  /** Client failures that may be the WSUS server's. */
  public List<Signature> serverSignatures() {
    return signatures.stream().filter(Signature::againstWsus).toList();
  }

  /** Client failures against Microsoft, a peer, the Store or a proxy: not the WSUS server's. */
  public List<Signature> otherSignatures() {
    return signatures.stream().filter(s -> !s.againstWsus()).toList();
  }

  /** IIS log groups that are faults (the normal 401 challenge is not). */
  public List<IisLogFinding> iisFaults() {
    return iis.stream().filter(i -> i.kind().fault()).toList();
  }

  /** HTTPERR groups that point at the server (an idle client's timeouts do not). */
  public List<HttpErrFinding> httpErrFaults() {
    return httpErr.stream().filter(HttpErrFinding::fault).toList();
  }

  /** IIS log groups where an ACL refused the identity IIS uses. */
  public List<IisLogFinding> iisPermission() {
    return iis.stream().filter(IisLogFinding::permissionRelated).toList();
  }

  /** Denied files and folders: what a policy can fix. */
  public List<DeniedPath> deniedFolders() {
    return denied.stream().filter(DeniedPath::fileSystem).toList();
  }
}
