package org.wsusfix.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.wsusfix.diagnose.iisconfig.IisConfig;
import org.wsusfix.diagnose.iislog.IisEndpoint;
import org.wsusfix.diagnose.iislog.IisLogFinding;
import org.wsusfix.policy.Expectation;
import org.wsusfix.policy.Grant;
import org.wsusfix.policy.IisSite;
import org.wsusfix.policy.Membership;
import org.wsusfix.policy.Policy;
import org.wsusfix.policy.PolicyException;
import org.wsusfix.policy.PolicyLoader;
import org.wsusfix.policy.PolicySyntax;
import org.wsusfix.policy.Rule;
import org.wsusfix.policy.Trustee;
import org.wsusfix.policy.UserRight;
import org.wsusfix.security.AceFlags;

/**
 * Evidence is attacker-controlled text. Whatever it holds, the suggested policy must load to
 * exactly the rules, memberships and expectations derived from it: no text may end a comment or a
 * scalar early and add policy of its own.
 */
class PolicySuggesterInjectionTest {
  /** Pieces that mean something to YAML, to terminals or to Windows paths. */
  private static final String[] HOSTILE = {
    "\n",
    "\r",
    "\r\n",
    "\u0085",
    "\u2028",
    "\u2029",
    "\u000b",
    "\u000c",
    "\t",
    "\u0000",
    "\u001b[31m",
    "\u0007",
    "\u007f",
    "\u0080",
    "\u009b",
    "\u202e",
    "\u2066",
    "\u200f",
    "\ufeff",
    "\ufffe",
    "\ud800",
    "\udc00",
    "\ud83d\ude00",
    "\udb80\udc00",
    "'",
    "''",
    "\"",
    "\\",
    "\\\\",
    "#",
    " #",
    ": ",
    ":",
    "- ",
    "-",
    "? ",
    "{",
    "}",
    "[",
    "]",
    ",",
    "&a ",
    "*a",
    "!evil ",
    "!!python/object ",
    "|",
    ">",
    "@",
    "`",
    "%",
    "%windir%",
    "%COMPUTERNAME%",
    "C:\\",
    "..",
    ".",
    " ",
    "  ",
    "yes",
    "No",
    "~",
    "null",
    "0x1f",
    "1e3",
    "Ä",
    "ß",
    "İ",
    "\u0130",
    "Σ",
    "日本",
    "\n  - path: C:\\evil\n    grants:\n      - trustee: Everyone\n        rights: FullControl\n"
        + "        inheritance: [OI, CI]\n",
    "\u2028rules:\u2028  - path: C:\\evil",
    "\u0085memberships:\u0085  - group: BUILTIN\\Administrators\u0085    members: [Guest]",
    "' \n  - trustee: Everyone #",
    "\" , Everyone, \"",
  };

  private static final String[] PLAIN = {
    "w3wp.exe", "Framework", "v4.0.30319", "WsusPool", "ClientWebService", "Temp", "x", "Content",
  };

  private final Random random = new Random(0x16_2028L);

  private String hostile() {
    StringBuilder s = new StringBuilder();
    int parts = 1 + random.nextInt(4);
    for (int i = 0; i < parts; i++) {
      s.append(
          random.nextInt(3) == 0
              ? PLAIN[random.nextInt(PLAIN.length)]
              : HOSTILE[random.nextInt(HOSTILE.length)]);
    }
    return s.toString();
  }

  private String pick(String... choices) {
    return choices[random.nextInt(choices.length)];
  }

  private String identity() {
    return switch (random.nextInt(7)) {
      case 0 -> "";
      case 1 -> "NT AUTHORITY\\IUSR";
      case 2 -> "WSUS01\\IUSR_" + pick("WSUS01", hostile());
      case 3 -> "IIS APPPOOL\\" + hostile();
      case 4 -> "NT AUTHORITY\\NETWORK SERVICE";
      case 5 -> pick("CORP\\", "", "BUILTIN\\") + pick("svc", "Users", "USERS") + hostile();
      default -> hostile();
    };
  }

  private String folder() {
    return pick(
            "C:\\WINDOWS\\", "C:\\Program Files\\", "D:\\WSUS\\", "c:\\windows\\", "", "\\\\srv\\")
        + pick(
            "Microsoft.NET", "Microsoft.NET\\Framework", hostile(), hostile() + "\\" + hostile());
  }

  private DeniedPath denied() {
    String folder = folder();
    return new DeniedPath(
        pick("ACCESS DENIED", hostile()),
        pick("w3wp.exe", hostile()),
        identity(),
        hostile(),
        folder,
        pick("CreateFile", "QueryOpen", hostile()),
        pick(
            null,
            "Generic Write",
            "Read Data/List Directory",
            hostile(),
            "Generic Read, " + hostile()),
        1 + random.nextInt(1000),
        folder + "\\" + hostile(),
        true);
  }

