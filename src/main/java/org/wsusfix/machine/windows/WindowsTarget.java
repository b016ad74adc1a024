package org.wsusfix.machine.windows;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.wsusfix.machine.AuditLog;
import org.wsusfix.machine.ConfigFileWriter;
import org.wsusfix.machine.ConfigFiles;
import org.wsusfix.machine.TargetException;
import org.wsusfix.machine.TargetId;
import org.wsusfix.machine.WindowsPaths;
import org.wsusfix.machine.WritableTarget;
import org.wsusfix.security.BinaryDescriptor;
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;

/**
 * The machine wsusfix runs on, through the Win32 security API. Reads owner, group and DACL with
 * GetNamedSecurityInfo; writes the DACL alone with SetNamedSecurityInfo, which also re-inherits
 * every descendant by itself (the executor journals them first). Local groups are read and changed
 * by SID with the NetLocalGroup functions, so well-known members such as Authenticated Users work
 * and nothing depends on the language of account names. Registry keys ({@link WindowsKeys}) and
 * user rights ({@link WindowsRights}) are offered beside them.
 *
 * <p>The native libraries come in through the constructor so tests can stand in for them.
 */
public final class WindowsTarget implements WritableTarget, AuditLog.Source {
  static final String DESCRIPTION = "local";
  static final String MUTEX = "Global\\wsusfix-apply";

  private static final int SE_FILE_OBJECT = 1;
  private static final int READ_INFO =
      WinNT.OWNER_SECURITY_INFORMATION
          | WinNT.GROUP_SECURITY_INFORMATION
          | WinNT.DACL_SECURITY_INFORMATION;
  private static final int MAX_PREFERRED_LENGTH = -1;
  private static final int INVALID_FILE_ATTRIBUTES = -1;
  private static final int TOKEN_ELEVATION = 20;
  private static final int SID_TYPE_DOMAIN = 3;
  private static final int WAIT_OBJECT_0 = 0;
  private static final int WAIT_ABANDONED = 0x80;
  private static final int WAIT_TIMEOUT = 0x102;

  /** Below this, paths go to Windows as typed; from here on they need the \\?\ form. */
  static final int LONG_PATH = 248;

  /** Variables a policy may use, in the order they are looked up in the environment. */
  private static final String[][] VARIABLES = {
    {"windir", "windir", "SystemRoot"},
    {"systemroot", "SystemRoot", "windir"},
    {"systemdrive", "SystemDrive"},
    // a 32-bit JVM sees the x86 folder as ProgramFiles; ProgramW6432 is the real one
    {"programfiles", "ProgramW6432", "ProgramFiles"},
    {"programfiles(x86)", "ProgramFiles(x86)"},
    {"commonprogramfiles", "CommonProgramW6432", "CommonProgramFiles"},
    {"programdata", "ProgramData", "ALLUSERSPROFILE"},
    {"computername", "COMPUTERNAME"},
  };

  private final Advapi32 advapi32;
  private final Kernel32 kernel32;
  private final NetLocalGroups netapi32;
  private final WindowsKeys keys;
  private final WindowsRights rights;
  private final Map<String, String> variables;
  private final WindowsEventLog eventLog;
  private Optional<Sid> machineSid;

  /** Local group memberships, member to groups; dropped whenever wsusfix changes a group. */
  private Map<Sid, Set<Sid>> memberOf;

  private Boolean elevatedCache;

  /**
   * @param environment the process environment (names in any case)
   * @param overrides values given with --var, which win over the environment
   */
  public WindowsTarget(
      Advapi32 advapi32,
      Kernel32 kernel32,
      NetLocalGroups netapi32,
      Map<String, String> environment,
      Map<String, String> overrides) {
    this(advapi32, kernel32, netapi32, null, environment, overrides);
  }

  /**
   * @param lsa the LSA policy functions; null: user rights are not offered
   */
  public WindowsTarget(
      Advapi32 advapi32,
      Kernel32 kernel32,
      NetLocalGroups netapi32,
      LsaPolicy lsa,
      Map<String, String> environment,
      Map<String, String> overrides) {
    this.keys = new WindowsKeys(advapi32, kernel32);
    this.rights = lsa == null ? null : new WindowsRights(lsa);
    this.advapi32 = advapi32;
    this.kernel32 = kernel32;
    this.netapi32 = netapi32;
    this.variables = variables(environment, overrides);
    this.eventLog =
        new WindowsEventLog(advapi32, kernel32, variables.get("systemroot"), System.err);
  }

