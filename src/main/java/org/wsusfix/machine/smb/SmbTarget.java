package org.wsusfix.machine.smb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.wsusfix.machine.ConfigFileWriter;
import org.wsusfix.machine.ConfigFiles;
import org.wsusfix.machine.HeldDescriptors;
import org.wsusfix.machine.RegistryAccess;
import org.wsusfix.machine.RightsAccess;
import org.wsusfix.machine.TargetException;
import org.wsusfix.machine.TargetId;
import org.wsusfix.machine.WritableTarget;
import org.wsusfix.security.BinaryDescriptor;
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;

/**
 * A Windows (or Samba) server reached over SMB: descriptors through the share, names over LSA,
 * BUILTIN group membership over SAMR. The share root stands for the Windows folder {@link
 * SmbSpec#root()}, so policy paths such as {@code C:\Windows\Microsoft.NET} map onto it.
 *
 * <p>An SMB SET never propagates, so wsusfix walks and rewrites descendants itself ({@link
 * #propagatesBySelf()} is false). Batch reads and writes are {@link Exchange}s spread over a few
 * sessions ({@code wsusfix.smb.connections}, default 4), {@code wsusfix.smb.ahead} (default 64) in
 * flight per session, all driven from the calling thread. Every session signs every message, the
 * RPC pipes on the primary one included.
 */
public final class SmbTarget implements WritableTarget {
  /** Held open, unshared and delete-on-close, at the share root while apply or rollback runs. */
  static final String LOCK_FILE = ".wsusfix-apply.lock";

  /** Sessions used for batches (each is served by its own server process on Samba). */
  static final int CONNECTIONS = Integer.getInteger("wsusfix.smb.connections", 4);

  /** Exchanges in flight per session. */
  private static final int AHEAD = Integer.getInteger("wsusfix.smb.ahead", 64);

  /** Smaller batches stay on the first session: opening more is not worth it. */
  private static final int SPREAD_FROM = 8;

  private static final String BUILTIN = "S-1-5-32";

  private final SmbSpec spec;
  private final char[] password;
  private final SmbConnection primary;
  private final LsaNames lsa;
  private final Map<String, String> variables;
  private final List<SmbConnection> connections = new ArrayList<>();
  private SamrAliases samr;
  private WinregKeys winreg;
  private LsaRights lsaRights;
  private boolean pooled;

  private SmbTarget(
      SmbSpec spec,
      char[] password,
      Map<String, String> userVars,
      SmbConnection primary,
      LsaNames lsa) {
    this.spec = spec;
    this.password = password;
    this.primary = primary;
    this.lsa = lsa;
    this.connections.add(primary);
    this.variables = variables(spec, lsa.accountDomainName(), userVars);
  }

  /**
   * Logs on and opens the share and the name service.
   *
   * @param vars values given with --var (lower-case names); they win over what the server says
   */
  public static SmbTarget open(SmbSpec spec, char[] password, Map<String, String> vars) {
    SmbConnection c = connect(spec, password);
    try {
      return new SmbTarget(spec, password, Map.copyOf(vars), c, new LsaNames(c));
    } catch (SmbException e) {
      c.close();
      throw new TargetException(e.getMessage(), e);
    }
  }

  private static SmbConnection connect(SmbSpec spec, char[] password) {
    try {
      return SmbConnection.connect(
          spec.host(), spec.port(), spec.share(), spec.user(), password, spec.domain());
    } catch (SmbException e) {
      throw new TargetException(e.getMessage(), e);
    }
  }

  static Map<String, String> variables(
      SmbSpec spec, String computerName, Map<String, String> vars) {
    Map<String, String> v = new LinkedHashMap<>();
    String drive = spec.drive();
    // %windir% is on the drive the share stands for, where Windows puts it unless told otherwise
    v.put("systemdrive", drive);
    v.put("windir", drive + "\\Windows");
    v.put("systemroot", drive + "\\Windows");
    v.put("programfiles", drive + "\\Program Files");
    v.put("programfiles(x86)", drive + "\\Program Files (x86)");
    v.put("programdata", drive + "\\ProgramData");
    v.put("computername", computerName);
    vars.forEach((k, value) -> v.put(k.toLowerCase(Locale.ROOT), value));
    if (vars.containsKey("windir") && !vars.containsKey("systemroot")) {
      v.put("systemroot", vars.get("windir"));
    }
    return Map.copyOf(v);
  }

