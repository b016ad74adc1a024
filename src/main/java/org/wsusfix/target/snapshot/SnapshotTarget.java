package org.wsusfix.target.snapshot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.wsusfix.security.Ace;
import org.wsusfix.security.AceFlags;
import org.wsusfix.security.Inheritance;
import org.wsusfix.security.Sddl;
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;
import org.wsusfix.security.WellKnownSids;
import org.wsusfix.target.TargetException;
import org.wsusfix.target.WindowsPaths;
import org.wsusfix.target.memory.MemoryTarget;

/**
 * An offline target from an {@code icacls /save} file. The file has DACLs only: no owners, no
 * groups, no accounts, and no flag that says which names are folders. A name is taken for a folder
 * when the file lists something below it or when its inherited ACEs still carry inheritance flags
 * (files never receive those). Owners are inferred (see {@link #withInferredOwner}).
 */
public final class SnapshotTarget extends MemoryTarget {
  private SnapshotTarget(String description) {
    super(description);
  }

  /**
   * Loads {@code snapshot:FILE?base=DIR&computer=NAME}.
   *
   * @param base the folder the names are relative to (what you would give {@code icacls DIR /restore})
   */
  public static SnapshotTarget load(Path file, String base, Map<String, String> vars) {
    String root = WindowsPaths.normalize(base);
    SnapshotTarget t = new SnapshotTarget("snapshot:" + file + "?base=" + root);
    t.groupsUnknown();
    vars.forEach(t::variable);
    List<IcaclsSaveFile.Entry> entries;
    try {
      entries = IcaclsSaveFile.read(file);
    } catch (IOException e) {
      throw new TargetException(e.getMessage(), e);
    }
    Set<String> parents = new HashSet<>();
    for (IcaclsSaveFile.Entry e : entries) {
      for (String p = WindowsPaths.parent(WindowsPaths.join(root, e.name())); p != null; p = WindowsPaths.parent(p)) {
        parents.add(p.toUpperCase(Locale.ROOT));
      }
    }
    Map<String, SecurityDescriptor> loaded = new HashMap<>();
    for (IcaclsSaveFile.Entry e : entries) {
      String path = WindowsPaths.join(root, e.name());
      SecurityDescriptor sd;
      try {
        sd = Sddl.parse(e.sddl(), null);
      } catch (IllegalArgumentException ex) {
        throw new TargetException(file + ":" + e.line() + ": " + ex.getMessage());
      }
      boolean container = parents.contains(path.toUpperCase(Locale.ROOT)) || carriesInheritance(sd);
      String parent = WindowsPaths.parent(path);
      sd = withInferredOwner(sd, parent == null ? null : loaded.get(WindowsPaths.key(parent)), container);
      loaded.put(WindowsPaths.key(path), sd);
      if (container) {
        t.folder(path, sd);
      } else {
        t.file(path, sd);
      }
    }
    return t;
  }

  /**
   * icacls does not save owners, but re-inheriting CREATOR OWNER entries needs one. The owner is
   * the SID that makes the saved inherited entries come out exactly as they are; failing that,
   * BUILTIN\Administrators, who own what administrators create on a server.
   */
  private static SecurityDescriptor withInferredOwner(SecurityDescriptor sd, SecurityDescriptor parent, boolean container) {
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
      SecurityDescriptor withOwner = new SecurityDescriptor(sd.control(), owner, sd.group(), sd.dacl(), sd.sacl());
      try {
        if (Inheritance.recomputeChild(parent, withOwner, container).semanticallyEquals(withOwner)) {
          return withOwner;
        }
      } catch (RuntimeException unsuitable) {
        // this candidate cannot explain the entries; try the next
      }
    }
    return new SecurityDescriptor(sd.control(), WellKnownSids.ADMINISTRATORS, sd.group(), sd.dacl(), sd.sacl());
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

  @Override
  public void writeDacl(String path, SecurityDescriptor descriptor) {
    throw new TargetException(describe() + " is an offline snapshot: it can be planned against, not changed");
  }

  @Override
  public void addGroupMember(org.wsusfix.security.Sid group, org.wsusfix.security.Sid member) {
    throw new TargetException(describe() + " has no groups to change");
  }

  @Override
  public void removeGroupMember(org.wsusfix.security.Sid group, org.wsusfix.security.Sid member) {
    throw new TargetException(describe() + " has no groups to change");
  }

  @Override
  public List<String> writeProblems(List<String> paths, boolean changesGroups) {
    return List.of(describe() + " is an offline snapshot: plan against it, then apply on the server itself");
  }
}
