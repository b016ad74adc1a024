package org.wsusfix.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * What a child inherits from its parent, computed the way Windows does it (MS-DTYP 2.5.3.4.2
 * ComputeInheritedACLfromParent; the Win32 "ACE inheritance rules").
 *
 * <p>For every inheritable ACE of the parent's list, in the parent's order:
 *
 * <ul>
 *   <li>A file (non-container) receives an <em>effective</em> copy of every OI ACE: inheritance
 *       flags (OI CI NP IO) cleared, generic rights mapped with the file mapping, CREATOR OWNER /
 *       CREATOR GROUP (and their SERVER forms) replaced by the child's owner / group. CI-only ACEs
 *       do nothing for files.
 *   <li>A folder (container) receives, for a CI ACE with NP, the effective copy only. For a CI ACE
 *       without NP, one ACE with the parent's flags minus IO when nothing needs mapping; when the
 *       ACE holds generic rights or a CREATOR SID Windows splits it into two: the effective copy
 *       first, then the unmapped original with IO added, kept for grandchildren. An OI ACE without
 *       CI reaches a folder only as an inherit-only carrier (flags plus IO, nothing mapped), and
 *       not at all when it has NP.
 *   <li>Object ACEs with an inherited-object-type GUID take effect only on children of that type
 *       ({@code childObjectTypes}; empty for files and folders); on other containers they pass
 *       through as inherit-only carriers when CI is set.
 *   <li>Under auto-inheritance every ACE produced here carries INHERITED_ACE (ID) and the child's
 *       list is marked auto-inherited; without it neither is set. This is what Windows does for new
 *       files: a parent whose DACL is SE_DACL_AUTO_INHERITED (or a write that asks for it with
 *       SE_DACL_AUTO_INHERIT_REQ) gives children AI and ID; a legacy parent gives plain ACEs.
 * </ul>
 *
 * Audit flags (SA FA) and CRITICAL survive on every copy. A generated ACE identical (type, flags,
 * mask, SID, GUIDs) to one already generated for the same child is left out, as Windows' duplicate
 * check does when it builds the inherited list; typically the CREATOR OWNER copy for an owner
 * (SYSTEM, TrustedInstaller, ...) that another inheritable ACE already grants full control. The
 * same rules apply to SACLs, where mandatory-label masks are policy bits and are never
 * generic-mapped.
 *
 * <p>Where Samba differs: Samba's directory-service code ({@code create_descriptor.c}) maps generic
 * rights with the DS mapping, zeroes all flags on the effective copy (losing SA/FA), keeps
 * inherited copies' flags even on leaf objects and drops the inherited-object GUID from the
 * effective copy; its file-server code ({@code se_create_child_secdesc}) does not map generic
 * rights at all and neither drops duplicates. This class follows Windows: file mapping, audit flags
 * kept, leaf copies without inheritance flags, GUIDs kept, duplicates dropped.
 */
public final class Inheritance {
  private Inheritance() {}

  private static final int INHERIT_BITS = AceFlags.INHERITANCE_FLAGS;

  /**
   * The ACEs a child inherits from {@code parentAcl}, with the file generic mapping and no object
   * type. A null list (NULL DACL) or one without inheritable ACEs gives an empty result.
   *
   * @param owner the child's owner, replacing CREATOR OWNER; may be null when no such ACE applies
   * @param group the child's primary group, replacing CREATOR GROUP; may be null likewise
   * @param autoInherit mark the result with INHERITED_ACE (see the class comment)
   */
  public static List<Ace> inheritedAces(
      Acl parentAcl, boolean childIsContainer, Sid owner, Sid group, boolean autoInherit) {
    return inheritedAces(
        parentAcl, childIsContainer, owner, group, autoInherit, Set.of(), AccessMask.FILE_MAPPING);
  }

  /**
   * The DACL entries a child of {@code parent} inherits, auto-inherited (marked ID) exactly when
   * the parent's DACL is SE_DACL_AUTO_INHERITED. A parent without a DACL or with a NULL DACL gives
   * nothing.
   */
  public static List<Ace> inheritedAces(
      SecurityDescriptor parent, boolean childIsContainer, Sid owner, Sid group) {
    Acl parentDacl = parent.daclPresent() ? parent.dacl() : null;
    return inheritedAces(parentDacl, childIsContainer, owner, group, parent.isDaclAutoInherited());
  }

