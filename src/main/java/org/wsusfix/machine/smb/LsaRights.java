package org.wsusfix.machine.smb;

import com.rapid7.client.dcerpc.dto.SID;
import com.rapid7.client.dcerpc.io.PacketOutput;
import com.rapid7.client.dcerpc.io.ndr.Alignment;
import com.rapid7.client.dcerpc.messages.EmptyResponse;
import com.rapid7.client.dcerpc.messages.RequestCall;
import com.rapid7.client.dcerpc.mslsad.LocalSecurityAuthorityService;
import com.rapid7.client.dcerpc.mslsad.dto.PolicyHandle;
import com.rapid7.client.dcerpc.mslsad.messages.LsarEnumerateAccountsWithUserRightRequest;
import com.rapid7.client.dcerpc.mslsad.messages.LsarEnumerateAccountsWithUserRightResponse;
import com.rapid7.client.dcerpc.objects.RPCSID;
import com.rapid7.client.dcerpc.objects.RPCUnicodeString;
import com.rapid7.client.dcerpc.transport.RPCTransport;
import com.rapid7.client.dcerpc.transport.SMBTransportFactories;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * User rights of the server over MS-LSAD on the pipe \lsarpc: who holds a right
 * (LsarEnumerateAccountsWithUserRight, opnum 35) and adding or removing one account's right
 * (LsarAddAccountRights, 37; LsarRemoveAccountRights, 38), which the dcerpc library lacks.
 */
public final class LsaRights implements AutoCloseable {
  static final short OPNUM_ADD_ACCOUNT_RIGHTS = 37;
  static final short OPNUM_REMOVE_ACCOUNT_RIGHTS = 38;
  static final long NO_MORE_ENTRIES = 0x8000001AL;
  static final long NO_SUCH_PRIVILEGE = 0xC0000060L;

  private final String server;
  private final RPCTransport transport;
  private final LocalSecurityAuthorityService lsa;
  private final PolicyHandle policy;

  public LsaRights(SmbConnection connection) {
    this.server = connection.unc("");
    try {
      transport = SMBTransportFactories.LSASVC.getTransport(connection.session());
      lsa = new LocalSecurityAuthorityService(transport);
      policy = lsa.openPolicyHandle();
    } catch (IOException | RuntimeException e) {
      throw SamrAliases.rpcFailure("open the policy database (LSA) of " + server, e);
    }
  }

  /** SIDs of the accounts the right is assigned to directly. */
  public List<String> holders(String right) {
    try {
      LsarEnumerateAccountsWithUserRightResponse r =
          transport.call(
              new LsarEnumerateAccountsWithUserRightRequest(
                  policy.getBytes(), RPCUnicodeString.NonNullTerminated.of(right)));
      long status = r.getReturnValue() & 0xFFFF_FFFFL;
      if (status == NO_MORE_ENTRIES) {
        return List.of();
      }
      if (status != 0) {
        throw failure("list the holders of " + right + " on " + server, status);
      }
      List<String> out = new ArrayList<>();
      if (r.getSids() != null) {
        for (RPCSID s : r.getSids()) {
          out.add(
              new SID((byte) s.getRevision(), s.getIdentifierAuthority(), s.getSubAuthority())
                  .toString());
        }
      }
      return out;
    } catch (IOException e) {
      throw SamrAliases.rpcFailure("list the holders of " + right + " on " + server, e);
    }
  }

  public void add(String sid, String right) {
    change(
        new AccountRightsCall(
            OPNUM_ADD_ACCOUNT_RIGHTS,
            policy.getBytes(),
            SamrAliases.toRpc(SamrAliases.parseSid(sid)),
            right),
        "give " + sid + " " + right);
  }

  public void remove(String sid, String right) {
    change(
        new AccountRightsCall(
            OPNUM_REMOVE_ACCOUNT_RIGHTS,
            policy.getBytes(),
            SamrAliases.toRpc(SamrAliases.parseSid(sid)),
            right),
        "take " + right + " from " + sid);
  }

  private void change(AccountRightsCall call, String what) {
    try {
      long status = transport.call(call).getReturnValue() & 0xFFFF_FFFFL;
      if (status != 0) {
        throw failure(what + " on " + server, status);
      }
    } catch (IOException e) {
      throw SamrAliases.rpcFailure(what + " on " + server, e);
    }
  }

  private static SmbException failure(String what, long status) {
    if (status == NO_SUCH_PRIVILEGE) {
      return SmbException.plain(
          "cannot " + what + ": the server knows no such right (NT_STATUS_NO_SUCH_PRIVILEGE)",
          null);
    }
    return SmbException.of("cannot " + what, status, null);
  }

  @Override
  public void close() {
    try {
      lsa.closePolicyHandle(policy);
    } catch (IOException ignored) {
      // the pipe closes with the session anyway
    }
  }

  /**
   * LsarAddAccountRights (37): policy handle, [ref] RPC_SID, [ref] LSAPR_USER_RIGHT_SET.
   * LsarRemoveAccountRights (38) has an AllRights byte (always 0 here) before the set. The set is a
   * count and a unique pointer to an array of RPC_UNICODE_STRING (length, maximum length, pointer),
   * each string's UTF-16 characters deferred after the array.
   */
  static final class AccountRightsCall extends RequestCall<EmptyResponse> {
    private final byte[] policy;
    private final RPCSID account;
    private final String right;

    AccountRightsCall(short opnum, byte[] policy, RPCSID account, String right) {
      super(opnum);
      this.policy = policy;
      this.account = account;
      this.right = right;
    }

    @Override
    public void marshal(PacketOutput out) throws IOException {
      out.write(policy);
      out.writeMarshallable(account);
      if (getOpNum() == OPNUM_REMOVE_ACCOUNT_RIGHTS) {
        out.writeByte(0);
      }
      out.align(Alignment.FOUR);
      byte[] chars = right.getBytes(StandardCharsets.UTF_16LE);
      out.writeInt(1);
      out.writeReferentID();
      out.writeInt(1);
      out.writeShort(chars.length);
      out.writeShort(chars.length);
      out.writeReferentID();
      out.writeInt(chars.length / 2);
      out.writeInt(0);
      out.writeInt(chars.length / 2);
      out.write(chars);
      out.align(Alignment.FOUR);
    }

    @Override
    public EmptyResponse getResponseObject() {
      return new EmptyResponse();
    }
  }
}
