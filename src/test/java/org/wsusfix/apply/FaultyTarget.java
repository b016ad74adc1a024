package org.wsusfix.apply;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.wsusfix.machine.TargetException;
import org.wsusfix.machine.WindowsPaths;
import org.wsusfix.machine.WritableTarget;
import org.wsusfix.machine.memory.MemoryTarget;
import org.wsusfix.security.Acl;
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;

/**
 * Delegates to a memory target, records every write, and fails the Nth DACL write, the Nth
 * read-back of a written path, or the Nth membership change, in the way asked.
 */
public final class FaultyTarget implements WritableTarget {
  public enum Fault {
    /** Throws; nothing changed. */
    THROW_BEFORE,
    /** Makes the change, then throws (a lost reply). */
    THROW_AFTER,
    /** Stores or returns a DACL with its first entry missing, without an error. */
    MANGLE,
    /** Membership: reports success but changes nothing. */
    IGNORE,
    /**
     * Makes the change, then fails with an exception that is not a TargetException (a broken
     * connection).
     */
    UNCHECKED_AFTER,
    /** The process dies before the write reaches the disk. */
    KILL_BEFORE,
    /** The process dies right after the write. */
    KILL_AFTER
  }

  /** Stands for the process being killed: nothing in wsusfix catches an Error. */
  static final class Killed extends Error {
    Killed() {
      super("killed");
    }
  }

  record Write(String path, int control) {}

  final MemoryTarget inner;
  final List<Write> writes = new ArrayList<>();
  final List<String> membershipCalls = new ArrayList<>();
  private final Set<String> written = new HashSet<>();
  private int writeCount;
  private int readBackCount;
  private int memberCount;
  private int failWrite = -1;
  private Fault writeFault;
  private int failReadBack = -1;
  private Fault readBackFault;
  private int failMember = -1;
  private Fault memberFault;

  public FaultyTarget(MemoryTarget inner) {
    this.inner = inner;
  }

  public FaultyTarget failWrite(int n, Fault how) {
    failWrite = n;
    writeFault = how;
    return this;
  }

  public FaultyTarget failReadBack(int n, Fault how) {
    failReadBack = n;
    readBackFault = how;
    return this;
  }

  public FaultyTarget failMembership(int n, Fault how) {
    failMember = n;
    memberFault = how;
    return this;
  }

  public int writeCount() {
    return writeCount;
  }

  static SecurityDescriptor mangled(SecurityDescriptor sd) {
    List<org.wsusfix.security.Ace> aces = new ArrayList<>(sd.dacl().aces());
    aces.remove(0);
    return sd.withDacl(Acl.of(aces));
  }

  @Override
  public void writeDacl(String path, SecurityDescriptor descriptor) {
    writes.add(new Write(WindowsPaths.normalize(path), descriptor.control()));
    written.add(WindowsPaths.key(path));
    if (++writeCount == failWrite) {
      switch (writeFault) {
        case THROW_BEFORE -> throw new TargetException(path + ": injected write failure");
        case THROW_AFTER -> {
          inner.writeDacl(path, descriptor);
          throw new TargetException(path + ": injected failure after the write");
        }
        case MANGLE -> {
          inner.writeDacl(path, mangled(descriptor));
          return;
        }
        case UNCHECKED_AFTER -> {
          inner.writeDacl(path, descriptor);
          throw new java.io.UncheckedIOException(new java.io.IOException("connection reset"));
        }
        case KILL_BEFORE -> throw new Killed();
        case KILL_AFTER -> {
          inner.writeDacl(path, descriptor);
          throw new Killed();
        }
        default -> throw new IllegalStateException();
      }
    }
    inner.writeDacl(path, descriptor);
  }

  @Override
  public SecurityDescriptor read(String path) {
    SecurityDescriptor sd = inner.read(path);
    if (written.contains(WindowsPaths.key(path)) && ++readBackCount == failReadBack) {
      if (readBackFault == Fault.MANGLE) {
        return mangled(sd);
      }
      throw new TargetException(path + ": injected read failure");
    }
    return sd;
  }

  private void member(Sid group, Sid member, boolean add) {
    membershipCalls.add((add ? "add " : "remove ") + member + " " + group);
    if (++memberCount == failMember) {
      switch (memberFault) {
        case THROW_BEFORE -> throw new TargetException("injected membership failure");
        case THROW_AFTER -> {
          change(group, member, add);
          throw new TargetException("injected failure after the membership change");
        }
        case IGNORE -> {
          return;
        }
        default -> throw new IllegalStateException();
      }
    }
    change(group, member, add);
  }

  private void change(Sid group, Sid member, boolean add) {
    if (add) {
      inner.addGroupMember(group, member);
    } else {
      inner.removeGroupMember(group, member);
    }
  }

  @Override
  public void addGroupMember(Sid group, Sid member) {
    member(group, member, true);
  }

  @Override
  public void removeGroupMember(Sid group, Sid member) {
    member(group, member, false);
  }

  // --- plain delegation ---

  @Override
  public org.wsusfix.machine.TargetId id() {
    return inner.id();
  }

  @Override
  public String describe() {
    return inner.describe();
  }

  @Override
  public boolean exists(String path) {
    return inner.exists(path);
  }

  @Override
  public boolean isContainer(String path) {
    return inner.isContainer(path);
  }

  @Override
  public List<Entry> children(String path) {
    return inner.children(path);
  }

  @Override
  public boolean propagatesBySelf() {
    return inner.propagatesBySelf();
  }

  @Override
  public boolean canWalk() {
    return inner.canWalk();
  }

  @Override
  public Optional<Sid> lookupName(String name) {
    return inner.lookupName(name);
  }

  @Override
  public Optional<String> lookupSid(Sid sid) {
    return inner.lookupSid(sid);
  }

  @Override
  public Optional<Sid> machineSid() {
    return inner.machineSid();
  }

  @Override
  public Optional<Set<Sid>> groupMembers(Sid group) {
    return inner.groupMembers(group);
  }

  @Override
  public Optional<Set<Sid>> groupsOf(Sid member) {
    return inner.groupsOf(member);
  }

  @Override
  public Map<String, String> variables() {
    return inner.variables();
  }

  @Override
  public List<String> groupWriteProblems() {
    return List.of();
  }

  @Override
  public List<String> daclWriteProblems(List<String> paths) {
    return inner.daclWriteProblems(paths);
  }

  @Override
  public AutoCloseable lock() {
    return inner.lock();
  }
}
