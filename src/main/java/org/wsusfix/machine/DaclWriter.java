package org.wsusfix.machine;

import java.util.List;
import org.wsusfix.security.SecurityDescriptor;

/**
 * The write half of file and folder DACLs, offered by targets that can change them ({@link
 * Target#daclWriter()}); a read-only target offers none.
 */
public interface DaclWriter {
  /**
   * Writes only the DACL (and its protection and auto-inherit control bits) of {@code path}. Owner,
   * group and SACL are left alone.
   */
  void writeDacl(String path, SecurityDescriptor descriptor);

  /**
   * Reads the descriptors of {@code paths} for a change that follows, keeping the objects open
   * where the target can (SMB), so the write replaces exactly the state read. Either every path is
   * held or none is (the first failure is thrown).
   */
  HeldDescriptors hold(List<String> paths);

  /**
   * Problems that would stop a write to these paths (rights, elevation), found before the first
   * change.
   */
  List<String> daclWriteProblems(List<String> paths);
}
