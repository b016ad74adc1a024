package org.wsusfix.machine.smb;

import com.rapid7.client.dcerpc.io.PacketOutput;
import com.rapid7.client.dcerpc.io.ndr.Alignment;
import com.rapid7.client.dcerpc.messages.EmptyResponse;
import com.rapid7.client.dcerpc.messages.HandleResponse;
import com.rapid7.client.dcerpc.messages.RequestCall;
import com.rapid7.client.dcerpc.msrrp.messages.BaseRegCloseKey;
import com.rapid7.client.dcerpc.msrrp.messages.BaseRegEnumKeyRequest;
import com.rapid7.client.dcerpc.msrrp.messages.BaseRegEnumKeyResponse;
import com.rapid7.client.dcerpc.msrrp.messages.BaseRegGetKeySecurityRequest;
import com.rapid7.client.dcerpc.msrrp.messages.BaseRegGetKeySecurityResponse;
import com.rapid7.client.dcerpc.msrrp.messages.BaseRegOpenKey;
import com.rapid7.client.dcerpc.msrrp.messages.BaseRegQueryValueRequest;
import com.rapid7.client.dcerpc.msrrp.messages.BaseRegQueryValueResponse;
import com.rapid7.client.dcerpc.msrrp.messages.HandleRequest;
import com.rapid7.client.dcerpc.objects.RPCUnicodeString;
import com.rapid7.client.dcerpc.transport.RPCTransport;
import com.rapid7.client.dcerpc.transport.SMBTransportFactories;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.wsusfix.machine.RegistryString;

/**
 * Registry keys of the server over MS-RRP on the pipe \winreg: open HKLM (OpenLocalMachine, opnum
 * 2), open a key below it (BaseRegOpenKey, 15), enumerate subkeys (BaseRegEnumKey, 9), read and
 * write its descriptor (BaseRegGetKeySecurity, 12; BaseRegSetKeySecurity, 21, which the dcerpc
 * library lacks). Keys are opened for each call and closed after it, asking only for what the call
 * needs, so the server's own access check is the one that decides.
 */
public final class WinregKeys implements AutoCloseable {
  static final short OPNUM_OPEN_HKLM = 2;
  static final short OPNUM_SET_KEY_SECURITY = 21;
  static final int KEY_QUERY_VALUE = 0x1;
  static final int KEY_ENUMERATE_SUB_KEYS = 0x8;
  static final int READ_CONTROL = 0x20000;
  static final int WRITE_DAC = 0x40000;
  static final int OWNER_GROUP_DACL = 0x1 | 0x2 | 0x4;
  static final int DACL_SECURITY_INFORMATION = 0x4;
  static final int ERROR_FILE_NOT_FOUND = 2;
  static final int ERROR_ACCESS_DENIED = 5;
  static final int ERROR_INSUFFICIENT_BUFFER = 122;
  static final int ERROR_NO_MORE_ITEMS = 259;

  private final String server;
  private final RPCTransport transport;
  private final byte[] hklm;

  public WinregKeys(SmbConnection connection) {
    this.server = connection.unc("");
    try {
      transport = SMBTransportFactories.WINREG.getTransport(connection.session());
      HandleResponse r = transport.call(new HandleRequest(OPNUM_OPEN_HKLM, 0x2000000));
      check(r.getReturnValue(), "open HKLM on " + server);
      hklm = r.getHandle();
    } catch (IOException e) {
      throw SamrAliases.rpcFailure("open the registry (winreg) of " + server, e);
    }
  }

  /** Whether the key exists; a key this session may not open at all counts as existing. */
  public boolean exists(String key) {
    try {
      HandleResponse r =
          transport.call(
              new BaseRegOpenKey(
                  hklm, RPCUnicodeString.NullTerminated.of(below(key)), 0, READ_CONTROL));
      if (r.getReturnValue() == ERROR_FILE_NOT_FOUND) {
        return false;
      }
      if (r.getReturnValue() == 0) {
        close(r.getHandle());
      }
      return true;
    } catch (IOException e) {
      throw SamrAliases.rpcFailure("open " + key + " on " + server, e);
    }
  }

  /** The self-relative descriptor (owner, group, DACL) of a key. */
  public byte[] descriptor(String key) {
    byte[] h = open(key, READ_CONTROL);
    try {
      int size = 4096;
      for (int attempt = 0; attempt < 3; attempt++) {
        BaseRegGetKeySecurityResponse r =
            transport.call(new BaseRegGetKeySecurityRequest(h, OWNER_GROUP_DACL, size));
        if (r.getReturnValue() == ERROR_INSUFFICIENT_BUFFER) {
          size *= 8;
          continue;
        }
        check(r.getReturnValue(), "read the security descriptor of " + key);
        return r.getpRpcSecurityDescriptorOut().getLpSecurityDescriptor();
      }
      throw SmbException.plain(
          key + ": its security descriptor is larger than " + size + " bytes", null);
    } catch (IOException e) {
      throw SamrAliases.rpcFailure("read the security descriptor of " + key, e);
    } finally {
      close(h);
    }
  }

  /**
   * Writes a descriptor, asking for its DACL only. Samba replaces the whole descriptor whatever the
   * flags say, so {@code selfRelative} must hold the owner and group as read.
   */
  public void setDescriptor(String key, byte[] selfRelative) {
    byte[] h = open(key, WRITE_DAC);
    try {
      EmptyResponse r =
          transport.call(new SetKeySecurity(h, DACL_SECURITY_INFORMATION, selfRelative));
      check(r.getReturnValue(), "write the DACL of " + key);
    } catch (IOException e) {
      throw SamrAliases.rpcFailure("write the DACL of " + key, e);
    } finally {
      close(h);
    }
  }

