package org.wsusfix.machine.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.wsusfix.machine.ConfigFiles;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.TargetException;
import org.wsusfix.machine.TargetId;
import org.wsusfix.machine.WindowsPaths;
import org.wsusfix.security.Ace;
import org.wsusfix.security.AceFlags;
import org.wsusfix.security.Inheritance;
import org.wsusfix.security.Sddl;
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;
import org.wsusfix.security.WellKnownSids;

/**
 * An offline target from an {@code icacls /save} file. The file has DACLs only: no owners, no
 * groups, no accounts, and no flag that says which names are folders. A name is taken for a folder
 * when the file lists something below it or when its inherited ACEs still carry inheritance flags
 * (files never receive those). Owners are inferred (see {@link #withInferredOwner}).
 */
public final class SnapshotTarget implements Target {
  private final String description;
  private final TargetId id;
  private final Map<String, String> variables = new HashMap<>();
  private final TreeMap<String, Node> nodes = new TreeMap<>();

  private record Node(String path, boolean container, SecurityDescriptor sd) {}

  /** User rights from a secedit export, when the snapshot came with one. */
  private SeceditRights rights;

  private SnapshotTarget(String description, Path file, Map<String, String> vars) {
    this.description = description;
    this.id = new TargetId("snapshot", file.toAbsolutePath().normalize().toString());
    variables.put("windir", "C:\\Windows");
    variables.put("systemroot", "C:\\Windows");
    variables.put("systemdrive", "C:");
    variables.put("programfiles", "C:\\Program Files");
    variables.put("programdata", "C:\\ProgramData");
    variables.put("computername", "WSUS01");
    vars.forEach((k, v) -> variables.put(k.toLowerCase(Locale.ROOT), v));
  }

  /**
   * Loads {@code snapshot:FILE?base=DIR&computer=NAME}.
   *
   * @param base the folder the names are relative to (what you would give {@code icacls DIR
   *     /restore})
   */
  public static SnapshotTarget load(Path file, String base, Map<String, String> vars) {
    String root = WindowsPaths.normalize(base);
    SnapshotTarget t = new SnapshotTarget("snapshot:" + file + "?base=" + root, file, vars);
    List<IcaclsSaveFile.Entry> entries;
    try {
      entries = IcaclsSaveFile.read(file);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new TargetException(file + ": no such file", e);
    } catch (java.nio.file.AccessDeniedException e) {
      throw new TargetException(file + ": permission denied", e);
    } catch (IOException e) {
      // Our own readers' messages name the file and say what is wrong; the JDK's may be bare.
      String m = e.getMessage();
      throw new TargetException(
          m != null && m.startsWith(file.toString()) ? m : file + ": cannot read the snapshot", e);
    }
    Set<String> parents = new HashSet<>();
    for (IcaclsSaveFile.Entry e : entries) {
      for (String p = WindowsPaths.parent(WindowsPaths.join(root, e.name()));
          p != null;
          p = WindowsPaths.parent(p)) {
        parents.add(p.toUpperCase(Locale.ROOT));
      }
    }
    Map<String, SecurityDescriptor> loaded = new HashMap<>();
    Map<String, Integer> firstLine = new HashMap<>();
    for (IcaclsSaveFile.Entry e : entries) {
      // A second entry must not silently replace the first: which one icacls /restore applies is
      // not ours to guess.
      Integer seen =
          firstLine.putIfAbsent(WindowsPaths.key(WindowsPaths.join(root, e.name())), e.line() - 1);
      if (seen != null) {
        throw new TargetException(
            file
                + ":"
                + (e.line() - 1)
                + ": "
                + e.name()
                + " is listed twice (first at line "
                + seen
                + "); a snapshot holds one entry per path");
      }
      String path = WindowsPaths.join(root, e.name());
      SecurityDescriptor sd;
      try {
        sd = Sddl.parse(e.sddl(), null);
      } catch (IllegalArgumentException ex) {
        throw new TargetException(file + ":" + e.line() + ": " + ex.getMessage());
      }
      boolean container = parents.contains(path.toUpperCase(Locale.ROOT)) || carriesInheritance(sd);
      String parent = WindowsPaths.parent(path);
      sd =
          withInferredOwner(
              sd, parent == null ? null : loaded.get(WindowsPaths.key(parent)), container);
      loaded.put(WindowsPaths.key(path), sd);
      String p = WindowsPaths.normalize(path);
      t.nodes.put(WindowsPaths.key(p), new Node(p, container, sd));
    }
    return t;
  }

