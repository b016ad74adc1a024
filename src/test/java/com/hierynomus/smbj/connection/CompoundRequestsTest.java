package com.hierynomus.smbj.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hierynomus.msdtyp.AccessMask;
import com.hierynomus.msdtyp.SecurityInformation;
import com.hierynomus.mssmb2.SMB2CreateDisposition;
import com.hierynomus.mssmb2.SMB2Dialect;
import com.hierynomus.mssmb2.SMB2FileId;
import com.hierynomus.mssmb2.SMB2ImpersonationLevel;
import com.hierynomus.mssmb2.SMB2Packet;
import com.hierynomus.mssmb2.SMB2ShareAccess;
import com.hierynomus.mssmb2.messages.SMB2Close;
import com.hierynomus.mssmb2.messages.SMB2CreateRequest;
import com.hierynomus.mssmb2.messages.SMB2QueryInfoRequest;
import com.hierynomus.smbj.common.SmbPath;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The framing of a compounded chain, byte by byte (MS-SMB2 2.2.1 and 3.2.4.1.4). */
class CompoundRequestsTest {
  private static final SMB2Dialect D = SMB2Dialect.SMB_3_1_1;

  private static List<SMB2Packet> createQueryClose(String path) {
    SMB2FileId related = new SMB2FileId();
    return List.of(
        new SMB2CreateRequest(D, 7, 3, SMB2ImpersonationLevel.Identification, EnumSet.of(AccessMask.READ_CONTROL), null,
            SMB2ShareAccess.ALL, SMB2CreateDisposition.FILE_OPEN, null, new SmbPath("h", "c", path)),
        new SMB2QueryInfoRequest(D, 7, 3, related, SMB2QueryInfoRequest.SMB2QueryInfoType.SMB2_0_INFO_SECURITY,
            null, null, null, EnumSet.of(SecurityInformation.DACL_SECURITY_INFORMATION)),
        new SMB2Close(D, 7, 3, related));
  }

  @Test
  void eachRequestStartsOnAnEightByteBoundaryNamedByTheOneBefore() {
    // an odd-length name makes the CREATE need padding
    byte[] b = CompoundRequests.frame(createQueryClose("Windows\\a.dll"), new long[] {40, 41, 42}, 5, true);
    int at = 0;
    int[] commands = {0x0005, 0x0010, 0x0006}; // CREATE, QUERY_INFO, CLOSE
    for (int i = 0; i < 3; i++) {
      assertEquals(0xFE, b[at] & 0xFF, "protocol id of request " + i);
      assertEquals('S', b[at + 1]);
      assertEquals(64, u16(b, at + 4), "header size");
      assertEquals(1, u16(b, at + 6), "one credit charged");
      assertEquals(commands[i], u16(b, at + 12), "command of request " + i);
      assertEquals(5 + 1, u16(b, at + 14), "credits asked: what is wanted plus what this request uses");
      assertEquals(i == 0 ? 0 : 4, u32(b, at + 16) & 4, "related flag of request " + i);
      assertEquals(40 + i, u32(b, at + 24), "message id of request " + i);
      assertEquals(3, u32(b, at + 36), "tree id");
      assertEquals(7, u32(b, at + 40), "session id");
      int next = (int) u32(b, at + 20);
      if (i < 2) {
        assertEquals(0, next % 8, "NextCommand is a multiple of 8");
        at += next;
      } else {
        assertEquals(0, next, "the last request ends the chain");
      }
    }
    assertEquals(b.length - at, 64 + 24, "the CLOSE runs to the end: header and its 24-byte body");
  }

  @Test
  void unrelatedChainsCarryNoRelatedFlag() {
    byte[] b = CompoundRequests.frame(createQueryClose("x"), new long[] {1, 2, 3}, 1, false);
    int second = (int) u32(b, 20);
    assertEquals(0, u32(b, second + 16) & 4);
  }

  private static int u16(byte[] b, int i) {
    return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
  }

  private static long u32(byte[] b, int i) {
    return (b[i] & 0xFFL) | (b[i + 1] & 0xFFL) << 8 | (b[i + 2] & 0xFFL) << 16 | (b[i + 3] & 0xFFL) << 24;
  }
}
