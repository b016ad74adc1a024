package org.wsusfix.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wsusfix.security.Fixtures.*;

import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenTest {
  @Test
  void networkLogonAddsEveryoneAuthenticatedUsersAndNetwork() {
    Token t = Token.forLogon(IUSR, Set.of(BU), Token.LogonKind.NETWORK, false);
    assertEquals(Set.of(BU, WD, AU, WellKnownSids.NETWORK), t.groups());
    assertTrue(t.has(IUSR));
    assertFalse(t.has(WellKnownSids.INTERACTIVE));
    assertFalse(t.has(WellKnownSids.THIS_ORGANIZATION));
  }

  @Test
  void consoleAndRemoteDesktopLogons() {
    Token console = Token.forLogon(OWNER, Set.of(), Token.LogonKind.INTERACTIVE, true);
    assertEquals(
        Set.of(
            WD,
            AU,
            WellKnownSids.INTERACTIVE,
            WellKnownSids.CONSOLE_LOGON,
            WellKnownSids.LOCAL,
            WellKnownSids.THIS_ORGANIZATION),
        console.groups());
    Token rdp = Token.forLogon(OWNER, Set.of(), Token.LogonKind.REMOTE_INTERACTIVE, false);
    assertEquals(
        Set.of(
            WD,
            AU,
            WellKnownSids.INTERACTIVE,
            WellKnownSids.REMOTE_INTERACTIVE_LOGON,
            WellKnownSids.LOCAL),
        rdp.groups());
  }

  @Test
  void serviceAndBatchLogons() {
    assertTrue(
        Token.forLogon(NS, Set.of(), Token.LogonKind.SERVICE, false).has(WellKnownSids.SERVICE));
    assertTrue(
        Token.forLogon(OWNER, Set.of(), Token.LogonKind.BATCH, false).has(WellKnownSids.BATCH));
  }

  @Test
  void anonymousGetsNetworkOnlyUnlessThePolicySaysOtherwise() {
    Token anon = Token.forLogon(WellKnownSids.ANONYMOUS, Set.of(), Token.LogonKind.ANONYMOUS, true);
    assertEquals(Set.of(WellKnownSids.NETWORK), anon.groups());
    Token lax =
        Token.forLogon(WellKnownSids.ANONYMOUS, Set.of(), Token.LogonKind.ANONYMOUS, true, true);
    assertEquals(Set.of(WD, WellKnownSids.NETWORK), lax.groups());
  }

  @Test
  void builtinGuestIsNotAnAuthenticatedUser() {
    Sid guest = Sid.parse("S-1-5-21-1004336348-1177238915-682003330-501");
    Token t = Token.forLogon(guest, Set.of(WellKnownSids.GUESTS), Token.LogonKind.NETWORK, false);
    assertTrue(t.has(WD));
    assertFalse(t.has(AU));
  }

  @Test
  void userIsNotRepeatedAmongGroupsAndWithGroupsAdds() {
    Token t = Token.forLogon(OWNER, Set.of(OWNER, BU), Token.LogonKind.NETWORK, false);
    assertFalse(t.groups().contains(OWNER));
    assertTrue(t.withGroups(Set.of(IUSR)).has(IUSR));
    assertFalse(t.has(IUSR));
  }
}
