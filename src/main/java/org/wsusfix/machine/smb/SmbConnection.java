package org.wsusfix.machine.smb;

import com.hierynomus.mserref.NtStatus;
import com.hierynomus.msdtyp.AccessMask;
import com.hierynomus.msdtyp.SecurityDescriptor;
import com.hierynomus.msdtyp.SecurityInformation;
import com.hierynomus.msfscc.FileAttributes;
import com.hierynomus.msfscc.fileinformation.FileIdBothDirectoryInformation;
import com.hierynomus.mssmb2.SMB2CreateDisposition;
import com.hierynomus.mssmb2.SMB2CreateOptions;
import com.hierynomus.mssmb2.SMB2Dialect;
import com.hierynomus.mssmb2.SMB2FileId;
import com.hierynomus.mssmb2.SMB2ImpersonationLevel;
import com.hierynomus.mssmb2.SMB2MessageCommandCode;
import com.hierynomus.mssmb2.SMB2Packet;
import com.hierynomus.mssmb2.SMB2PacketHeader;
import com.hierynomus.mssmb2.SMB2ShareAccess;
import com.hierynomus.mssmb2.SMBApiException;
import com.hierynomus.mssmb2.messages.SMB2Close;
import com.hierynomus.mssmb2.messages.SMB2CreateRequest;
import com.hierynomus.mssmb2.messages.SMB2CreateResponse;
import com.hierynomus.mssmb2.messages.SMB2QueryInfoRequest;
import com.hierynomus.mssmb2.messages.SMB2SetInfoRequest;
import com.hierynomus.protocol.commons.concurrent.Futures;
import com.hierynomus.protocol.transport.TransportException;
import com.hierynomus.smb.SMBBuffer;
import com.hierynomus.smbj.SMBClient;
import com.hierynomus.smbj.SmbConfig;
import com.hierynomus.smbj.auth.AuthenticationContext;
import com.hierynomus.smbj.common.SMBRuntimeException;
import com.hierynomus.smbj.common.SmbPath;
import com.hierynomus.smbj.connection.CompoundRequests;
import com.hierynomus.smbj.connection.Connection;
import com.hierynomus.smbj.session.Session;
import com.hierynomus.smbj.share.DiskEntry;
import com.hierynomus.smbj.share.DiskShare;
import com.hierynomus.smbj.share.Directory;
import com.hierynomus.smbj.share.Share;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One authenticated SMB2/3 session on one disk share, reading and writing security descriptors as
 * raw self-relative bytes (MS-DTYP 2.4.6), so nothing is lost or reordered on the way.
 *
 * <p>Paths are relative to the share root, with {@code \} or {@code /}; "" is the root. Every open
 * uses FILE_OPEN_REPARSE_POINT: a junction or symbolic link is itself read or changed, never
 * followed. Calls may come from several threads; SMB2 multiplexes them on the one connection.
 * Failures are {@link SmbException}s with one-line messages naming the UNC path.
 */
public final class SmbConnection implements AutoCloseable {

    /** A directory entry; {@code isReparsePoint} marks junctions and links, which a walk must not enter. */
    public record Entry(String name, boolean isDirectory, boolean isReparsePoint) { }

    private static final Set<SecurityInformation> OWNER_GROUP_DACL = EnumSet.of(
            SecurityInformation.OWNER_SECURITY_INFORMATION,
            SecurityInformation.GROUP_SECURITY_INFORMATION,
            SecurityInformation.DACL_SECURITY_INFORMATION);
    private static final long TIMEOUT_SECONDS = 60;
    private static final Set<SMB2CreateOptions> NO_FOLLOW = EnumSet.of(SMB2CreateOptions.FILE_OPEN_REPARSE_POINT);

    private final SMBClient client;
    private final Connection connection;
    private final Session session;
    private final DiskShare share;
    private final String uncRoot;
    private final String user;
    /** Whether one file's requests go out as one compounded message. */
    private final boolean compound;
    private final SMB2Dialect dialect;
    private final long sessionId;
    private final long treeId;

    private SmbConnection(SMBClient client, Connection connection, Session session, DiskShare share,
                          String uncRoot, String user, boolean compound) {
        this.client = client;
        this.connection = connection;
        this.session = session;
        this.share = share;
        this.uncRoot = uncRoot;
        this.user = user;
        this.compound = compound;
        this.dialect = connection.getNegotiatedProtocol().getDialect();
        this.sessionId = session.getSessionId();
        this.treeId = share.getTreeConnect().getTreeId();
    }