  static Map<String, String> variables(
      Map<String, String> environment, Map<String, String> overrides) {
    Map<String, String> env = new LinkedHashMap<>();
    environment.forEach((k, v) -> env.putIfAbsent(k.toLowerCase(Locale.ROOT), v));
    Map<String, String> out = new LinkedHashMap<>();
    for (String[] names : VARIABLES) {
      for (int i = 1; i < names.length; i++) {
        String v = env.get(names[i].toLowerCase(Locale.ROOT));
        if (v != null && !v.isEmpty()) {
          out.put(names[0], v);
          break;
        }
      }
    }
    overrides.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
    return Map.copyOf(out);
  }

  /** The path as Windows must be given it: long paths in the \\?\ form, which skips MAX_PATH. */
  static String win32Path(String path) {
    String p = WindowsPaths.normalize(path);
    if (p.length() < LONG_PATH || p.startsWith("\\\\?\\")) {
      return p;
    }
    if (p.startsWith("\\\\")) {
      return "\\\\?\\UNC\\" + p.substring(2);
    }
    return "\\\\?\\" + p;
  }

  /** The local machine is one target whatever it is called; the journals stay on it. */
  @Override
  public TargetId id() {
    return new TargetId("local", "");
  }

  @Override
  public String describe() {
    return DESCRIPTION;
  }

  // --- files and folders ---

  @Override
  public SecurityDescriptor read(String path) {
    PointerByReference sd = new PointerByReference();
    int rc =
        advapi32.GetNamedSecurityInfo(
            win32Path(path), SE_FILE_OBJECT, READ_INFO, null, null, null, null, sd);
    if (rc != 0) {
      throw fail(WindowsPaths.normalize(path), "cannot read the security descriptor", rc);
    }
    Pointer p = sd.getValue();
    try {
      // GetNamedSecurityInfo returns the self-relative form: its bytes are the descriptor
      int length = advapi32.GetSecurityDescriptorLength(p);
      return BinaryDescriptor.decode(p.getByteArray(0, length));
    } catch (IllegalArgumentException e) {
      throw new TargetException(WindowsPaths.normalize(path) + ": " + e.getMessage(), e);
    } finally {
      kernel32.LocalFree(p);
    }
  }

  @Override
  public boolean exists(String path) {
    if (kernel32.GetFileAttributes(win32Path(path)) != INVALID_FILE_ATTRIBUTES) {
      return true;
    }
    int err = kernel32.GetLastError();
    if (err == Win32Error.FILE_NOT_FOUND
        || err == Win32Error.PATH_NOT_FOUND
        || err == Win32Error.BAD_NETPATH
        || err == Win32Error.BAD_NET_NAME) {
      return false;
    }
    throw fail(WindowsPaths.normalize(path), "cannot read its attributes", err);
  }

  @Override
  public boolean isContainer(String path) {
    int attributes = kernel32.GetFileAttributes(win32Path(path));
    if (attributes == INVALID_FILE_ATTRIBUTES) {
      throw fail(
          WindowsPaths.normalize(path), "cannot read its attributes", kernel32.GetLastError());
    }
    return (attributes & WinNT.FILE_ATTRIBUTE_DIRECTORY) != 0;
  }

  /**
   * FindFirstFile/FindNextFile: names and attributes in one pass; reparse points are flagged, not
   * followed.
   */
  @Override
  public List<Entry> children(String path) {
    String folder = WindowsPaths.normalize(path);
    Memory data = new Memory(NativeData.FIND_DATA_SIZE);
    WinNT.HANDLE find = kernel32.FindFirstFile(win32Path(WindowsPaths.join(folder, "*")), data);
    if (invalid(find)) {
      int err = kernel32.GetLastError();
      if (err == Win32Error.FILE_NOT_FOUND) {
        return List.of(); // nothing at all matched: an empty drive root
      }
      throw fail(folder, "cannot list the folder", err);
    }
    List<Entry> out = new ArrayList<>();
    try {
      do {
        String name = NativeData.wide(data, NativeData.FIND_FILE_NAME, NativeData.MAX_PATH);
        if (name.equals(".") || name.equals("..")) {
          continue;
        }
        int attributes = data.getInt(NativeData.FIND_ATTRIBUTES);
        out.add(
            new Entry(
                name,
                (attributes & WinNT.FILE_ATTRIBUTE_DIRECTORY) != 0,
                (attributes & WinNT.FILE_ATTRIBUTE_REPARSE_POINT) != 0));
      } while (kernel32.FindNextFile(find, data));
      int err = kernel32.GetLastError();
      if (err != Win32Error.NO_MORE_FILES) {
        throw fail(folder, "cannot list the folder", err);
      }
    } finally {
      kernel32.FindClose(find);
    }
    return out;
  }

