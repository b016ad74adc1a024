package org.wsusfix.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SddlTest {
  private static final Sid DOMAIN = Sid.parse("S-1-5-21-1-2-3");

  private static String canon(String in) {
    return Sddl.format(Sddl.parse(in, DOMAIN), DOMAIN);
  }

  private static SddlException fails(String in) {
    return assertThrows(SddlException.class, () -> Sddl.parse(in, DOMAIN), in);
  }

  @Test
  void parsesAnIcaclsSaveLine() {
    SecurityDescriptor sd =
        Sddl.parse(
            "D:PAI(A;OICI;FA;;;SY)(A;OICIIO;GA;;;CO)(A;OICI;0x1200a9;;;BU)(A;;0x1301bf;;;S-1-5-17)S:AINO_ACCESS_CONTROL");
    assertTrue(sd.isDaclProtected());
    assertTrue(sd.isDaclAutoInherited());
    assertEquals(4, sd.dacl().size());
    assertEquals(AccessMask.FULL_CONTROL, sd.dacl().get(0).mask());
    assertEquals(AccessMask.GENERIC_ALL, sd.dacl().get(1).mask());
    assertEquals(
        AceFlags.OBJECT_INHERIT | AceFlags.CONTAINER_INHERIT | AceFlags.INHERIT_ONLY,
        sd.dacl().get(1).flags());
    assertEquals(AccessMask.READ_AND_EXECUTE, sd.dacl().get(2).mask());
    assertEquals(WellKnownSids.USERS, sd.dacl().get(2).sid());
    assertEquals(AccessMask.MODIFY, sd.dacl().get(3).mask());
    assertEquals(WellKnownSids.IUSR, sd.dacl().get(3).sid());
    assertTrue(sd.has(SecurityDescriptor.SACL_PRESENT));
    assertTrue(sd.has(SecurityDescriptor.SACL_AUTO_INHERITED));
    assertNull(sd.sacl());
    assertEquals(
        "D:PAI(A;OICI;FA;;;SY)(A;OICIIO;GA;;;CO)(A;OICI;0x1200a9;;;BU)(A;;0x1301bf;;;S-1-5-17)"
            + "S:AINO_ACCESS_CONTROL",
        Sddl.format(sd));
  }

  @Test
  void nullDaclDiffersFromEmptyDacl() {
    SecurityDescriptor nullDacl = Sddl.parse("D:NO_ACCESS_CONTROL");
    assertTrue(nullDacl.isNullDacl());
    SecurityDescriptor empty = Sddl.parse("D:");
    assertTrue(empty.daclPresent());
    assertEquals(0, empty.dacl().size());
    assertEquals("D:", Sddl.format(empty));
    assertEquals("D:NO_ACCESS_CONTROL", Sddl.format(nullDacl));
    SecurityDescriptor none = Sddl.parse("O:BA");
    assertTrue(!none.daclPresent());
    assertEquals("O:BA", Sddl.format(none));
  }

  @Test
  void iuMeansInteractive() {
    assertEquals(WellKnownSids.INTERACTIVE, Sddl.parse("D:(A;;FA;;;IU)").dacl().get(0).sid());
    assertEquals("D:(A;;FA;;;S-1-5-17)", canon("D:(A;;FA;;;S-1-5-17)"));
    assertEquals("D:(A;;FA;;;IU)", canon("D:(A;;FA;;;S-1-5-4)"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // file masks: exactly FILE_ALL_ACCESS is FA, others lower-case hex
        "D:(A;;0x1F01FF;;;SY)|D:(A;;FA;;;SY)",
        "D:(A;;0x1200A9;;;BU)|D:(A;;0x1200a9;;;BU)",
        "D:(A;;FAGX;;;SY)|D:(A;;0x201f01ff;;;SY)",
        "D:(A;;FR;;;WD)|D:(A;;FR;;;WD)",
        "D:(A;;FW;;;WD)|D:(A;;FW;;;WD)",
        "D:(A;;FX;;;WD)|D:(A;;FX;;;WD)",
        "D:(A;;KA;;;BA)(A;;KR;;;BU)(A;;KX;;;BU)(A;;KW;;;BU)|D:(A;;KA;;;BA)(A;;KR;;;BU)(A;;KR;;;BU)(A;;KW;;;BU)",
        // directory-service letters in Windows' order
        "D:(A;;RPWPCRCCDCLCLORCWOWDSDDTSW;;;SY)|D:(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;SY)",
        "D:(A;;0xe00f0000;;;LG)|D:(A;;SDRCWDWOGXGWGR;;;LG)",
        "D:(A;;0x1ff;;;WD)|D:(A;;CCDCLCSWRPWPDTLOCR;;;WD)",
        "D:(A;;16;;;LG)|D:(A;;RP;;;LG)",
        // numbers as wcstoul reads them
        "D:(A;;123456789;;;LG)|D:(A;;0x75bcd15;;;LG)",
        "D:(A;;01234567;;;LG)|D:(A;;0x53977;;;LG)",
        "D:(A;;0x123456789;;;LG)|D:(A;;0xffffffff;;;LG)",
        "D:(A;;100000000000000000000000;;;LG)|D:(A;;0xffffffff;;;LG)",
        "D:(A;;-99;;;LG)|D:(A;;0xffffff9d;;;LG)",
        "D:(A;;-0xffffff55;;;LG)|D:(A;;CCDCSWWPLO;;;LG)",
        "D:(A;;-9876543210;;;LG)|D:(A;;CC;;;LG)",
        "D:(A;;;;;BO)|D:(A;;;;;BO)",
        // ACL flags
        "D:ARPAI(A;;GA;;;SY)|D:PARAI(A;;GA;;;SY)",
        "D:PPPP(A;;GA;;;SY)|D:P(A;;GA;;;SY)",
        "S:D:P|D:PS:",
        "D:S:ARAI|D:S:ARAI",
        "D:pai(A;;GA;;;SY)|D:PAI(A;;GA;;;SY)",
        // case and white space
        "D:(a;oici;ga;;;lg)|D:(A;OICI;GA;;;LG)",
        "'  O:AA G:WD  '|O:AAG:WD",
        "D: P (A;;GA;;;LG) (A;;GX;;;AA)|D:P(A;;GA;;;LG)(A;;GX;;;AA)",
        "D:(A; ;GA;;;LG)|D:(A;;GA;;;LG)",
        "D:(A;; GA;;;LG)|D:(A;;GA;;;LG)",
        "D:AI(A;CI;RP LCLO  RC;;;AU)|D:AI(A;CI;LCRPLORC;;;AU)",
        "D:(A;;GA;; ;S-1-3-4)|D:(A;;GA;;;OW)",
        "D:(A;;GA;;; S-1-3-4)|D:(A;;GA;;;OW)",
        "O:S- 1- 2-3|O:S-1-2-3",
        // SIDs
        "D:(A;;GA;;;S-1-5000000000-30-40)|D:(A;;GA;;;S-1-0x12A05F200-30-40)",
        "D:(A;;GA;;;S-1-3-4294967296-3-4)|D:(A;;GA;;;S-1-3-4294967295-3-4)",
        "D:(A;;GA;;;S-1-5-21-0x1313131313131-513)|D:(A;;GA;;;S-1-5-21-4294967295-513)",
        "D:(A;;GA;;;S-1-5-21-0x1-0x2-0x4-513)|D:(A;;GA;;;S-1-5-21-1-2-4-513)",
        "D:(A;;CC;;;S-0x1-0-0-579)|D:(A;;CC;;;S-1-0-0-1401)",
        "O:S-1-2-0x2D:(A;;GA;;;LG)|O:S-1-2-2D:(A;;GA;;;LG)",
        "O:S-1-2-0x200D:|O:S-1-2-512D:",
        "D:(A;;CC;;;S-1-21474836480-32-579)|D:(A;;CC;;;S-1-0x500000000-32-579)",
        "D:(A;;GA;;;s-1-1-0)|D:(A;;GA;;;WD)",
        "O:S-1-5-21-1-2-3-512G:S-1-5-21-1-2-3-513|O:DAG:DU",
        "O:S-1-5-21-9-9-9-512|O:S-1-5-21-9-9-9-512",
        // mandatory label and object ACEs
        "S:(ML;OICI;NW;;;LW)|S:(ML;OICI;NW;;;LW)",
        "S:(ML;;NXNRNW;;;HI)|S:(ML;;NWNRNX;;;HI)",
        "S:(OU;CISA;WP;F30E3BBE-9FF0-11D1-B603-0000F80367C1;;WD)|S:(OU;CISA;WP;f30e3bbe-9ff0-11d1-b603-0000f80367c1;;WD)",
        "D:(OA;;CR;;bf967aba-0de6-11d0-a285-00aa003049e2;AU)|D:(OA;;CR;;bf967aba-0de6-11d0-a285-00aa003049e2;AU)",
        "S:(AU;SAFA;FA;;;WD)(AL;CR;0x10;;;WD)|S:(AU;SAFA;FA;;;WD)(AL;CR;RP;;;WD)",
        "S:(AU;TP;FA;;;WD)|S:(AU;SA;FA;;;WD)",
        "D:AI (A;;GA;;;LG)|D:AI(A;;GA;;;LG)",
        "D:AR (A;;GA;;;LG)|D:AR(A;;GA;;;LG)",
        "D:(A;;GA;;;WD )|D:(A;;GA;;;WD)",
        "D:(A;IOIDNPCIOI;FA;;;WD)|D:(A;OICINPIOID;FA;;;WD)",
      })
  void canonicalForms(String in, String out) {
    assertEquals(out, canon(in));
    assertEquals(out, canon(out), "canonical form is stable");
  }

  @ParameterizedTest(name = "{0} fails at {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "d:(A;;GA;;;LG)|0",
        "Z:(A;;GA;;;SY)|0",
        "D :S:|1",
        "D:P:S:|3",
        "O:|2",
        "O:XX|2",
        "O:S-1|5",
        "O:S-0|4",
        "D:(Antlers;;GA;;;SY)|3",
        "D:((A;;GA;;;LG))|3",
        "D:(A;;GA;;)|10",
        "S:(AU;SA;CROOO;;;WD)|11",
        "D:(A;;123456789 ;;;LG)|15",
        "D:(A;;0x 75bcd15;;;LG)|7",
        "D:(A;;GA ;;;LG)|8",
        "D:(A;;GA;;;S-1-0x1313131313131-513)|15",
        "D:(A;;GA;;;S-1-3-4 )|18",
        "D:(A;;RP;;;WD)(AU;SA;CR;;;BA)|15",
        "S:(A;;RP;;;WD)|3",
        "D:(A;;GA;;;LG)D:|14",
        "D:NO_ACCESS_CONTROL(A;;GA;;;WD)|19",
        "D:(A;;GA;;;WD|2",
        "D:(OA;;CR;{f30e3bbf-9ff0-11d1-b603-0000f80367c1};;WD)|10",
        "D:(A;;CR;f30e3bbf-9ff0-11d1-b603-0000f80367c1;;WD)|9",
        "D:(A;XX;GA;;;WD)|5",
      })
  void windowsRejects(String in, int position) {
    SddlException e = fails(in == null ? "" : in);
    assertEquals(position, e.position(), e.getMessage());
  }

  @Test
  void unsupportedAceTypesAreNamed() {
    assertTrue(fails("D:(XA;;FA;;;WD;(Member_of {SID(BA)}))").reason().contains("callback"));
    assertTrue(fails("D:(ZA;;FA;;;WD;(@User.x == 1))").reason().contains("not supported"));
    assertTrue(
        fails("S:(RA;;;;;WD;(\"Project\",TS,0,\"x\"))").reason().contains("resource attribute"));
    assertTrue(fails("S:(SP;;;;;S-1-17-1)").reason().contains("scoped policy"));
    assertTrue(fails("S:(TL;;;;;S-1-19-512-4096)").reason().contains("trust label"));
  }

  @Test
  void emptyTextIsAnEmptyDescriptor() {
    SecurityDescriptor sd = Sddl.parse("   ");
    assertEquals(SecurityDescriptor.SELF_RELATIVE, sd.control());
    assertNull(sd.owner());
    assertEquals("", Sddl.format(sd));
  }

  @Test
  void domainAliasWithoutDomainIsAnError() {
    SddlException e = assertThrows(SddlException.class, () -> Sddl.parse("D:(A;;GA;;;DA)"));
    assertEquals(11, e.position());
    assertTrue(e.reason().contains("DA"));
    assertEquals(DOMAIN.withRid(501), Sddl.parse("O:LG", DOMAIN).owner());
  }

  @Test
  void objectGuidsKeepTheirValue() {
    Ace ace =
        Sddl.parse(
                "D:(OA;CI;RP;4c164200-20c0-11d0-a768-00aa006e0529;bf967aba-0de6-11d0-a285-00aa003049e2;RU)")
            .dacl()
            .get(0);
    assertEquals(UUID.fromString("4c164200-20c0-11d0-a768-00aa006e0529"), ace.objectType());
    assertEquals(
        UUID.fromString("bf967aba-0de6-11d0-a285-00aa003049e2"), ace.inheritedObjectType());
    assertEquals(Acl.REVISION_DS, Sddl.parse("D:(OA;;CR;;;WD)").dacl().revision());
    assertEquals(Acl.REVISION, Sddl.parse("D:(A;;CR;;;WD)").dacl().revision());
  }

  @Test
  void rightsAndSidHelpers() {
    assertEquals("FA", Sddl.rights(AccessMask.FULL_CONTROL));
    assertEquals("0x1301bf", Sddl.rights(AccessMask.MODIFY));
    assertEquals("", Sddl.rights(0));
    assertEquals("LG", Sddl.sid(DOMAIN.withRid(501), DOMAIN));
    assertEquals("S-1-5-21-1-2-3-501", Sddl.sid(DOMAIN.withRid(501), null));
  }
}
