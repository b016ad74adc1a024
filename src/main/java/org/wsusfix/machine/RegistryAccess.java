package org.wsusfix.machine;

import java.util.List;
import java.util.Optional;
import org.wsusfix.security.SecurityDescriptor;

/**
 * Registry key descriptors on a target ({@link Target#registry()}). Keys are named {@code
 * HKLM\SOFTWARE\...} and compared case-insensitively, as the registry does.
 */
public interface RegistryAccess {
  boolean keyExists(String key);

  /** Owner, group and DACL of a key; SACLs are never read. */
  SecurityDescriptor readKey(String key);

  /** Names of the key's direct subkeys. */
  List<String> subkeys(String key);

  /**
   * A string value (REG_SZ, or REG_EXPAND_SZ as stored, unexpanded) of a key; empty when the key or
   * the value does not exist.
   *
   * @throws TargetException when the key cannot be read or the value is of another type
   */
  Optional<String> stringValue(String key, String name);

  /**
   * Whether a write re-inherits the subkeys by itself (SetNamedSecurityInfo on SE_REGISTRY_KEY
   * does; RegSetKeySecurity over RPC does not, so the caller walks them).
   */
  boolean propagatesBySelf();

  /** How this target changes key DACLs; empty when it cannot. */
  Optional<Writer> writer();

  /** The write half, offered by targets that can change key DACLs. */
  interface Writer {
    /**
     * Writes the DACL of {@code key}. Targets that replace the whole descriptor whatever they are
     * told (Samba) get the owner and group as {@code descriptor} holds them, which are those read.
     */
    void writeKeyDacl(String key, SecurityDescriptor descriptor);

    /** Problems that would stop writing these keys, found before the first change. */
    List<String> keyWriteProblems(List<String> keys);
  }
}
