package org.wsusfix.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wsusfix.security.AccessMask;
import org.wsusfix.security.AceFlags;

/** The policy's registry: and userRights: sections, and their one-line errors with their places. */
class RegistryAndRightsPolicyTest {
  static final String POLICY =
      String.join(
          "\n",
          "apiVersion: wsusfix/v1",
          "kind: Policy",
          "metadata: {name: regs}",
          "registry:",
          "  - key: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Update Services\\Server\\'",
          "    grants:",
          "      - {trustee: BUILTIN\\Users, rights: ReadKey, inheritance: [CI]}",
          "      - {trustee: NS, rights: [KR, 0x20006], inheritance: []}",
          "    forbidDeny: {trustees: [IUSR], remove: true}",
          "    expect:",
          "      - {identity: IUSR, access: QueryValues}",
          "  - key: 'hklm\\SOFTWARE\\Microsoft\\Update Services\\Server\\Setup'",
          "    grants:",
          "      - {trustee: SY, rights: FullControl, inheritance: '(CI)'}",
          "userRights:",
          "  - right: SeImpersonatePrivilege",
          "    members: ['BUILTIN\\IIS_IUSRS', 'NT AUTHORITY\\SERVICE']",
          "  - right: SeDenyNetworkLogonRight",
          "    forbid: [IUSR]",
          "  - right: SeBatchLogonRight",
          "    members: [IS]",
          "    mode: exact",
          "");

  static Policy parse(String text) {
    return PolicyLoader.parse("p.yaml", text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsKeysAndRights() {
    Policy p = parse(POLICY);
    assertEquals(
        List.of(
            "HKLM\\SOFTWARE\\Microsoft\\Update Services\\Server",
            "HKLM\\SOFTWARE\\Microsoft\\Update Services\\Server\\Setup"),
        p.registry().stream().map(RegistryRule::key).toList());
    RegistryRule server = p.registry().get(0);
    assertEquals(AccessMask.KEY_READ, server.grants().get(0).rights().mask());
    assertEquals(AceFlags.CONTAINER_INHERIT, server.grants().get(0).inheritance().bits());
    assertEquals(
        AccessMask.KEY_READ | AccessMask.KEY_WRITE, server.grants().get(1).rights().mask());
    assertTrue(server.forbidDeny().remove());
    assertEquals(AccessMask.KEY_QUERY_VALUE, server.expect().get(0).access().mask());
    assertEquals(AccessMask.KEY_ALL_ACCESS, p.registry().get(1).grants().get(0).rights().mask());
    assertEquals(
        List.of("SeImpersonatePrivilege", "SeDenyNetworkLogonRight", "SeBatchLogonRight"),
        p.userRights().stream().map(UserRight::right).toList());
    assertEquals(2, p.userRights().get(0).members().size());
    assertEquals("IUSR", p.userRights().get(1).forbid().get(0).text());
    assertEquals(Membership.Mode.EXACT, p.userRights().get(2).mode());
    assertTrue(p.rules().isEmpty(), "a policy of keys and rights alone is a policy");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "rights: ReadKey, inheritance: [CI]}|rights: ReadKey, inheritance: [OI, CI]}|p.yaml:7:65: OI (object inherit) has no meaning on a registry key; keys inherit to subkeys with CI only: write [CI], or [] for this key only",
        "rights: ReadKey,|rights: ReadAndExecute,|p.yaml:7:42: unknown registry right 'ReadAndExecute' (a file right); registry rights: FullControl, ReadKey, WriteKey, ExecuteKey, QueryValues, SetValue, CreateSubKey, EnumerateSubKeys, Notify, CreateLink, Delete, ReadPermissions, ChangePermissions, TakeOwnership; KR KW KX KA; or a mask such as 0x20019",
        "rights: ReadKey,|rights: 0x100000000,|p.yaml:7:42: unknown registry right '0x100000000'; registry rights: FullControl, ReadKey, WriteKey, ExecuteKey, QueryValues, SetValue, CreateSubKey, EnumerateSubKeys, Notify, CreateLink, Delete, ReadPermissions, ChangePermissions, TakeOwnership; KR KW KX KA; or a mask such as 0x20019",
        "rights: ReadKey,|rights: 0x1200a9,|p.yaml:7:42: rights '0x1200a9' hold bits that mean nothing on a key (0x80); a key's rights fit in 0xf003f",
        "'HKEY_LOCAL_MACHINE\\SOFTWARE|'HKCU\\SOFTWARE|p.yaml:5:10: unsupported hive 'HKCU'; wsusfix changes keys under HKLM (HKEY_LOCAL_MACHINE) only",
        "'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft|'HKLM/SOFTWARE/Microsoft|p.yaml:5:10: key 'HKLM/SOFTWARE/Microsoft\\Update Services\\Server\\' uses '/'; registry paths separate keys with '\\' ('/' is a valid character in a key name)",
        "right: SeImpersonatePrivilege|right: SeImpersonateRight|p.yaml:16:12: unknown user right 'SeImpersonateRight'; use a privilege (Se...Privilege) or logon right (Se...LogonRight) constant name, as secedit exports them",
        "right: SeDenyNetworkLogonRight|right: sedenynetworklogonright|p.yaml:18:12: unknown user right 'sedenynetworklogonright'; write it as Windows spells it: SeDenyNetworkLogonRight",
        "forbid: [IUSR]|forbid: []|p.yaml:19:13: 'forbid' must not be empty",
        "    mode: exact|    mode: Exact|p.yaml:22:11: unknown mode 'Exact'; use ensure (add missing holders) or exact (also remove all others)",
        "    forbid: [IUSR]|    colour: red|p.yaml:19:5: unknown key 'colour' in user right; expected right, members, mode, forbid",
        "members: [IS]|members: [IS]\\n    forbid: [IS]|p.yaml:22:14: 'IS' is both a member of SeBatchLogonRight and forbidden it",
      })
  void badInputIsOneLineWithItsPlace(String from, String to, String message) {
    String text =
        POLICY.replaceFirst(
            java.util.regex.Pattern.quote(from),
            java.util.regex.Matcher.quoteReplacement(to.replace("\\n", "\n")));
    assertTrue(!text.equals(POLICY), "the case changes the policy: " + from);
    PolicyException e = assertThrows(PolicyException.class, () -> parse(text));
    assertEquals(message, e.getMessage());
  }

  @Test
  void aRightWithNobodyNamedIsRefused() {
    PolicyException e =
        assertThrows(
            PolicyException.class, () -> parse(POLICY.replace("    forbid: [IUSR]\n", "")));
    assertEquals(
        "p.yaml:18:5: user right SeDenyNetworkLogonRight names neither members nor forbid;"
            + " list who must hold it (members) or who must not (forbid)",
        e.getMessage());
  }

  @Test
  void theSameKeyTwiceInAnyCaseIsRefused() {
    String twice =
        POLICY.replace(
            "'hklm\\SOFTWARE\\Microsoft\\Update Services\\Server\\Setup'",
            "'HKLM\\software\\microsoft\\update services\\server'");
    PolicyException e = assertThrows(PolicyException.class, () -> parse(twice));
    assertTrue(
        e.getMessage().startsWith("p.yaml:12:5: duplicate registry entry for key"), e.getMessage());
  }
}
