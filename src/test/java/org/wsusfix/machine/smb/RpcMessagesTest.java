package org.wsusfix.machine.smb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rapid7.client.dcerpc.dto.SID;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The hand-written winreg and LSA requests, byte for byte as MS-RRP and MS-LSAD lay them out. */
class RpcMessagesTest {
  private static final byte[] HANDLE = new byte[20];

  static {
    for (int i = 0; i < HANDLE.length; i++) {
      HANDLE[i] = (byte) (i + 1);
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  @Test
  void setKeySecurityIsHandleInformationAndAConformantVaryingArray() throws Exception {
    byte[] sd = {1, 0, 4, (byte) 0x84, 0, 0};
    String stub = hex(new WinregKeys.SetKeySecurity(HANDLE, 4, sd).getStub());
    assertEquals(
        hex(HANDLE)
            + "04000000" // DACL_SECURITY_INFORMATION
            + "00000200" // unique pointer to the bytes (referent id)
            + "06000000"
            + "06000000" // cbInSecurityDescriptor, cbOutSecurityDescriptor
            + "06000000"
            + "00000000"
            + "06000000" // maximum count, offset, actual count
            + "010004840000"
            + "0000", // the bytes, padded to four
        stub);
    assertEquals(21, new WinregKeys.SetKeySecurity(HANDLE, 4, sd).getOpNum());
  }

  @Test
  void accountRightsCarryTheSidAndOneRightString() throws Exception {
    LsaRights.AccountRightsCall add =
        new LsaRights.AccountRightsCall(
            LsaRights.OPNUM_ADD_ACCOUNT_RIGHTS,
            HANDLE,
            SamrAliases.toRpc(SID.fromString("S-1-5-17")),
            "SeX");
    String sid =
        "01000000"
            + "01"
            + "01"
            + "000000000005"
            + "11000000"; // count, revision, subauths, authority, 17
    String rights =
        "01000000"
            + "00000200" // one entry, pointer to the array
            + "01000000" // array maximum count
            + "0600"
            + "0600"
            + "04000200" // Length, MaximumLength (bytes), pointer to the characters
            + "03000000"
            + "00000000"
            + "03000000"
            + "530065005800"
            + "0000"; // "SeX", padded
    assertEquals(hex(HANDLE) + sid + rights, hex(add.getStub()));
    LsaRights.AccountRightsCall remove =
        new LsaRights.AccountRightsCall(
            LsaRights.OPNUM_REMOVE_ACCOUNT_RIGHTS,
            HANDLE,
            SamrAliases.toRpc(SID.fromString("S-1-5-17")),
            "SeX");
    assertEquals(
        hex(HANDLE) + sid + "00000000" + rights,
        hex(remove.getStub()),
        "AllRights false, then padding");
  }
}
