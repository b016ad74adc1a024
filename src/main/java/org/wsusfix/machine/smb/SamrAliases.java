package org.wsusfix.machine.smb;

import com.rapid7.client.dcerpc.RPCException;
import com.rapid7.client.dcerpc.dto.SID;
import com.rapid7.client.dcerpc.io.PacketOutput;
import com.rapid7.client.dcerpc.messages.EmptyResponse;
import com.rapid7.client.dcerpc.messages.RequestCall;
import com.rapid7.client.dcerpc.mssamr.SecurityAccountManagerService;
import com.rapid7.client.dcerpc.mssamr.dto.AliasHandle;
import com.rapid7.client.dcerpc.mssamr.dto.DomainHandle;
import com.rapid7.client.dcerpc.mssamr.dto.ServerHandle;
import com.rapid7.client.dcerpc.objects.RPCSID;
import com.rapid7.client.dcerpc.transport.RPCTransport;
import com.rapid7.client.dcerpc.transport.SMBTransportFactories;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Membership of the server's BUILTIN local groups (aliases) over MS-SAMR, on the pipe \samr of an
 * {@link SmbConnection}'s session. Aliases are opened by RID (544 Administrators, 545 Users, ...):
 * Samba enumerates no builtin aliases, but opens them by RID.
 *
 * <p>A member's groups are read when a session is set up: after a change, the affected account
 * needs a new connection before the server grants it anything through the new membership. That new
 * connection is the caller's business.
 */
public final class SamrAliases implements AutoCloseable {
  public static final long ADMINISTRATORS = 544;
  public static final long USERS = 545;
  public static final long GUESTS = 546;
  public static final long IIS_IUSRS = 568;

  private static final Map<Long, String> NAMES =
      Map.of(
          ADMINISTRATORS,
          "BUILTIN\\Administrators",
          USERS,
          "BUILTIN\\Users",
          GUESTS,
          "BUILTIN\\Guests",
          547L,
          "BUILTIN\\Power Users",
          551L,
          "BUILTIN\\Backup Operators",
          IIS_IUSRS,
          "BUILTIN\\IIS_IUSRS");
  private static final short OPNUM_ADD_MEMBER_TO_ALIAS = 31;
  private static final int ALIAS_ADD_MEMBER = 0x0001;
  private static final int ALIAS_REMOVE_MEMBER = 0x0002;
  private static final short OPNUM_REMOVE_MEMBER_FROM_ALIAS = 32;

  private final String server;
  private final RPCTransport transport;
  private final SecurityAccountManagerService samr;
  private final ServerHandle serverHandle;
  private final DomainHandle builtin;

  public SamrAliases(SmbConnection connection) {
    this.server = connection.unc("");
    try {
      transport = SMBTransportFactories.SAMSVC.getTransport(connection.session());
      samr = new SecurityAccountManagerService(transport);
      serverHandle = samr.openServer();
      builtin = samr.openDomain(serverHandle, SID.fromString("S-1-5-32"));
    } catch (IOException | RuntimeException e) {
      throw rpcFailure("open the account database (SAMR) of " + server, e);
    }
  }

  /** "BUILTIN\Users" for 545; "BUILTIN alias 1234" for RIDs without a well-known name. */
  public static String aliasName(long rid) {
    return NAMES.getOrDefault(rid, "BUILTIN alias " + rid);
  }

  /** SIDs ("S-1-5-21-...-1001") of the alias's direct members. */
  public List<String> members(long aliasRid) {
    AliasHandle alias = openAlias(aliasRid);
    try {
      List<String> out = new ArrayList<>();
      for (SID sid : samr.getMembersInAlias(alias)) {
        out.add(sid.toString());
      }
      return out;
    } catch (IOException e) {
      throw rpcFailure("list the members of " + aliasName(aliasRid), e);
    } finally {
      closeHandle(alias);
    }
  }

  /** RIDs of the BUILTIN aliases that contain {@code memberSid} directly. */
  public List<Long> aliasesOf(String memberSid) {
    try {
      List<Long> out = new ArrayList<>();
      for (com.rapid7.client.dcerpc.mssamr.dto.Membership m :
          samr.getAliasMembership(builtin, parseSid(memberSid))) {
        out.add(m.getRelativeID());
      }
      return out;
    } catch (IOException e) {
      throw rpcFailure("read the local groups of " + memberSid + " on " + server, e);
    }
  }

