package org.wsusfix.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wsusfix.plan.PolicyBuilder.OICI;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.wsusfix.machine.memory.MemoryTarget;
import org.wsusfix.policy.Membership;
import org.wsusfix.resource.Digest;
import org.wsusfix.resource.ExpectationResult;
import org.wsusfix.resource.Finding;
import org.wsusfix.resource.FormatException;
import org.wsusfix.resource.PlanException;
import org.wsusfix.resource.folder.DaclChange;
import org.wsusfix.resource.folder.Descendants;
import org.wsusfix.resource.group.MembershipChange;
import org.wsusfix.security.AccessMask;
import org.wsusfix.security.Inheritance;
import org.wsusfix.security.Sddl;
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;
import org.wsusfix.security.WellKnownSids;

class PlannerTest {
  static final Sid MACHINE = Sid.parse("S-1-5-21-1111111111-2222222222-3333333333");
  static final Sid IUSR_WSUS01 = MACHINE.withRid(1003);
  static final String NET = "C:\\Windows\\Microsoft.NET";
  static final String FW = NET + "\\Framework";
  static final String V2 = FW + "\\v2.0.50727";
  static final String DLL = V2 + "\\System.Web.dll";

  // Windows' own default for C:\Windows children, and a Framework folder that lost Users.
  static final String HEALTHY_PARENT =
      "O:S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464"
          + "G:S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464"
          + "D:PAI(A;;FA;;;SY)(A;OICIIO;GA;;;SY)(A;;FA;;;BA)(A;OICIIO;GA;;;BA)(A;;0x1200a9;;;BU)(A;OICIIO;GXGR;;;BU)(A;OICIIO;GA;;;CO)";
  static final String BROKEN_FW = "O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICIIO;GA;;;CO)";

  static SecurityDescriptor sd(String sddl) {
    return Sddl.parse(sddl, MACHINE);
  }

  /** A tree where Framework is protected without Users, and its children inherit from it. */
  static MemoryTarget brokenServer() {
    return brokenServer(true);
  }

  static MemoryTarget brokenServer(boolean defaultUsers) {
    MemoryTarget t =
        new MemoryTarget("memory:test")
            .machineSid(MACHINE)
            .account("IUSR_WSUS01", IUSR_WSUS01)
            .group(WellKnownSids.ADMINISTRATORS);
    if (defaultUsers) {
      t.group(WellKnownSids.USERS, WellKnownSids.AUTHENTICATED_USERS, WellKnownSids.INTERACTIVE);
    } else {
      t.group(WellKnownSids.USERS);
    }
    SecurityDescriptor net = sd(HEALTHY_PARENT);
    SecurityDescriptor fw = sd(BROKEN_FW);
    SecurityDescriptor v2 = Inheritance.recomputeChild(fw, sd("O:BAG:SYD:AI"), true);
    SecurityDescriptor dll = Inheritance.recomputeChild(v2, sd("O:BAG:SYD:AI"), false);
    return t.folder(NET, net).folder(FW, fw).folder(V2, v2).file(DLL, dll);
  }

  @Test
  void missingUsersIsAddedAsOneInheritableAceAndCountsDescendants() {
    MemoryTarget t = brokenServer();
    Plan plan =
        new Planner(t)
            .plan(
                new PolicyBuilder()
                    .grant(
                        "%windir%\\Microsoft.NET\\Framework",
                        "BU", AccessMask.READ_AND_EXECUTE, OICI)
                    .build());
    assertEquals(1, plan.changes().size());
    DaclChange c = plan.changes(DaclChange.class).get(0);
    assertEquals(FW, c.path());
    assertTrue(c.after().contains("(A;OICI;0x1200a9;;;BU)"), c.after());
    assertEquals(
        Descendants.counted(2), c.descendants(), "v2.0.50727 and System.Web.dll re-inherit");
    assertEquals(Digest.sha256(c.before()), c.beforeSha256());
    assertFalse(plan.compliant());
    SecurityDescriptor after = Sddl.parse(c.after(), MACHINE);
    assertTrue(org.wsusfix.security.CanonicalOrder.isCanonical(after.dacl()));
  }

