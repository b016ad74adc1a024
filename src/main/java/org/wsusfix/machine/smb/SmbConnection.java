package org.wsusfix.machine.smb;

import com.hierynomus.msdtyp.AccessMask;
import com.hierynomus.msdtyp.SecurityInformation;
import com.hierynomus.msfscc.FileAttributes;
import com.hierynomus.msfscc.fileinformation.FileIdBothDirectoryInformation;
import com.hierynomus.mssmb2.SMB2CreateDisposition;
import com.hierynomus.mssmb2.SMB2CreateOptions;
import com.hierynomus.mssmb2.SMB2Dialect;
import com.hierynomus.mssmb2.SMB2FileId;
import com.hierynomus.mssmb2.SMB2ImpersonationLevel;
import com.hierynomus.mssmb2.SMB2Packet;
import com.hierynomus.mssmb2.SMB2ShareAccess;
import com.hierynomus.mssmb2.SMBApiException;
import com.hierynomus.mssmb2.messages.SMB2Close;
import com.hierynomus.mssmb2.messages.SMB2CreateRequest;
import com.hierynomus.mssmb2.messages.SMB2CreateResponse;
import com.hierynomus.mssmb2.messages.SMB2QueryInfoRequest;
import com.hierynomus.mssmb2.messages.SMB2QueryInfoResponse;
import com.hierynomus.mssmb2.messages.SMB2SetInfoRequest;
import com.hierynomus.protocol.transport.TransportException;
import com.hierynomus.smbj.SMBClient;
import com.hierynomus.smbj.SmbConfig;
import com.hierynomus.smbj.auth.AuthenticationContext;
import com.hierynomus.smbj.common.SMBRuntimeException;
import com.hierynomus.smbj.common.SmbPath;
import com.hierynomus.smbj.connection.Connection;
import com.hierynomus.smbj.session.Session;
import com.hierynomus.smbj.share.Directory;
import com.hierynomus.smbj.share.DiskEntry;
import com.hierynomus.smbj.share.DiskShare;
import com.hierynomus.smbj.share.Share;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One authenticated SMB2/3 session on one disk share, reading and writing security descriptors as
 * raw self-relative bytes (MS-DTYP 2.4.6), so nothing is lost or reordered on the way.
 *
 * <p>The session requires signing: every message after negotiate is signed (or, where the server
 * requires encryption, encrypted) and every answer's signature is checked; an unsigned answer is
 * refused. There is no unsigned mode: smbj signs every SMB 3 message it can anyway. Descriptor
 * operations are {@link Exchange}s through {@link Session#send}, so many can be in flight at once
 * without a second code path for one at a time.
 *
 * <p>Paths are relative to the share root, with {@code \} or {@code /}; "" is the root. Every open
 * uses FILE_OPEN_REPARSE_POINT: a junction or symbolic link is itself read or changed, never
 * followed. Calls may come from several threads; SMB2 multiplexes them on the one connection.
 * Failures are {@link SmbException}s with one-line messages naming the UNC path.
 */
public final class SmbConnection implements AutoCloseable {

  /**
   * A directory entry; {@code isReparsePoint} marks junctions and links, which a walk must not
   * enter.
   */
  public record Entry(String name, boolean isDirectory, boolean isReparsePoint) {}

  private static final Set<SecurityInformation> OWNER_GROUP_DACL =
      EnumSet.of(
          SecurityInformation.OWNER_SECURITY_INFORMATION,
          SecurityInformation.GROUP_SECURITY_INFORMATION,
          SecurityInformation.DACL_SECURITY_INFORMATION);
  private static final Set<SecurityInformation> DACL =
      EnumSet.of(SecurityInformation.DACL_SECURITY_INFORMATION);
  private static final long TIMEOUT_SECONDS = Exchange.TIMEOUT_SECONDS;
  private static final Set<SMB2CreateOptions> NO_FOLLOW =
      EnumSet.of(SMB2CreateOptions.FILE_OPEN_REPARSE_POINT);

  private final SMBClient client;
  private final Connection connection;
  private final Session session;
  private final DiskShare share;
  private final String uncRoot;
  private final String user;
  private final SMB2Dialect dialect;
  private final long sessionId;
  private final long treeId;

  private SmbConnection(
      SMBClient client,
      Connection connection,
      Session session,
      DiskShare share,
      String uncRoot,
      String user) {
    this.client = client;
    this.connection = connection;
    this.session = session;
    this.share = share;
    this.uncRoot = uncRoot;
    this.user = user;
    this.dialect = connection.getNegotiatedProtocol().getDialect();
    this.sessionId = session.getSessionId();
    this.treeId = share.getTreeConnect().getTreeId();
  }

  /**
   * Connects, authenticates (NTLM) and opens the share, every message signed. A server that refuses
   * the session or share to a client that does not encrypt (SMB 3.x, encryption required) is asked
   * again with encryption on.
   *
   * @param domain account domain of {@code user}; "" lets the server pick its own
   */
  public static SmbConnection connect(
      String host, int port, String share, String user, char[] password, String domain) {
    try {
      return connect(host, port, share, user, password, domain, false);
    } catch (SmbException e) {
      if (!e.isAccessDenied()) {
        throw e;
      }
      try {
        return connect(host, port, share, user, password, domain, true);
      } catch (SmbException again) {
        throw e; // encryption did not help: the first refusal is the one that explains
      }
    }
  }

  private static SmbConnection connect(
      String host,
      int port,
      String share,
      String user,
      char[] password,
      String domain,
      boolean encrypt) {
    String server = port == 445 ? host : host + ":" + port;
    String account = domain == null || domain.isEmpty() ? user : domain + "\\" + user;
    SMBClient client =
        new SMBClient(
            SmbConfig.builder()
                .withTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .withSoTimeout(120, TimeUnit.SECONDS)
                .withSocketFactory(
                    new BufferedSocketFactory((int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS)))
                // required, not only enabled: an answer that is unsigned or wrongly signed is
                // refused
                .withSigningRequired(true)
                .withEncryptData(encrypt)
                .build());
    Connection connection = null;
    try {
      try {
        connection = client.connect(host, port);
      } catch (IOException e) {
        throw SmbException.plain(
            "cannot connect to SMB server " + server + ": " + e.getMessage(), e);
      }
      SessionSigningShim.requireSigningInSessionSetup(connection);
      Session session;
      try {
        session =
            connection.authenticate(
                new AuthenticationContext(user, password, domain == null ? "" : domain));
      } catch (SMBApiException e) {
        throw SmbException.of("logon as " + account + " at " + server, e.getStatusCode(), e);
      }
      String uncRoot = "\\\\" + host + "\\" + share;
      Share s;
      try {
        s = session.connectShare(share);
      } catch (SMBApiException e) {
        throw SmbException.of(uncRoot, e.getStatusCode(), e);
      }
      if (!(s instanceof DiskShare disk)) {
        closeQuietly(s);
        throw SmbException.plain(uncRoot + ": not a disk share", null);
      }
      return new SmbConnection(client, connection, session, disk, uncRoot, account);
    } catch (SmbException e) {
      closeQuietly(connection);
      client.close();
      throw e;
    } catch (SMBRuntimeException e) {
      closeQuietly(connection);
      client.close();
      throw SmbException.plain("SMB session with " + server + " failed: " + e.getMessage(), e);
    }
  }

  /** Convenience for String passwords (tests, environment variables). */
  public static SmbConnection connect(
      String host, int port, String share, String user, String password, String domain) {
    return connect(host, port, share, user, password.toCharArray(), domain);
  }

  /** Whether this session signs every message and refuses unsigned answers. */
  public boolean signed() {
    return session.isSigningRequired();
  }

  /** Whether this session encrypts every message (SMB 3.x, at the server's request). */
  public boolean encrypted() {
    try {
      return session.shouldEncryptData();
    } catch (TransportException e) {
      return false;
    }
  }

  /** Owner, group and DACL of {@code path} as the server returns them: self-relative bytes. */
  public byte[] readDescriptor(String path) {
    return read(path).get();
  }

  /**
   * Reads owner, group and DACL of {@code path}: CREATE for READ_CONTROL, QUERY_INFO on the new
   * handle, CLOSE without waiting for its answer (nothing depends on closing a read-only handle).
   */
  public Exchange<byte[]> read(String path) {
    String p = normalize(path);
    return new Exchange<>(
        session,
        failures(p, "read security of"),
        Exchange.send(
            create(p, EnumSet.of(AccessMask.READ_CONTROL)),
            created -> {
              SMB2FileId id = ((SMB2CreateResponse) created).getFileId();
              return Exchange.send(
                  querySecurity(id),
                  answer -> {
                    closeNoWait(id);
                    return Exchange.done(((SMB2QueryInfoResponse) answer).getOutputBuffer());
                  },
                  () -> closeNoWait(id));
            }));
  }

  /**
   * Replaces the DACL of {@code path} with the DACL of {@code selfRelative} (a self-relative
   * descriptor; its owner, group and SACL are ignored and not sent). Sends
   * DACL_SECURITY_INFORMATION only, with SE_DACL_AUTO_INHERIT_REQ when the DACL is auto-inherited,
   * so the server keeps the AI flag. Changes this object only: SMB never propagates to children.
   *
   * @throws IllegalArgumentException when the bytes are not a self-relative descriptor with a DACL
   */
  public void writeDacl(String path, byte[] selfRelative) {
    byte[] body = DaclOnlyDescriptor.from(selfRelative);
    String p = normalize(path);
    new Exchange<Void>(
            session,
            failures(p, "change the DACL of"),
            Exchange.send(
                create(p, EnumSet.of(AccessMask.WRITE_DAC)),
                created -> {
                  SMB2FileId id = ((SMB2CreateResponse) created).getFileId();
                  return Exchange.send(
                      setDacl(id, body),
                      set -> Exchange.send(close(id), closed -> Exchange.done(null)),
                      () -> closeNoWait(id));
                }))
        .get();
  }

  /**
   * A file or folder opened for a DACL change, with its owner, group and DACL as read on that
   * handle. Give it to {@link #write} or {@link #release}; until then the server keeps it open.
   */
  public static final class Held {
    private final String path;
    private final SMB2FileId id;
    private final byte[] descriptor;

    private Held(String path, SMB2FileId id, byte[] descriptor) {
      this.path = path;
      this.id = id;
      this.descriptor = descriptor;
    }

    /** Self-relative owner, group and DACL as read when opened. */
    public byte[] descriptor() {
      return descriptor;
    }
  }

  /**
   * Opens {@code path} for READ_CONTROL and WRITE_DAC and reads its descriptor on that handle, so
   * that a following {@link #write} replaces exactly the state read here.
   */
  public Exchange<Held> open(String path) {
    String p = normalize(path);
    return new Exchange<>(
        session,
        failures(p, "open for a DACL change"),
        Exchange.send(
            create(p, EnumSet.of(AccessMask.READ_CONTROL, AccessMask.WRITE_DAC)),
            created -> {
              SMB2FileId id = ((SMB2CreateResponse) created).getFileId();
              return Exchange.send(
                  querySecurity(id),
                  answer ->
                      Exchange.done(
                          new Held(p, id, ((SMB2QueryInfoResponse) answer).getOutputBuffer())),
                  () -> closeNoWait(id));
            }));
  }

  /**
   * Replaces the DACL of a held object as {@link #writeDacl} does, reads owner, group and DACL back
   * on the same handle once the write is answered, and closes it, also when the write fails.
   */
  public Exchange<byte[]> write(Held held, byte[] selfRelative) {
    byte[] body = DaclOnlyDescriptor.from(selfRelative);
    Runnable close = () -> closeNoWait(held.id);
    return new Exchange<>(
        session,
        failures(held.path, "change the DACL of"),
        Exchange.send(
            setDacl(held.id, body),
            set ->
                Exchange.send(
                    querySecurity(held.id),
                    answer -> {
                      close.run();
                      return Exchange.done(((SMB2QueryInfoResponse) answer).getOutputBuffer());
                    },
                    close),
            close));
  }

  /** Closes a held object without changing it, without waiting for the answer. */
  public void release(Held held) {
    closeNoWait(held.id);
  }

  /** The entries of folder {@code dir}, without "." and "..". */
  public List<Entry> list(String dir) {
    String p = normalize(dir);
    try (Directory d =
        share.openDirectory(
            p,
            EnumSet.of(
                AccessMask.FILE_LIST_DIRECTORY,
                AccessMask.FILE_READ_ATTRIBUTES,
                AccessMask.SYNCHRONIZE),
            null,
            SMB2ShareAccess.ALL,
            SMB2CreateDisposition.FILE_OPEN,
            EnumSet.of(
                SMB2CreateOptions.FILE_DIRECTORY_FILE,
                SMB2CreateOptions.FILE_OPEN_REPARSE_POINT))) {
      List<FileIdBothDirectoryInformation> infos = d.list();
      List<Entry> out = new ArrayList<>(infos.size());
      for (FileIdBothDirectoryInformation info : infos) {
        String name = info.getFileName();
        if (name.equals(".") || name.equals("..")) {
          continue;
        }
        long attrs = info.getFileAttributes();
        out.add(
            new Entry(
                name,
                (attrs & FileAttributes.FILE_ATTRIBUTE_DIRECTORY.getValue()) != 0,
                (attrs & FileAttributes.FILE_ATTRIBUTE_REPARSE_POINT.getValue()) != 0));
      }
      return out;
    } catch (SMBApiException e) {
      throw failure(p, "list", e);
    } catch (SMBRuntimeException e) {
      throw broken(p, e);
    }
  }

  /**
   * Whether this session may change the DACL of {@code path} (opens it asking for WRITE_DAC, then
   * closes it without changing anything). Any failure other than "access denied" is thrown.
   */
  public boolean canWriteDac(String path) {
    String p = normalize(path);
    try (DiskEntry ignored = open(p, EnumSet.of(AccessMask.WRITE_DAC))) {
      return true;
    } catch (SMBApiException e) {
      if (e.getStatusCode() == NtStatusText.ACCESS_DENIED) {
        return false;
      }
      throw failure(p, "open", e);
    } catch (SMBRuntimeException e) {
      throw broken(p, e);
    }
  }

  /** What a path is on the share. */
  public enum Kind {
    MISSING,
    FILE,
    FOLDER
  }

  /** Whether {@code path} exists and is a folder (a reparse point is opened, not followed). */
  public Kind kind(String path) {
    String p = normalize(path);
    if (p.isEmpty()) {
      return Kind.FOLDER;
    }
    try {
      DiskEntry entry = open(p, EnumSet.of(AccessMask.FILE_READ_ATTRIBUTES));
      try {
        return entry instanceof Directory ? Kind.FOLDER : Kind.FILE;
      } finally {
        entry.closeNoWait();
      }
    } catch (SMBApiException e) {
      if (e.getStatusCode() == NtStatusText.OBJECT_NAME_NOT_FOUND
          || e.getStatusCode() == NtStatusText.OBJECT_PATH_NOT_FOUND) {
        return Kind.MISSING;
      }
      throw failure(p, "open", e);
    } catch (SMBRuntimeException e) {
      throw broken(p, e);
    }
  }

  /**
   * Creates (or opens) file {@code name} shared with nobody and deleted when closed: while it is
   * open, no other client of this server can open it, and the server drops it when this session
   * ends, even if the process dies.
   *
   * @throws SmbException with status STATUS_SHARING_VIOLATION when another client holds it
   */
  public AutoCloseable exclusiveFile(String name) {
    String p = normalize(name);
    try {
      DiskEntry f =
          share.openFile(
              p,
              EnumSet.of(AccessMask.GENERIC_READ, AccessMask.GENERIC_WRITE, AccessMask.DELETE),
              EnumSet.of(FileAttributes.FILE_ATTRIBUTE_HIDDEN),
              EnumSet.noneOf(SMB2ShareAccess.class),
              SMB2CreateDisposition.FILE_OPEN_IF,
              EnumSet.of(
                  SMB2CreateOptions.FILE_NON_DIRECTORY_FILE,
                  SMB2CreateOptions.FILE_DELETE_ON_CLOSE));
      return f::close;
    } catch (SMBApiException e) {
      throw failure(p, "create", e);
    } catch (SMBRuntimeException e) {
      throw broken(p, e);
    }
  }

  /**
   * A whole file's bytes, or null when it does not exist.
   *
   * @throws TargetException when it is bigger than {@code max} bytes or cannot be read
   */
  public byte[] readFile(String path, long max) {
    String p = normalize(path);
    try {
      if (!share.fileExists(p)) {
        return null;
      }
      try (com.hierynomus.smbj.share.File f =
          share.openFile(
              p,
              EnumSet.of(AccessMask.GENERIC_READ),
              null,
              EnumSet.of(
                  SMB2ShareAccess.FILE_SHARE_READ,
                  SMB2ShareAccess.FILE_SHARE_WRITE,
                  SMB2ShareAccess.FILE_SHARE_DELETE),
              SMB2CreateDisposition.FILE_OPEN,
              EnumSet.of(SMB2CreateOptions.FILE_NON_DIRECTORY_FILE))) {
        long size = f.getFileInformation().getStandardInformation().getEndOfFile();
        if (size > max) {
          throw new SmbException(unc(p) + ": larger than " + (max >> 20) + " MB", 0, null);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) size);
        try (java.io.InputStream in = f.getInputStream()) {
          in.transferTo(out);
        }
        return out.toByteArray();
      }
    } catch (SMBApiException e) {
      throw failure(p, "read", e);
    } catch (SMBRuntimeException e) {
      throw broken(p, e);
    } catch (java.io.IOException e) {
      throw new SmbException(unc(p) + ": cannot read: " + e.getMessage(), 0, e);
    }
  }

  /**
   * Replaces a file so that readers see the old or the new content, never a mix: the content is
   * written to a new file beside it, flushed, and renamed over it.
   */
  public void replaceFile(String path, byte[] content) {
    String p = normalize(path);
    String temp = p + ".wsusfix-new";
    try {
      try (com.hierynomus.smbj.share.File f =
          share.openFile(
              temp,
              EnumSet.of(AccessMask.GENERIC_WRITE, AccessMask.DELETE),
              null,
              EnumSet.noneOf(SMB2ShareAccess.class),
              SMB2CreateDisposition.FILE_OVERWRITE_IF,
              EnumSet.of(SMB2CreateOptions.FILE_NON_DIRECTORY_FILE))) {
        f.write(content, 0);
        f.flush();
        f.rename(temp.substring(0, temp.length() - ".wsusfix-new".length()), true);
      }
    } catch (SMBApiException e) {
      try {
        share.rm(temp);
      } catch (RuntimeException ignored) {
        // the write failed first: that is the error to report
      }
      throw failure(p, "replace", e);
    } catch (SMBRuntimeException e) {
      throw broken(p, e);
    }
  }

  /** {@code \\host\share\path}, for messages. */
  public String unc(String path) {
    String p = normalize(path);
    return p.isEmpty() ? uncRoot : uncRoot + "\\" + p;
  }

  /** The account this session logged on as, {@code DOMAIN\\user} or {@code user}. */
  public String account() {
    return user;
  }

  /**
   * The smbj session, for RPC pipes over IPC$ (SAMR, LSA, winreg) in this package: they share its
   * signing.
   */
  Session session() {
    return session;
  }

  @Override
  public void close() {
    closeQuietly(share);
    closeQuietly(session);
    closeQuietly(connection);
    client.close();
  }

  private SMB2CreateRequest create(String p, Set<AccessMask> access) {
    return new SMB2CreateRequest(
        dialect,
        sessionId,
        treeId,
        SMB2ImpersonationLevel.Identification,
        access,
        null,
        SMB2ShareAccess.ALL,
        SMB2CreateDisposition.FILE_OPEN,
        NO_FOLLOW,
        new SmbPath(share.getSmbPath(), p));
  }

  private SMB2QueryInfoRequest querySecurity(SMB2FileId id) {
    return new SMB2QueryInfoRequest(
        dialect,
        sessionId,
        treeId,
        id,
        SMB2QueryInfoRequest.SMB2QueryInfoType.SMB2_0_INFO_SECURITY,
        null,
        null,
        null,
        OWNER_GROUP_DACL);
  }

  private SMB2SetInfoRequest setDacl(SMB2FileId id, byte[] body) {
    return new SMB2SetInfoRequest(
        dialect,
        sessionId,
        treeId,
        SMB2SetInfoRequest.SMB2InfoType.SMB2_0_INFO_SECURITY,
        id,
        null,
        DACL,
        body);
  }

  private SMB2Packet close(SMB2FileId id) {
    return new SMB2Close(dialect, sessionId, treeId, id);
  }

  /** Sends a CLOSE and does not wait: its answer changes nothing the caller relies on. */
  private void closeNoWait(SMB2FileId id) {
    try {
      session.send(close(id));
    } catch (TransportException | SMBRuntimeException e) {
      // the connection is going away, which closes the handle too
    }
  }

  private Exchange.Failures failures(String p, String action) {
    return new Exchange.Failures() {
      @Override
      public SmbException refused(SMBApiException e) {
        return failure(p, action, e);
      }

      @Override
      public SmbException broken(SMBRuntimeException e) {
        return SmbConnection.this.broken(p, e);
      }
    };
  }

  private DiskEntry open(String p, Set<AccessMask> access) {
    return share.open(
        p, access, null, SMB2ShareAccess.ALL, SMB2CreateDisposition.FILE_OPEN, NO_FOLLOW);
  }

  static String normalize(String path) {
    String p = path == null ? "" : path.replace('/', '\\');
    int start = 0;
    while (start < p.length() && p.charAt(start) == '\\') {
      start++;
    }
    int end = p.length();
    while (end > start && p.charAt(end - 1) == '\\') {
      end--;
    }
    return p.substring(start, end);
  }

  private SmbException failure(String p, String action, SMBApiException e) {
    String subject =
        e.getStatusCode() == NtStatusText.ACCESS_DENIED
            ? "cannot " + action + " " + unc(p)
            : unc(p);
    return SmbException.of(subject, e.getStatusCode(), e);
  }

  private SmbException broken(String p, SMBRuntimeException e) {
    return SmbException.plain(unc(p) + ": SMB connection failed: " + e.getMessage(), e);
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception ignored) {
      // closing after a failure: the first error is the one worth reporting
    }
  }
}
