package org.wsusfix.machine.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.wsusfix.machine.windows.Win32Mocks.AUTHENTICATED_USERS;
import static org.wsusfix.machine.windows.Win32Mocks.IIS_IUSRS;
import static org.wsusfix.machine.windows.Win32Mocks.INTERACTIVE;
import static org.wsusfix.machine.windows.Win32Mocks.IUSR;
import static org.wsusfix.machine.windows.Win32Mocks.MACHINE;
import static org.wsusfix.machine.windows.Win32Mocks.USERS;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.wsusfix.machine.TargetException;
import org.wsusfix.security.Sid;

/**
 * Names, SIDs, the machine SID and local groups of the Windows target, against mocked JNA
 * libraries.
 */
class WindowsTargetAccountsTest {
  static final int SID_TYPE_USER = 1;
  static final int SID_TYPE_DOMAIN = 3;
  static final int SID_TYPE_ALIAS = 4;
  static final Sid IUSR_WSUS01 = MACHINE.withRid(1003);
  static final Sid TEST_GROUP = MACHINE.withRid(1010);

  final Win32Mocks w = new Win32Mocks();
  final WindowsTarget target = w.target();

  // --- names and SIDs ---

  @Test
  void namesResolveToSidsAndUnknownNamesToNothing() {
    w.account("IUSR_WSUS01", IUSR_WSUS01, SID_TYPE_USER, "WSUS01");
    assertEquals(Optional.of(IUSR_WSUS01), target.lookupName("IUSR_WSUS01"));
    when(w.advapi32.LookupAccountName(isNull(), eq("nobody"), any(), any(), any(), any(), any()))
        .thenReturn(false);
    when(w.kernel32.GetLastError()).thenReturn(1332);
    assertEquals(Optional.empty(), target.lookupName("nobody"));
  }

  @Test
  void aTooSmallBufferIsRetriedWithTheSizesWindowsAskedFor() {
    int[] calls = {0};
    when(w.advapi32.LookupAccountName(
            isNull(), eq("CONTOSO\\svc-wsus"), any(), any(), any(), any(), any()))
        .thenAnswer(
            inv -> {
              char[] domain = inv.getArgument(4);
              if (calls[0]++ == 0) {
                ((IntByReference) inv.getArgument(5)).setValue(400);
                return false;
              }
              assertEquals(400, domain.length);
              byte[] b = IUSR_WSUS01.toBytes();
              ((com.sun.jna.platform.win32.WinNT.PSID) inv.getArgument(2))
                  .getPointer()
                  .write(0, b, 0, b.length);
              ((PointerByReference) inv.getArgument(6)).getPointer().setInt(0, SID_TYPE_USER);
              return true;
            });
    when(w.kernel32.GetLastError()).thenReturn(122);
    assertEquals(Optional.of(IUSR_WSUS01), target.lookupName("CONTOSO\\svc-wsus"));
    assertEquals(2, calls[0]);
  }

  @Test
  void lookupErrorsNameTheAccountAndTheCode() {
    when(w.advapi32.LookupAccountName(any(), anyString(), any(), any(), any(), any(), any()))
        .thenReturn(false);
    when(w.kernel32.GetLastError()).thenReturn(1789);
    assertEquals(
        "account CONTOSO\\svc: cannot look it up: failed (Windows error 1789)",
        assertThrows(TargetException.class, () -> target.lookupName("CONTOSO\\svc")).getMessage());
    when(w.advapi32.LookupAccountSid(any(), any(), any(), any(), any(), any(), any()))
        .thenReturn(false);
    when(w.kernel32.GetLastError()).thenReturn(5);
    assertEquals(
        "account S-1-5-17: cannot look up its name: access denied (Windows error 5);"
            + " run wsusfix from an elevated prompt",
        assertThrows(TargetException.class, () -> target.lookupSid(IUSR)).getMessage());
  }

  @Test
  void sidsResolveToDomainBackslashNameOrTheBareNameOfWellKnownOnes() {
    w.name(USERS, "BUILTIN", "Benutzer");
    w.name(Sid.parse("S-1-1-0"), "", "Jeder");
    assertEquals(Optional.of("BUILTIN\\Benutzer"), target.lookupSid(USERS));
    assertEquals(Optional.of("Jeder"), target.lookupSid(Sid.parse("S-1-1-0")));
    when(w.advapi32.LookupAccountSid(
            isNull(), Win32Mocks.eqSid(MACHINE.withRid(2000)), any(), any(), any(), any(), any()))
        .thenReturn(false);
    when(w.kernel32.GetLastError()).thenReturn(1332);
    assertEquals(Optional.empty(), target.lookupSid(MACHINE.withRid(2000)), "a deleted account");
  }