  /** Like the first form, with the child's object types (for object ACEs) and a generic mapping. */
  public static List<Ace> inheritedAces(
      Acl parentAcl,
      boolean childIsContainer,
      Sid owner,
      Sid group,
      boolean autoInherit,
      Set<UUID> childObjectTypes,
      AccessMask.GenericMapping mapping) {
    List<Ace> out = new ArrayList<>();
    if (parentAcl == null) {
      return out;
    }
    List<Ace> generated = new ArrayList<>(2);
    for (Ace ace : parentAcl.aces()) {
      generated.clear();
      inheritOne(
          ace, childIsContainer, owner, group, autoInherit, childObjectTypes, mapping, generated);
      for (Ace copy : generated) {
        // Windows drops a generated ACE identical to one it already generated for this child,
        // e.g. CREATOR OWNER resolving to an owner that the list already grants the same way.
        if (!out.contains(copy)) {
          out.add(copy);
        }
      }
    }
    return out;
  }

  private static void inheritOne(
      Ace ace,
      boolean container,
      Sid owner,
      Sid group,
      boolean auto,
      Set<UUID> childTypes,
      AccessMask.GenericMapping mapping,
      List<Ace> out) {
    int flags = ace.flags();
    boolean oi = (flags & AceFlags.OBJECT_INHERIT) != 0;
    boolean ci = (flags & AceFlags.CONTAINER_INHERIT) != 0;
    boolean np = (flags & AceFlags.NO_PROPAGATE_INHERIT) != 0;
    boolean typeMatches =
        ace.inheritedObjectType() == null || childTypes.contains(ace.inheritedObjectType());
    int id = auto ? AceFlags.INHERITED : 0;
    // Flags that are not about inheritance (SA, FA, CRITICAL) travel with every copy.
    int keep = flags & ~(INHERIT_BITS | AceFlags.INHERITED);

    if (!container) {
      if (oi && typeMatches) {
        out.add(effective(ace, owner, group, mapping, keep | id));
      }
      return;
    }
    if (ci) {
      if (np) {
        if (typeMatches) {
          out.add(effective(ace, owner, group, mapping, keep | id));
        }
        return;
      }
      if (!typeMatches) {
        out.add(ace.withFlags((flags & ~AceFlags.INHERITED) | AceFlags.INHERIT_ONLY | id));
        return;
      }
      if (needsMapping(ace)) {
        out.add(effective(ace, owner, group, mapping, keep | id));
        out.add(ace.withFlags((flags & ~AceFlags.INHERITED) | AceFlags.INHERIT_ONLY | id));
      } else {
        out.add(ace.withFlags((flags & ~(AceFlags.INHERITED | AceFlags.INHERIT_ONLY)) | id));
      }
      return;
    }
    if (oi && !np) {
      // Files below this folder still need it; the folder itself does not.
      out.add(ace.withFlags((flags & ~AceFlags.INHERITED) | AceFlags.INHERIT_ONLY | id));
    }
  }

  /** Generic rights or a CREATOR SID: the effective copy differs from the inheritable original. */
  public static boolean needsMapping(Ace ace) {
    if (ace.type() != AceType.SYSTEM_MANDATORY_LABEL
        && (ace.mask() & AccessMask.GENERIC_BITS) != 0) {
      return true;
    }
    return isCreatorSid(ace.sid());
  }

  static boolean isCreatorSid(Sid sid) {
    return sid.equals(WellKnownSids.CREATOR_OWNER)
        || sid.equals(WellKnownSids.CREATOR_GROUP)
        || sid.equals(WellKnownSids.CREATOR_OWNER_SERVER)
        || sid.equals(WellKnownSids.CREATOR_GROUP_SERVER);
  }