  // --- reading ---

  @Override
  public TargetId id() {
    return spec.id();
  }

  @Override
  public String describe() {
    return spec.describe();
  }

  @Override
  public SecurityDescriptor read(String path) {
    return read(primary, spec.relative(path));
  }

  private SecurityDescriptor read(SmbConnection c, String rel) {
    return decode(c, rel, call(() -> c.readDescriptor(rel)));
  }

  private static SecurityDescriptor decode(SmbConnection c, String rel, byte[] raw) {
    try {
      return BinaryDescriptor.decode(raw);
    } catch (IllegalArgumentException e) {
      throw new TargetException(
          c.unc(rel)
              + ": the server sent a security descriptor wsusfix cannot read: "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public boolean exists(String path) {
    String rel = spec.relative(path);
    return call(() -> primary.kind(rel)) != SmbConnection.Kind.MISSING;
  }

  @Override
  public boolean isContainer(String path) {
    String rel = spec.relative(path);
    SmbConnection.Kind kind = call(() -> primary.kind(rel));
    if (kind == SmbConnection.Kind.MISSING) {
      throw new TargetException(primary.unc(rel) + ": not found");
    }
    return kind == SmbConnection.Kind.FOLDER;
  }

  @Override
  public List<Entry> children(String path) {
    String rel = spec.relative(path);
    List<SmbConnection.Entry> listed = call(() -> primary.list(rel));
    List<Entry> out = new ArrayList<>(listed.size());
    for (SmbConnection.Entry e : listed) {
      if (rel.isEmpty() && e.name().equalsIgnoreCase(LOCK_FILE)) {
        continue; // wsusfix's own lock: exists only while an apply runs
      }
      out.add(new Entry(e.name(), e.isDirectory(), e.isReparsePoint()));
    }
    return out;
  }

  @Override
  public boolean canWalk() {
    return true;
  }

  @Override
  public List<SecurityDescriptor> readAll(List<String> paths) {
    List<String> rels = relatives(paths);
    List<SmbConnection> conns = sessionsFor(rels.size());
    List<Exchange.Result<byte[]>> read =
        Exchange.runAll(
            rels.size(), AHEAD * conns.size(), i -> conns.get(i % conns.size()).read(rels.get(i)));
    List<SecurityDescriptor> out = new ArrayList<>(read.size());
    for (int i = 0; i < read.size(); i++) {
      SmbConnection c = conns.get(i % conns.size());
      out.add(decode(c, rels.get(i), call(read.get(i))));
    }
    return out;
  }

  // --- accounts ---

  @Override
  public synchronized Optional<Sid> lookupName(String name) {
    Optional<String> sid = call(() -> lsa.sidOf(name));
    return sid.map(Sid::parse);
  }

  @Override
  public synchronized Optional<String> lookupSid(Sid sid) {
    return call(() -> lsa.nameOf(sid.toString()));
  }

  @Override
  public Optional<Sid> machineSid() {
    return Optional.of(Sid.parse(lsa.accountDomainSid()));
  }

  @Override
  public boolean hasAccounts() {
    return true;
  }

  @Override
  public synchronized Optional<Set<Sid>> groupMembers(Sid group) {
    if (!isBuiltin(group)) {
      return Optional.empty(); // only BUILTIN aliases are read over SAMR here
    }
    Set<Sid> out = new LinkedHashSet<>();
    for (String s : call(() -> samr().members(group.rid()))) {
      out.add(Sid.parse(s));
    }
    return Optional.of(out);
  }

  @Override
  public synchronized Optional<Set<Sid>> groupsOf(Sid member) {
    Set<Sid> out = new LinkedHashSet<>();
    for (long rid : call(() -> samr().aliasesOf(member.toString()))) {
      out.add(Sid.parse(BUILTIN + "-" + rid));
    }
    return Optional.of(out);
  }

  @Override
  public Map<String, String> variables() {
    return variables;
  }

  // --- writing ---

  @Override
  public void writeDacl(String path, SecurityDescriptor descriptor) {
    String rel = spec.relative(path);
    byte[] bytes = BinaryDescriptor.encode(descriptor);
    call(
        () -> {
          primary.writeDacl(rel, bytes);
          return null;
        });
  }

  @Override
  public HeldDescriptors hold(List<String> paths) {
    List<String> given = List.copyOf(paths);
    List<String> rels = relatives(given);
    // every object is opened, also after a failure, so that all opened ones can be released
    List<SmbConnection> conns = sessionsFor(rels.size());
    List<Exchange.Result<SmbConnection.Held>> opened =
        Exchange.runAll(
            rels.size(), AHEAD * conns.size(), i -> conns.get(i % conns.size()).open(rels.get(i)));
    List<Open> held = new ArrayList<>(opened.size());
    TargetException first = null;
    for (int i = 0; i < opened.size(); i++) {
      Exchange.Result<SmbConnection.Held> r = opened.get(i);
      if (r.ok()) {
        held.add(new Open(conns.get(i % conns.size()), r.value()));
      } else if (first == null) {
        first = new TargetException(r.failure().getMessage(), r.failure());
      }
    }
    if (first != null) {
      held.forEach(Open::release);
      throw first;
    }
    List<SecurityDescriptor> sds = new ArrayList<>(held.size());
    for (int i = 0; i < held.size(); i++) {
      Open h = held.get(i);
      try {
        sds.add(decode(h.connection(), rels.get(i), h.held().descriptor()));
      } catch (TargetException e) {
        held.forEach(Open::release);
        throw e;
      }
    }
    return new SmbHeld(given, rels, held, sds);
  }

  /** An object held open on the session that opened it. */
  private record Open(SmbConnection connection, SmbConnection.Held held) {
    void release() {
      connection.release(held);
    }
  }

  private final class SmbHeld implements HeldDescriptors {
    private final List<String> paths;
    private final List<String> rels;

    /** Per index, the open object, or null once released. */
    private final List<Open> open;

    private final List<SecurityDescriptor> descriptors;
    private final int sessions;

    SmbHeld(
        List<String> paths,
        List<String> rels,
        List<Open> open,
        List<SecurityDescriptor> descriptors) {
      this.paths = paths;
      this.rels = rels;
      this.open = new ArrayList<>(open);
      this.descriptors = List.copyOf(descriptors);
      this.sessions = (int) open.stream().map(Open::connection).distinct().count();
    }

    @Override
    public List<String> paths() {
      return paths;
    }

    @Override
    public List<SecurityDescriptor> descriptors() {
      return descriptors;
    }

    @Override
    public void release(int index) {
      Open o = open.get(index);
      if (o != null) {
        open.set(index, null);
        o.release();
      }
    }

    @Override
    public Map<Integer, Written> writeAndRelease(Map<Integer, SecurityDescriptor> writes) {
      List<Integer> order = List.copyOf(writes.keySet());
      for (Integer i : order) {
        if (open.get(i) == null) {
          throw new IllegalStateException(paths.get(i) + " was already released");
        }
      }
      List<Exchange.Result<byte[]>> written =
          Exchange.runAll(
              order.size(),
              AHEAD * Math.max(1, sessions),
              k -> {
                Open o = open.get(order.get(k));
                return o.connection()
                    .write(o.held(), BinaryDescriptor.encode(writes.get(order.get(k))));
              });
      Map<Integer, Written> out = new LinkedHashMap<>();
      for (int k = 0; k < order.size(); k++) {
        int i = order.get(k);
        Open o = open.set(i, null); // write closes it, also when it fails
        Exchange.Result<byte[]> r = written.get(k);
        out.put(
            i,
            r.ok()
                ? decodeWritten(o.connection(), rels.get(i), r.value())
                : Written.failed(new TargetException(r.failure().getMessage(), r.failure())));
      }
      close();
      return out;
    }

    @Override
    public void close() {
      for (int i = 0; i < open.size(); i++) {
        release(i);
      }
    }
  }

  @Override
  public boolean propagatesBySelf() {
    return false; // an SMB SET changes one object; wsusfix walks the subtree
  }

  @Override
  public synchronized void addGroupMember(Sid group, Sid member) {
    long rid = builtinRid(group);
    if (!call(() -> samr().addMember(rid, member.toString()))) {
      throw new TargetException(
          member + " is already a member of " + SamrAliases.aliasName(rid) + " on " + describe());
    }
  }

  @Override
  public synchronized void removeGroupMember(Sid group, Sid member) {
    long rid = builtinRid(group);
    if (!call(() -> samr().removeMember(rid, member.toString()))) {
      throw new TargetException(
          member + " is not a member of " + SamrAliases.aliasName(rid) + " on " + describe());
    }
  }

  /** Configuration files are read and replaced through the share, like the descriptors. */
  @Override
  public Optional<ConfigFiles> configFiles() {
    return Optional.of(
        path ->
            Optional.ofNullable(
                call(
                    () -> {
                      synchronized (this) {
                        return primary.readFile(spec.relative(path), ConfigFiles.MAX_BYTES);
                      }
                    })));
  }

  @Override
  public Optional<ConfigFileWriter> configFileWriter() {
    return Optional.of(
        (path, content) ->
            call(
                () -> {
                  synchronized (this) {
                    primary.replaceFile(spec.relative(path), content);
                    return null;
                  }
                }));
  }

  @Override
  public List<String> daclWriteProblems(List<String> paths) {
    List<String> problems = new ArrayList<>();
    for (String p : paths) {
      try {
        String rel = spec.relative(p);
        if (!primary.canWriteDac(rel)) {
          problems.add(
              p
                  + ": "
                  + primary.account()
                  + " may not change its permissions on "
                  + spec.host()
                  + " (WRITE_DAC denied on "
                  + primary.unc(rel)
                  + ")");
        }
      } catch (SmbException | TargetException e) {
        problems.add(e.getMessage());
      }
    }
    return problems;
  }

  @Override
  public List<String> groupWriteProblems() {
    try {
      synchronized (this) {
        if (!samr().canChangeMembers(SamrAliases.USERS)) {
          return List.of(
              primary.account()
                  + " may not change local group membership on "
                  + spec.host()
                  + " (SAMR denies adding members to BUILTIN\\Users)");
        }
      }
    } catch (SmbException | TargetException e) {
      return List.of(e.getMessage());
    }
    return List.of();
  }

  @Override
  public AutoCloseable lock() {
    try {
      return primary.exclusiveFile(LOCK_FILE);
    } catch (SmbException e) {
      if (e.isSharingViolation()) {
        throw new TargetException(
            "another apply or rollback is running against "
                + describe()
                + " (from this or another machine: the server has "
                + primary.unc(LOCK_FILE)
                + " open); wait for it to finish",
            e);
      }
      throw new TargetException(
          "cannot take the apply lock " + primary.unc(LOCK_FILE) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    if (samr != null) {
      samr.close();
    }
    if (winreg != null) {
      winreg.close();
    }
    if (lsaRights != null) {
      lsaRights.close();
    }
    lsa.close();
    for (SmbConnection c : connections) {
      c.close();
    }
    Arrays.fill(password, '\0');
  }

  // --- registry keys and user rights: RPC on the primary session, signed as file access is ---

  @Override
  public Optional<RegistryAccess> registry() {
    return Optional.of(new KeysOverRpc());
  }

  @Override
  public Optional<RightsAccess> rights() {
    return Optional.of(new RightsOverRpc());
  }

  private synchronized WinregKeys winreg() {
    if (winreg == null) {
      winreg = new WinregKeys(primary);
    }
    return winreg;
  }

  private synchronized LsaRights lsaRights() {
    if (lsaRights == null) {
      lsaRights = new LsaRights(primary);
    }
    return lsaRights;
  }

  /** Keys over \winreg: RegSetKeySecurity re-inherits nothing, so the caller walks the subkeys. */
  private final class KeysOverRpc implements RegistryAccess, RegistryAccess.Writer {
    @Override
    public boolean keyExists(String key) {
      return call(() -> winreg().exists(key));
    }

    @Override
    public SecurityDescriptor readKey(String key) {
      byte[] raw = call(() -> winreg().descriptor(key));
      try {
        return BinaryDescriptor.decode(raw);
      } catch (IllegalArgumentException e) {
        throw new TargetException(
            key + ": the server sent a security descriptor wsusfix cannot read: " + e.getMessage(),
            e);
      }
    }

    @Override
    public List<String> subkeys(String key) {
      return call(() -> winreg().subkeys(key));
    }

    @Override
    public Optional<String> stringValue(String key, String name) {
      return Optional.ofNullable(call(() -> winreg().stringValue(key, name)));
    }

    @Override
    public boolean propagatesBySelf() {
      return false;
    }

    @Override
    public Optional<RegistryAccess.Writer> writer() {
      return Optional.of(this);
    }

    @Override
    public void writeKeyDacl(String key, SecurityDescriptor descriptor) {
      // Control bits go as given: Samba stores them literally, so an AUTO_INHERIT_REQ would stay in
      // the key.
      byte[] raw = BinaryDescriptor.encode(descriptor);
      call(
          () -> {
            winreg().setDescriptor(key, raw);
            return null;
          });
    }

    @Override
    public List<String> keyWriteProblems(List<String> keys) {
      List<String> problems = new ArrayList<>();
      for (String key : keys) {
        try {
          if (!winreg().canWriteDacl(key)) {
            problems.add(
                key
                    + ": "
                    + primary.account()
                    + " may not change its permissions (WRITE_DAC denied)");
          }
        } catch (SmbException | TargetException e) {
          problems.add(e.getMessage());
        }
      }
      return problems;
    }
  }

  /** User rights over \lsarpc. */
  private final class RightsOverRpc implements RightsAccess, RightsAccess.Writer {
    @Override
    public Holders holders(String right) {
      Set<Sid> out = new LinkedHashSet<>();
      for (String sid : call(() -> lsaRights().holders(right))) {
        out.add(Sid.parse(sid));
      }
      return new Holders(out, List.of());
    }

    @Override
    public Optional<RightsAccess.Writer> writer() {
      return Optional.of(this);
    }

    @Override
    public void addRight(Sid account, String right) {
      call(
          () -> {
            lsaRights().add(account.toString(), right);
            return null;
          });
    }

    @Override
    public void removeRight(Sid account, String right) {
      call(
          () -> {
            lsaRights().remove(account.toString(), right);
            return null;
          });
    }

    @Override
    public List<String> rightsWriteProblems() {
      try {
        lsaRights();
        return List.of();
      } catch (SmbException | TargetException e) {
        return List.of(e.getMessage());
      }
    }
  }

  // --- helpers ---

  private SamrAliases samr() {
    if (samr == null) {
      samr = new SamrAliases(primary);
    }
    return samr;
  }

  private static boolean isBuiltin(Sid sid) {
    return sid.toString().startsWith(BUILTIN + "-") && sid.subAuthorityCount() == 2;
  }

  private long builtinRid(Sid group) {
    if (!isBuiltin(group)) {
      throw new TargetException(
          "only BUILTIN local groups can be changed over SMB; " + group + " is not one");
    }
    return group.rid();
  }

  private List<String> relatives(List<String> paths) {
    List<String> rels = new ArrayList<>(paths.size());
    for (String p : paths) {
      rels.add(spec.relative(p));
    }
    return rels;
  }

  private static HeldDescriptors.Written decodeWritten(SmbConnection c, String rel, byte[] back) {
    try {
      return HeldDescriptors.Written.ok(decode(c, rel, back));
    } catch (TargetException e) {
      return HeldDescriptors.Written.failed(e);
    }
  }

  /** The primary session for a small batch, else every session of the pool. */
  private List<SmbConnection> sessionsFor(int n) {
    return n < SPREAD_FROM ? List.of(primary) : pool();
  }

  /** The sessions for batches, opened on first use; fewer if the server refuses more. */
  private synchronized List<SmbConnection> pool() {
    if (!pooled) {
      pooled = true;
      while (connections.size() < CONNECTIONS) {
        try {
          connections.add(
              SmbConnection.connect(
                  spec.host(), spec.port(), spec.share(), spec.user(), password, spec.domain()));
        } catch (SmbException e) {
          break; // the first session works; batches just overlap less
        }
      }
    }
    return List.copyOf(connections);
  }

  private interface Call<T> {
    T run();
  }

  /** The value of a batch result, or its failure as a TargetException. */
  private static <T> T call(Exchange.Result<T> r) {
    if (!r.ok()) {
      throw new TargetException(r.failure().getMessage(), r.failure());
    }
    return r.value();
  }

  /** SMB and RPC failures become TargetExceptions with the same one-line message. */
  private static <T> T call(Call<T> c) {
    try {
      return c.run();
    } catch (SmbException e) {
      throw new TargetException(e.getMessage(), e);
    }
  }
}
