package org.wsusfix.apply;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.wsusfix.machine.WindowsPaths;
import org.wsusfix.machine.snapshot.IcaclsSaveFile;
import org.wsusfix.resource.folder.DaclUndo;
import org.wsusfix.security.Sddl;
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;

/**
 * Turns an undo journal into an {@code icacls /save} file, so an administrator can restore the
 * before-states with Windows' own tool. Only DACLs travel that way: group memberships are listed by
 * the rollback command, not exported.
 */
public final class IcaclsExport {
  private IcaclsExport() {}

  /** Whether the journal records a file or folder DACL change. */
  public static boolean hasDacls(Journal journal) {
    return journal.intents().stream().anyMatch(i -> i.payload() instanceof DaclUndo);
  }

  /** Writes the file and returns the folder to give {@code icacls DIR /restore}. */
  public static String write(Journal journal, Path out) throws IOException {
    Sid domain = journal.header().domainSid();
    // The first before-state recorded for a path is the one to go back to.
    Map<String, String[]> firstBefore = new LinkedHashMap<>();
    for (JournalRecord.Intent intent : journal.intents()) {
      if (!(intent.payload() instanceof DaclUndo dacl)) {
        continue;
      }
      for (List<DaclUndo.Entry> part : List.of(dacl.entries(), dacl.descendants())) {
        for (DaclUndo.Entry e : part) {
          String path = WindowsPaths.normalize(e.path());
          firstBefore.putIfAbsent(WindowsPaths.key(path), new String[] {path, e.before()});
        }
      }
    }
    if (firstBefore.isEmpty()) {
      throw new IOException("the journal records no DACL change to export");
    }
    String base = null;
    for (String[] p : firstBefore.values()) {
      String parent = WindowsPaths.parent(p[0]);
      base = base == null ? parent : commonFolder(base, parent);
    }
    List<IcaclsSaveFile.Entry> entries = new ArrayList<>();
    for (String[] p : firstBefore.values()) {
      SecurityDescriptor sd = Sddl.parse(p[1], domain);
      // icacls saves the DACL alone; its control bits travel in the D: flags.
      SecurityDescriptor daclOnly =
          new SecurityDescriptor(
              sd.control() & ~(SecurityDescriptor.SACL_PRESENT), null, null, sd.dacl(), null);
      String name = p[0].substring(base.endsWith("\\") ? base.length() : base.length() + 1);
      entries.add(new IcaclsSaveFile.Entry(name, Sddl.format(daclOnly, domain), 0));
    }
    IcaclsSaveFile.write(out, entries);
    return base;
  }

  private static String commonFolder(String a, String b) {
    String x = a;
    while (x != null && !WindowsPaths.isWithin(b, x)) {
      x = WindowsPaths.parent(x);
    }
    if (x == null) {
      throw new IllegalArgumentException(
          "paths on different drives cannot go in one icacls file: " + a + ", " + b);
    }
    return x;
  }
}
