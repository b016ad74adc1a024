package org.wsusfix.diagnose;

import java.util.List;
import java.util.Optional;

/**
 * Everything diagnose found: failure signatures from client logs and denied accesses from
 * Process Monitor captures, each list already in the order it is reported.
 *
 * @param windowsDir the Windows directory of the captured server, when known
 * @param computerName the captured server's name, when known (PML header)
 */
public record Findings(
    List<Signature> signatures,
    List<DeniedPath> denied,
    List<DeniedPath> privilegeNotHeld,
    List<DeniedPath> badImpersonation,
    String windowsDir,
    String computerName) {

  public Findings {
    signatures = List.copyOf(signatures);
    denied = List.copyOf(denied);
    privilegeNotHeld = List.copyOf(privilegeNotHeld);
    badImpersonation = List.copyOf(badImpersonation);
  }

  public boolean isEmpty() {
    return signatures.isEmpty()
        && denied.isEmpty()
        && privilegeNotHeld.isEmpty()
        && badImpersonation.isEmpty();
  }

  public Optional<Signature> auth401() {
    return signatures.stream().filter(Signature::isAuth401).findFirst();
  }

  public Optional<Signature> firstPermissionRelated() {
    return signatures.stream().filter(Signature::permissionRelated).findFirst();
  }

  /** Denied files and folders: what a policy can fix. */
  public List<DeniedPath> deniedFolders() {
    return denied.stream().filter(DeniedPath::fileSystem).toList();
  }
}