    /**
     * Connects, authenticates (NTLM) and opens the share. Logon, tree connect, listings and RPC
     * are signed. Where the server does not require signing (Windows' own client then signs
     * nothing) and {@code alwaysSign} is false, each file's descriptor requests go out as one
     * unsigned compounded message instead: one round trip per file, not three or four.
     *
     * @param domain account domain of {@code user}; "" lets the server pick its own
     */
    public static SmbConnection connect(String host, int port, String share, String user, char[] password,
                                        String domain, boolean alwaysSign) {
        String server = port == 445 ? host : host + ":" + port;
        String account = domain == null || domain.isEmpty() ? user : domain + "\\" + user;
        SMBClient client = new SMBClient(SmbConfig.builder()
                .withTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .withSoTimeout(120, TimeUnit.SECONDS)
                .withSocketFactory(new BufferedSocketFactory((int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS)))
                .build());
        Connection connection = null;
        try {
            try {
                connection = client.connect(host, port);
            } catch (IOException e) {
                throw SmbException.plain("cannot connect to SMB server " + server + ": " + e.getMessage(), e);
            }
            Session session;
            try {
                session = connection.authenticate(new AuthenticationContext(user, password, domain == null ? "" : domain));
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
            return new SmbConnection(client, connection, session, disk, uncRoot, account,
                    !alwaysSign && CompoundRequests.usable(session));
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

    /** As {@link #connect(String, int, String, String, char[], String, boolean)}, signing as the server requires. */
    public static SmbConnection connect(String host, int port, String share, String user, char[] password,
                                        String domain) {
        return connect(host, port, share, user, password, domain, false);
    }

    /** Convenience for String passwords (tests, environment variables). */
    public static SmbConnection connect(String host, int port, String share, String user, String password,
                                        String domain) {
        return connect(host, port, share, user, password.toCharArray(), domain);
    }

    /** An answer still to come; {@link #get} waits for it and throws what {@link SmbConnection}'s methods throw. */
    public static final class PendingReply<T> {
        private final java.util.function.Supplier<T> answer;

        PendingReply(java.util.function.Supplier<T> answer) {
            this.answer = answer;
        }

        public T get() {
            return answer.get();
        }
    }

    /** Owner, group and DACL of {@code path} as the server returns them: self-relative bytes. */
    public byte[] readDescriptor(String path) {
        return readLater(path).get();
    }

    /**
     * As {@link #readDescriptor}, but on a compounding session the chain goes out now and the
     * answer is awaited at {@link PendingReply#get}, so that many reads can be in flight at once.
     */
    public PendingReply<byte[]> readLater(String path) {
        String p = normalize(path);
        if (!compound) {
            return new PendingReply<>(() -> readPlain(p));
        }
        List<Future<SMB2Packet>> sent = sendChain(p, create(p, EnumSet.of(AccessMask.READ_CONTROL)), querySecurity(), closeRelated());
        return new PendingReply<>(() -> {
            try {
                return outputOf(checked(p, await(sent)).get(1));
            } catch (SMBApiException e) {
                throw failure(p, "read security of", e);
            } catch (SMBRuntimeException e) {
                throw broken(p, e);
            }
        });
    }

    private byte[] readPlain(String p) {
        try {
            DiskEntry entry = open(p, EnumSet.of(AccessMask.READ_CONTROL));
            try {
                return share.queryInfo(entry.getFileId(), SMB2QueryInfoRequest.SMB2QueryInfoType.SMB2_0_INFO_SECURITY,
                        OWNER_GROUP_DACL, null, null).getOutputBuffer();
            } finally {
                // nothing depends on the close of a read-only handle: do not wait for its answer
                entry.closeNoWait();
            }
        } catch (SMBApiException e) {
            throw failure(p, "read security of", e);
        } catch (SMBRuntimeException e) {
            throw broken(p, e);
        }
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
        try (DiskEntry entry = open(p, EnumSet.of(AccessMask.WRITE_DAC))) {
            share.setSecurityInfo(entry.getFileId(), EnumSet.of(SecurityInformation.DACL_SECURITY_INFORMATION),
                    new RawDescriptor(body));
        } catch (SMBApiException e) {
            throw failure(p, "change the DACL of", e);
        } catch (SMBRuntimeException e) {
            throw broken(p, e);
        }
    }

    /**
     * A file or folder opened for a DACL change, with its owner, group and DACL as read on that
     * handle. Give it to {@link #writeHeld} or {@link #release}; until then the server keeps it open.
     */
    public static final class Held {
        private final String path;
        private final SMB2FileId id;
        private final DiskEntry entry;
        private final byte[] descriptor;

        private Held(String path, SMB2FileId id, DiskEntry entry, byte[] descriptor) {
            this.path = path;
            this.id = id;
            this.entry = entry;
            this.descriptor = descriptor;
        }

        /** Self-relative owner, group and DACL as read when opened. */
        public byte[] descriptor() {
            return descriptor;
        }
    }

    /**
     * Opens {@code path} for READ_CONTROL and WRITE_DAC and reads its descriptor on that handle, so
     * that a following {@link #writeHeld} replaces exactly the state read here.
     */
    public Held openForChange(String path) {
        return openLater(path).get();
    }

    /**
     * As {@link #openForChange}, but on a compounding session the requests go out now and the
     * answer is awaited at {@link PendingReply#get}, so that many opens can be in flight at once.
     */
    public PendingReply<Held> openLater(String path) {
        String p = normalize(path);
        Set<AccessMask> access = EnumSet.of(AccessMask.READ_CONTROL, AccessMask.WRITE_DAC);
        if (!compound) {
            return new PendingReply<>(() -> openPlain(p, access));
        }
        List<Future<SMB2Packet>> sent = sendChain(p, create(p, access), querySecurity());
        return new PendingReply<>(() -> {
            try {
                List<SMB2Packet> r = await(sent);
                SMB2Packet created = r.get(0);
                if (!NtStatus.isSuccess(created.getHeader().getStatusCode())) {
                    throw new SMBApiException(created.getHeader(), "Create failed for " + unc(p));
                }
                SMB2FileId id = ((SMB2CreateResponse) created).getFileId();
                SMB2Packet query = r.get(1);
                if (!NtStatus.isSuccess(query.getHeader().getStatusCode())) {
                    closeId(id);
                    throw new SMBApiException(query.getHeader(), "QueryInfo failed for " + unc(p));
                }
                return new Held(p, id, null, outputOf(query));
            } catch (SMBApiException e) {
                throw failure(p, "open for a DACL change", e);
            } catch (SMBRuntimeException e) {
                throw broken(p, e);
            }
        });
    }

    private Held openPlain(String p, Set<AccessMask> access) {
        try {
            DiskEntry entry = open(p, access);
            try {
                byte[] sd = share.queryInfo(entry.getFileId(), SMB2QueryInfoRequest.SMB2QueryInfoType.SMB2_0_INFO_SECURITY,
                        OWNER_GROUP_DACL, null, null).getOutputBuffer();
                return new Held(p, entry.getFileId(), entry, sd);
            } catch (RuntimeException e) {
                entry.closeNoWait();
                throw e;
            }
        } catch (SMBApiException e) {
            throw failure(p, "open for a DACL change", e);
        } catch (SMBRuntimeException e) {
            throw broken(p, e);
        }
    }

    /**
     * Replaces the DACL of a held object as {@link #writeDacl} does, reads owner, group and DACL
     * back on the same handle, and closes it, also when the write fails.
     */
    public byte[] writeHeld(Held held, byte[] selfRelative) {
        return writeLater(held, selfRelative).get();
    }

    /** As {@link #writeHeld}, sent now and awaited at {@link PendingReply#get} on a compounding session. */
    public PendingReply<byte[]> writeLater(Held held, byte[] selfRelative) {
        byte[] body = DaclOnlyDescriptor.from(selfRelative);
        Set<SecurityInformation> dacl = EnumSet.of(SecurityInformation.DACL_SECURITY_INFORMATION);
        if (!compound) {
            return new PendingReply<>(() -> writePlain(held, body, dacl));
        }
        List<Future<SMB2Packet>> sent = sendChain(held.path,
                new SMB2SetInfoRequest(dialect, sessionId, treeId, SMB2SetInfoRequest.SMB2InfoType.SMB2_0_INFO_SECURITY,
                        held.id, null, dacl, body),
                // the handle is named in each request: the chain does not start with the CREATE
                querySecurity(held.id), new SMB2Close(dialect, sessionId, treeId, held.id));
        return new PendingReply<>(() -> {
            try {
                List<SMB2Packet> r = await(sent);
                if (!NtStatus.isSuccess(r.get(2).getHeader().getStatusCode())) {
                    // a server may fail the rest of a chain after a failed SET: the handle must not stay open
                    closeId(held.id);
                }
                return outputOf(checked(held.path, r).get(1));
            } catch (SMBApiException e) {
                throw failure(held.path, "change the DACL of", e);
            } catch (SMBRuntimeException e) {
                throw broken(held.path, e);
            }
        });
    }

    private byte[] writePlain(Held held, byte[] body, Set<SecurityInformation> dacl) {
        try {
            try {
                share.setSecurityInfo(held.id, dacl, new RawDescriptor(body));
                return share.queryInfo(held.id, SMB2QueryInfoRequest.SMB2QueryInfoType.SMB2_0_INFO_SECURITY,
                        OWNER_GROUP_DACL, null, null).getOutputBuffer();
            } finally {
                held.entry.closeNoWait();
            }
        } catch (SMBApiException e) {
            throw failure(held.path, "change the DACL of", e);
        } catch (SMBRuntimeException e) {
            throw broken(held.path, e);
        }
    }

    /** Sends a related chain now; a connection that cannot send is reported for {@code p}. */
    private List<Future<SMB2Packet>> sendChain(String p, SMB2Packet... requests) {
        try {
            return CompoundRequests.send(session, List.of(requests), true);
        } catch (TransportException e) {
            throw broken(p, new SMBRuntimeException(e));
        } catch (SMBRuntimeException e) {
            throw broken(p, e);
        }
    }

    /** Closes a held object without changing it. */
    public void release(Held held) {
        try {
            if (compound) {
                closeId(held.id);
            } else {
                held.entry.closeNoWait();
            }
        } catch (SMBRuntimeException e) {
            // the session is going away, which closes the handle too
        }
    }

    /** Closes a handle this session opened without waiting for the answer. */
    private void closeId(SMB2FileId id) {
        try {
            CompoundRequests.send(session, List.of(new SMB2Close(dialect, sessionId, treeId, id)), false);
        } catch (TransportException e) {
            throw new SMBRuntimeException(e);
        }
    }

    /** The entries of folder {@code dir}, without "." and "..". */
    public List<Entry> list(String dir) {
        String p = normalize(dir);
        try (Directory d = share.openDirectory(p,
                EnumSet.of(AccessMask.FILE_LIST_DIRECTORY, AccessMask.FILE_READ_ATTRIBUTES, AccessMask.SYNCHRONIZE),
                null, SMB2ShareAccess.ALL, SMB2CreateDisposition.FILE_OPEN,
                EnumSet.of(SMB2CreateOptions.FILE_DIRECTORY_FILE, SMB2CreateOptions.FILE_OPEN_REPARSE_POINT))) {
            List<FileIdBothDirectoryInformation> infos = d.list();
            List<Entry> out = new ArrayList<>(infos.size());
            for (FileIdBothDirectoryInformation info : infos) {
                String name = info.getFileName();
                if (name.equals(".") || name.equals("..")) {
                    continue;
                }
                long attrs = info.getFileAttributes();
                out.add(new Entry(name,
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
    public enum Kind { MISSING, FILE, FOLDER }

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
            if (e.getStatusCode() == NtStatusText.OBJECT_NAME_NOT_FOUND || e.getStatusCode() == NtStatusText.OBJECT_PATH_NOT_FOUND) {
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
            DiskEntry f = share.openFile(p, EnumSet.of(AccessMask.GENERIC_READ, AccessMask.GENERIC_WRITE, AccessMask.DELETE),
                    EnumSet.of(FileAttributes.FILE_ATTRIBUTE_HIDDEN), EnumSet.noneOf(SMB2ShareAccess.class),
                    SMB2CreateDisposition.FILE_OPEN_IF,
                    EnumSet.of(SMB2CreateOptions.FILE_NON_DIRECTORY_FILE, SMB2CreateOptions.FILE_DELETE_ON_CLOSE));
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
            try (com.hierynomus.smbj.share.File f = share.openFile(p, EnumSet.of(AccessMask.GENERIC_READ), null,
                    EnumSet.of(SMB2ShareAccess.FILE_SHARE_READ, SMB2ShareAccess.FILE_SHARE_WRITE,
                            SMB2ShareAccess.FILE_SHARE_DELETE),
                    SMB2CreateDisposition.FILE_OPEN, EnumSet.of(SMB2CreateOptions.FILE_NON_DIRECTORY_FILE))) {
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
            try (com.hierynomus.smbj.share.File f = share.openFile(temp,
                    EnumSet.of(AccessMask.GENERIC_WRITE, AccessMask.DELETE), null, EnumSet.noneOf(SMB2ShareAccess.class),
                    SMB2CreateDisposition.FILE_OVERWRITE_IF, EnumSet.of(SMB2CreateOptions.FILE_NON_DIRECTORY_FILE))) {
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

    /** Whether each file's requests go out as one compounded message (see {@link #connect}). */
    public boolean compounds() {
        return compound;
    }

    /** The smbj session, for RPC pipes over IPC$ (SAMR, LSA) in this package. */
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

    /** The file id that, in a related chain, stands for the handle the CREATE before it opened. */
    private static final SMB2FileId RELATED = new SMB2FileId();

    private SMB2CreateRequest create(String p, Set<AccessMask> access) {
        return new SMB2CreateRequest(dialect, sessionId, treeId, SMB2ImpersonationLevel.Identification, access, null,
                SMB2ShareAccess.ALL, SMB2CreateDisposition.FILE_OPEN, NO_FOLLOW, new SmbPath(share.getSmbPath(), p));
    }

    private SMB2QueryInfoRequest querySecurity() {
        return querySecurity(RELATED);
    }

    private SMB2QueryInfoRequest querySecurity(SMB2FileId id) {
        return new SMB2QueryInfoRequest(dialect, sessionId, treeId, id,
                SMB2QueryInfoRequest.SMB2QueryInfoType.SMB2_0_INFO_SECURITY, null, null, null, OWNER_GROUP_DACL);
    }

    private SMB2Close closeRelated() {
        return new SMB2Close(dialect, sessionId, treeId, RELATED);
    }

    /** The answers, after checking each but a CLOSE's: the first failure is thrown. */
    private List<SMB2Packet> checked(String p, List<SMB2Packet> responses) {
        for (SMB2Packet r : responses) {
            // a CLOSE's answer changes nothing the caller relies on
            if (r.getHeader().getMessage() != SMB2MessageCommandCode.SMB2_CLOSE
                    && !NtStatus.isSuccess(r.getHeader().getStatusCode())) {
                throw new SMBApiException(r.getHeader(), r.getHeader().getMessage() + " failed for " + unc(p));
            }
        }
        return responses;
    }

    private static List<SMB2Packet> await(List<Future<SMB2Packet>> futures) {
        List<SMB2Packet> responses = new ArrayList<>(futures.size());
        try {
            for (Future<SMB2Packet> f : futures) {
                responses.add(Futures.get(f, TIMEOUT_SECONDS, TimeUnit.SECONDS, TransportException.Wrapper));
            }
        } catch (TransportException e) {
            throw new SMBRuntimeException(e);
        }
        return responses;
    }

    /**
     * The output buffer of a QUERY_INFO answer that may sit inside a compounded reply. Its offset
     * counts from its own header, which smbj 0.14 takes as the start of the whole reply.
     */
    static byte[] outputOf(SMB2Packet response) {
        byte[] a = response.getBuffer().array();
        int h = response.getHeader().getHeaderStartPosition();
        int body = h + SMB2PacketHeader.STRUCTURE_SIZE;
        int offset = (a[body + 2] & 0xFF) | (a[body + 3] & 0xFF) << 8;
        long length = (a[body + 4] & 0xFFL) | (a[body + 5] & 0xFFL) << 8 | (a[body + 6] & 0xFFL) << 16 | (a[body + 7] & 0xFFL) << 24;
        int end = response.getHeader().getMessageEndPosition();
        if (offset < SMB2PacketHeader.STRUCTURE_SIZE || h + offset + length > end) {
            throw new SMBRuntimeException("malformed QUERY_INFO answer (buffer at " + offset + ", " + length + " bytes)");
        }
        return Arrays.copyOfRange(a, h + offset, h + offset + (int) length);
    }

    private DiskEntry open(String p, Set<AccessMask> access) {
        return share.open(p, access, null, SMB2ShareAccess.ALL, SMB2CreateDisposition.FILE_OPEN, NO_FOLLOW);
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
        String subject = e.getStatusCode() == NtStatusText.ACCESS_DENIED ? "cannot " + action + " " + unc(p) : unc(p);
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

    /** Hands smbj our exact bytes instead of letting it re-encode a parsed descriptor. */
    private static final class RawDescriptor extends SecurityDescriptor {
        private final byte[] bytes;

        RawDescriptor(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public void write(SMBBuffer buffer) {
            buffer.putRawBytes(bytes);
        }
    }
}