  /**
   * Whether this session may add and remove members of the alias: opens it asking for exactly that
   * (ALIAS_ADD_MEMBER | ALIAS_REMOVE_MEMBER), changes nothing.
   */
  public boolean canChangeMembers(long aliasRid) {
    AliasHandle alias;
    try {
      alias = samr.openAlias(builtin, aliasRid, ALIAS_ADD_MEMBER | ALIAS_REMOVE_MEMBER);
    } catch (IOException e) {
      if (e instanceof RPCException rpc
          && (rpc.getReturnValue() & 0xFFFF_FFFFL) == NtStatusText.ACCESS_DENIED) {
        return false;
      }
      throw rpcFailure("open " + aliasName(aliasRid) + " on " + server, e);
    }
    closeHandle(alias);
    return true;
  }

  /** Adds {@code memberSid}; false when it already was a member (nothing changed). */
  public boolean addMember(long aliasRid, String memberSid) {
    return change(
        aliasRid, memberSid, OPNUM_ADD_MEMBER_TO_ALIAS, NtStatusText.MEMBER_IN_ALIAS, "add");
  }

  /** Removes {@code memberSid}; false when it was not a member (nothing changed). */
  public boolean removeMember(long aliasRid, String memberSid) {
    return change(
        aliasRid,
        memberSid,
        OPNUM_REMOVE_MEMBER_FROM_ALIAS,
        NtStatusText.MEMBER_NOT_IN_ALIAS,
        "remove");
  }

  private boolean change(
      long aliasRid, String memberSid, short opnum, long unchanged, String verb) {
    SID sid = parseSid(memberSid);
    String what =
        verb + " " + memberSid + (verb.equals("add") ? " to " : " from ") + aliasName(aliasRid);
    AliasHandle alias = openAlias(aliasRid);
    try {
      EmptyResponse r = transport.call(new AliasMemberCall(opnum, alias.getBytes(), toRpc(sid)));
      long status = r.getReturnValue() & 0xFFFF_FFFFL;
      if (status == 0) {
        return true;
      }
      if (status == unchanged) {
        return false;
      }
      throw SmbException.of("cannot " + what + " on " + server, status, null);
    } catch (IOException e) {
      throw rpcFailure(what, e);
    } finally {
      closeHandle(alias);
    }
  }

  private AliasHandle openAlias(long rid) {
    try {
      return samr.openAlias(builtin, rid);
    } catch (IOException e) {
      throw rpcFailure("open " + aliasName(rid) + " on " + server, e);
    }
  }

  private void closeHandle(AliasHandle h) {
    try {
      samr.closeHandle(h);
    } catch (IOException ignored) {
      // a handle the server already dropped needs no closing
    }
  }

  @Override
  public void close() {
    try {
      samr.closeHandle(builtin);
      samr.closeHandle(serverHandle);
    } catch (IOException ignored) {
      // the pipe closes with the session anyway
    }
  }

  static SID parseSid(String sid) {
    try {
      return SID.fromString(sid);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a SID: " + sid, e);
    }
  }

  static RPCSID toRpc(SID sid) {
    RPCSID r = new RPCSID();
    r.setRevision((char) sid.getRevision());
    r.setIdentifierAuthority(sid.getIdentifierAuthority());
    r.setSubAuthority(sid.getSubAuthorities());
    return r;
  }

  static SmbException rpcFailure(String what, Exception e) {
    if (e instanceof RPCException rpc) {
      return SmbException.of("cannot " + what, rpc.getReturnValue() & 0xFFFF_FFFFL, e);
    }
    if (e instanceof SmbException s) {
      return s;
    }
    return SmbException.plain("cannot " + what + ": " + e.getMessage(), e);
  }

  /**
   * SamrAddMemberToAlias (opnum 31) and SamrRemoveMemberFromAlias (opnum 32), which the dcerpc
   * library lacks. Both take the alias context handle (20 bytes) and a [ref] RPC_SID, and return
   * only an NTSTATUS.
   */
  private static final class AliasMemberCall extends RequestCall<EmptyResponse> {
    private final byte[] aliasHandle;
    private final RPCSID member;

    AliasMemberCall(short opnum, byte[] aliasHandle, RPCSID member) {
      super(opnum);
      this.aliasHandle = aliasHandle;
      this.member = member;
    }

    @Override
    public void marshal(PacketOutput out) throws IOException {
      out.write(aliasHandle);
      out.writeMarshallable(member);
    }

    @Override
    public EmptyResponse getResponseObject() {
      return new EmptyResponse();
    }
  }
}
