package org.wsusfix.machine.memory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.wsusfix.machine.TargetException;
import org.wsusfix.machine.TargetId;
import org.wsusfix.machine.WindowsPaths;
import org.wsusfix.machine.WritableTarget;
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;

/**
 * A target held in memory for tests: a tree of descriptors, accounts and local groups. Writes
 * behave like SMB (no automatic propagation).
 */
public class MemoryTarget implements WritableTarget {
  private final String description;
  private final TreeMap<String, Node> nodes = new TreeMap<>();
  private final Map<String, Sid> accounts = new HashMap<>();
  private final Map<Sid, String> accountNames = new HashMap<>();
  private final Map<Sid, Set<Sid>> groups = new LinkedHashMap<>();
  private final Map<String, String> variables = new HashMap<>();
  private final AtomicBoolean locked = new AtomicBoolean();
  private boolean groupsKnown = true;
  private boolean walkable = true;
  private Sid machineSid;
  private MemoryRegistry registry;

  private record Node(String path, boolean container, boolean reparse, SecurityDescriptor sd) {}

  public MemoryTarget(String description) {
    this.description = description;
    variables.put("windir", "C:\\Windows");
    variables.put("systemroot", "C:\\Windows");
    variables.put("systemdrive", "C:");
    variables.put("programfiles", "C:\\Program Files");
    variables.put("programdata", "C:\\ProgramData");
    variables.put("computername", "WSUS01");
  }

  // --- building ---

  /** Gives this target registry keys and user rights (it has none until then, like a snapshot). */
  public MemoryTarget withRegistry(MemoryRegistry r) {
    this.registry = r;
    return this;
  }

  public MemoryRegistry memoryRegistry() {
    return registry;
  }

  @Override
  public Optional<org.wsusfix.machine.RegistryAccess> registry() {
    return Optional.ofNullable(registry).map(r -> r.keyAccess);
  }

  @Override
  public Optional<org.wsusfix.machine.RightsAccess> rights() {
    return Optional.ofNullable(registry).map(r -> r.rightsAccess);
  }

  public MemoryTarget folder(String path, SecurityDescriptor sd) {
    return put(path, true, false, sd);
  }

  public MemoryTarget file(String path, SecurityDescriptor sd) {
    return put(path, false, false, sd);
  }

  public MemoryTarget junction(String path, SecurityDescriptor sd) {
    return put(path, true, true, sd);
  }

  private MemoryTarget put(String path, boolean container, boolean reparse, SecurityDescriptor sd) {
    String p = WindowsPaths.normalize(path);
    nodes.put(WindowsPaths.key(p), new Node(p, container, reparse, sd));
    return this;
  }

  public MemoryTarget account(String name, Sid sid) {
    accounts.put(name.toLowerCase(Locale.ROOT), sid);
    accountNames.putIfAbsent(sid, name);
    return this;
  }

  public MemoryTarget group(Sid group, Sid... members) {
    groups.computeIfAbsent(group, g -> new LinkedHashSet<>()).addAll(List.of(members));
    return this;
  }

  public MemoryTarget variable(String name, String value) {
    variables.put(name.toLowerCase(Locale.ROOT), value);
    return this;
  }

  public MemoryTarget machineSid(Sid sid) {
    this.machineSid = sid;
    return this;
  }

  /** Offline data has no group information: memberships then show as unverified. */
  public MemoryTarget groupsUnknown() {
    this.groupsKnown = false;
    return this;
  }

  public MemoryTarget notWalkable() {
    this.walkable = false;
    return this;
  }

  /** Every path held, in tree order. */
  public List<String> paths() {
    List<String> out = new ArrayList<>();
    for (Node n : nodes.values()) {
      out.add(n.path);
    }
    return out;
  }

  // --- reading ---

  /** Tests name a memory target by its description. */
  @Override
  public TargetId id() {
    return new TargetId("memory", description);
  }

  @Override
  public String describe() {
    return description;
  }

  private Node node(String path) {
    Node n = nodes.get(WindowsPaths.key(path));
    if (n == null) {
      throw new TargetException(WindowsPaths.normalize(path) + ": not found on " + description);
    }
    return n;
  }

  @Override
  public SecurityDescriptor read(String path) {
    return node(path).sd;
  }

  @Override
  public boolean exists(String path) {
    return nodes.containsKey(WindowsPaths.key(path));
  }

  @Override
  public boolean isContainer(String path) {
    return node(path).container;
  }

  @Override
  public List<Entry> children(String path) {
    String prefix = WindowsPaths.key(path);
    prefix = prefix.endsWith("\\") ? prefix : prefix + "\\";
    List<Entry> out = new ArrayList<>();
    for (Node n : nodes.tailMap(prefix, true).values()) {
      String key = WindowsPaths.key(n.path);
      if (!key.startsWith(prefix)) {
        break;
      }
      String rest = n.path.substring(prefix.length());
      if (!rest.isEmpty() && rest.indexOf('\\') < 0) {
        out.add(new Entry(rest, n.container, n.reparse));
      }
    }
    return out;
  }

