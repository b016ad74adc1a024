package org.wsusfix.machine;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;

/**
 * Where the truth about ACLs and local groups lives: the local machine, a server over SMB, or an
 * offline snapshot. Paths are absolute Windows paths ({@code C:\Windows\Microsoft.NET}) and are
 * compared case-insensitively, as NTFS does.
 */
public interface Target extends AutoCloseable {

  /** How the user named this target, for messages. Not an identity: see {@link #id()}. */
  String describe();

  /**
   * Which server (or file) this is, without the user name or connection options: what locks,
   * plans and undo journals are matched on.
   */
  TargetId id();

  /** Owner, group and DACL of a file or folder; SACLs are never read. */
  SecurityDescriptor read(String path);

  /** Whether the path exists on this target. */
  boolean exists(String path);

  /** Whether the path is a folder (a container for inheritance). */
  boolean isContainer(String path);

  /**
   * Direct children of a folder. Reparse points (junctions, symbolic links) are listed with their
   * flag set so walkers can skip them; they are never followed.
   */
  List<Entry> children(String path);

  /** Whether {@link #children} can enumerate the whole tree (a snapshot without /t cannot). */
  boolean canWalk();

  /** Resolves an account name (not a well-known one; those resolve without a target). */
  Optional<Sid> lookupName(String name);

  /** The account name of a SID, for display. */
  Optional<String> lookupSid(Sid sid);

  /** The machine (account domain) SID, for domain-relative SDDL aliases such as LA. */
  Optional<Sid> machineSid();

  /**
   * Whether accounts and groups can be looked up here. An offline snapshot cannot: names that are
   * not well known stay unresolved and memberships unverified there.
   */
  default boolean hasAccounts() {
    return true;
  }

  /** Members of a local group, or empty when this target cannot tell (an offline snapshot). */
  Optional<Set<Sid>> groupMembers(Sid group);

  /** The local groups that directly contain {@code member}, or empty when unknown. */
  Optional<Set<Sid>> groupsOf(Sid member);

  /** Values of %windir%, %ProgramFiles%, %COMPUTERNAME% ... on this target (lower-case keys). */
  Map<String, String> variables();

  // --- write side: used only by apply and rollback ---

  /**
   * Writes only the DACL (and its protection and auto-inherit control bits) of {@code path}.
   * Owner, group and SACL are left alone.
   */
  default void writeDacl(String path, SecurityDescriptor descriptor) {
    throw new TargetException(describe() + " is read-only");
  }

  /**
   * Reads many descriptors; targets that can overlap round trips (SMB) override this. The result
   * is in the order of {@code paths}.
   */
  default List<SecurityDescriptor> readAll(List<String> paths) {
    List<SecurityDescriptor> out = new java.util.ArrayList<>(paths.size());
    for (String p : paths) {
      out.add(read(p));
    }
    return out;
  }

  /**
   * Reads the descriptors of {@code paths} for a change that follows, keeping the objects open
   * where the target can (SMB), so the write replaces exactly the state read. Either every path
   * is held or none is (the first failure is thrown).
   */
  default HeldDescriptors hold(List<String> paths) {
    return HeldDescriptors.readNow(this, paths);
  }

  /** Whether this target propagates inheritable ACEs to descendants by itself (Windows does). */
  default boolean propagatesBySelf() {
    return false;
  }

  default void addGroupMember(Sid group, Sid member) {
    throw new TargetException(describe() + " is read-only");
  }

  default void removeGroupMember(Sid group, Sid member) {
    throw new TargetException(describe() + " is read-only");
  }

  /** Problems that would stop a write to these paths, found before the first change. */
  default List<String> writeProblems(List<String> paths, boolean changesGroups) {
    return List.of(describe() + " is read-only");
  }

  /** An exclusive lock for apply and rollback on this target; close it to release. */
  default AutoCloseable lock() {
    return () -> {};
  }

  @Override
  default void close() {}

  /** One child of a folder. */
  record Entry(String name, boolean container, boolean reparsePoint) {}
}
