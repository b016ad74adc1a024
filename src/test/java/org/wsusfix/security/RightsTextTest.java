package org.wsusfix.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RightsTextTest {
  @Test
  void fileEntriesAreWrittenAsIcaclsListsThem() {
    assertEquals(
        "(I)(OI)(CI)(RX)",
        RightsText.entry(
            AceFlags.INHERITED | AceFlags.OBJECT_INHERIT | AceFlags.CONTAINER_INHERIT,
            AccessMask.READ_AND_EXECUTE,
            RightsText.Names.FILE));
    assertEquals("(F)", RightsText.entry(0, AccessMask.FULL_CONTROL, RightsText.Names.FILE));
    assertEquals(
        "(CI)(IO)(GA)",
        RightsText.entry(
            AceFlags.CONTAINER_INHERIT | AceFlags.INHERIT_ONLY,
            AccessMask.GENERIC_ALL,
            RightsText.Names.FILE));
    assertEquals(
        "(RD,WD)",
        RightsText.entry(
            0, AccessMask.FILE_READ_DATA | AccessMask.FILE_WRITE_DATA, RightsText.Names.FILE));
    assertEquals("(N)", RightsText.entry(0, 0, RightsText.Names.FILE));
    assertEquals(
        "(SA)(FA)(F)",
        RightsText.entry(
            AceFlags.SUCCESSFUL_ACCESS | AceFlags.FAILED_ACCESS,
            AccessMask.FULL_CONTROL,
            RightsText.Names.FILE));
  }

  @Test
  void keyEntriesUseRegistryNamesInTheSameShape() {
    assertEquals(
        "(CI)(ReadKey)",
        RightsText.entry(AceFlags.CONTAINER_INHERIT, AccessMask.KEY_READ, RightsText.Names.KEY));
    assertEquals(
        "(FullControl)", RightsText.entry(0, AccessMask.KEY_ALL_ACCESS, RightsText.Names.KEY));
    assertEquals(
        "ReadKey", RightsText.rights(Rights.of(AccessMask.KEY_READ), RightsText.Names.KEY));
  }

  @Test
  void rightsAloneHaveNoParenthesesAndNoneIsAWord() {
    assertEquals("RX", RightsText.rights(AccessMask.READ_AND_EXECUTE, RightsText.Names.FILE));
    assertEquals("M", RightsText.rights(Rights.of(AccessMask.MODIFY), RightsText.Names.FILE));
    assertEquals("none", RightsText.rights(Rights.NONE, RightsText.Names.FILE));
    assertEquals("none", RightsText.rights(0, RightsText.Names.KEY));
  }

  @Test
  void aLabelEntryKeepsItsPolicyNamesWhateverTheObject() {
    Ace label = Sddl.parse("S:(ML;OICI;NW;;;LW)", null).sacl().aces().get(0);
    assertEquals("(OI)(CI)(NW)", RightsText.entry(label, RightsText.Names.FILE));
  }
}