  @Test
  void theMachineSidIsTheDomainOfTheComputerNameAndIsAskedOnce() {
    when(w.kernel32.GetComputerName(any(), any()))
        .thenAnswer(
            inv -> {
              char[] buf = inv.getArgument(0);
              "WSUS01".getChars(0, 6, buf, 0);
              ((IntByReference) inv.getArgument(1)).setValue(6);
              return true;
            });
    w.account("WSUS01", MACHINE, SID_TYPE_DOMAIN, "WSUS01");
    assertEquals(Optional.of(MACHINE), target.machineSid());
    assertEquals(Optional.of(MACHINE), target.machineSid());
    verify(w.kernel32, times(1)).GetComputerName(any(), any());
  }

  @Test
  void anAccountNamedLikeTheComputerGivesItsDomain() {
    when(w.kernel32.GetComputerName(any(), any()))
        .thenAnswer(
            inv -> {
              "DC01".getChars(0, 4, (char[]) inv.getArgument(0), 0);
              return true;
            });
    w.account("DC01", MACHINE.withRid(1105), SID_TYPE_USER, "CONTOSO");
    assertEquals(Optional.of(MACHINE), target.machineSid());
  }

  @Test
  void anUnreadableComputerNameIsAClearError() {
    when(w.kernel32.GetComputerName(any(), any())).thenReturn(false);
    when(w.kernel32.GetLastError()).thenReturn(111);
    assertEquals(
        "this computer: cannot read its name: failed (Windows error 111)",
        assertThrows(TargetException.class, target::machineSid).getMessage());
  }

  // --- local groups ---

  @Test
  void membersAreReadBySidUnderTheLocalisedGroupNameAndTheBufferIsFreed() {
    w.name(USERS, "BUILTIN", "Benutzer");
    Memory buf = w.members("Benutzer", AUTHENTICATED_USERS, INTERACTIVE, IUSR_WSUS01);
    assertEquals(
        Optional.of(Set.of(AUTHENTICATED_USERS, INTERACTIVE, IUSR_WSUS01)),
        target.groupMembers(USERS));
    verify(w.netapi32)
        .NetApiBufferFree(argThat(p -> Pointer.nativeValue(p) == Pointer.nativeValue(buf)));
  }

  @Test
  void memberReadErrorsNameTheGroupAndTheCode() {
    w.name(USERS, "BUILTIN", "Users");
    when(w.netapi32.NetLocalGroupGetMembers(
            any(), anyString(), anyInt(), any(), anyInt(), any(), any(), any()))
        .thenReturn(2220, 5);
    assertEquals(
        "local group Users (S-1-5-32-545): cannot read its members: local group not found (Windows error 2220)",
        assertThrows(TargetException.class, () -> target.groupMembers(USERS)).getMessage());
    assertTrue(
        assertThrows(TargetException.class, () -> target.groupMembers(USERS))
            .getMessage()
            .endsWith("access denied (Windows error 5); run wsusfix from an elevated prompt"));
    when(w.advapi32.LookupAccountSid(
            isNull(), Win32Mocks.eqSid(TEST_GROUP), any(), any(), any(), any(), any()))
        .thenReturn(false);
    when(w.kernel32.GetLastError()).thenReturn(1332);
    assertEquals(
        "local group "
            + TEST_GROUP
            + ": no such account (no mapping between account names and security IDs)"
            + " (Windows error 1332)",
        assertThrows(TargetException.class, () -> target.groupMembers(TEST_GROUP)).getMessage());
  }

  /** NetLocalGroupEnum lists {@code names}, each resolving to its SID. */
  private Memory localGroups(Map<String, Sid> groups) {
    Memory buf = Win32Mocks.namesBuffer(List.copyOf(groups.keySet()));
    when(w.netapi32.NetLocalGroupEnum(isNull(), eq(0), any(), eq(-1), any(), any(), isNull()))
        .thenAnswer(
            inv -> {
              ((PointerByReference) inv.getArgument(2)).setValue(buf);
              ((IntByReference) inv.getArgument(4)).setValue(groups.size());
              ((IntByReference) inv.getArgument(5)).setValue(groups.size());
              return 0;
            });
    groups.forEach((name, sid) -> w.account(name, sid, SID_TYPE_ALIAS, "BUILTIN"));
    return buf;
  }

  @Test
  void groupsOfScansEveryLocalGroupOnceAndWorksForWellKnownMembers() {
    Map<String, Sid> groups = new LinkedHashMap<>();
    groups.put("Users", USERS);
    groups.put("IIS_IUSRS", IIS_IUSRS);
    localGroups(groups);
    w.members("Users", AUTHENTICATED_USERS, INTERACTIVE, IUSR_WSUS01);
    w.members("IIS_IUSRS", IUSR, IUSR_WSUS01);
    assertEquals(Optional.of(Set.of(USERS)), target.groupsOf(AUTHENTICATED_USERS));
    assertEquals(Optional.of(Set.of(USERS, IIS_IUSRS)), target.groupsOf(IUSR_WSUS01));
    assertEquals(Optional.of(Set.of(IIS_IUSRS)), target.groupsOf(IUSR));
    assertEquals(Optional.of(Set.of()), target.groupsOf(Sid.parse("S-1-5-20")));
    verify(w.netapi32, times(1))
        .NetLocalGroupEnum(any(), anyInt(), any(), anyInt(), any(), any(), any());
    verify(w.netapi32, times(3)).NetApiBufferFree(any()); // the name list and two member lists
  }