  @Override
  public boolean canWalk() {
    return true;
  }

  // --- accounts ---

  @Override
  public Optional<Sid> lookupName(String name) {
    return lookupAccount(name).map(Account::sid);
  }

  private record Account(Sid sid, int use) {}

  private Optional<Account> lookupAccount(String name) {
    int sidSize = WinNT.SECURITY_MAX_SID_SIZE;
    int domainSize = 256;
    for (int attempt = 0; attempt < 2; attempt++) {
      WinNT.PSID sid = new WinNT.PSID(sidSize);
      IntByReference cbSid = new IntByReference(sidSize);
      char[] domain = new char[domainSize];
      IntByReference cchDomain = new IntByReference(domainSize);
      PointerByReference use = new PointerByReference();
      if (advapi32.LookupAccountName(null, name, sid, cbSid, domain, cchDomain, use)) {
        return Optional.of(
            new Account(NativeData.sidAt(sid.getPointer()), use.getPointer().getInt(0)));
      }
      int err = kernel32.GetLastError();
      if (err == Win32Error.NONE_MAPPED) {
        return Optional.empty();
      }
      if (err != Win32Error.INSUFFICIENT_BUFFER) {
        throw fail("account " + name, "cannot look it up", err);
      }
      sidSize = Math.max(sidSize, cbSid.getValue());
      domainSize = Math.max(domainSize, cchDomain.getValue());
    }
    throw fail("account " + name, "cannot look it up", Win32Error.INSUFFICIENT_BUFFER);
  }

  @Override
  public Optional<String> lookupSid(Sid sid) {
    return accountName(sid).map(n -> n[0].isEmpty() ? n[1] : n[0] + "\\" + n[1]);
  }

  /** {domain, name} of a SID, or empty when Windows has no name for it. */
  private Optional<String[]> accountName(Sid sid) {
    int nameSize = 256;
    int domainSize = 256;
    for (int attempt = 0; attempt < 2; attempt++) {
      char[] name = new char[nameSize];
      IntByReference cchName = new IntByReference(nameSize);
      char[] domain = new char[domainSize];
      IntByReference cchDomain = new IntByReference(domainSize);
      PointerByReference use = new PointerByReference();
      if (advapi32.LookupAccountSid(
          null, NativeData.psid(sid), name, cchName, domain, cchDomain, use)) {
        return Optional.of(new String[] {NativeData.text(domain), NativeData.text(name)});
      }
      int err = kernel32.GetLastError();
      if (err == Win32Error.NONE_MAPPED) {
        return Optional.empty();
      }
      if (err != Win32Error.INSUFFICIENT_BUFFER) {
        throw fail("account " + sid, "cannot look up its name", err);
      }
      nameSize = Math.max(nameSize, cchName.getValue());
      domainSize = Math.max(domainSize, cchDomain.getValue());
    }
    throw fail("account " + sid, "cannot look up its name", Win32Error.INSUFFICIENT_BUFFER);
  }

  /** The account domain SID: what LookupAccountName returns for the computer's own name. */
  @Override
  public synchronized Optional<Sid> machineSid() {
    if (machineSid == null) {
      char[] buf = new char[64];
      IntByReference size = new IntByReference(buf.length);
      if (!kernel32.GetComputerName(buf, size)) {
        throw fail("this computer", "cannot read its name", kernel32.GetLastError());
      }
      String computer = NativeData.text(buf);
      Optional<Account> account = lookupAccount(computer);
      machineSid =
          account.flatMap(
              a -> a.use == SID_TYPE_DOMAIN ? Optional.of(a.sid) : accountDomain(a.sid));
    }
    return machineSid;
  }

  /** S-1-5-21-a-b-c-RID belongs to the domain S-1-5-21-a-b-c. */
  private static Optional<Sid> accountDomain(Sid sid) {
    boolean account =
        sid.authority() == 5 && sid.subAuthorityCount() == 5 && sid.subAuthority(0) == 21;
    return account ? Optional.of(sid.domain()) : Optional.empty();
  }

