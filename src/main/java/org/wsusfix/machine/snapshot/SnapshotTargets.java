package org.wsusfix.machine.snapshot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.TargetException;
import org.wsusfix.machine.TargetProvider;

/** Opens {@code snapshot:FILE[?base=DIR&computer=NAME&iis=applicationHost.config]} (found through {@code META-INF/services}). */
public final class SnapshotTargets implements TargetProvider {
  @Override
  public String scheme() {
    return "snapshot";
  }

  @Override
  public Target open(String spec, Map<String, String> query, Map<String, String> vars) {
    String file = spec.substring("snapshot:".length());
    Path path = Path.of(file);
    if (!Files.exists(path)) {
      // Devices, pipes, directories and oversized files are refused by the reader, with why.
      throw new TargetException("snapshot file not found: " + file);
    }
    String base = query.getOrDefault("base", vars.getOrDefault("windir", "C:\\Windows"));
    Map<String, String> v = new LinkedHashMap<>(vars);
    if (query.containsKey("computer")) {
      v.put("computername", query.get("computer"));
    }
    for (String key : query.keySet()) {
      if (!key.equals("base") && !key.equals("computer") && !key.equals("iis")) {
        throw new TargetException("unknown snapshot option '" + key + "' (base, computer, iis)");
      }
    }
    SnapshotTarget t = SnapshotTarget.load(path, base, v);
    if (query.containsKey("iis")) {
      Path iis = Path.of(query.get("iis"));
      if (!Files.isRegularFile(iis)) {
        throw new TargetException("IIS configuration file not found: " + query.get("iis"));
      }
      t.withIisConfig(iis);
    }
    return t;
  }
}