  @Test
  void aRuleBelowAnEarlierChangeCountsOnlyWhatItRewritesItself() {
    MemoryTarget t = brokenServer();
    // Framework gains Users (OI)(CI), which v2.0.50727 and System.Web.dll re-inherit; then
    // v2.0.50727 gains an entry for itself only: nothing more below it changes.
    Plan plan =
        new Planner(t)
            .plan(
                new PolicyBuilder()
                    .grant(
                        "%windir%\\Microsoft.NET\\Framework",
                        "BU", AccessMask.READ_AND_EXECUTE, OICI)
                    .grant(V2, "IUSR_WSUS01", AccessMask.READ_AND_EXECUTE, 0)
                    .build());
    assertEquals(
        List.of(FW, V2), plan.changes(DaclChange.class).stream().map(DaclChange::path).toList());
    assertEquals(Descendants.counted(2), plan.changes(DaclChange.class).get(0).descendants());
    assertEquals(
        Descendants.counted(0),
        plan.changes(DaclChange.class).get(1).descendants(),
        "System.Web.dll gets Users from the Framework change already");

    // an inheritable entry on v2.0.50727 does reach System.Web.dll a second time
    Plan inheritable =
        new Planner(t)
            .plan(
                new PolicyBuilder()
                    .grant(
                        "%windir%\\Microsoft.NET\\Framework",
                        "BU", AccessMask.READ_AND_EXECUTE, OICI)
                    .grant(V2, "IUSR_WSUS01", AccessMask.READ_AND_EXECUTE, OICI)
                    .build());
    assertEquals(
        Descendants.counted(1), inheritable.changes(DaclChange.class).get(1).descendants());
  }

  @Test
  void inheritedAndSplitAcesAlreadyMeetTheNeed() {
    MemoryTarget t = brokenServer();
    // Microsoft.NET has Users RX for itself plus GXGR inherit-only for children: together, RX
    // (OI)(CI).
    Plan plan =
        new Planner(t)
            .plan(
                new PolicyBuilder()
                    .grant(NET, "BUILTIN\\Users", AccessMask.READ_AND_EXECUTE, OICI)
                    .build());
    assertTrue(plan.changes().isEmpty(), () -> PlanJson.write(plan));
    assertTrue(plan.compliant());
  }

  @Test
  void inheritOnlyAceAloneDoesNotMeetTheFolderItself() {
    MemoryTarget t = brokenServer();
    t.folder(FW, sd("O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICIIO;0x1200a9;;;BU)"));
    Plan plan =
        new Planner(t)
            .plan(new PolicyBuilder().grant(FW, "BU", AccessMask.READ_AND_EXECUTE, OICI).build());
    assertEquals(1, plan.changes().size());
  }

  @Test
  void explicitAceWithSameInheritanceIsWidenedNotDuplicated() {
    MemoryTarget t = brokenServer();
    t.folder(FW, sd("O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;0x120089;;;BU)"));
    Plan plan =
        new Planner(t)
            .plan(new PolicyBuilder().grant(FW, "BU", AccessMask.READ_AND_EXECUTE, OICI).build());
    DaclChange c = plan.changes(DaclChange.class).get(0);
    assertEquals("O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;0x1200a9;;;BU)", c.after());
    assertTrue(c.reasons().get(0).contains("widened"), c.reasons().toString());
  }

  @Test
  void explicitDenyHittingTheAnonymousAccountThroughEveryoneIsRemoved() {
    MemoryTarget t = brokenServer();
    t.folder(FW, sd("O:BAG:SYD:AI(D;OICI;0x1200a9;;;WD)(A;OICI;0x1200a9;;;BU)(A;OICIID;FA;;;SY)"));
    Plan plan =
        new Planner(t)
            .plan(
                new PolicyBuilder()
                    .grantForbidding(
                        FW, "BU", AccessMask.READ_AND_EXECUTE, true, "IUSR_%COMPUTERNAME%")
                    .build());
    DaclChange c = plan.changes(DaclChange.class).get(0);
    assertEquals("O:BAG:SYD:AI(A;OICI;0x1200a9;;;BU)(A;OICIID;FA;;;SY)", c.after());
    assertTrue(c.reasons().get(0).startsWith("removed explicit deny"), c.reasons().toString());
    DaclChange.Access iusr =
        c.access().stream().filter(a -> a.sid().equals(IUSR_WSUS01)).findFirst().orElseThrow();
    assertEquals(0, iusr.before().mask() & AccessMask.FILE_READ_DATA);
    assertTrue(AccessMask.covers(iusr.after().mask(), AccessMask.READ_AND_EXECUTE));
  }