  /**
   * icacls does not save owners, but re-inheriting CREATOR OWNER entries needs one. The owner is
   * the SID that makes the saved inherited entries come out exactly as they are; failing that,
   * BUILTIN\Administrators, who own what administrators create on a server.
   */
  private static SecurityDescriptor withInferredOwner(
      SecurityDescriptor sd, SecurityDescriptor parent, boolean container) {
    if (parent == null || sd.isDaclProtected()) {
      return sd; // nothing is re-inherited here, so the owner never matters
    }
    Set<Sid> candidates = new LinkedHashSet<>();
    if (sd.dacl() != null) {
      for (Ace ace : sd.dacl().aces()) {
        if (ace.isInherited() && ace.inheritance() == 0) {
          candidates.add(ace.sid());
        }
      }
    }
    for (Sid owner : candidates) {
      SecurityDescriptor withOwner =
          new SecurityDescriptor(sd.control(), owner, sd.group(), sd.dacl(), sd.sacl());
      try {
        if (Inheritance.recomputeChild(parent, withOwner, container)
            .semanticallyEquals(withOwner)) {
          return withOwner;
        }
      } catch (RuntimeException unsuitable) {
        // this candidate cannot explain the entries; try the next
      }
    }
    return new SecurityDescriptor(
        sd.control(), WellKnownSids.ADMINISTRATORS, sd.group(), sd.dacl(), sd.sacl());
  }

  private static boolean carriesInheritance(SecurityDescriptor sd) {
    if (sd.dacl() == null) {
      return false;
    }
    for (Ace ace : sd.dacl().aces()) {
      if ((ace.flags() & (AceFlags.OBJECT_INHERIT | AceFlags.CONTAINER_INHERIT)) != 0) {
        return true;
      }
    }
    return false;
  }

  /** Adds the user rights of {@code rights=SECEDIT.inf}. */
  SnapshotTarget withRights(SeceditRights r) {
    this.rights = r;
    return this;
  }

  // --- reading ---

  @Override
  public Optional<org.wsusfix.machine.RightsAccess> rights() {
    return Optional.ofNullable(rights);
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public TargetId id() {
    return id;
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
      if (!WindowsPaths.key(n.path).startsWith(prefix)) {
        break;
      }
      String rest = n.path.substring(prefix.length());
      if (!rest.isEmpty() && rest.indexOf('\\') < 0) {
        out.add(new Entry(rest, n.container, false)); // icacls /save records no reparse points
      }
    }
    return out;
  }

  @Override
  public boolean canWalk() {
    return true;
  }

  /** A snapshot has no accounts: only well-known names resolve (without asking the target). */
  @Override
  public Optional<Sid> lookupName(String name) {
    return Optional.empty();
  }

  @Override
  public Optional<String> lookupSid(Sid sid) {
    return Optional.empty();
  }

  @Override
  public Optional<Sid> machineSid() {
    return Optional.empty();
  }

  @Override
  public boolean hasAccounts() {
    return false;
  }

  @Override
  public Optional<Set<Sid>> groupMembers(Sid group) {
    return Optional.empty();
  }

  @Override
  public Optional<Set<Sid>> groupsOf(Sid member) {
    return Optional.empty();
  }

  @Override
  public Map<String, String> variables() {
    return Map.copyOf(variables);
  }

  // A snapshot is evidence: it offers no writer, so apply and rollback refuse before any change.

  @Override
  public String readOnlyReason() {
    return describe() + " is an offline snapshot: plan against it, then apply on the server itself";
  }

  private Path iisConfig;

  /** Serves a copy of applicationHost.config (read-only) as the server's own. */
  void withIisConfig(Path file) {
    iisConfig = file;
  }

  @Override
  public Optional<ConfigFiles> configFiles() {
    if (iisConfig == null) {
      return Optional.empty();
    }
    return Optional.of(
        path -> {
          // An IIS 6 MetaBase.xml copy stands for the metabase, anything else for
          // applicationHost.config.
          boolean metabase =
              iisConfig.getFileName().toString().toLowerCase(Locale.ROOT).contains("metabase");
          String served =
              metabase ? "\\INETSRV\\METABASE.XML" : "\\INETSRV\\CONFIG\\APPLICATIONHOST.CONFIG";
          if (!WindowsPaths.key(path).endsWith(served)) {
            return Optional.empty();
          }
          try {
            if (Files.size(iisConfig) > ConfigFiles.MAX_BYTES) {
              throw new TargetException(
                  iisConfig + ": larger than " + (ConfigFiles.MAX_BYTES >> 20) + " MB");
            }
            return Optional.of(Files.readAllBytes(iisConfig));
          } catch (java.io.IOException e) {
            throw new TargetException(iisConfig + ": cannot read: " + e.getMessage());
          }
        });
  }
}