  /** Whether this session may write the key's DACL: opens it for WRITE_DAC, changes nothing. */
  public boolean canWriteDacl(String key) {
    try {
      HandleResponse r =
          transport.call(
              new BaseRegOpenKey(
                  hklm, RPCUnicodeString.NullTerminated.of(below(key)), 0, WRITE_DAC));
      if (r.getReturnValue() == 0) {
        close(r.getHandle());
        return true;
      }
      if (r.getReturnValue() == ERROR_ACCESS_DENIED) {
        return false;
      }
      check(r.getReturnValue(), "open " + key + " to write its DACL");
      return false;
    } catch (IOException e) {
      throw SamrAliases.rpcFailure("open " + key, e);
    }
  }

  /** A string value of a key, or null when the key or the value does not exist. */
  public String stringValue(String key, String name) {
    byte[] h;
    try {
      HandleResponse o =
          transport.call(
              new BaseRegOpenKey(
                  hklm, RPCUnicodeString.NullTerminated.of(below(key)), 0, KEY_QUERY_VALUE));
      if (o.getReturnValue() == ERROR_FILE_NOT_FOUND) {
        return null;
      }
      check(o.getReturnValue(), "open " + key + " to read its values");
      h = o.getHandle();
    } catch (IOException e) {
      throw SamrAliases.rpcFailure("open " + key + " on " + server, e);
    }
    try {
      BaseRegQueryValueResponse r =
          transport.call(
              new BaseRegQueryValueRequest(
                  h, RPCUnicodeString.NullTerminated.of(name), RegistryString.MAX_BYTES));
      if (r.getReturnValue() == ERROR_FILE_NOT_FOUND) {
        return null;
      }
      check(r.getReturnValue(), "read the value " + name + " of " + key);
      byte[] data =
          r.getData() == null || r.getData().getArray() == null
              ? new byte[0]
              : r.getData().getArray();
      return RegistryString.decode(
          key, name, r.getType() == null ? 0 : r.getType(), data, data.length);
    } catch (IOException e) {
      throw SamrAliases.rpcFailure("read the value " + name + " of " + key, e);
    } finally {
      close(h);
    }
  }

  public List<String> subkeys(String key) {
    byte[] h = open(key, KEY_ENUMERATE_SUB_KEYS);
    try {
      List<String> out = new ArrayList<>();
      for (int i = 0; ; i++) {
        BaseRegEnumKeyResponse r = transport.call(new BaseRegEnumKeyRequest(h, i, 512, 512));
        if (r.getReturnValue() == ERROR_NO_MORE_ITEMS) {
          return out;
        }
        check(r.getReturnValue(), "list the subkeys of " + key);
        out.add(r.getLpNameOut().getValue());
      }
    } catch (IOException e) {
      throw SamrAliases.rpcFailure("list the subkeys of " + key, e);
    } finally {
      close(h);
    }
  }

  /** The path below HKLM of {@code HKLM\...}. */
  static String below(String key) {
    if (!key.regionMatches(true, 0, "HKLM\\", 0, 5)) {
      throw new IllegalArgumentException("not a key under HKLM: " + key);
    }
    return key.substring(5);
  }

  private byte[] open(String key, int access) {
    try {
      HandleResponse r =
          transport.call(
              new BaseRegOpenKey(hklm, RPCUnicodeString.NullTerminated.of(below(key)), 0, access));
      check(r.getReturnValue(), "open " + key);
      return r.getHandle();
    } catch (IOException e) {
      throw SamrAliases.rpcFailure("open " + key + " on " + server, e);
    }
  }

  private void check(int werr, String what) {
    if (werr != 0) {
      throw SmbException.plain("cannot " + what + ": " + winError(werr), null);
    }
  }

  static String winError(int werr) {
    return switch (werr) {
      case ERROR_FILE_NOT_FOUND -> "no such key (WERR_FILE_NOT_FOUND)";
      case ERROR_ACCESS_DENIED -> "access denied (WERR_ACCESS_DENIED)";
      case 87 -> "invalid parameter (WERR_INVALID_PARAMETER)";
      case 1338 -> "invalid security descriptor (WERR_INVALID_SECURITY_DESCR)";
      default -> String.format("Windows error %d (0x%08x)", werr, werr);
    };
  }

  private void close(byte[] handle) {
    try {
      transport.call(new BaseRegCloseKey(handle));
    } catch (IOException ignored) {
      // a handle the server already dropped needs no closing
    }
  }

  @Override
  public void close() {
    close(hklm);
  }

  /**
   * BaseRegSetKeySecurity (opnum 21): the key handle (20 bytes), SECURITY_INFORMATION, then a [ref]
   * RPC_SECURITY_DESCRIPTOR: a unique pointer to the bytes, cbIn and cbOut, then the bytes as a
   * conformant varying array (maximum count, offset 0, actual count). Returns a WERROR.
   */
  static final class SetKeySecurity extends RequestCall<EmptyResponse> {
    private final byte[] key;
    private final int information;
    private final byte[] descriptor;

    SetKeySecurity(byte[] key, int information, byte[] descriptor) {
      super(OPNUM_SET_KEY_SECURITY);
      this.key = key;
      this.information = information;
      this.descriptor = descriptor;
    }

    @Override
    public void marshal(PacketOutput out) throws IOException {
      out.write(key);
      out.writeInt(information);
      out.writeReferentID();
      out.writeInt(descriptor.length);
      out.writeInt(descriptor.length);
      out.writeInt(descriptor.length);
      out.writeInt(0);
      out.writeInt(descriptor.length);
      out.write(descriptor);
      out.align(Alignment.FOUR);
    }

    @Override
    public EmptyResponse getResponseObject() {
      return new EmptyResponse();
    }
  }
}