  @Test
  void denyThatDoesNotTouchTheNeededRightsIsLeftAlone() {
    MemoryTarget t = brokenServer();
    t.folder(FW, sd("O:BAG:SYD:AI(D;OICI;0x40000;;;WD)(A;OICI;0x1200a9;;;BU)"));
    Plan plan =
        new Planner(t)
            .plan(
                new PolicyBuilder()
                    .grantForbidding(FW, "BU", AccessMask.READ_AND_EXECUTE, true, "BU")
                    .build());
    assertTrue(plan.compliant(), () -> PlanJson.write(plan));
  }

  @Test
  void denyIsAConflictWhenThePolicyDoesNotAllowRemoval() {
    MemoryTarget t = brokenServer();
    t.folder(FW, sd("O:BAG:SYD:AI(D;OICI;0x1200a9;;;BU)(A;OICI;0x1200a9;;;BU)"));
    Plan plan =
        new Planner(t)
            .plan(
                new PolicyBuilder()
                    .grantForbidding(FW, "BU", AccessMask.READ_AND_EXECUTE, false, "BU")
                    .build());
    assertTrue(plan.changes().isEmpty());
    assertEquals(Finding.Severity.CONFLICT, plan.findings().get(0).severity());
    assertFalse(plan.compliant());
  }

  @Test
  void inheritedDenyIsAConflictNamingWhereItComesFrom() {
    MemoryTarget t = brokenServer();
    t.folder(NET, sd("O:BAG:SYD:AI(D;OICI;0x1200a9;;;BU)(A;OICI;FA;;;SY)"));
    t.folder(
        FW, sd("O:BAG:SYD:AI(A;OICI;0x1200a9;;;BU)(D;OICIID;0x1200a9;;;BU)(A;OICIID;FA;;;SY)"));
    Plan plan =
        new Planner(t)
            .plan(
                new PolicyBuilder()
                    .grantForbidding(FW, "BU", AccessMask.READ_AND_EXECUTE, true, "BU")
                    .build());
    Finding f =
        plan.findings().stream()
            .filter(x -> x.severity() == Finding.Severity.CONFLICT)
            .findFirst()
            .orElseThrow();
    assertTrue(f.message().contains("from " + NET), f.message());
  }

  @Test
  void nonCanonicalDaclIsReportedAndNotTouched() {
    MemoryTarget t = brokenServer();
    t.folder(FW, sd("O:BAG:SYD:(A;OICI;FA;;;SY)(D;OICI;FA;;;BG)"));
    Plan plan =
        new Planner(t)
            .plan(new PolicyBuilder().grant(FW, "BU", AccessMask.READ_AND_EXECUTE, OICI).build());
    assertTrue(plan.changes().isEmpty());
    assertTrue(plan.findings().get(0).message().contains("canonical"), plan.findings().toString());
  }

  @Test
  void unknownAccountNamesThePolicyLocation() {
    PlanException e =
        assertThrows(
            PlanException.class,
            () ->
                new Planner(brokenServer())
                    .plan(
                        new PolicyBuilder()
                            .grant(FW, "NOBODY_HERE", AccessMask.READ, OICI)
                            .build()));
    assertTrue(
        e.getMessage().startsWith("test.yaml:1:1: unknown account 'NOBODY_HERE'"), e.getMessage());
  }

  @Test
  void membershipEnsureAddsAndExactAlsoRemovesLoudly() {
    MemoryTarget t = brokenServer().group(WellKnownSids.IIS_IUSRS, MACHINE.withRid(1009));
    Plan plan =
        new Planner(t)
            .plan(
                new PolicyBuilder()
                    .member("BUILTIN\\Users", "IUSR_%COMPUTERNAME%", Membership.Mode.ENSURE)
                    .member("IIS_IUSRS", "IUSR_WSUS01", Membership.Mode.EXACT)
                    .build());
    List<MembershipChange> m = plan.changes(MembershipChange.class);
    assertEquals(3, m.size());
    assertTrue(m.get(0).add());
    assertEquals(IUSR_WSUS01, m.get(0).member());
    assertFalse(m.get(2).add());
    assertTrue(plan.findings().stream().anyMatch(f -> f.message().startsWith("REMOVES")));
  }

