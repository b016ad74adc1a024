package org.wsusfix.target.smb;

import com.hierynomus.msdtyp.AccessMask;
import com.hierynomus.msdtyp.SecurityDescriptor;
import com.hierynomus.msdtyp.SecurityInformation;
import com.hierynomus.msfscc.FileAttributes;
import com.hierynomus.msfscc.fileinformation.FileIdBothDirectoryInformation;
import com.hierynomus.mssmb2.SMB2CreateDisposition;
import com.hierynomus.mssmb2.SMB2CreateOptions;
import com.hierynomus.mssmb2.SMB2ShareAccess;
import com.hierynomus.mssmb2.SMBApiException;
import com.hierynomus.mssmb2.messages.SMB2QueryInfoRequest;
import com.hierynomus.smb.SMBBuffer;
import com.hierynomus.smbj.SMBClient;
import com.hierynomus.smbj.SmbConfig;
import com.hierynomus.smbj.auth.AuthenticationContext;
import com.hierynomus.smbj.common.SMBRuntimeException;
import com.hierynomus.smbj.connection.Connection;
import com.hierynomus.smbj.session.Session;
import com.hierynomus.smbj.share.DiskEntry;
import com.hierynomus.smbj.share.DiskShare;
import com.hierynomus.smbj.share.Directory;
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
    private static final Set<SMB2CreateOptions> NO_FOLLOW = EnumSet.of(SMB2CreateOptions.FILE_OPEN_REPARSE_POINT);

    private final SMBClient client;
    private final Connection connection;
    private final Session session;
    private final DiskShare share;
    private final String uncRoot;
    private final String user;

    private SmbConnection(SMBClient client, Connection connection, Session session, DiskShare share,
                          String uncRoot, String user) {
        this.client = client;
        this.connection = connection;
        this.session = session;
        this.share = share;
        this.uncRoot = uncRoot;
        this.user = user;
    }

    /**
     * Connects, authenticates (NTLM) and opens the share.
     *
     * @param domain account domain of {@code user}; "" lets the server pick its own
     */
    public static SmbConnection connect(String host, int port, String share, String user, char[] password,
                                        String domain) {
        String server = port == 445 ? host : host + ":" + port;
        String account = domain == null || domain.isEmpty() ? user : domain + "\\" + user;
        SMBClient client = new SMBClient(SmbConfig.builder()
                .withTimeout(60, TimeUnit.SECONDS)
                .withSoTimeout(120, TimeUnit.SECONDS)
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
    public static SmbConnection connect(String host, int port, String share, String user, String password,
                                        String domain) {
        return connect(host, port, share, user, password.toCharArray(), domain);
    }

    /** Owner, group and DACL of {@code path} as the server returns them: self-relative bytes. */
    public byte[] readDescriptor(String path) {
        String p = normalize(path);
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

    /** {@code \\host\share\path}, for messages. */
    public String unc(String path) {
        String p = normalize(path);
        return p.isEmpty() ? uncRoot : uncRoot + "\\" + p;
    }

    /** The account this session logged on as, {@code DOMAIN\\user} or {@code user}. */
    public String account() {
        return user;
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
