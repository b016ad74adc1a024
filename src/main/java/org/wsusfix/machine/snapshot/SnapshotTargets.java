package org.wsusfix.machine.snapshot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.TargetException;
import org.wsusfix.machine.TargetProvider;

/**
 * Opens {@code
 * snapshot:FILE[?base=DIR&computer=NAME&iis=applicationHost.config&rights=SECEDIT.inf]} (found
 * through {@code META-INF/services}). Registry keys are never in a snapshot: they stay unverified.
 */
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
      if (!key.equals("base")
          && !key.equals("computer")
          && !key.equals("iis")
          && !key.equals("rights")) {
        throw new TargetException(
            "unknown snapshot option '" + key + "' (base, computer, iis, rights)");
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
    if (query.containsKey("rights")) {
      Path rights = Path.of(query.get("rights"));
      if (!Files.isRegularFile(rights)) {
        throw new TargetException("secedit file not found: " + rights);
      }
      t.withRights(SeceditRights.load(rights));
    }
    return t;
  }
}
