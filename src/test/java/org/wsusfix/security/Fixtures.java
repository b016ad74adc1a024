package org.wsusfix.security;

import static org.wsusfix.security.AceFlags.CONTAINER_INHERIT;
import static org.wsusfix.security.AceFlags.INHERITED;
import static org.wsusfix.security.AceFlags.INHERIT_ONLY;
import static org.wsusfix.security.AceFlags.NO_PROPAGATE_INHERIT;
import static org.wsusfix.security.AceFlags.OBJECT_INHERIT;

import java.util.List;

/** Short names for building descriptors in tests (the SDDL parser lives elsewhere). */
final class Fixtures {
  private Fixtures() {}

  static final Sid OWNER = Sid.parse("S-1-5-21-1004336348-1177238915-682003330-1001");
  static final Sid OTHER_OWNER = Sid.parse("S-1-5-21-1004336348-1177238915-682003330-1002");
  static final Sid GROUP = Sid.parse("S-1-5-21-1004336348-1177238915-682003330-513");
  static final Sid WD = WellKnownSids.EVERYONE;
  static final Sid BU = WellKnownSids.USERS;
  static final Sid BA = WellKnownSids.ADMINISTRATORS;
  static final Sid SY = WellKnownSids.LOCAL_SYSTEM;
  static final Sid AU = WellKnownSids.AUTHENTICATED_USERS;
  static final Sid CO = WellKnownSids.CREATOR_OWNER;
  static final Sid CG = WellKnownSids.CREATOR_GROUP;
  static final Sid NS = WellKnownSids.NETWORK_SERVICE;
  static final Sid IUSR = WellKnownSids.IUSR;
  static final Sid TI = WellKnownSids.TRUSTED_INSTALLER;

  static final int OI = OBJECT_INHERIT;
  static final int CI = CONTAINER_INHERIT;
  static final int NP = NO_PROPAGATE_INHERIT;
  static final int IO = INHERIT_ONLY;
  static final int ID = INHERITED;

  static final int FA = AccessMask.FILE_ALL_ACCESS;
  static final int RX = AccessMask.READ_AND_EXECUTE;
  static final int M = AccessMask.MODIFY;
  static final int GA = AccessMask.GENERIC_ALL;
  static final int GR = AccessMask.GENERIC_READ;
  static final int GX = AccessMask.GENERIC_EXECUTE;

  static Ace a(Sid sid, int mask, int flags) {
    return Ace.allow(sid, mask, flags);
  }

  static Ace d(Sid sid, int mask, int flags) {
    return Ace.deny(sid, mask, flags);
  }

  static Acl acl(Ace... aces) {
    return Acl.of(List.of(aces));
  }

  static SecurityDescriptor sd(Sid owner, int extraControl, Ace... aces) {
    return SecurityDescriptor.withDacl(owner, GROUP, acl(aces), extraControl);
  }

  static SecurityDescriptor sd(int extraControl, Ace... aces) {
    return sd(OWNER, extraControl, aces);
  }
}
