package com.hierynomus.smbj.connection;

import com.hierynomus.mssmb2.SMB2MessageFlag;
import com.hierynomus.mssmb2.SMB2Packet;
import com.hierynomus.protocol.transport.TransportException;
import com.hierynomus.smb.SMBBuffer;
import com.hierynomus.smbj.session.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Future;

/**
 * Sends several SMB2 requests in one compounded message (MS-SMB2 3.2.4.1.4), so that, for example,
 * CREATE + QUERY_INFO + CLOSE costs one network send and one server wake-up instead of three.
 * smbj 0.14 splits compounded responses but has no way to send compounded requests; this class
 * sits in smbj's package because it needs the connection's credit window, its table of outstanding
 * requests and its transport, which smbj keeps package-private.
 *
 * <p>The chain goes out unsigned, so only for sessions where the server does not require signing
 * and nothing is encrypted: smbj checks the signature of every response but the first of a
 * compounded reply over the wrong bytes, and an encrypted chain needs one transform header around
 * it. The server answers an unsigned request unsigned. Callers check {@link #usable(Session)}.
 */
public final class CompoundRequests {
  /** Offset of NextCommand in the SMB2 header. */
  private static final int NEXT_COMMAND = 20;

  private CompoundRequests() {
  }

  /** Whether compounded requests can be sent on {@code session}. */
  public static boolean usable(Session session) {
    try {
      return !session.isSigningRequired() && !session.shouldEncryptData();
    } catch (TransportException e) {
      return false;
    }
  }

  /**
   * Sends {@code packets} as one compounded message. With {@code related}, every request after
   * the first works on the handle the one before it opened (give those the all-ones file id).
   *
   * @return one future per request, in order; each completes with that request's response
   */
  public static List<Future<SMB2Packet>> send(Session session, List<SMB2Packet> packets, boolean related)
      throws TransportException {
    Connection connection = session.getConnection();
    int n = packets.size();
    int available = connection.sequenceWindow.available();
    long[] ids = connection.sequenceWindow.get(n);
    // Ask for enough credits to keep the window near smbj's preferred size.
    int ask = Math.max(1, (SequenceWindow.PREFERRED_MINIMUM_CREDITS - available) / n + 1);
    List<Future<SMB2Packet>> futures = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      SMB2Packet p = packets.get(i);
      Request request = new Request(p, ids[i], UUID.randomUUID());
      connection.outstandingRequests.registerOutstanding(request);
      futures.add(request.getFuture(() -> { }));
    }
    byte[] bytes = frame(packets, ids, ask, related);
    connection.transport.write(new Chain(packets.get(0), bytes));
    return futures;
  }

  /**
   * The bytes of a chain: each request with its message id, one credit charged and {@code ask}
   * requested, from the second on flagged related when asked, each starting on an 8-byte
   * boundary with NextCommand giving the distance to the next.
   */
  static byte[] frame(List<SMB2Packet> packets, long[] ids, int ask, boolean related) {
    SMBBuffer chain = new SMBBuffer();
    int n = packets.size();
    for (int i = 0; i < n; i++) {
      SMB2Packet p = packets.get(i);
      p.getHeader().setMessageId(ids[i]);
      p.setCreditsAssigned(1);
      p.getHeader().setCreditRequest(ask);
      if (related && i > 0) {
        p.getHeader().setFlag(SMB2MessageFlag.SMB2_FLAGS_RELATED_OPERATIONS);
      }
      int start = chain.wpos();
      p.write(chain);
      if (i < n - 1) {
        while ((chain.wpos() - start) % 8 != 0) {
          chain.putByte((byte) 0);
        }
        int next = chain.wpos() - start;
        byte[] a = chain.array();
        a[start + NEXT_COMMAND] = (byte) next;
        a[start + NEXT_COMMAND + 1] = (byte) (next >>> 8);
        a[start + NEXT_COMMAND + 2] = (byte) (next >>> 16);
        a[start + NEXT_COMMAND + 3] = (byte) (next >>> 24);
      }
    }
    byte[] bytes = new byte[chain.wpos()];
    System.arraycopy(chain.array(), 0, bytes, 0, bytes.length);
    return bytes;
  }

  /** The finished bytes of a chain, handed to the transport as one packet. */
  private static final class Chain extends SMB2Packet {
    private final SMB2Packet first;
    private final byte[] bytes;

    Chain(SMB2Packet first, byte[] bytes) {
      this.first = first;
      this.bytes = bytes;
    }

    @Override
    public void write(SMBBuffer buffer) {
      buffer.putRawBytes(bytes);
    }

    @Override
    public String toString() {
      return "compound starting with " + first;
    }
  }
}