  private static Ace effective(
      Ace ace, Sid owner, Sid group, AccessMask.GenericMapping mapping, int flags) {
    Sid sid = ace.sid();
    if (sid.equals(WellKnownSids.CREATOR_OWNER) || sid.equals(WellKnownSids.CREATOR_OWNER_SERVER)) {
      sid = require(owner, "owner", ace);
    } else if (sid.equals(WellKnownSids.CREATOR_GROUP)
        || sid.equals(WellKnownSids.CREATOR_GROUP_SERVER)) {
      sid = require(group, "primary group", ace);
    }
    int mask = ace.type() == AceType.SYSTEM_MANDATORY_LABEL ? ace.mask() : mapping.map(ace.mask());
    return new Ace(ace.type(), flags, mask, ace.objectType(), ace.inheritedObjectType(), sid);
  }

  private static Sid require(Sid sid, String what, Ace ace) {
    if (sid == null) {
      throw new IllegalArgumentException(
          "the child's "
              + what
              + " is needed to inherit an ACE for "
              + WellKnownSids.nameOf(ace.sid()).orElse(ace.sid().toString()));
    }
    return sid;
  }

  /**
   * The descriptor Windows stores on {@code child} once a change of {@code parent} has been
   * propagated to it, as SetNamedSecurityInfo / SetSecurityInfo with auto-inheritance do.
   *
   * <ul>
   *   <li>DACL: a protected child (SE_DACL_PROTECTED) keeps its DACL and control bits untouched.
   *       Otherwise the new DACL is the child's explicit ACEs (those without ID, in their order,
   *       unchanged) followed by what the parent's DACL gives now, marked ID; control gets
   *       SE_DACL_AUTO_INHERITED. Propagation always runs with auto-inheritance: Windows'
   *       propagation writes the parent with AI and gives every child AI and ID, whatever the child
   *       had before. A child whose DACL was NULL and that inherits nothing keeps its NULL DACL; a
   *       child that ends with no ACE at all gets an empty DACL (no access), as on Windows.
   *   <li>SACL: the same rules with SE_SACL_PROTECTED / SE_SACL_AUTO_INHERITED, applied only when
   *       {@code parent} carries its SACL (SE_SACL_PRESENT). A parent read without its SACL says
   *       nothing about it, so the child's SACL is left as it is.
   *   <li>Owner and group never change. CREATOR OWNER / GROUP resolve to the child's owner and
   *       group.
   * </ul>
   *
   * A child in the pre-Windows-2000 format (neither SE_DACL_AUTO_INHERITED nor protected, its
   * copies of the parent's ACEs without ID) is first converted by Windows
   * (ConvertToAutoInheritPrivateObjectSecurity), which recognises those copies or protects the
   * child. That conversion is not modelled: here every ACE without ID counts as explicit, so such a
   * child should be reported rather than rewritten.
   *
   * @throws IllegalArgumentException when a CREATOR OWNER / GROUP ACE takes effect on the child and
   *     the child's owner / group is not known (read without OWNER / GROUP information)
   */
  public static SecurityDescriptor recomputeChild(
      SecurityDescriptor parent, SecurityDescriptor child, boolean childIsContainer) {
    return computeChild(parent, child, childIsContainer, true);
  }

  /**
   * The child's descriptor after inheriting from {@code parent}. With {@code autoInherit} false the
   * inherited ACEs carry no ID flag and no AI control bit is added (legacy, pre-Windows-2000
   * propagation); explicit ACEs are then the child's ACEs without ID, as with auto-inheritance.
   */
  public static SecurityDescriptor computeChild(
      SecurityDescriptor parent,
      SecurityDescriptor child,
      boolean childIsContainer,
      boolean autoInherit) {
    return computeChild(parent, child, childIsContainer, autoInherit, AccessMask.FILE_MAPPING);
  }

  /**
   * A subkey's descriptor after re-inheriting from its parent key, as RegSetKeySecurity's callers
   * (regedit, SetNamedSecurityInfo) compute it: keys are containers, so only CI entries reach them,
   * and generic rights map with the registry mapping.
   */
  public static SecurityDescriptor recomputeKey(
      SecurityDescriptor parent, SecurityDescriptor child) {
    return computeChild(parent, child, true, true, AccessMask.REGISTRY_MAPPING);
  }

