package org.wsusfix.machine;

/**
 * Replaces configuration files, offered by targets that can ({@link Target#configFileWriter()}). A
 * reader of the file (IIS) sees the old content or the new one, never a mix: the new content is
 * written beside the file, flushed, and renamed over it.
 */
public interface ConfigFileWriter {
  void replaceFile(String path, byte[] content);
}