  private IisConfig.Identity iisIdentity(IisConfig.Role role) {
    String account =
        role == IisConfig.Role.ANONYMOUS
            ? pick("NT AUTHORITY\\IUSR", "IUSR_" + hostile(), hostile())
            : pick("IIS APPPOOL\\" + hostile(), "NT AUTHORITY\\NETWORK SERVICE", hostile());
    String sid = pick(null, "S-1-5-17", "S-1-5-82-1-2-3-4-5", "S-1-5-18", hostile());
    return new IisConfig.Identity(account, sid, role, hostile() + ":" + random.nextInt(99));
  }

  private Findings findings() {
    List<DeniedPath> denied = new ArrayList<>();
    int n = 1 + random.nextInt(4);
    for (int i = 0; i < n; i++) {
      denied.add(denied());
    }
    List<IisLogFinding> iis = new ArrayList<>();
    List<IisConfig.Application> apps = new ArrayList<>();
    IisConfig config = null;
    if (random.nextBoolean()) {
      IisEndpoint[] endpoints = IisEndpoint.values();
      for (int i = 0; i < 2; i++) {
        IisEndpoint e = endpoints[random.nextInt(endpoints.length)];
        LocalDateTime t = LocalDateTime.of(2024, 1, 1, 0, 0);
        iis.add(
            new IisLogFinding(
                e,
                IisLogFinding.Kind.PERMISSION,
                hostile(),
                401,
                3,
                Map.of(5L, 2L),
                2,
                1,
                t,
                t,
                List.of(hostile()),
                List.of(hostile())));
        apps.add(
            new IisConfig.Application(
                hostile(),
                "/" + hostile(),
                e,
                folder(),
                hostile(),
                iisIdentity(IisConfig.Role.ANONYMOUS),
                iisIdentity(IisConfig.Role.POOL)));
      }
      config =
          new IisConfig(
              pick("C:\\x\\", "", "/tmp/") + hostile(),
              7,
              pick(null, hostile()),
              apps,
              List.of(iisIdentity(IisConfig.Role.POOL)),
              Map.of(pick("1", hostile()), pick("WSUS Administration", "WSUS Site 2", hostile())));
    }
    if (random.nextBoolean()) {
      // the log's 401.2, 401.1 and 500.24, which become IIS settings and a user right
      IisEndpoint[] endpoints = IisEndpoint.values();
      for (int i = 0; i < 1 + random.nextInt(4); i++) {
        IisEndpoint e = endpoints[random.nextInt(endpoints.length)];
        int which = random.nextInt(3);
        LocalDateTime t = LocalDateTime.of(2024, 1, 1, 0, 0);
        iis.add(
            new IisLogFinding(
                e,
                which == 2 ? IisLogFinding.Kind.SERVER_ERROR : IisLogFinding.Kind.UNANSWERED_401,
                hostile(),
                which == 2 ? 500 : 401,
                which == 2 ? 24 : which + 1,
                Map.of(5L, 1L),
                1,
                1,
                t,
                t,
                List.of(
                    pick("", "C:\\logs\\W3SVC1\\", "C:\\logs\\W3SVC" + hostile() + "\\")
                        + hostile()),
                random.nextBoolean()
                    ? List.of()
                    : List.of(pick("W3SVC1", "W3SVC" + hostile(), hostile()))));
      }
    }
    return new Findings(
        List.of(),
        denied,
        List.of(),
        List.of(),
        pick(null, "C:\\WINDOWS", "D:\\WINNT", hostile()),
        pick(null, "WSUS01", hostile()),
        iis,
        config,
        List.of(),
        List.of());
  }

  @Test
  void hostileEvidenceLoadsToExactlyTheDerivedPolicy() {
    int loaded = 0;
    int withIis = 0;
    for (int run = 0; run < 3000; run++) {
      Findings f = findings();
      List<String> evidence = List.of(hostile() + ".log", hostile() + ".csv");
      SuggestedPolicy p = PolicySuggester.suggest(f, evidence);
      String yaml = PolicySuggester.yaml(p);
      String context = "run " + run + ":\n" + yaml;
      yaml.codePoints()
          .forEach(
              c -> {
                if (c != '\n' && !YamlText.standsForItself(c)) {
                  fail(String.format("character U+%04X written as it is; %s", c, context));
                }
              });
      if (p.isEmpty()) {
        continue;
      }
      Policy policy;
      try {
        policy = PolicyLoader.parse("suggested.yaml", yaml.getBytes(StandardCharsets.UTF_8));
      } catch (PolicyException e) {
        throw new AssertionError(e.getMessage() + "\n" + context, e);
      }
      assertSame(p, policy, context);
      assertSameIis(p, policy, context);
      if (p.iis() != null) {
        withIis++;
      }
      loaded++;
    }
    assertTrue(loaded > 1000, "most runs give a policy: " + loaded);
    assertTrue(withIis > 500, "many give IIS settings: " + withIis);
  }