  // --- local groups ---

  /** The name the Net functions know a local group by (without BUILTIN\ or COMPUTER\). */
  private String groupName(Sid group) {
    return accountName(group)
        .orElseThrow(
            () ->
                new TargetException(
                    "local group " + group + ": " + Win32Error.text(Win32Error.NONE_MAPPED)))[1];
  }

  /** For messages: {@code NT AUTHORITY\IUSR (S-1-5-17)}, or the SID alone. */
  private String display(Sid sid) {
    try {
      return lookupSid(sid).map(n -> n + " (" + sid + ")").orElse(sid.toString());
    } catch (TargetException e) {
      return sid.toString();
    }
  }

  @Override
  public Optional<Set<Sid>> groupMembers(Sid group) {
    String name = groupName(group);
    return Optional.of(members(name, group));
  }

  private Set<Sid> members(String name, Sid group) {
    PointerByReference buf = new PointerByReference();
    IntByReference read = new IntByReference();
    IntByReference total = new IntByReference();
    int rc =
        netapi32.NetLocalGroupGetMembers(
            null, name, 0, buf, MAX_PREFERRED_LENGTH, read, total, null);
    try {
      if (rc != 0) {
        throw fail("local group " + name + " (" + group + ")", "cannot read its members", rc);
      }
      Set<Sid> out = new LinkedHashSet<>();
      for (int i = 0; i < read.getValue(); i++) {
        out.add(NativeData.sidAt(NativeData.pointerAt(buf.getValue(), i)));
      }
      return out;
    } finally {
      if (buf.getValue() != null) {
        netapi32.NetApiBufferFree(buf.getValue());
      }
    }
  }

  /**
   * Direct memberships, found by reading every local group once (BUILTIN and this computer's own).
   */
  @Override
  public synchronized Optional<Set<Sid>> groupsOf(Sid member) {
    if (memberOf == null) {
      Map<Sid, Set<Sid>> map = new LinkedHashMap<>();
      for (String name : localGroupNames()) {
        Sid group =
            lookupName(name)
                .orElseThrow(
                    () ->
                        new TargetException(
                            "local group "
                                + name
                                + ": "
                                + Win32Error.text(Win32Error.NONE_MAPPED)));
        for (Sid m : members(name, group)) {
          map.computeIfAbsent(m, k -> new LinkedHashSet<>()).add(group);
        }
      }
      memberOf = map;
    }
    return Optional.of(Set.copyOf(memberOf.getOrDefault(member, Set.of())));
  }

  private List<String> localGroupNames() {
    PointerByReference buf = new PointerByReference();
    IntByReference read = new IntByReference();
    IntByReference total = new IntByReference();
    int rc = netapi32.NetLocalGroupEnum(null, 0, buf, MAX_PREFERRED_LENGTH, read, total, null);
    try {
      if (rc != 0) {
        throw fail("this computer", "cannot list its local groups", rc);
      }
      List<String> names = new ArrayList<>();
      for (int i = 0; i < read.getValue(); i++) {
        // LOCALGROUP_INFO_0 holds one LPWSTR
        names.add(NativeData.wide(NativeData.pointerAt(buf.getValue(), i), 0, 257));
      }
      return names;
    } finally {
      if (buf.getValue() != null) {
        netapi32.NetApiBufferFree(buf.getValue());
      }
    }
  }

  @Override
  public void addGroupMember(Sid group, Sid member) {
    String name = groupName(group);
    int rc = netapi32.NetLocalGroupAddMembers(null, name, 0, NativeData.membersInfo0(member), 1);
    forgetMemberships();
    if (rc != 0) {
      throw fail("local group " + name + " (" + group + ")", "cannot add " + display(member), rc);
    }
  }

  @Override
  public void removeGroupMember(Sid group, Sid member) {
    String name = groupName(group);
    int rc = netapi32.NetLocalGroupDelMembers(null, name, 0, NativeData.membersInfo0(member), 1);
    forgetMemberships();
    if (rc != 0) {
      throw fail(
          "local group " + name + " (" + group + ")", "cannot remove " + display(member), rc);
    }
  }

  private synchronized void forgetMemberships() {
    memberOf = null;
  }

  @Override
  public Map<String, String> variables() {
    return variables;
  }

  // --- writing ---

