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
   * Which server (or file) this is, without the user name or connection options: what locks, plans
   * and undo journals are matched on.
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

  /**
   * Reads many descriptors; targets that can overlap round trips (SMB) override this. The result is
   * in the order of {@code paths}.
   */
  default List<SecurityDescriptor> readAll(List<String> paths) {
    List<SecurityDescriptor> out = new java.util.ArrayList<>(paths.size());
    for (String p : paths) {
      out.add(read(p));
    }
    return out;
  }

  /** Whether this target propagates inheritable ACEs to descendants by itself (Windows does). */
  default boolean propagatesBySelf() {
    return false;
  }

  // --- write side: used only by apply and rollback ---

  /**
   * How this target changes DACLs; empty when it cannot (it is read-only for them). What a target
   * offers here and in {@link #groupWriter()} is its declaration of what it can change.
   */
  default Optional<DaclWriter> daclWriter() {
    return Optional.empty();
  }

  /** How this target changes local group memberships; empty when it cannot. */
  default Optional<GroupWriter> groupWriter() {
    return Optional.empty();
  }

  /** Registry key descriptors; empty when this target holds none (an offline snapshot). */
  default Optional<RegistryAccess> registry() {
    return Optional.empty();
  }

  /** User rights assignments; empty when this target cannot tell. */
  default Optional<RightsAccess> rights() {
    return Optional.empty();
  }

  /** Configuration files (applicationHost.config); empty when this target cannot read them. */
  default Optional<ConfigFiles> configFiles() {
    return Optional.empty();
  }

  /** How this target replaces configuration files; empty when it cannot. */
  default Optional<ConfigFileWriter> configFileWriter() {
    return Optional.empty();
  }

  /** Why this target changes nothing, for the one line apply and rollback refuse with. */
  default String readOnlyReason() {
    return describe() + " is read-only";
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
