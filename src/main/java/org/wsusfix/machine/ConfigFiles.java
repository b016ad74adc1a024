package org.wsusfix.machine;

import java.util.Optional;

/**
 * Configuration files on a target (applicationHost.config), read whole. Offered by targets that can
 * read them ({@link Target#configFiles()}); paths are absolute Windows paths.
 */
public interface ConfigFiles {
  /** Configuration files are small; a bigger one is refused rather than read. */
  long MAX_BYTES = 64L << 20;

  /** The file's bytes, or empty when it does not exist. */
  Optional<byte[]> readFile(String path);
}