  /**
   * SetNamedSecurityInfo with the DACL alone, stating its protection explicitly so the object keeps
   * the P bit the descriptor has. Windows then re-inherits every descendant itself.
   */
  @Override
  public void writeDacl(String path, SecurityDescriptor descriptor) {
    String p = WindowsPaths.normalize(path);
    if (!descriptor.daclPresent()) {
      throw new TargetException(p + ": refusing to write a descriptor that has no DACL");
    }
    int info =
        WinNT.DACL_SECURITY_INFORMATION
            | (descriptor.isDaclProtected()
                ? WinNT.PROTECTED_DACL_SECURITY_INFORMATION
                : WinNT.UNPROTECTED_DACL_SECURITY_INFORMATION);
    Memory acl = descriptor.dacl() == null ? null : acl(descriptor);
    int rc =
        advapi32.SetNamedSecurityInfo(win32Path(p), SE_FILE_OBJECT, info, null, null, acl, null);
    if (rc != 0) {
      throw fail(p, "cannot write the DACL", rc);
    }
  }

  @Override
  public boolean propagatesBySelf() {
    return true;
  }

  @Override
  public Optional<org.wsusfix.machine.RegistryAccess> registry() {
    return Optional.of(keys);
  }

  @Override
  public Optional<org.wsusfix.machine.RightsAccess> rights() {
    return Optional.ofNullable(rights);
  }

  /**
   * The DACL as a native ACL: the encoder puts it right after the 20-byte header when there is no
   * SACL.
   */
  static Memory acl(SecurityDescriptor descriptor) {
    byte[] bytes = BinaryDescriptor.encode(descriptor.withoutSacl());
    int size = descriptor.dacl().binaryLength();
    Memory acl = new Memory(size);
    acl.write(0, bytes, 20, size);
    return acl;
  }

  /**
   * Elevation first (changing system ACLs and local groups needs the full administrator token),
   * then a WRITE_DAC open of each path, which changes nothing but fails exactly where a write
   * would.
   */
  @Override
  public Optional<ConfigFiles> configFiles() {
    return Optional.of(
        path -> {
          java.nio.file.Path p = java.nio.file.Path.of(WindowsPaths.normalize(path));
          try {
            if (!java.nio.file.Files.exists(p)) {
              return Optional.empty();
            }
            if (java.nio.file.Files.size(p) > ConfigFiles.MAX_BYTES) {
              throw new TargetException(
                  p + ": larger than " + (ConfigFiles.MAX_BYTES >> 20) + " MB");
            }
            return Optional.of(java.nio.file.Files.readAllBytes(p));
          } catch (java.io.IOException e) {
            throw new TargetException(p + ": cannot read: " + e.getMessage());
          }
        });
  }

