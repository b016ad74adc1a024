package org.wsusfix.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.wsusfix.machine.memory.MemoryTarget;
import org.wsusfix.plan.Plan;
import org.wsusfix.plan.Planner;
import org.wsusfix.policy.PolicyLoader;
import org.wsusfix.security.Inheritance;
import org.wsusfix.security.Sddl;
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;
import org.wsusfix.security.WellKnownSids;

/** A WSUS server whose framework folders lost Users, and whose IIS_IUSRS lacks IUSR. */
public final class Fixture {
  private Fixture() {}

  public static final Sid MACHINE = Sid.parse("S-1-5-21-1111111111-2222222222-3333333333");
  public static final Sid IIS_IUSRS = Sid.parse("S-1-5-32-568");
  public static final Sid IUSR = Sid.parse("S-1-5-17");
  public static final String NET = "C:\\Windows\\Microsoft.NET";
  public static final String FW = NET + "\\Framework";
  public static final String V2 = FW + "\\v2.0.50727";
  public static final String DLL = V2 + "\\System.Web.dll";
  public static final String CONFIG = V2 + "\\CONFIG";
  public static final String WEBCONFIG = CONFIG + "\\web.config";
  public static final String V4 = FW + "\\v4.0.30319";
  public static final String FW64 = NET + "\\Framework64";
  public static final String V4_64 = FW64 + "\\v4.0.30319";
  public static final String OWN = FW + "\\Protected";

  public static final String HEALTHY_PARENT =
      "O:S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464"
          + "G:S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464"
          + "D:PAI(A;;FA;;;SY)(A;OICIIO;GA;;;SY)(A;;FA;;;BA)(A;OICIIO;GA;;;BA)(A;;0x1200a9;;;BU)(A;OICIIO;GXGR;;;BU)(A;OICIIO;GA;;;CO)";
  public static final String BROKEN =
      "O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICIIO;GA;;;CO)";

  public static SecurityDescriptor sd(String sddl) {
    return Sddl.parse(sddl, MACHINE);
  }

  public static MemoryTarget server() {
    return server("memory:test");
  }

  public static MemoryTarget server(String description) {
    return populate(new MemoryTarget(description));
  }

  /** Gives a new memory target (or a subclass) the fixture's accounts, groups and tree. */
  public static <T extends MemoryTarget> T populate(T target) {
    MemoryTarget t =
        target
            .machineSid(MACHINE)
            .group(WellKnownSids.ADMINISTRATORS)
            .group(
                WellKnownSids.USERS, WellKnownSids.AUTHENTICATED_USERS, WellKnownSids.INTERACTIVE)
            .group(IIS_IUSRS);
    SecurityDescriptor fw = sd(BROKEN);
    SecurityDescriptor v2 = Inheritance.recomputeChild(fw, sd("O:BAG:SYD:AI"), true);
    SecurityDescriptor dll = Inheritance.recomputeChild(v2, sd("O:BAG:SYD:AI"), false);
    // An explicit entry next to inherited ones: propagation must keep it.
    SecurityDescriptor config =
        Inheritance.recomputeChild(v2, sd("O:SYG:SYD:AI(A;OICI;0x1301bf;;;NS)"), true);
    SecurityDescriptor webConfig = Inheritance.recomputeChild(config, sd("O:BAG:SYD:AI"), false);
    SecurityDescriptor v4 = Inheritance.recomputeChild(fw, sd("O:BAG:SYD:AI"), true);
    SecurityDescriptor fw64 = sd(BROKEN);
    SecurityDescriptor v464 = Inheritance.recomputeChild(fw64, sd("O:BAG:SYD:AI"), true);
    t.folder(NET, sd(HEALTHY_PARENT))
        .folder(FW, fw)
        .folder(V2, v2)
        .file(DLL, dll)
        .folder(CONFIG, config)
        .file(WEBCONFIG, webConfig)
        .folder(V4, v4)
        .folder(OWN, sd("O:BAG:SYD:PAI(A;OICI;FA;;;BA)"))
        .folder(FW64, fw64)
        .folder(V4_64, v464);
    return target;
  }

  /** Users RX on both framework folders, IUSR in IIS_IUSRS. */
  public static final String POLICY =
      """
      apiVersion: wsusfix/v1
      kind: Policy
      metadata:
        name: fixture
      rules:
        - path: '%windir%\\Microsoft.NET\\Framework'
          grants:
            - trustee: BU
              rights: ReadAndExecute
              inheritance: [OI, CI]
        - path: '%windir%\\Microsoft.NET\\Framework64'
          grants:
            - trustee: BU
              rights: ReadAndExecute
              inheritance: [OI, CI]
      memberships:
        - group: S-1-5-32-568
          members: [S-1-5-17]
          mode: ensure
      """;

  public static Plan plan(MemoryTarget t) {
    return plan(t, POLICY);
  }

  public static org.wsusfix.policy.Policy policy(String yaml) {
    return PolicyLoader.parse("fixture.yaml", yaml.getBytes(StandardCharsets.UTF_8));
  }

  public static Plan plan(MemoryTarget t, String yaml) {
    return new Planner(t)
        .plan(PolicyLoader.parse("fixture.yaml", yaml.getBytes(StandardCharsets.UTF_8)));
  }

  /** Every descriptor and every group of a target, to compare whole states. */
  public record State(Map<String, SecurityDescriptor> descriptors, Map<Sid, Set<Sid>> groups) {}

  public static State state(MemoryTarget t) {
    return state(t, List.of(WellKnownSids.ADMINISTRATORS, WellKnownSids.USERS, IIS_IUSRS));
  }

  public static State state(MemoryTarget t, List<Sid> groups) {
    Map<String, SecurityDescriptor> d = new LinkedHashMap<>();
    for (String p : t.paths()) {
      d.put(p, t.read(p));
    }
    Map<Sid, Set<Sid>> g = new LinkedHashMap<>();
    for (Sid group : groups) {
      g.put(group, t.groupMembers(group).orElseThrow());
    }
    return new State(d, g);
  }

  /** Same owner, group, control bits and ordered ACEs on every path; same group members. */
  public static void assertSameState(State expected, State actual) {
    assertEquals(expected.descriptors().keySet(), actual.descriptors().keySet());
    expected
        .descriptors()
        .forEach(
            (path, sd) -> {
              SecurityDescriptor now = actual.descriptors().get(path);
              assertEquals(Sddl.format(sd, MACHINE), Sddl.format(now, MACHINE), path);
              assertTrue(sd.semanticallyEquals(now), path);
              assertEquals(sd.control(), now.control(), path + ": control bits");
            });
    assertEquals(expected.groups(), actual.groups());
  }
}
