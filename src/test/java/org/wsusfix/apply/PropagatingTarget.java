package org.wsusfix.apply;

import org.wsusfix.machine.memory.MemoryTarget;
import org.wsusfix.resource.folder.DaclWrites;
import org.wsusfix.resource.folder.Propagation;
import org.wsusfix.security.SecurityDescriptor;

/** A memory target that re-inherits descendants itself on every DACL write, as Windows does. */
final class PropagatingTarget extends MemoryTarget {
  PropagatingTarget(String description) {
    super(description);
  }

  @Override
  public boolean propagatesBySelf() {
    return true;
  }

  @Override
  public void writeDacl(String path, SecurityDescriptor descriptor) {
    super.writeDacl(path, descriptor);
    new Propagation(this)
        .walk(
            path,
            read(path),
            step -> {
              super.writeDacl(step.path(), DaclWrites.forWrite(step.after()));
              return true;
            });
  }
}
