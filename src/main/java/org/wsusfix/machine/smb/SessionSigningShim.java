package org.wsusfix.machine.smb;

import com.hierynomus.smbj.connection.Connection;
import com.hierynomus.smbj.connection.ConnectionContext;
import com.hierynomus.smbj.server.Server;

/**
 * Works around an smbj 0.14.0 bug: its SESSION_SETUP request says SMB2_NEGOTIATE_SIGNING_REQUIRED
 * only when the server requires signing, never when the client does, although MS-SMB2 3.2.4.2.3
 * asks for it whenever the client requires signing (SMBSessionBuilder reads only
 * ConnectionContext.isServerRequiresSigning). A server that does not require signing then leaves
 * the session optional-signing (MS-SMB2 3.3.5.5.3) and would take unsigned requests injected into
 * it; Samba's smbstatus shows such a session as "partial(AES-128-CMAC)". No upstream issue was
 * found in hierynomus/smbj (the nearest, #398, is about the NEGOTIATE security mode).
 *
 * <p>After negotiate and before the logon, the connection's record of the server is replaced by one
 * that also says "signing required", which is what smbj then puts in SESSION_SETUP. Nothing else
 * reads it but the signing decision, which wsusfix makes "required" anyway; smbj's cache of servers
 * keeps the record as negotiated.
 */
final class SessionSigningShim {
  /** SMB2_NEGOTIATE_SIGNING_REQUIRED in a SecurityMode. */
  static final int SIGNING_REQUIRED = 0x02;

  private SessionSigningShim() {}

  /** Makes the coming SESSION_SETUP ask the server to require signing on the session. */
  static void requireSigningInSessionSetup(Connection connection) {
    ConnectionContext context = connection.getConnectionContext();
    Server negotiated = context.getServer();
    if ((negotiated.getSecurityMode() & SIGNING_REQUIRED) != 0) {
      return; // the server requires it: smbj already asks
    }
    Server asked = new Server(negotiated.getServerName(), negotiated.getPort());
    asked.init(
        negotiated.getServerGUID(),
        negotiated.getDialectRevision(),
        negotiated.getSecurityMode() | SIGNING_REQUIRED,
        negotiated.getCapabilities());
    context.setServer(asked);
  }
}
