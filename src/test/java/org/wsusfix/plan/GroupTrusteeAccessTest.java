package org.wsusfix.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.snapshot.SnapshotTarget;
import org.wsusfix.resource.folder.DaclChange;
import org.wsusfix.security.AccessMask;
import org.wsusfix.security.Sid;
import org.wsusfix.security.WellKnownSids;

/**
 * A group trustee's access is what a token holding that group gets, not what a user logged on with
 * it would get through the groups Windows adds to every logon. Every target must agree.
 */
class GroupTrusteeAccessTest {
  @TempDir Path dir;

  private Target snapshot() throws Exception {
    Path f = dir.resolve("net.icacls");
    String text =
        "Microsoft.NET\r\n"
            + PlannerTest.HEALTHY_PARENT.substring(PlannerTest.HEALTHY_PARENT.indexOf("D:"))
            + "\r\nMicrosoft.NET\\Framework\r\n"
            + PlannerTest.BROKEN_FW.substring(PlannerTest.BROKEN_FW.indexOf("D:"))
            + "\r\n";
    Files.write(f, text.getBytes(StandardCharsets.UTF_16LE));
    return SnapshotTarget.load(f, "C:\\Windows", Map.of());
  }

  private static Map<String, DaclChange.Access> accessAfterAddingUsers(Target t) {
    Plan plan =
        new Planner(t)
            .plan(
                new PolicyBuilder()
                    .grantForbidding(
                        PlannerTest.FW, "BU", AccessMask.READ_AND_EXECUTE, false, "WD", "AU")
                    .build());
    DaclChange c = plan.changes(DaclChange.class).get(0);
    return Map.of(
        "WD",
        find(c, WellKnownSids.EVERYONE),
        "BU",
        find(c, WellKnownSids.USERS),
        "AU",
        find(c, WellKnownSids.AUTHENTICATED_USERS));
  }

  private static DaclChange.Access find(DaclChange c, Sid sid) {
    return c.access().stream().filter(a -> a.sid().equals(sid)).findFirst().orElseThrow();
  }

  @Test
  void everyoneGetsNothingFromAnEntryForUsersOnEveryTarget() throws Exception {
    for (Target t :
        List.of(snapshot(), PlannerTest.brokenServer(true), PlannerTest.brokenServer(false))) {
      Map<String, DaclChange.Access> a = accessAfterAddingUsers(t);
      assertEquals(0, a.get("WD").before().mask(), t.describe());
      assertEquals(
          0, a.get("WD").after().mask(), t.describe() + ": Everyone is not a member of Users");
      assertTrue(
          AccessMask.covers(a.get("BU").after().mask(), AccessMask.READ_AND_EXECUTE), t.describe());
    }
  }

  @Test
  void aGroupInsideUsersGetsWhatUsersGets() throws Exception {
    // Authenticated Users is a member of Users on Windows; the snapshot assumes Windows' defaults.
    for (Target t : List.of(snapshot(), PlannerTest.brokenServer(true))) {
      assertTrue(
          AccessMask.covers(
              accessAfterAddingUsers(t).get("AU").after().mask(), AccessMask.READ_AND_EXECUTE),
          t.describe());
    }
    assertEquals(
        0,
        accessAfterAddingUsers(PlannerTest.brokenServer(false)).get("AU").after().mask(),
        "a server where Authenticated Users is not in Users");
  }

  @Test
  void groupsAreToldFromUsers() {
    for (Sid g :
        List.of(
            WellKnownSids.EVERYONE,
            WellKnownSids.AUTHENTICATED_USERS,
            WellKnownSids.NETWORK,
            WellKnownSids.INTERACTIVE,
            WellKnownSids.USERS,
            WellKnownSids.IIS_IUSRS,
            PlannerTest.MACHINE.withRid(513))) {
      assertTrue(WellKnownSids.isGroup(g), g.toString());
    }
    for (Sid u :
        List.of(
            WellKnownSids.IUSR,
            WellKnownSids.LOCAL_SYSTEM,
            WellKnownSids.NETWORK_SERVICE,
            WellKnownSids.ANONYMOUS,
            PlannerTest.IUSR_WSUS01,
            PlannerTest.MACHINE.withRid(500),
            Sid.parse("S-1-5-82-1-2-3-4-5"))) {
      assertTrue(!WellKnownSids.isGroup(u), u.toString());
    }
  }
}
