package org.wsusfix.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DescriptorTextTest {
  private static final Sid DOMAIN = Sid.parse("S-1-5-21-1-2-3");

  private static String text(String sddl) {
    return DescriptorText.render(Sddl.parse(sddl, DOMAIN), DOMAIN);
  }

  @Test
  void rendersOwnerGroupAndEachAce() {
    assertEquals(
        "owner: BUILTIN\\Administrators; group: NT AUTHORITY\\SYSTEM; dacl (protected, auto-inherited): "
            + "allow NT AUTHORITY\\SYSTEM (OI)(CI)(F), deny Everyone (W,RC), allow BUILTIN\\Users (I)(OI)(CI)(RX), "
            + "allow NT AUTHORITY\\IUSR (M), allow NT AUTHORITY\\INTERACTIVE (RD)",
        text(
            "O:BAG:SYD:PAI(A;OICI;FA;;;SY)(D;;FW;;;WD)(A;OICIID;0x1200a9;;;BU)(A;;0x1301bf;;;S-1-5-17)(A;;0x1;;;IU)"));
  }

  @Test
  void rendersNullEmptyAndSacl() {
    assertEquals(
        "dacl: NULL (no protection: everyone has full access)", text("D:NO_ACCESS_CONTROL"));
    assertEquals(
        "dacl: empty (nobody has access); sacl (auto-inherited): audit Everyone (SA)(FA)(F), "
            + "label Mandatory Label\\Low Mandatory Level (OI)(CI)(NW)",
        text("D:S:AI(AU;SAFA;FA;;;WD)(ML;OICI;NW;;;LW)"));
  }

  @Test
  void rendersDomainGroupsAndUnknownSids() {
    assertEquals(
        "owner: Domain Admins (S-1-5-21-1-2-3-512); dacl: allow S-1-5-21-9-9-9-1105 (CI)(GA), "
            + "allow-object NT AUTHORITY\\Authenticated Users (WA) object 1131f6aa-9c07-11d1-f79f-00c04fc2dcd2",
        text(
            "O:DAD:(A;CI;GA;;;S-1-5-21-9-9-9-1105)(OA;;CR;1131f6aa-9c07-11d1-f79f-00c04fc2dcd2;;AU)"));
  }
}