  private static SecurityDescriptor computeChild(
      SecurityDescriptor parent,
      SecurityDescriptor child,
      boolean childIsContainer,
      boolean autoInherit,
      AccessMask.GenericMapping mapping) {
    Objects.requireNonNull(parent, "parent");
    Objects.requireNonNull(child, "child");
    int control = child.control();
    Acl dacl = child.dacl();
    if (!child.isDaclProtected()) {
      Acl parentDacl = parent.daclPresent() ? parent.dacl() : null;
      List<Ace> inherited =
          inheritedAces(
              parentDacl,
              childIsContainer,
              child.owner(),
              child.group(),
              autoInherit,
              Set.of(),
              mapping);
      dacl = merge(child.dacl(), inherited);
      control |= SecurityDescriptor.DACL_PRESENT;
      if (autoInherit) {
        control |= SecurityDescriptor.DACL_AUTO_INHERITED;
      }
      control &= ~SecurityDescriptor.DACL_AUTO_INHERIT_REQ;
      if (dacl == null && child.dacl() == null && !child.daclPresent()) {
        control &= ~SecurityDescriptor.DACL_PRESENT;
      }
    }
    Acl sacl = child.sacl();
    if (parent.has(SecurityDescriptor.SACL_PRESENT)
        && !child.has(SecurityDescriptor.SACL_PROTECTED)) {
      List<Ace> inherited =
          inheritedAces(
              parent.sacl(),
              childIsContainer,
              child.owner(),
              child.group(),
              autoInherit,
              Set.of(),
              mapping);
      Acl merged = merge(child.sacl(), inherited);
      if (merged != null) {
        sacl = merged;
        control |= SecurityDescriptor.SACL_PRESENT;
        if (autoInherit) {
          control |= SecurityDescriptor.SACL_AUTO_INHERITED;
        }
      }
      control &= ~SecurityDescriptor.SACL_AUTO_INHERIT_REQ;
    }
    return new SecurityDescriptor(control, child.owner(), child.group(), dacl, sacl);
  }

  /** Explicit ACEs of {@code current} (unchanged, in order), then {@code inherited}. */
  private static Acl merge(Acl current, List<Ace> inherited) {
    if (current == null) {
      // A NULL list with nothing to inherit stays NULL: there is nothing to write into it.
      return inherited.isEmpty() ? null : Acl.of(inherited);
    }
    List<Ace> aces = new ArrayList<>(current.size() + inherited.size());
    for (Ace ace : current.aces()) {
      if (!ace.isInherited()) {
        aces.add(ace);
      }
    }
    aces.addAll(inherited);
    return current.withAces(aces);
  }

  /**
   * The descriptor a newly created file or folder gets when its creator supplies no DACL: what the
   * parent's DACL (and SACL, when present) gives, with the owner and group given. Auto- inheritance
   * applies when the parent's DACL is SE_DACL_AUTO_INHERITED or {@code autoInheritReq} asks for it.
   * When nothing is inheritable Windows falls back to the creator token's default DACL; this method
   * cannot know that token and returns an empty DACL instead.
   */
  public static SecurityDescriptor newChild(
      SecurityDescriptor parent,
      boolean childIsContainer,
      Sid owner,
      Sid group,
      boolean autoInheritReq) {
    boolean auto = autoInheritReq || parent.isDaclAutoInherited();
    Acl parentDacl = parent.daclPresent() ? parent.dacl() : null;
    List<Ace> dacl = inheritedAces(parentDacl, childIsContainer, owner, group, auto);
    int control = SecurityDescriptor.SELF_RELATIVE | SecurityDescriptor.DACL_PRESENT;
    if (auto) {
      control |= SecurityDescriptor.DACL_AUTO_INHERITED;
    }
    Acl sacl = null;
    if (parent.has(SecurityDescriptor.SACL_PRESENT) && parent.sacl() != null) {
      boolean autoSacl = autoInheritReq || parent.has(SecurityDescriptor.SACL_AUTO_INHERITED);
      List<Ace> inheritedSacl =
          inheritedAces(parent.sacl(), childIsContainer, owner, group, autoSacl);
      if (!inheritedSacl.isEmpty()) {
        sacl = Acl.of(inheritedSacl);
        control |= SecurityDescriptor.SACL_PRESENT;
        if (autoSacl) {
          control |= SecurityDescriptor.SACL_AUTO_INHERITED;
        }
      }
    }
    return new SecurityDescriptor(control, owner, group, Acl.of(dacl), sacl);
  }
}
