package org.wsusfix.resource.folder;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.WindowsPaths;
import org.wsusfix.resource.WalkProgress;
import org.wsusfix.security.Inheritance;
import org.wsusfix.security.SecurityDescriptor;

/**
 * Walks the descendants of a folder whose DACL changes and works out each one's re-inherited
 * descriptor. A child whose descriptor comes out unchanged is not descended into: its own children
 * inherit from it, and it did not change. Reparse points get their own descriptor updated, as on
 * NTFS, but are never followed.
 */
public final class Propagation {
  private final Target target;
  private final WalkProgress progress;
  private String root;
  private long read;

  public Propagation(Target target) {
    this(target, WalkProgress.NONE);
  }

  /** Reports each folder's children as read to {@code progress} (the total is not known ahead). */
  public Propagation(Target target, WalkProgress progress) {
    this.target = target;
    this.progress = progress;
  }

  /** One descendant whose descriptor changes. */
  public record Step(
      String path, boolean container, SecurityDescriptor before, SecurityDescriptor after) {}

  /**
   * Visits every descendant that changes, parents before children. The visitor returns false to
   * stop the walk early.
   *
   * @return the number of descendants visited
   */
  public long walk(String path, SecurityDescriptor newParent, Predicate<Step> visitor) {
    return walk(path, newParent, null, visitor);
  }

  private long walk(
      String path,
      SecurityDescriptor newParent,
      SecurityDescriptor plannedParent,
      Predicate<Step> visitor) {
    long[] count = {0};
    root = path;
    read = 0;
    try {
      walk(path, newParent, plannedParent, visitor, count);
    } finally {
      progress.finished();
    }
    return count[0];
  }

  /** With a {@code plannedParent}, children are compared with what they inherit from it first. */
  private boolean walk(
      String path,
      SecurityDescriptor parent,
      SecurityDescriptor plannedParent,
      Predicate<Step> visitor,
      long[] count) {
    List<Target.Entry> children = target.children(path);
    List<String> paths = new ArrayList<>(children.size());
    for (Target.Entry child : children) {
      paths.add(WindowsPaths.join(path, child.name()));
    }
    List<SecurityDescriptor> live = target.readAll(paths);
    read += paths.size();
    progress.walked("below " + root, read, -1);
    for (int i = 0; i < children.size(); i++) {
      Target.Entry child = children.get(i);
      SecurityDescriptor before =
          plannedParent == null
              ? live.get(i)
              : Inheritance.recomputeChild(plannedParent, live.get(i), child.container());
      SecurityDescriptor after = Inheritance.recomputeChild(parent, before, child.container());
      if (after.semanticallyEquals(before)) {
        continue;
      }
      count[0]++;
      if (!visitor.test(new Step(paths.get(i), child.container(), before, after))) {
        return false;
      }
      SecurityDescriptor plannedChild = plannedParent == null ? null : before;
      if (child.container()
          && !child.reparsePoint()
          && !walk(paths.get(i), after, plannedChild, visitor, count)) {
        return false;
      }
    }
    return true;
  }

  /**
   * How many descendants would change, without visiting them. When an earlier change of the same
   * plan re-inherits the folder first, {@code plannedParent} is the folder as that change leaves
   * it: descendants are then compared with what they will hold by then, not with what they hold
   * now, so one the earlier change already brings to the result is not counted twice. Null when no
   * earlier change reaches the folder.
   */
  public long count(String path, SecurityDescriptor newParent, SecurityDescriptor plannedParent) {
    return walk(path, newParent, plannedParent, step -> true);
  }
}
