package org.wsusfix.machine;

import java.util.List;
import java.util.Optional;

/**
 * A target that changes DACLs and local groups itself (the local machine, SMB): it is its own
 * writer for both.
 */
public interface WritableTarget extends Target, DaclWriter, GroupWriter {
  @Override
  default Optional<DaclWriter> daclWriter() {
    return Optional.of(this);
  }

  @Override
  default Optional<GroupWriter> groupWriter() {
    return Optional.of(this);
  }

  /** Reads now and writes later; targets that can keep objects open (SMB) override this. */
  @Override
  default HeldDescriptors hold(List<String> paths) {
    return HeldDescriptors.readNow(this, this, paths);
  }
}