  private static void assertSame(SuggestedPolicy p, Policy policy, String context) {
    assertEquals(SuggestedPolicy.NAME, policy.name(), context);
    List<SuggestedPolicy.Rule> rules = p.activeRules();
    assertEquals(rules.size(), policy.rules().size(), context);
    for (int i = 0; i < rules.size(); i++) {
      SuggestedPolicy.Rule want = rules.get(i);
      Rule got = policy.rules().get(i);
      assertEquals(want.path(), got.path(), context);
      assertTrue(got.propagate(), context);
      assertEquals(want.grants().size(), got.grants().size(), context);
      for (int g = 0; g < want.grants().size(); g++) {
        Grant grant = got.grants().get(g);
        assertEquals(want.grants().get(g).trustee(), grant.trustee().text(), context);
        assertEquals(rights(want.grants().get(g).rights()), grant.rights().mask(), context);
        assertEquals(
            AceFlags.OBJECT_INHERIT | AceFlags.CONTAINER_INHERIT,
            grant.inheritance().bits(),
            context);
      }
      assertEquals(want.forbidDeny(), texts(got.forbidDeny().trustees()), context);
      assertFalse(got.forbidDeny().remove(), context);
    }
    assertEquals(p.memberships().size(), policy.memberships().size(), context);
    for (int i = 0; i < p.memberships().size(); i++) {
      Membership m = policy.memberships().get(i);
      assertEquals(p.memberships().get(i).group(), m.group().text(), context);
      assertEquals(p.memberships().get(i).members(), texts(m.members()), context);
      assertEquals(Membership.Mode.ENSURE, m.mode(), context);
    }
    assertEquals(p.expects().size(), policy.expect().size(), context);
    for (int i = 0; i < p.expects().size(); i++) {
      SuggestedPolicy.Expect want = p.expects().get(i);
      Expectation got = policy.expect().get(i);
      assertEquals(want.identity(), got.identity().text(), context);
      assertEquals(want.path(), got.path(), context);
      assertEquals(rights(want.access()), got.access().mask(), context);
      assertEquals(want.logon(), got.logon().name().toLowerCase(java.util.Locale.ROOT), context);
    }
  }

  private static void assertSameIis(SuggestedPolicy p, Policy policy, String context) {
    if (p.iis() == null) {
      assertEquals(null, policy.iis(), context);
    } else {
      IisSite got = policy.iis();
      assertEquals(p.iis().site(), got.site(), context);
      assertEquals(p.iis().applications().size(), got.applications().size(), context);
      for (int i = 0; i < p.iis().applications().size(); i++) {
        SuggestedPolicy.IisApplication want = p.iis().applications().get(i);
        Map<String, String> settings = new java.util.HashMap<>();
        settings.put("anonymousAuthentication.enabled", Boolean.toString(want.anonymous()));
        if (want.anonymousUser() != null) {
          settings.put("anonymousAuthentication.userName", want.anonymousUser());
        }
        if (want.windows() != null) {
          settings.put("windowsAuthentication.enabled", want.windows().toString());
        }
        assertEquals(want.path(), got.applications().get(i).path(), context);
        assertEquals(settings, got.applications().get(i).settings(), context);
      }
      assertEquals(
          p.iis().noAspNetImpersonation(),
          got.report() == null ? List.of() : got.report().noAspNetImpersonation(),
          context);
    }
    assertEquals(p.userRights().size(), policy.userRights().size(), context);
    for (int i = 0; i < p.userRights().size(); i++) {
      UserRight got = policy.userRights().get(i);
      assertEquals(p.userRights().get(i).right(), got.right(), context);
      assertEquals(p.userRights().get(i).forbid(), texts(got.forbid()), context);
      assertEquals(List.of(), got.members(), context);
    }
  }

  private static List<String> texts(List<Trustee> trustees) {
    return trustees.stream().map(Trustee::text).toList();
  }

  private static int rights(String name) {
    try {
      return PolicySyntax.rights(name);
    } catch (org.wsusfix.policy.InvalidValue e) {
      throw new AssertionError(e.problem());
    }
  }

  @Test
  void aLineSeparatorInAProcessNameStaysInItsComment() {
    DeniedPath d =
        new DeniedPath(
            "ACCESS DENIED",
            "w3wp.exe\u2028  - path: C:\\evil\u2028    grants: [{trustee: Everyone, rights: FullControl,"
                + " inheritance: [OI, CI]}]",
            "NT AUTHORITY\\IUSR",
            "NT AUTHORITY\\NETWORK SERVICE",
            "C:\\WINDOWS\\Microsoft.NET",
            "CreateFile",
            null,
            1,
            "C:\\WINDOWS\\Microsoft.NET",
            true);
    Findings f = new Findings(List.of(), List.of(d), List.of(), List.of(), "C:\\WINDOWS", null);
    String yaml = PolicySuggester.yaml(f, List.of("cap\n  - path: C:\\evil2.csv"));
    Policy policy = PolicyLoader.parse("s.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    assertEquals(
        List.of("%windir%\\Microsoft.NET"), policy.rules().stream().map(Rule::path).toList());
    assertTrue(yaml.contains("w3wp.exe\\u2028  - path: C:\\evil"), yaml);
  }
}
