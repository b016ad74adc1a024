package org.wsusfix.apply;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.wsusfix.resource.registry.KeyUndo;
import org.wsusfix.resource.rights.RightChange;
import org.wsusfix.resource.rights.RightUndo;
import org.wsusfix.security.Sddl;
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;

/**
 * The siblings of {@link IcaclsExport} for what icacls cannot restore: registry key DACLs as
 * PowerShell {@code Set-Acl} lines, and user rights as a security template for {@code secedit
 * /configure /areas USER_RIGHTS}. Both hold the first before-state the journal recorded for each
 * key or right.
 */
public final class RestoreRecipes {
  private RestoreRecipes() {}

  /** {@code OUT-registry.ps1} beside {@code out}, or null when the journal changed no key. */
  public static Path writeRegistry(Journal journal, Path out) throws IOException {
    Sid domain = journal.header().domainSid();
    Map<String, String[]> firstBefore = new LinkedHashMap<>();
    for (JournalRecord.Intent intent : journal.intents()) {
      if (intent.payload() instanceof KeyUndo keys) {
        for (List<KeyUndo.Entry> part : List.of(keys.entries(), keys.subkeys())) {
          for (KeyUndo.Entry e : part) {
            firstBefore.putIfAbsent(
                e.key().toUpperCase(Locale.ROOT), new String[] {e.key(), e.before()});
          }
        }
      }
    }
    if (firstBefore.isEmpty()) {
      return null;
    }
    StringBuilder s = new StringBuilder();
    s.append("# Restores the registry key DACLs journaled in ")
        .append(journal.file().getFileName())
        .append(". Run from an elevated PowerShell.\r\n");
    // Parents come first, as the journal has them: Set-Acl re-inherits the subkeys of each key it
    // sets.
    for (String[] k : firstBefore.values()) {
      SecurityDescriptor sd = Sddl.parse(k[1], domain);
      SecurityDescriptor daclOnly =
          new SecurityDescriptor(
              sd.control() & ~SecurityDescriptor.SACL_PRESENT, null, null, sd.dacl(), null);
      String path = quote("Registry::HKEY_LOCAL_MACHINE" + k[0].substring("HKLM".length()));
      s.append("$acl = Get-Acl -LiteralPath ").append(path).append("\r\n");
      s.append("$acl.SetSecurityDescriptorSddlForm(")
          .append(quote(Sddl.format(daclOnly, domain)))
          .append(", 'Access')\r\n");
      s.append("Set-Acl -LiteralPath ").append(path).append(" -AclObject $acl\r\n");
    }
    Path file = sibling(out, "-registry.ps1");
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    // Windows PowerShell 5 reads UTF-8 only with a byte order mark
    b.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    b.write(s.toString().getBytes(StandardCharsets.UTF_8));
    Files.write(file, b.toByteArray());
    return file;
  }

  /** {@code OUT-rights.inf} beside {@code out}, or null when the journal changed no user right. */
  public static Path writeRights(Journal journal, Path out) throws IOException {
    Map<String, List<RightChange.Holder>> firstBefore = new LinkedHashMap<>();
    for (JournalRecord.Intent intent : journal.intents()) {
      if (intent.payload() instanceof RightUndo r) {
        firstBefore.putIfAbsent(r.right(), r.before());
      }
    }
    if (firstBefore.isEmpty()) {
      return null;
    }
    StringBuilder s = new StringBuilder();
    s.append(
        "[Unicode]\r\nUnicode=yes\r\n[Version]\r\nsignature=\"$CHICAGO$\"\r\nRevision=1\r\n[Privilege Rights]\r\n");
    firstBefore.forEach(
        (right, holders) -> {
          List<String> sids = new ArrayList<>();
          holders.forEach(h -> sids.add("*" + h.sid()));
          s.append(right).append(" = ").append(String.join(",", sids)).append("\r\n");
        });
    Path file = sibling(out, "-rights.inf");
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    // as secedit itself writes templates: UTF-16LE with a byte order mark
    b.write(new byte[] {(byte) 0xFF, (byte) 0xFE});
    b.write(s.toString().getBytes(StandardCharsets.UTF_16LE));
    Files.write(file, b.toByteArray());
    return file;
  }

  private static Path sibling(Path out, String suffix) {
    return out.resolveSibling(out.getFileName() + suffix);
  }

  private static String quote(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
