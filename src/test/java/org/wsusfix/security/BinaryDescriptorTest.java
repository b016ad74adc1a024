package org.wsusfix.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BinaryDescriptorTest {
  private static final Sid DOMAIN = Sid.parse("S-1-5-21-1-2-3");

  private static String hex(String sddl) {
    return BinaryDescriptor.toHex(Sddl.parse(sddl, DOMAIN));
  }

  @Test
  void windowsLayoutSaclDaclOwnerGroup() {
    // Bytes as Windows writes them for this SDDL (header, SACL, DACL, owner, group).
    assertEquals(
        "01001494"
            + "38000000"
            + "44000000"
            + "14000000"
            + "1c000000"
            + "0200080000000000" // SACL: revision 2, size 8, no ACEs
            + "02001c000100000000001400ff011f00010100000000000512000000" // DACL: (A;;FA;;;SY)
            + "010100000000000512000000" // owner SY
            + "01020000000000052000000020020000", // group BA
        hex("O:SYG:BAD:PAI(A;;FA;;;SY)S:"));
  }

  @Test
  void emptyAndNullAcls() {
    assertEquals(
        "01001480000000000000000014000000" + "1c000000" + "0200080000000000" + "0200080000000000",
        hex("D:S:"));
    // NULL DACL: present bit set, offset 0
    assertEquals("0100048000000000000000000000000000000000", hex("D:NO_ACCESS_CONTROL"));
    SecurityDescriptor back = BinaryDescriptor.fromHex("0100048000000000000000000000000000000000");
    assertTrue(back.isNullDacl());
  }

  @Test
  void objectAcesUseRevision4AndMixedEndianGuids() {
    String h = hex("D:(OA;;CR;1131f6aa-9c07-11d1-f79f-00c04fc2dcd2;;ED)");
    assertEquals(
        "01000480000000000000000000000000140000000400300001000000"
            + "050028000001000001000000aaf63111079cd111f79f00c04fc2dcd2010100000000000509000000",
        h);
    assertEquals(
        "D:(OA;;CR;1131f6aa-9c07-11d1-f79f-00c04fc2dcd2;;ED)",
        Sddl.format(BinaryDescriptor.fromHex(h)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICIIO;GA;;;CO)(D;;FW;;;WD)(A;OICIID;0x1200a9;;;BU)S:AI(AU;SAFA;FA;;;WD)",
        "S:(ML;OICI;NW;;;LW)",
        "O:DAG:DUD:(OA;CIIO;RP;4c164200-20c0-11d0-a768-00aa006e0529;bf967aba-0de6-11d0-a285-00aa003049e2;RU)(OD;;WP;;bf967aba-0de6-11d0-a285-00aa003049e2;DA)",
        "S:(OU;SA;WP;f30e3bbe-9ff0-11d1-b603-0000f80367c1;;WD)(OL;FA;CR;;;AU)(AL;;GA;;;WD)",
        "O:S-1-0x12A05F200-30-40",
        "D:",
      })
  void roundTrips(String sddl) {
    SecurityDescriptor sd = Sddl.parse(sddl, DOMAIN);
    byte[] bytes = BinaryDescriptor.encode(sd);
    assertEquals(BinaryDescriptor.length(sd), bytes.length);
    SecurityDescriptor back = BinaryDescriptor.decode(bytes);
    assertTrue(sd.semanticallyEquals(back));
    assertEquals(sd, back);
    assertArrayEquals(bytes, BinaryDescriptor.encode(back));
    assertEquals(Sddl.format(sd, DOMAIN), Sddl.format(back, DOMAIN));
  }

  @Test
  void decodesOtherFieldOrders() {
    // owner and group first (as some tools write), then the DACL
    String h =
        "010004801400000020000000000000002c000000"
            + "010100000000000512000000"
            + "0101000000000005120000"
            + "00"
            + "02001c000100000000001400ff011f00010100000000000512000000";
    SecurityDescriptor sd = BinaryDescriptor.fromHex(h);
    assertEquals(WellKnownSids.LOCAL_SYSTEM, sd.owner());
    assertEquals("O:SYG:SYD:(A;;FA;;;SY)", Sddl.format(sd));
  }

  private static String rejects(String hex) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BinaryDescriptor.fromHex(hex));
    return e.getMessage();
  }

  @Test
  void rejectsGarbageWithAReason() {
    assertTrue(rejects("0100").contains("20-byte header"));
    assertTrue(rejects("0200048000000000000000000000000000000000").contains("revision 2"));
    assertTrue(rejects("0100040000000000000000000000000014000000").contains("SE_SELF_RELATIVE"));
    assertTrue(
        rejects("010004800000000000000000000000001400000002001c0001000000").contains("size 28"));
    assertTrue(rejects("0100048000000000000000000000000000010000").contains("outside"));
    assertTrue(rejects("abc").contains("odd number"));
    assertTrue(
        rejects("01000080000000000000000000000000140000000200080000000000")
            .contains("SE_DACL_PRESENT"));
    assertTrue(
        rejects("01000480" + "30000000" + "00000000" + "00000000" + "00000000")
            .contains("owner SID offset 48"));
    // ACE whose size runs past the ACL
    assertTrue(
        rejects(
                "010004800000000000000000000000001400000002001c00010000000000ff00ff011f00010100000000000512000000")
            .contains("does not fit the ACL"));
    // ACE with bytes after its SID
    assertTrue(
        rejects(
                "010004800000000000000000000000001400000002002000010000000000180"
                    + "0ff011f0001010000000000051200000000000000")
            .contains("after its SID"));
    assertTrue(rejects("zz").contains("not a hex digit"));
  }

  @Test
  void rejectsUnsupportedAceTypes() {
    // callback allow ACE (type 0x09)
    String callback =
        "010004800000000000000000000000001400000002001c00010000000900140"
            + "0ff011f00010100000000000512000000";
    assertTrue(rejects(callback).contains("callback"), rejects(callback));
    String resource =
        "010014800000000000000000140000000000000002001c00010000001200140"
            + "0ff011f00010100000000000100000000";
    assertTrue(rejects(resource).contains("resource attribute"), rejects(resource));
    String unknown =
        "010004800000000000000000000000001400000002001c00010000003000140"
            + "0ff011f00010100000000000512000000";
    assertTrue(rejects(unknown).contains("unknown ACE type 0x30"), rejects(unknown));
  }

  @Test
  void absentPartsHaveOffsetZero() {
    SecurityDescriptor sd = BinaryDescriptor.fromHex(hex("O:BA"));
    assertEquals(WellKnownSids.ADMINISTRATORS, sd.owner());
    assertNull(sd.group());
    assertNull(sd.dacl());
    assertNull(sd.sacl());
  }
}
