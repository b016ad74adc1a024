package org.wsusfix.machine.smb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NtStatusTextTest {
  @Test
  void messagesNameThePathTheMeaningAndTheStatus() {
    SmbException e = SmbException.of("\\\\srv\\c\\Windows", 0xC0000022L, null);
    assertEquals("\\\\srv\\c\\Windows: access denied (STATUS_ACCESS_DENIED)", e.getMessage());
    assertTrue(e.isAccessDenied());
    assertTrue(SmbException.of("x", 0xC0000034L, null).isNotFound());
    assertTrue(SmbException.of("x", 0xC000003AL, null).isNotFound());
  }

  @Test
  void negativeIntsFromRpcAreTheSameCodes() {
    assertEquals("STATUS_MEMBER_IN_ALIAS", NtStatusText.name(0xC0000153));
    assertEquals("STATUS_LOGON_FAILURE", NtStatusText.name(0xC000006DL));
  }

  @Test
  void unknownCodesShowInHex() {
    assertEquals("NTSTATUS 0xC0001234", NtStatusText.name(0xC0001234L));
    assertEquals("failed", NtStatusText.describe(0xC0001234L));
  }

  @Test
  void pathsAreRelativeToTheShareWithBackslashes() {
    assertEquals("Windows\\Microsoft.NET", SmbConnection.normalize("/Windows/Microsoft.NET/"));
    assertEquals("", SmbConnection.normalize("\\"));
    assertEquals("", SmbConnection.normalize(null));
    assertEquals("a\\b", SmbConnection.normalize("a\\b"));
  }
}
