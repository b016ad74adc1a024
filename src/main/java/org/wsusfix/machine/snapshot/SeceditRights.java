package org.wsusfix.machine.snapshot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.wsusfix.machine.RightsAccess;
import org.wsusfix.machine.TargetException;
import org.wsusfix.security.Sid;

/**
 * User rights from {@code secedit /export /areas USER_RIGHTS /cfg FILE}: UTF-16LE with a BOM, the
 * section {@code [Privilege Rights]} with lines {@code SeRight = *S-1-5-32-544,*S-1-5-6,name}.
 * Rights nobody holds are omitted, so a right absent from the file has no holders. Accounts the
 * exporting machine could not name by SID are written as plain names: those stay unresolved.
 * Read-only.
 */
final class SeceditRights implements RightsAccess {
  private final Map<String, Holders> rights;

  private SeceditRights(Map<String, Holders> rights) {
    this.rights = rights;
  }

  static SeceditRights load(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new TargetException(file + ": cannot read the secedit file");
    }
    String text;
    if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xFE) {
      text = new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_16LE);
    } else if (bytes.length >= 3
        && (bytes[0] & 0xFF) == 0xEF
        && (bytes[1] & 0xFF) == 0xBB
        && (bytes[2] & 0xFF) == 0xBF) {
      text = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
    } else {
      throw new TargetException(
          file + ":1: not a secedit export (secedit writes UTF-16LE with a byte order mark)");
    }
    Map<String, Holders> out = new LinkedHashMap<>();
    String section = null;
    boolean sawSection = false;
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      int number = i + 1;
      if (line.isEmpty() || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        section = line.substring(1, line.length() - 1);
        sawSection |= section.equalsIgnoreCase("Privilege Rights");
        continue;
      }
      if (section == null || !section.equalsIgnoreCase("Privilege Rights")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new TargetException(
            file + ":" + number + ": expected 'SeRight = *SID,...' in [Privilege Rights]");
      }
      String right = line.substring(0, eq).strip();
      if (out.containsKey(right)) {
        throw new TargetException(file + ":" + number + ": " + right + " is listed twice");
      }
      Set<Sid> sids = new LinkedHashSet<>();
      List<String> names = new ArrayList<>();
      for (String item : line.substring(eq + 1).split(",")) {
        String holder = item.strip();
        if (holder.isEmpty()) {
          continue;
        }
        if (holder.startsWith("*")) {
          try {
            sids.add(Sid.parse(holder.substring(1)));
          } catch (IllegalArgumentException e) {
            throw new TargetException(file + ":" + number + ": '" + holder + "' is not a SID");
          }
        } else {
          names.add(holder);
        }
      }
      out.put(right, new Holders(sids, names));
    }
    if (!sawSection) {
      throw new TargetException(
          file
              + ": has no [Privilege Rights] section (export it with"
              + " secedit /export /areas USER_RIGHTS /cfg FILE)");
    }
    return new SeceditRights(out);
  }

  @Override
  public Holders holders(String right) {
    return rights.getOrDefault(right, new Holders(Set.of(), List.of()));
  }

  @Override
  public Optional<Writer> writer() {
    return Optional.empty();
  }
}