  @Test
  void aChangeToAGroupIsSeenByTheNextGroupsOf() {
    localGroups(Map.of("Users", USERS));
    w.name(USERS, "BUILTIN", "Users");
    w.members("Users", AUTHENTICATED_USERS);
    assertEquals(Optional.of(Set.of()), target.groupsOf(IUSR));
    target.addGroupMember(USERS, IUSR);
    w.members("Users", AUTHENTICATED_USERS, IUSR);
    assertEquals(Optional.of(Set.of(USERS)), target.groupsOf(IUSR));
    verify(w.netapi32, times(2))
        .NetLocalGroupEnum(any(), anyInt(), any(), anyInt(), any(), any(), any());
  }

  @Test
  void listingLocalGroupsFailsClearly() {
    when(w.netapi32.NetLocalGroupEnum(any(), anyInt(), any(), anyInt(), any(), any(), any()))
        .thenReturn(5);
    assertTrue(
        assertThrows(TargetException.class, () -> target.groupsOf(IUSR))
            .getMessage()
            .startsWith(
                "this computer: cannot list its local groups: access denied (Windows error 5)"));
  }

  @Test
  void membersAreAddedAndRemovedBySidAsOneLocalgroupMembersInfo0() {
    w.name(USERS, "BUILTIN", "Benutzer");
    AtomicReference<Sid> added = new AtomicReference<>();
    when(w.netapi32.NetLocalGroupAddMembers(isNull(), eq("Benutzer"), eq(0), any(), eq(1)))
        .thenAnswer(
            inv -> {
              Pointer info = inv.getArgument(3);
              added.set(NativeData.sidAt(info.getPointer(0))); // lgrmi0_sid
              return 0;
            });
    target.addGroupMember(USERS, AUTHENTICATED_USERS);
    assertEquals(AUTHENTICATED_USERS, added.get());
    target.removeGroupMember(USERS, AUTHENTICATED_USERS);
    verify(w.netapi32)
        .NetLocalGroupDelMembers(
            isNull(),
            eq("Benutzer"),
            eq(0),
            argThat(p -> NativeData.sidAt(p.getPointer(0)).equals(AUTHENTICATED_USERS)),
            eq(1));
  }

  @Test
  void membershipChangeErrorsNameGroupMemberAndCode() {
    w.name(TEST_GROUP, "WSUS01", "wsusfix-test");
    w.name(IUSR, "NT AUTHORITY", "IUSR");
    when(w.netapi32.NetLocalGroupAddMembers(any(), anyString(), anyInt(), any(), anyInt()))
        .thenReturn(1378, 1387, 1388, 2220, 5);
    String group =
        "local group wsusfix-test (" + TEST_GROUP + "): cannot add NT AUTHORITY\\IUSR (S-1-5-17): ";
    assertEquals(
        group + "already a member of the group (Windows error 1378)",
        assertThrows(TargetException.class, () -> target.addGroupMember(TEST_GROUP, IUSR))
            .getMessage());
    assertEquals(
        group + "the member does not exist (Windows error 1387)",
        assertThrows(TargetException.class, () -> target.addGroupMember(TEST_GROUP, IUSR))
            .getMessage());
    assertEquals(
        group + "the member has the wrong account type for this group (Windows error 1388)",
        assertThrows(TargetException.class, () -> target.addGroupMember(TEST_GROUP, IUSR))
            .getMessage());
    assertEquals(
        group + "local group not found (Windows error 2220)",
        assertThrows(TargetException.class, () -> target.addGroupMember(TEST_GROUP, IUSR))
            .getMessage());
    assertEquals(
        group + "access denied (Windows error 5); run wsusfix from an elevated prompt",
        assertThrows(TargetException.class, () -> target.addGroupMember(TEST_GROUP, IUSR))
            .getMessage());

    when(w.netapi32.NetLocalGroupDelMembers(any(), anyString(), anyInt(), any(), anyInt()))
        .thenReturn(1377);
    Sid unnamed = MACHINE.withRid(4242);
    when(w.advapi32.LookupAccountSid(
            isNull(), Win32Mocks.eqSid(unnamed), any(), any(), any(), any(), any()))
        .thenReturn(false);
    when(w.kernel32.GetLastError()).thenReturn(1332);
    assertEquals(
        "local group wsusfix-test ("
            + TEST_GROUP
            + "): cannot remove "
            + unnamed
            + ": not a member of the group (Windows error 1377)",
        assertThrows(TargetException.class, () -> target.removeGroupMember(TEST_GROUP, unnamed))
            .getMessage());
  }

  @Test
  void membersInfo0IsOnePointerToTheSid() {
    Memory info = NativeData.membersInfo0(IUSR_WSUS01);
    Pointer sid = info.getPointer(0);
    assertEquals(Native.POINTER_SIZE, Pointer.nativeValue(sid) - Pointer.nativeValue(info));
    assertEquals(IUSR_WSUS01, NativeData.sidAt(sid));
  }
}
