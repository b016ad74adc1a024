package org.wsusfix.machine.smb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DaclOnlyDescriptorTest {
  private static final List<Descriptors.Ace> ACES =
      List.of(
          new Descriptors.Ace(0, 0x03, 0x1200a9, "S-1-5-32-545"),
          new Descriptors.Ace(0, 0x13, 0x1f01ff, "S-1-5-18"));

  @Test
  void dropsOwnerAndGroupAndKeepsTheDaclBytes() {
    byte[] sd = Descriptors.build(0x1000, "S-1-5-32-544", "S-1-5-18", 2, ACES);
    byte[] out = DaclOnlyDescriptor.from(sd);
    Descriptors.Parsed p = Descriptors.parse(out);
    assertNull(p.owner());
    assertNull(p.group());
    assertEquals(ACES, p.aces());
    assertEquals(2, p.aclRevision());
    assertEquals(0x8000 | 0x1000 | 0x0004, p.control());
    int daclOff = sd.length - (out.length - 20);
    assertArrayEquals(
        Arrays.copyOfRange(sd, daclOff, sd.length), Arrays.copyOfRange(out, 20, out.length));
  }

  @Test
  void autoInheritedDaclAsksTheServerToKeepIt() {
    byte[] sd = Descriptors.build(0x0400, "S-1-5-32-544", null, 2, ACES);
    int control = DaclOnlyDescriptor.control(DaclOnlyDescriptor.from(sd));
    assertEquals(0x0400, control & 0x0400);
    assertEquals(
        0x0100, control & 0x0100, "SE_DACL_AUTO_INHERIT_REQ must accompany SE_DACL_AUTO_INHERITED");
  }

  @Test
  void noAutoInheritRequestWithoutAutoInheritedDacl() {
    int control =
        DaclOnlyDescriptor.control(
            DaclOnlyDescriptor.from(Descriptors.build(0, null, null, 2, ACES)));
    assertEquals(0, control & 0x0500);
  }

  @Test
  void saclAndOwnerDefaultBitsAreNotSent() {
    // SE_OWNER_DEFAULTED 0x1, SE_SACL_PRESENT 0x10, SE_SACL_AUTO_INHERITED 0x800, SE_SACL_PROTECTED
    // 0x2000
    byte[] sd = Descriptors.build(0x2811, null, null, 2, ACES);
    assertEquals(0x8004, DaclOnlyDescriptor.control(DaclOnlyDescriptor.from(sd)));
  }

  @Test
  void nullDaclStaysNull() {
    byte[] sd = new byte[20];
    sd[0] = 1;
    sd[2] = 0x04;
    sd[3] = (byte) 0x80;
    byte[] out = DaclOnlyDescriptor.from(sd);
    assertEquals(20, out.length);
    assertEquals(0x8004, DaclOnlyDescriptor.control(out));
  }

  @Test
  void rejectsWhatIsNotASelfRelativeDescriptorWithADacl() {
    byte[] good = Descriptors.build(0, null, null, 2, ACES);
    assertThrows(IllegalArgumentException.class, () -> DaclOnlyDescriptor.from(new byte[12]));
    byte[] noDacl = good.clone();
    noDacl[2] = 0;
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> DaclOnlyDescriptor.from(noDacl))
            .getMessage()
            .contains("no DACL"));
    byte[] absolute = good.clone();
    absolute[3] = 0;
    assertThrows(IllegalArgumentException.class, () -> DaclOnlyDescriptor.from(absolute));
    byte[] truncated = Arrays.copyOf(good, good.length - 4);
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> DaclOnlyDescriptor.from(truncated))
            .getMessage()
            .contains("does not fit"));
    byte[] badRevision = good.clone();
    badRevision[0] = 2;
    assertThrows(IllegalArgumentException.class, () -> DaclOnlyDescriptor.from(badRevision));
  }
}