  @Test
  void expectationSeesPlannedMembershipAndInheritedAfterState() {
    MemoryTarget t = brokenServer(false); // Users has no members: IUSR reaches it only once added
    Plan plan =
        new Planner(t)
            .plan(
                new PolicyBuilder()
                    .grant(FW, "BU", AccessMask.READ_AND_EXECUTE, OICI)
                    .member("Users", "IUSR_WSUS01", Membership.Mode.ENSURE)
                    .expect("IUSR_WSUS01", DLL, AccessMask.READ_AND_EXECUTE)
                    .build());
    ExpectationResult e = plan.expectations().get(0);
    assertEquals(ExpectationResult.Status.MET, e.status(), e.decidedBy());
    Plan without =
        new Planner(t)
            .plan(
                new PolicyBuilder()
                    .expect("IUSR_WSUS01", DLL, AccessMask.READ_AND_EXECUTE)
                    .build());
    assertEquals(ExpectationResult.Status.NOT_MET, without.expectations().get(0).status());
  }

  @Test
  void protectedChildrenAndJunctionContentsAreNotCounted() {
    MemoryTarget t = brokenServer();
    t.folder(V2 + "\\Protected", sd("O:BAG:SYD:P(A;OICI;FA;;;SY)"));
    SecurityDescriptor fw = t.read(FW);
    t.junction(V2 + "\\Link", Inheritance.recomputeChild(fw, sd("O:BAG:SYD:AI"), true));
    t.file(V2 + "\\Link\\inside.txt", sd("O:BAG:SYD:AI"));
    Plan plan =
        new Planner(t)
            .plan(new PolicyBuilder().grant(FW, "BU", AccessMask.READ_AND_EXECUTE, OICI).build());
    // v2.0.50727, System.Web.dll and the junction itself; not Protected, not what the junction
    // points at
    assertEquals(Descendants.counted(3), plan.changes(DaclChange.class).get(0).descendants());
  }

  @Test
  void planJsonRoundTrips() {
    Plan plan =
        new Planner(brokenServer())
            .plan(
                new PolicyBuilder()
                    .grant(FW, "BU", AccessMask.READ_AND_EXECUTE, OICI)
                    .member("Users", "IUSR_WSUS01", Membership.Mode.ENSURE)
                    .build());
    Plan back = PlanJson.read("plan.json", PlanJson.write(plan));
    assertEquals(plan.changes(), back.changes());
    assertEquals(plan.target(), back.target());
  }

  @Test
  void planJsonRejectsOtherVersionsWithAReason() {
    FormatException e =
        assertThrows(
            FormatException.class,
            () -> PlanJson.read("p.json", "{\"formatVersion\": 7, \"changes\": []}"));
    assertEquals(
        "p.json:1: 'formatVersion' is 7: this wsusfix reads plans of format 2 (make the plan again"
            + " with this version)",
        e.getMessage());
  }

  @Test
  void aRuleBelowAnEarlierChangeIsPlannedFromWhatItWillInherit() {
    MemoryTarget t = brokenServer();
    t.folder(FW, sd("O:BAG:SYD:AI(A;OICI;FA;;;SY)"));
    SecurityDescriptor v2 = Inheritance.recomputeChild(t.read(FW), sd("O:BAG:SYD:AI"), true);
    t.folder(V2, v2);
    Plan plan =
        new Planner(t)
            .plan(
                new PolicyBuilder()
                    .grant(FW, "BU", AccessMask.READ_AND_EXECUTE, OICI)
                    .grant(V2, "BU", AccessMask.READ_AND_EXECUTE, OICI)
                    .build());
    assertEquals(1, plan.changes().size(), () -> PlanJson.write(plan));
    assertEquals(FW, plan.changes(DaclChange.class).get(0).path());
  }
}
