package org.wsusfix.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.wsusfix.security.AccessMask;
import org.wsusfix.security.AceFlags;
import org.wsusfix.security.Sid;
import org.wsusfix.security.WellKnownSids;

class PolicySyntaxTest {
  private static final SourceLocation AT = new SourceLocation("p.yaml", 3, 4);

  // ---------------------------------------------------------------- trustees

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "S-1-5-32-545|SID|S-1-5-32-545",
        "s-1-5-32-545|SID|S-1-5-32-545",
        "S-1-5-21-1004336348-1177238915-682003330-512|SID|S-1-5-21-1004336348-1177238915-682003330-512",
        "S-1-5-17|SID|S-1-5-17",
        "BU|ALIAS|BU",
        "NS|ALIAS|NS",
        "IS|ALIAS|IS",
        "DA|ALIAS|DA",
        "bu|NAME|bu",
        "Bu|NAME|Bu",
        "BUILTIN\\Users|NAME|BUILTIN\\Users",
        "IUSR|NAME|IUSR",
        "IUSR_%COMPUTERNAME%|NAME|IUSR_%COMPUTERNAME%",
        "%COMPUTERNAME%\\WSUS Administrators|NAME|%COMPUTERNAME%\\WSUS Administrators",
        "IIS APPPOOL\\WsusPool|NAME|IIS APPPOOL\\WsusPool",
        "NT AUTHORITY\\NETWORK SERVICE|NAME|NT AUTHORITY\\NETWORK SERVICE",
        "CONTOSO\\wsus-svc$|NAME|CONTOSO\\wsus-svc$",
        "wsus.admin@contoso.example|NAME|wsus.admin@contoso.example",
        "BUS|NAME|BUS",
        "S-Admins|NAME|S-Admins",
      })
  void classifiesTrustees(String text, Trustee.Kind kind, String stored) throws InvalidValue {
    Trustee t = PolicySyntax.trustee(text, AT);
    assertEquals(kind, t.kind());
    assertEquals(stored, t.text());
    assertEquals(AT, t.at());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "S-1-5-32-54x|malformed SID 'S-1-5-32-54x'",
        "S-1-99999999999999999-1|malformed SID 'S-1-99999999999999999-1': a number is out of range",
        "S-2-5-32|malformed SID 'S-2-5-32'",
        "XY|unknown SDDL alias 'XY'",
        "IR|unknown SDDL alias 'IR'",
        "WSUS*Admins|character '*' is not allowed in account name 'WSUS*Admins'",
        "CONTOSO\\a\\b|account name 'CONTOSO\\a\\b' has more than one '\\'",
        "\\Users|account name '\\Users' has an empty part around '\\'",
        "Users [old]|character '[' is not allowed in account name 'Users [old]'",
        "a=b|character '=' is not allowed in account name 'a=b'",
        "...|the account name in '...' consists of dots and spaces only",
        "@contoso.example|malformed account name '@contoso.example'",
        "IUSR_%COMPUTER%|unknown variable %computer%",
        "IUSR_%COMPUTERNAME|unclosed variable in 'IUSR_%COMPUTERNAME'",
        "%ProgramFiles%\\x|variable %programfiles% cannot be used in an account name",
      })
  void refusesBadTrustees(String text, String problem) {
    InvalidValue e = assertThrows(InvalidValue.class, () -> PolicySyntax.trustee(text, AT));
    assertEquals(problem, e.problem());
  }

  @Test
  void refusesEmptyAndPaddedTrustees() {
    assertEquals(
        "empty trustee",
        assertThrows(InvalidValue.class, () -> PolicySyntax.trustee("", AT)).problem());
    assertEquals(
        "trustee ' BU' starts or ends with white space",
        assertThrows(InvalidValue.class, () -> PolicySyntax.trustee(" BU", AT)).problem());
    assertTrue(
        assertThrows(InvalidValue.class, () -> PolicySyntax.trustee("a\tb", AT))
            .problem()
            .startsWith("control character"));
  }

  @Test
  void wellKnownSidsAreFoundOfflineInEverySpelling() throws InvalidValue {
    for (String spelling :
        List.of("BU", "S-1-5-32-545", "BUILTIN\\Users", "builtin\\users", "Users")) {
      assertEquals(
          Optional.of(WellKnownSids.USERS),
          PolicySyntax.wellKnownSid(PolicySyntax.trustee(spelling, AT)),
          spelling);
    }
    assertEquals(
        Optional.of(WellKnownSids.IUSR),
        PolicySyntax.wellKnownSid(PolicySyntax.trustee("IUSR", AT)));
    // IU is INTERACTIVE, not IUSR.
    assertEquals(
        Optional.of(WellKnownSids.INTERACTIVE),
        PolicySyntax.wellKnownSid(PolicySyntax.trustee("IU", AT)));
    assertEquals(
        Optional.of(WellKnownSids.IIS_IUSRS),
        PolicySyntax.wellKnownSid(PolicySyntax.trustee("IS", AT)));
    // Domain-relative aliases and local accounts need the target.
    assertEquals(Optional.empty(), PolicySyntax.wellKnownSid(PolicySyntax.trustee("DA", AT)));
    assertEquals(
        Optional.empty(),
        PolicySyntax.wellKnownSid(PolicySyntax.trustee("IUSR_%COMPUTERNAME%", AT)));
    assertEquals(
        PolicySyntax.identityKey(PolicySyntax.trustee("WD", AT)),
        PolicySyntax.identityKey(PolicySyntax.trustee("Everyone", AT)));
  }

  @Test
  void everyFixedAliasAgreesWithTheWellKnownTable() throws InvalidValue {
    // The SIDs the policy package knows offline must match the security model's names.
    String[][] pairs = {
      {"BA", "BUILTIN\\Administrators"},
      {"SY", "NT AUTHORITY\\SYSTEM"},
      {"NS", "NT AUTHORITY\\NETWORK SERVICE"},
      {"LS", "NT AUTHORITY\\LOCAL SERVICE"},
      {"AU", "NT AUTHORITY\\Authenticated Users"},
      {"AN", "NT AUTHORITY\\ANONYMOUS LOGON"},
      {"NU", "NT AUTHORITY\\NETWORK"},
      {"BG", "BUILTIN\\Guests"},
      {"CO", "CREATOR OWNER"}
    };
    for (String[] p : pairs) {
      Sid sid = PolicySyntax.wellKnownSid(PolicySyntax.trustee(p[0], AT)).orElseThrow();
      assertEquals(Optional.of(p[1]), WellKnownSids.nameOf(sid), p[0]);
    }
  }

  @Test
  void everySddlAliasIsAnAliasTrusteeAndOnlyFixedOnesResolveOffline() throws InvalidValue {
    for (var e : org.wsusfix.security.SddlAliases.fixedAliases().entrySet()) {
      Trustee t = PolicySyntax.trustee(e.getKey(), AT);
      assertEquals(Trustee.Kind.ALIAS, t.kind(), e.getKey());
      assertEquals(Optional.of(e.getValue()), PolicySyntax.wellKnownSid(t), e.getKey());
    }
    for (String alias : org.wsusfix.security.SddlAliases.domainRelativeAliases().keySet()) {
      Trustee t = PolicySyntax.trustee(alias, AT);
      assertEquals(Trustee.Kind.ALIAS, t.kind(), alias);
      assertEquals(Optional.empty(), PolicySyntax.wellKnownSid(t), alias);
    }
  }

  // ---------------------------------------------------------------- rights

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "FullControl|0x1f01ff",
        "fullcontrol|0x1f01ff",
        "Modify|0x1301bf",
        "ReadAndExecute|0x1200a9",
        "Read|0x120089",
        "Write|0x100116",
        "ListDirectory|0x100001",
        "Traverse|0x100020",
        "F|0x1f01ff",
        "RX|0x1200a9",
        "(RX)|0x1200a9",
        "M|0x1301bf",
        "0x1200a9|0x1200a9",
        "0X1200A9|0x1200a9",
        "1179817|0x1200a9",
        "RX,W|0x1201bf",
        "Read, Delete|0x130089",
        "0x80000000|0x120089",
        "0x10000000|0x1f01ff",
        "0xA0000000|0x1200a9",
      })
  void parsesRights(String text, String hex) throws InvalidValue {
    assertEquals(Integer.parseUnsignedInt(hex.substring(2), 16), PolicySyntax.rights(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ReadExecute",
        "",
        "0x",
        "0x1FFFFFFFF",
        "0xZZ",
        "0",
        "0x1000000",
        "0x2000000",
        "RX,",
        "4294967296",
        "-1",
        "Full Control"
      })
  void refusesBadRights(String text) {
    assertThrows(InvalidValue.class, () -> PolicySyntax.rights(text));
  }

  @Test
  void unknownRightSuggestsAndListsTheNames() {
    InvalidValue e = assertThrows(InvalidValue.class, () -> PolicySyntax.rights("Modfy"));
    assertTrue(
        e.hint().startsWith("did you mean 'Modify'? named rights: FullControl, Modify,"), e.hint());
    assertTrue(e.hint().endsWith("; icacls F M RX R W D; or a mask such as 0x1200a9"), e.hint());
    assertTrue(PolicySyntax.rightNames().containsAll(AccessMask.namedSets().keySet()));
  }

  // ---------------------------------------------------------------- inheritance

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "OI|1",
        "CI|2",
        "OI,CI|3",
        "(OI)(CI)|3",
        "oi ci|3",
        "(OI)(CI)(IO)|11",
        "(CI)(NP)|6",
        "''|0",
        "OI+CI|3",
      })
  void parsesInheritance(String text, int flags) throws InvalidValue {
    assertEquals(flags, PolicySyntax.inheritance(List.of(text)));
  }

  @Test
  void inheritanceListItemsAddUp() throws InvalidValue {
    assertEquals(
        AceFlags.OBJECT_INHERIT | AceFlags.CONTAINER_INHERIT | AceFlags.INHERIT_ONLY,
        PolicySyntax.inheritance(List.of("IO", "OI", "CI")));
    assertEquals(0, PolicySyntax.inheritance(List.of()));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "IO|IO (inherit only) without OI or CI would apply to nothing",
        "NP|NP (no propagate) without OI or CI has no effect",
        "(I)|inheritance flag 'I' (inherited) cannot be required",
        "ID|inheritance flag 'ID' (inherited) cannot be required",
        "OB|invalid inheritance flag 'OB'",
        "ThisFolderOnly|invalid inheritance flag 'ThisFolderOnly'",
        "(OI)(CI|malformed inheritance '(OI)(CI'",
        "OI)|malformed inheritance 'OI)'",
        "()|malformed inheritance '()'",
        "(OI)CI|malformed inheritance '(OI)CI'",
        "((OI))|malformed inheritance '((OI))'",
        "OI,,CI|empty flag in inheritance 'OI,,CI'",
      })
  void refusesBadInheritance(String text, String problem) {
    assertEquals(
        problem,
        assertThrows(InvalidValue.class, () -> PolicySyntax.inheritance(List.of(text))).problem());
  }

  // ---------------------------------------------------------------- paths

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "%windir%\\Microsoft.NET|%windir%\\Microsoft.NET",
        "%windir%/Microsoft.NET/Framework|%windir%\\Microsoft.NET\\Framework",
        "%windir%\\Microsoft.NET\\|%windir%\\Microsoft.NET",
        "%windir%\\\\Temp|%windir%\\Temp",
        "%windir%|%windir%",
        "%windir%\\|%windir%",
        "%SystemRoot%\\Temp|%SystemRoot%\\Temp",
        "%ProgramFiles%\\Update Services\\WebServices|%ProgramFiles%\\Update Services\\WebServices",
        "%SystemDrive%\\WSUS|%SystemDrive%\\WSUS",
        "%SystemDrive%\\|%SystemDrive%\\",
        "C:\\|C:\\",
        "D:/WSUS/WsusContent/|D:\\WSUS\\WsusContent",
        "c:\\inetpub\\%COMPUTERNAME%|c:\\inetpub\\%COMPUTERNAME%",
        "C:\\Program Files (x86)\\x|C:\\Program Files (x86)\\x",
        "C:\\a..b\\.hidden|C:\\a..b\\.hidden",
      })
  void normalisesPaths(String text, String normalised) throws InvalidValue {
    assertEquals(normalised, PolicySyntax.path(text));
  }

  @ParameterizedTest
  // quotes are part of these messages; JUnit 6 reads a field that starts with one as quoted
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "Windows\\Temp|relative path 'Windows\\Temp'",
        "\\Windows|relative path '\\Windows'",
        "C:|relative path 'C:'",
        "%SystemDrive%|relative path '%SystemDrive%'",
        "%SystemDrive%WSUS|relative path '%SystemDrive%WSUS'",
        "%windir%Temp|relative path '%windir%Temp'",
        "%COMPUTERNAME%\\x|relative path '%COMPUTERNAME%\\x'",
        "%windir%\\..\\x|'..' in path '%windir%\\..\\x'",
        "C:/WSUS/../x|'..' in path 'C:/WSUS/../x'",
        "C:\\.\\x|'.' in path 'C:\\.\\x'",
        "\\\\server\\share|UNC path '\\\\server\\share' is not supported",
        "//server/share|UNC path '//server/share' is not supported",
        "\\\\?\\C:\\WSUS|device path '\\\\?\\C:\\WSUS' is not supported",
        "\\\\.\\C:\\WSUS|device path '\\\\.\\C:\\WSUS' is not supported",
        "\\??\\C:\\WSUS|device path '\\??\\C:\\WSUS' is not supported",
        "C:\\a*b|invalid character '*' in path 'C:\\a*b'",
        "C:\\a:b|':' inside path 'C:\\a:b'",
        "C:\\WSUS.\\x|path component 'WSUS.' ends with a dot or space",
        "%windr%\\x|unknown variable %windr%",
        "%windir\\x|unclosed variable in '%windir\\x'",
        "%%\\x|empty variable '%%' in '%%\\x'",
      })
  void refusesBadPaths(String text, String problem) {
    assertEquals(
        problem, assertThrows(InvalidValue.class, () -> PolicySyntax.path(text)).problem());
  }

  @Test
  void pathKeyFoldsCaseAndTheTwoNamesOfTheWindowsFolder() throws InvalidValue {
    assertEquals(
        PolicySyntax.pathKey(PolicySyntax.path("%windir%\\Microsoft.NET")),
        PolicySyntax.pathKey(PolicySyntax.path("%SYSTEMROOT%/microsoft.net/")));
    assertTrue(
        !PolicySyntax.pathKey(PolicySyntax.path("C:\\WSUS"))
            .equals(PolicySyntax.pathKey(PolicySyntax.path("D:\\WSUS"))));
  }

  @Test
  void suggestsOnlyCloseWords() {
    assertEquals(
        "grants",
        PolicySyntax.closest("grant", List.of("path", "grants", "forbidDeny", "propagate")));
    assertEquals(
        "forbidDeny", PolicySyntax.closest("forbiddeny", List.of("path", "grants", "forbidDeny")));
    assertEquals(
        null, PolicySyntax.closest("owner", List.of("path", "grants", "forbidDeny", "propagate")));
  }
}
