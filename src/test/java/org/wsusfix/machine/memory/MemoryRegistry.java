package org.wsusfix.machine.memory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.wsusfix.machine.RegistryAccess;
import org.wsusfix.machine.RightsAccess;
import org.wsusfix.machine.TargetException;
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;

/**
 * Registry keys and user rights held in memory, as a {@link MemoryTarget} offers them. Key writes
 * replace the whole descriptor and propagate nothing, as Samba's winreg does; the Nth write of
 * either kind can be made to fail.
 */
public final class MemoryRegistry {
  final Keys keyAccess = new Keys();
  final Rights rightsAccess = new Rights();
  private final TreeMap<String, Map.Entry<String, SecurityDescriptor>> keys = new TreeMap<>();
  private final Map<String, Set<Sid>> rights = new LinkedHashMap<>();
  private final Map<String, String> values = new LinkedHashMap<>();
  private String valuesDenied;
  private boolean writable = true;
  private int writes;
  private int failWrite = -1;

  public MemoryRegistry key(String key, SecurityDescriptor sd) {
    keys.put(id(key), Map.entry(key, sd));
    return this;
  }

  /** A string value of an existing key. */
  public MemoryRegistry value(String key, String name, String text) {
    values.put(id(key) + "\0" + id(name), text);
    return this;
  }

  /** Every value read fails with {@code why}, as a remote registry that refuses this account. */
  public MemoryRegistry valuesDenied(String why) {
    valuesDenied = why;
    return this;
  }

  public MemoryRegistry right(String right, Sid... holders) {
    rights.put(right, new LinkedHashSet<>(List.of(holders)));
    return this;
  }

  public MemoryRegistry readOnly() {
    writable = false;
    return this;
  }

  /** The {@code n}th write (1-based, keys and rights counted together) throws. */
  public MemoryRegistry failWrite(int n) {
    failWrite = n;
    writes = 0;
    return this;
  }

  public Map<String, SecurityDescriptor> descriptors() {
    Map<String, SecurityDescriptor> out = new LinkedHashMap<>();
    keys.values().forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  public Map<String, Set<Sid>> assignments() {
    Map<String, Set<Sid>> out = new LinkedHashMap<>();
    rights.forEach((k, v) -> out.put(k, Set.copyOf(v)));
    return out;
  }

  private static String id(String key) {
    return key.toUpperCase(Locale.ROOT);
  }

  private void count(String what) {
    if (++writes == failWrite) {
      throw new TargetException(what + ": injected write failure");
    }
  }

  /** The keys, as a target offers them. */
  final class Keys implements RegistryAccess, RegistryAccess.Writer {
    @Override
    public boolean keyExists(String key) {
      return keys.containsKey(id(key));
    }

    @Override
    public SecurityDescriptor readKey(String key) {
      Map.Entry<String, SecurityDescriptor> e = keys.get(id(key));
      if (e == null) {
        throw new TargetException(key + ": no such key");
      }
      return e.getValue();
    }

    @Override
    public List<String> subkeys(String key) {
      String prefix = id(key) + "\\";
      List<String> out = new ArrayList<>();
      for (Map.Entry<String, Map.Entry<String, SecurityDescriptor>> e :
          keys.tailMap(prefix).entrySet()) {
        if (!e.getKey().startsWith(prefix)) {
          break;
        }
        String rest = e.getValue().getKey().substring(prefix.length());
        if (rest.indexOf('\\') < 0) {
          out.add(rest);
        }
      }
      return out;
    }

    @Override
    public Optional<String> stringValue(String key, String name) {
      if (valuesDenied != null) {
        throw new TargetException(valuesDenied);
      }
      return Optional.ofNullable(values.get(id(key) + "\0" + id(name)));
    }

    @Override
    public boolean propagatesBySelf() {
      return false;
    }

    @Override
    public Optional<RegistryAccess.Writer> writer() {
      return writable ? Optional.of((RegistryAccess.Writer) this) : Optional.empty();
    }

    @Override
    public void writeKeyDacl(String key, SecurityDescriptor descriptor) {
      readKey(key);
      count(key);
      keys.put(id(key), Map.entry(keys.get(id(key)).getKey(), descriptor));
    }

    @Override
    public List<String> keyWriteProblems(List<String> list) {
      return list.stream().filter(k -> !keyExists(k)).map(k -> k + ": no such key").toList();
    }
  }

  /** The user rights, as a target offers them. */
  final class Rights implements RightsAccess, RightsAccess.Writer {
    @Override
    public Holders holders(String right) {
      return new Holders(rights.getOrDefault(right, Set.of()), List.of());
    }

    @Override
    public Optional<RightsAccess.Writer> writer() {
      return writable ? Optional.of((RightsAccess.Writer) this) : Optional.empty();
    }

    @Override
    public void addRight(Sid account, String right) {
      count(right);
      if (!rights.computeIfAbsent(right, r -> new LinkedHashSet<>()).add(account)) {
        throw new TargetException(account + " already holds " + right);
      }
    }

    @Override
    public void removeRight(Sid account, String right) {
      count(right);
      Set<Sid> holders = rights.get(right);
      if (holders == null || !holders.remove(account)) {
        throw new TargetException(account + " does not hold " + right);
      }
    }

    @Override
    public List<String> rightsWriteProblems() {
      return List.of();
    }
  }
}