  /** Written beside the file, forced to disk, then moved over it in one step (MoveFileEx). */
  @Override
  public Optional<ConfigFileWriter> configFileWriter() {
    return Optional.of(
        (path, content) -> {
          java.nio.file.Path p = java.nio.file.Path.of(WindowsPaths.normalize(path));
          java.nio.file.Path temp = p.resolveSibling(p.getFileName() + ".wsusfix-new");
          try {
            try (java.nio.channels.FileChannel ch =
                java.nio.channels.FileChannel.open(
                    temp,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
                    java.nio.file.StandardOpenOption.WRITE)) {
              java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(content);
              while (b.hasRemaining()) {
                ch.write(b);
              }
              ch.force(true);
            }
            java.nio.file.Files.move(
                temp,
                p,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          } catch (java.io.IOException e) {
            try {
              java.nio.file.Files.deleteIfExists(temp);
            } catch (java.io.IOException ignored) {
              // the write failed first: that is the error to report
            }
            throw new TargetException(p + ": cannot replace: " + e.getMessage());
          }
        });
  }

  @Override
  public List<String> groupWriteProblems() {
    return elevationProblems();
  }

  private List<String> elevationProblems() {
    try {
      return elevated()
          ? List.of()
          : List.of(
              "this prompt is not elevated: run wsusfix from an elevated prompt (Run as administrator)");
    } catch (TargetException e) {
      return List.of(e.getMessage());
    }
  }

  @Override
  public List<String> daclWriteProblems(List<String> paths) {
    List<String> notElevated = elevationProblems();
    if (!notElevated.isEmpty()) {
      return notElevated;
    }
    List<String> problems = new ArrayList<>();
    for (String path : paths) {
      String p = WindowsPaths.normalize(path);
      WinNT.HANDLE h =
          kernel32.CreateFile(
              win32Path(p),
              WinNT.WRITE_DAC | WinNT.READ_CONTROL,
              WinNT.FILE_SHARE_READ | WinNT.FILE_SHARE_WRITE | WinNT.FILE_SHARE_DELETE,
              null,
              WinNT.OPEN_EXISTING,
              WinNT.FILE_FLAG_BACKUP_SEMANTICS,
              null);
      if (invalid(h)) {
        int err = kernel32.GetLastError();
        problems.add(
            p
                + ": "
                + (err == Win32Error.ACCESS_DENIED
                    ? "no right to change its permissions (WRITE_DAC): "
                    : "")
                + Win32Error.text(err));
      } else {
        kernel32.CloseHandle(h);
      }
    }
    return problems;
  }

  boolean elevated() {
    WinNT.HANDLEByReference token = new WinNT.HANDLEByReference();
    if (!advapi32.OpenProcessToken(kernel32.GetCurrentProcess(), WinNT.TOKEN_QUERY, token)) {
      throw Win32Error.fail(
          "this process", "cannot open its access token", kernel32.GetLastError());
    }
    try {
      WinNT.TOKEN_ELEVATION elevation = new WinNT.TOKEN_ELEVATION();
      IntByReference length = new IntByReference();
      if (!advapi32.GetTokenInformation(
          token.getValue(), TOKEN_ELEVATION, elevation, elevation.size(), length)) {
        throw Win32Error.fail(
            "this process", "cannot tell whether it runs elevated", kernel32.GetLastError());
      }
      return elevation.TokenIsElevated != 0;
    } finally {
      kernel32.CloseHandle(token.getValue());
    }
  }

  /**
   * A machine-wide named mutex: one apply or rollback at a time on this computer, whatever undo
   * folder each uses. Windows releases it if the process dies.
   */
  @Override
  public AutoCloseable lock() {
    WinNT.HANDLE mutex = kernel32.CreateMutex(null, false, MUTEX);
    if (mutex == null) {
      throw fail("the apply lock " + MUTEX, "cannot create it", kernel32.GetLastError());
    }
    int wait = kernel32.WaitForSingleObject(mutex, 0);
    if (wait != WAIT_OBJECT_0 && wait != WAIT_ABANDONED) {
      int err = wait == WAIT_TIMEOUT ? 0 : kernel32.GetLastError();
      kernel32.CloseHandle(mutex);
      if (wait == WAIT_TIMEOUT) {
        throw new TargetException(
            "another wsusfix apply or rollback is running on this computer (lock "
                + MUTEX
                + "); wait for it to finish");
      }
      throw fail("the apply lock " + MUTEX, "cannot take it", err);
    }
    // WAIT_ABANDONED: a run died holding it; its undo journal says what it did
    return () -> {
      kernel32.ReleaseMutex(mutex);
      kernel32.CloseHandle(mutex);
    };
  }

  @Override
  public AuditLog audit() {
    return eventLog;
  }

  @Override
  public void close() {
    eventLog.close();
  }

  /**
   * A Win32 failure; the advice to elevate is left out once the process is known to be elevated.
   */
  private TargetException fail(String subject, String doing, int code) {
    return Win32Error.fail(subject, doing, code, !knownElevated());
  }

  /** Asked once, quietly (an error message is being built): unknown counts as not elevated. */
  private synchronized boolean knownElevated() {
    if (elevatedCache == null) {
      WinNT.HANDLEByReference token = new WinNT.HANDLEByReference();
      elevatedCache = false;
      if (advapi32.OpenProcessToken(kernel32.GetCurrentProcess(), WinNT.TOKEN_QUERY, token)) {
        try {
          WinNT.TOKEN_ELEVATION elevation = new WinNT.TOKEN_ELEVATION();
          elevatedCache =
              advapi32.GetTokenInformation(
                      token.getValue(),
                      TOKEN_ELEVATION,
                      elevation,
                      elevation.size(),
                      new IntByReference())
                  && elevation.TokenIsElevated != 0;
        } finally {
          kernel32.CloseHandle(token.getValue());
        }
      }
    }
    return elevatedCache;
  }

  private static boolean invalid(WinNT.HANDLE h) {
    return h == null || h.getPointer() == null || WinBase.INVALID_HANDLE_VALUE.equals(h);
  }
}