  @Override
  public boolean canWalk() {
    return walkable;
  }

  @Override
  public Optional<Sid> lookupName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    Sid sid = accounts.get(n);
    if (sid == null && n.indexOf('\\') >= 0) {
      sid = accounts.get(n.substring(n.indexOf('\\') + 1));
    }
    return Optional.ofNullable(sid);
  }

  @Override
  public Optional<String> lookupSid(Sid sid) {
    return Optional.ofNullable(accountNames.get(sid));
  }

  @Override
  public Optional<Sid> machineSid() {
    return Optional.ofNullable(machineSid);
  }

  @Override
  public boolean hasAccounts() {
    return groupsKnown;
  }

  @Override
  public Optional<Set<Sid>> groupMembers(Sid group) {
    if (!groupsKnown) {
      return Optional.empty();
    }
    return Optional.of(Set.copyOf(groups.getOrDefault(group, Set.of())));
  }

  @Override
  public Optional<Set<Sid>> groupsOf(Sid member) {
    if (!groupsKnown) {
      return Optional.empty();
    }
    Set<Sid> out = new LinkedHashSet<>();
    groups.forEach(
        (g, members) -> {
          if (members.contains(member)) {
            out.add(g);
          }
        });
    return Optional.of(out);
  }

  @Override
  public Map<String, String> variables() {
    return Map.copyOf(variables);
  }

  // --- writing ---

  @Override
  public void writeDacl(String path, SecurityDescriptor descriptor) {
    Node n = node(path);
    SecurityDescriptor old = n.sd;
    int keep = old.control() & ~DACL_CONTROL_BITS;
    int fromNew =
        descriptor.control() & DACL_CONTROL_BITS & ~SecurityDescriptor.DACL_AUTO_INHERIT_REQ;
    // Auto-inherited survives only when the write asks for it, as on NTFS and Samba.
    if (descriptor.has(SecurityDescriptor.DACL_AUTO_INHERIT_REQ)
        || descriptor.has(SecurityDescriptor.DACL_AUTO_INHERITED)) {
      fromNew |= descriptor.control() & SecurityDescriptor.DACL_AUTO_INHERITED;
    }
    SecurityDescriptor updated =
        new SecurityDescriptor(
            keep | fromNew | SecurityDescriptor.DACL_PRESENT,
            old.owner(),
            old.group(),
            descriptor.dacl(),
            old.sacl());
    nodes.put(WindowsPaths.key(path), new Node(n.path, n.container, n.reparse, updated));
  }

  private static final int DACL_CONTROL_BITS =
      SecurityDescriptor.DACL_PRESENT
          | SecurityDescriptor.DACL_DEFAULTED
          | SecurityDescriptor.DACL_AUTO_INHERITED
          | SecurityDescriptor.DACL_PROTECTED
          | SecurityDescriptor.DACL_AUTO_INHERIT_REQ;

  @Override
  public void addGroupMember(Sid group, Sid member) {
    Set<Sid> members = groups.get(group);
    if (members == null) {
      throw new TargetException("local group " + group + " does not exist on " + description);
    }
    if (!members.add(member)) {
      throw new TargetException(member + " is already a member of " + group);
    }
  }

  @Override
  public void removeGroupMember(Sid group, Sid member) {
    Set<Sid> members = groups.get(group);
    if (members == null || !members.remove(member)) {
      throw new TargetException(member + " is not a member of " + group);
    }
  }

  @Override
  public List<String> groupWriteProblems() {
    return List.of();
  }

  @Override
  public List<String> daclWriteProblems(List<String> paths) {
    List<String> problems = new ArrayList<>();
    for (String p : paths) {
      if (!exists(p)) {
        problems.add(WindowsPaths.normalize(p) + ": not found on " + description);
      }
    }
    return problems;
  }

  @Override
  public AutoCloseable lock() {
    if (!locked.compareAndSet(false, true)) {
      throw new TargetException("another apply or rollback holds the lock on " + description);
    }
    return () -> locked.set(false);
  }

  // --- configuration files ---

  private final Map<String, byte[]> files = new HashMap<>();

  /** A configuration file at a Windows path. */
  public MemoryTarget configFile(String path, byte[] content) {
    files.put(WindowsPaths.key(path), content.clone());
    return this;
  }

  public Optional<byte[]> fileContent(String path) {
    return Optional.ofNullable(files.get(WindowsPaths.key(path))).map(byte[]::clone);
  }

  @Override
  public Optional<org.wsusfix.machine.ConfigFiles> configFiles() {
    return Optional.of(this::fileContent);
  }

  @Override
  public Optional<org.wsusfix.machine.ConfigFileWriter> configFileWriter() {
    return Optional.of(this::configFile);
  }
}
