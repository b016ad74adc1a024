package org.wsusfix.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.wsusfix.security.AccessMask;
import org.wsusfix.security.AceFlags;
import org.wsusfix.security.SddlAliases;
import org.wsusfix.security.Sid;
import org.wsusfix.security.WellKnownSids;

/**
 * The value-level rules of the policy format: trustees, rights, inheritance flags and paths. Each
 * method either returns the parsed value or throws {@link InvalidValue} with the problem and a
 * hint; the loader adds the location.
 */
public final class PolicySyntax {
  private PolicySyntax() {}

  // ---------------------------------------------------------------- trustees

  private static final Pattern SID_LIKE = Pattern.compile("^[Ss]-\\d.*");
  private static final Pattern TWO_UPPER = Pattern.compile("^[A-Z]{2}$");

  /** Characters Windows refuses in user and group names (and in NetBIOS domain names). */
  private static final String FORBIDDEN_IN_NAMES = "\"/\\[]:;|=,+*?<>";

  /**
   * Classifies and checks a trustee as written in a policy: {@code S-1-...} is a SID, two
   * upper-case letters that form an SDDL SID alias ({@code BU}) are an alias, anything else is an
   * account name ({@code BUILTIN\Users}, {@code IUSR_%COMPUTERNAME%}, {@code user@example.com}).
   */
  public static Trustee trustee(String text, SourceLocation at) throws InvalidValue {
    if (text == null || text.isEmpty()) {
      throw new InvalidValue(
          "empty trustee",
          "write a SID (S-1-5-32-545), an SDDL alias (BU) or a name (BUILTIN\\Users)");
    }
    if (!text.equals(text.strip())) {
      throw new InvalidValue(
          "trustee '" + text + "' starts or ends with white space", "remove the spaces");
    }
    if (SID_LIKE.matcher(text).matches()) {
      try {
        return new Trustee(Sid.parse(text).toString(), Trustee.Kind.SID, at);
      } catch (IllegalArgumentException e) {
        String why =
            e.getMessage() == null
                ? ""
                : e.getMessage().contains("too many")
                    ? ": more than 15 sub-authorities"
                    : e.getMessage().contains("out of range") ? ": a number is out of range" : "";
        throw new InvalidValue(
            "malformed SID '" + text + "'" + why,
            "a SID looks like S-1-5-32-545: 'S-1-', an authority, then up to 15 decimal numbers separated by '-'");
      }
    }
    if (TWO_UPPER.matcher(text).matches()) {
      if (isSddlAlias(text)) {
        return new Trustee(text, Trustee.Kind.ALIAS, at);
      }
      // No "did you mean": every alias is one letter away from several others (BV: BA? BU?), and
      // guessing Administrators for Users would be a dangerous hint.
      throw new InvalidValue(
          "unknown SDDL alias '" + text + "'",
          "common aliases: BU (Users), BA (Administrators), AU (Authenticated Users), WD (Everyone), "
              + "NS (NETWORK SERVICE), SY (SYSTEM), IS (IIS_IUSRS); for an account of this name write '%COMPUTERNAME%\\"
              + text
              + "'");
    }
    checkAccountName(text);
    return new Trustee(text, Trustee.Kind.NAME, at);
  }

  private static void checkAccountName(String text) throws InvalidValue {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new InvalidValue("control character in account name '" + printable(text) + "'", null);
      }
      if (isHidden(c)) {
        throw new InvalidValue(
            "invisible or text-reordering character "
                + codePoint(c)
                + " in account name '"
                + printable(text)
                + "'",
            "such characters make a name look like another; type the name again");
      }
    }
    checkNameVariables(text);
    int at = text.indexOf('@');
    if (at >= 0 && text.indexOf('\\') < 0) {
      // user@example.com (a user principal name) is accepted by LookupAccountName.
      if (at == 0 || at == text.length() - 1 || text.indexOf('@', at + 1) >= 0) {
        throw new InvalidValue(
            "malformed account name '" + text + "'", "write user@domain.example or DOMAIN\\user");
      }
      checkNamePart(text, text.substring(0, at), "user name", "@");
      return;
    }
    int slash = text.indexOf('\\');
    if (slash >= 0) {
      if (text.indexOf('\\', slash + 1) >= 0) {
        throw new InvalidValue(
            "account name '" + text + "' has more than one '\\'", "write DOMAIN\\name");
      }
      String domain = text.substring(0, slash);
      String account = text.substring(slash + 1);
      if (domain.isEmpty() || account.isEmpty()) {
        throw new InvalidValue(
            "account name '" + text + "' has an empty part around '\\'", "write DOMAIN\\name");
      }
      checkNamePart(text, domain, "domain name", "@");
      checkNamePart(text, account, "account name", "@");
    } else {
      checkNamePart(text, text, "account name", "@");
    }
  }

  private static void checkNamePart(String whole, String part, String what, String alsoForbidden)
      throws InvalidValue {
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (FORBIDDEN_IN_NAMES.indexOf(c) >= 0 || alsoForbidden.indexOf(c) >= 0) {
        throw new InvalidValue(
            "character '" + c + "' is not allowed in " + what + " '" + whole + "'",
            "Windows account names cannot contain \" / \\ [ ] : ; | = , + * ? < > @");
      }
    }
    if (part.chars().allMatch(c -> c == '.' || c == ' ')) {
      throw new InvalidValue(
          "the " + what + " in '" + whole + "' consists of dots and spaces only", null);
    }
    if (!part.equals(part.strip())) {
      throw new InvalidValue(
          "the " + what + " in '" + whole + "' starts or ends with a space", null);
    }
  }

  /** Account names may use %COMPUTERNAME% (IUSR_%COMPUTERNAME%), nothing else. */
  private static void checkNameVariables(String text) throws InvalidValue {
    for (String name : variablesIn(text)) {
      if (!name.equals("computername")) {
        if (!Variables.KNOWN.contains(name)) {
          throw unknownVariable(name);
        }
        throw new InvalidValue(
            "variable %" + name + "% cannot be used in an account name",
            "only %COMPUTERNAME% may appear in a name, as in IUSR_%COMPUTERNAME%");
      }
    }
  }

  /**
   * The SID a trustee stands for when that does not depend on the machine or domain (a SID, a fixed
   * SDDL alias, a well-known name); empty otherwise.
   */
  public static Optional<Sid> wellKnownSid(Trustee t) {
    switch (t.kind()) {
      case SID:
        return Optional.of(Sid.parse(t.text()));
      case ALIAS:
        return Optional.ofNullable(SddlAliases.fixedAliases().get(t.text()));
      default:
        return WellKnownSids.lookup(t.text());
    }
  }

  /** A key under which two spellings of the same trustee compare equal (BU = BUILTIN\Users). */
  public static String identityKey(Trustee t) {
    return wellKnownSid(t)
        .map(Sid::toString)
        .orElse(t.kind() + ":" + t.text().toUpperCase(Locale.ROOT));
  }

  /** SDDL aliases are case-insensitive for Windows, but a policy writes them in upper case. */
  private static boolean isSddlAlias(String text) {
    return SddlAliases.isAlias(text);
  }

  // ---------------------------------------------------------------- rights

  /** Every spelling {@link #rights} accepts by name, for hints and the schema. */
  public static List<String> rightNames() {
    List<String> names = new ArrayList<>(AccessMask.namedSets().keySet());
    names.addAll(List.of("F", "M", "RX", "R", "W", "D"));
    return names;
  }

  /**
   * Reads one rights value: a named set ({@code ReadAndExecute}), an icacls right ({@code RX}), a
   * mask ({@code 0x1200a9}), or several of them separated by commas ({@code RX,W}), which add up.
   * Generic rights are mapped to what they mean on files.
   */
  public static int rights(String text) throws InvalidValue {
    String t = text == null ? "" : text.strip();
    if (t.startsWith("(") && t.endsWith(")")) {
      t = t.substring(1, t.length() - 1);
    }
    if (t.isEmpty()) {
      throw new InvalidValue(
          "empty rights", "write a named right such as ReadAndExecute, or a mask such as 0x1200a9");
    }
    int mask = 0;
    for (String part : t.split(",", -1)) {
      mask |= oneRight(part.strip());
    }
    return checkMask(mask, text);
  }

  private static int oneRight(String part) throws InvalidValue {
    if (part.isEmpty()) {
      throw new InvalidValue("empty item in rights list", null);
    }
    String hex = part.startsWith("0x") || part.startsWith("0X") ? part.substring(2) : null;
    if (hex != null
        && (hex.isEmpty()
            || hex.replaceFirst("^0+", "").length() > 8
            || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0))) {
      throw new InvalidValue(
          "invalid access mask '" + part + "'", "a mask has at most 8 hex digits, e.g. 0x1200a9");
    }
    Optional<Integer> parsed = AccessMask.parse(part);
    if (parsed.isEmpty()) {
      String close = closest(part, rightNames());
      throw new InvalidValue(
          "unknown right '" + part + "'",
          (close == null ? "" : "did you mean '" + close + "'? ")
              + "named rights: "
              + String.join(", ", AccessMask.namedSets().keySet())
              + "; icacls F M RX R W D; or a mask such as 0x1200a9");
    }
    return parsed.get();
  }

  private static int checkMask(int mask, String text) throws InvalidValue {
    if ((mask & (AccessMask.ACCESS_SYSTEM_SECURITY | AccessMask.MAXIMUM_ALLOWED)) != 0) {
      throw new InvalidValue(
          "rights '" + text + "' include ACCESS_SYSTEM_SECURITY or MAXIMUM_ALLOWED",
          "those bits have no meaning in an allow entry; remove 0x1000000 / 0x2000000");
    }
    int mapped = AccessMask.FILE_MAPPING.map(mask);
    if (mapped == 0) {
      throw new InvalidValue("rights '" + text + "' grant nothing (mask 0)", null);
    }
    return mapped;
  }

  // ---------------------------------------------------------------- inheritance

  /**
   * The names an inheritance item may use, upper case: icacls' letters and the .NET names
   * PowerShell shows. Another spelling is one more entry here.
   */
  private static final Map<String, Integer> FLAG_NAMES =
      Map.of(
          "OI", AceFlags.OBJECT_INHERIT,
          "CI", AceFlags.CONTAINER_INHERIT,
          "NP", AceFlags.NO_PROPAGATE_INHERIT,
          "IO", AceFlags.INHERIT_ONLY,
          "OBJECTINHERIT", AceFlags.OBJECT_INHERIT,
          "CONTAINERINHERIT", AceFlags.CONTAINER_INHERIT,
          "NOPROPAGATEINHERIT", AceFlags.NO_PROPAGATE_INHERIT,
          "INHERITONLY", AceFlags.INHERIT_ONLY,
          "NONE", 0); // InheritanceFlags.None and PropagationFlags.None

  /** A name between separators: letters only. */
  private static final Pattern FLAG_NAME = Pattern.compile("[A-Za-z]+");

  /** The icacls way: names each in parentheses, nothing between them. */
  private static final Pattern ICACLS_FORM = Pattern.compile("(\\(\\s*[A-Za-z]+\\s*\\)\\s*)+");

  private static final Pattern LIST_SEPARATORS = Pattern.compile("\\s*[,|+]\\s*|\\s+");

  /**
   * The names an inheritance item may use, any case: icacls' and SDDL's letters, and the .NET enum
   * names PowerShell shows in Get-Acl output ({@code ContainerInherit, ObjectInherit}, and {@code
   * None} for no flags).
   */
  static List<String> inheritanceNames() {
    return List.of(
        "OI",
        "CI",
        "NP",
        "IO",
        "ObjectInherit",
        "ContainerInherit",
        "NoPropagateInherit",
        "InheritOnly",
        "None");
  }

  /**
   * Reads inheritance flags from names ({@code OI}, {@code CI}, {@code NP}, {@code IO}, or
   * PowerShell's), each list item possibly written the icacls way ({@code (OI)(CI)}) or
   * comma-separated ({@code OI,CI}, {@code ContainerInherit, ObjectInherit}).
   */
  public static int inheritance(List<String> items) throws InvalidValue {
    int flags = 0;
    for (String item : items) {
      flags |= inheritanceFlags(item);
    }
    return checkInheritance(flags);
  }

  /** The flags one item names, without the checks that need the whole set. */
  static int inheritanceFlags(String item) throws InvalidValue {
    String t = item.strip();
    List<String> names = new ArrayList<>();
    if (t.indexOf('(') >= 0 || t.indexOf(')') >= 0) {
      if (!ICACLS_FORM.matcher(t).matches()) {
        throw new InvalidValue(
            "malformed inheritance '" + printable(item) + "'",
            "write each flag in its own parentheses, (OI)(CI), or as a list, [OI, CI]");
      }
      for (String part : t.split("[()]")) {
        if (!part.isBlank()) {
          names.add(part.strip());
        }
      }
    } else if (!t.isEmpty()) {
      for (String part : LIST_SEPARATORS.split(t, -1)) {
        if (part.isEmpty()) {
          throw new InvalidValue(
              "empty flag in inheritance '" + printable(item) + "'", "write [OI, CI]");
        }
        names.add(part);
      }
    }
    int flags = 0;
    for (String name : names) {
      flags |= flag(name);
    }
    return flags;
  }

  private static int flag(String name) throws InvalidValue {
    String upper = name.toUpperCase(Locale.ROOT);
    Integer f = FLAG_NAME.matcher(name).matches() ? FLAG_NAMES.get(upper) : null;
    if (f != null) {
      return f;
    }
    if (upper.equals("I") || upper.equals("ID")) {
      throw new InvalidValue(
          "inheritance flag '" + name + "' (inherited) cannot be required",
          "Windows sets it on entries copied from the parent; use OI, CI, NP, IO");
    }
    throw new InvalidValue(
        "invalid inheritance flag '" + printable(name) + "'",
        "use OI (files inherit), CI (folders inherit), NP (one level only), IO (inherit only); [] for this folder only");
  }

  /** Refuses combinations Windows would ignore: IO or NP without OI or CI. */
  static int checkInheritance(int flags) throws InvalidValue {
    boolean inherits = (flags & (AceFlags.OBJECT_INHERIT | AceFlags.CONTAINER_INHERIT)) != 0;
    if ((flags & AceFlags.INHERIT_ONLY) != 0 && !inherits) {
      throw new InvalidValue(
          "IO (inherit only) without OI or CI would apply to nothing", "add OI and/or CI");
    }
    if ((flags & AceFlags.NO_PROPAGATE_INHERIT) != 0 && !inherits) {
      throw new InvalidValue(
          "NP (no propagate) without OI or CI has no effect", "add OI and/or CI, or remove NP");
    }
    return flags;
  }

  // ---------------------------------------------------------------- paths

  private static final String INVALID_PATH_CHARS = "<>\"|?*";

  /** Variables that stand for an absolute folder and may start a path. */
  private static final Set<String> ROOT_VARIABLES =
      Set.of("windir", "systemroot", "programfiles", "programdata", "wsuscontentdir");

  /** Variables that stand for a drive ({@code C:}) and need a backslash after them. */
  private static final Set<String> DRIVE_VARIABLES = Set.of("systemdrive", "wsuscontentdrive");

  /**
   * Checks and normalises a policy path: {@code /} becomes {@code \}, repeated separators and a
   * trailing {@code \} go (a drive root keeps its own), variables stay for the target to expand.
   * UNC and device paths are refused: a policy describes folders on the server a target points at,
   * and {@code \\server\share} would name some other machine.
   */
  public static String path(String text) throws InvalidValue {
    if (text == null || text.isEmpty()) {
      throw new InvalidValue(
          "empty path", "write an absolute path such as '%windir%\\Microsoft.NET'");
    }
    if (!text.equals(text.strip())) {
      throw new InvalidValue("path '" + text + "' starts or ends with white space", null);
    }
    String p = text.replace('/', '\\');
    if (p.startsWith("\\\\?\\") || p.startsWith("\\\\.\\") || p.startsWith("\\??\\")) {
      throw new InvalidValue(
          "device path '" + text + "' is not supported",
          "write the plain path, e.g. C:\\WSUS; long paths are handled without the \\\\?\\ prefix");
    }
    if (p.startsWith("\\\\")) {
      throw new InvalidValue(
          "UNC path '" + text + "' is not supported",
          "write the path as seen on the server (e.g. D:\\WSUS) and choose the server with --target");
    }
    if (p.length() > MAX_PATH_CHARS) {
      throw new InvalidValue(
          "path of "
              + String.format(Locale.ROOT, "%,d", p.length())
              + " characters; Windows paths have at most "
              + String.format(Locale.ROOT, "%,d", MAX_PATH_CHARS),
          null);
    }
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c < 0x20 || INVALID_PATH_CHARS.indexOf(c) >= 0) {
        throw new InvalidValue(
            "invalid character '"
                + printable(String.valueOf(c))
                + "' in path '"
                + printable(text)
                + "'",
            "Windows paths cannot contain < > \" | ? * or control characters");
      }
      if (isHidden(c)) {
        throw new InvalidValue(
            "invisible or text-reordering character "
                + codePoint(c)
                + " in path '"
                + printable(text)
                + "'",
            "such characters make a path look like another; type the path again");
      }
    }
    for (String name : variablesIn(p)) {
      if (!Variables.KNOWN.contains(name)) {
        throw unknownVariable(name);
      }
    }
    int rootEnd = rootLength(p);
    if (rootEnd < 0) {
      throw new InvalidValue(
          "relative path '" + text + "'",
          "policy paths are absolute: start with a drive (C:\\...) or %windir%, %SystemRoot%, %ProgramFiles%, %ProgramData%,"
              + " %SystemDrive%\\, %WsusContentDir%, %WsusContentDrive%\\");
    }
    String root = p.substring(0, rootEnd);
    List<String> parts = new ArrayList<>();
    for (String part : p.substring(rootEnd).split("\\\\+")) {
      if (part.isEmpty()) {
        continue;
      }
      if (part.equals("..") || part.equals(".")) {
        throw new InvalidValue(
            "'" + part + "' in path '" + text + "'",
            "write the folder's full path without . or ..");
      }
      String device = reservedDevice(part);
      if (device != null) {
        throw new InvalidValue(
            "'" + part + "' in path '" + text + "' is the reserved device name " + device,
            "Windows opens the device "
                + device
                + ", not a file, under any folder and with any extension");
      }
      if (part.indexOf(':') >= 0) {
        throw new InvalidValue(
            "':' inside path '" + text + "'",
            "only a drive letter may be followed by ':'; alternate data streams are not supported");
      }
      // Any white space, not just ' ': the normalised path must pass this check again.
      if (part.endsWith(".") || !part.equals(part.stripTrailing())) {
        throw new InvalidValue(
            "path component '" + printable(part) + "' ends with a dot or space",
            "Windows strips those; write the name without them");
      }
      parts.add(part);
    }
    // Drive roots keep their backslash (C:\ is not C:, which means "current folder on C:").
    if (root.endsWith("\\")) {
      return root + String.join("\\", parts);
    }
    return parts.isEmpty() ? root : root + "\\" + String.join("\\", parts);
  }

  /**
   * Length of the absolute root ({@code C:\}, {@code %windir%}, {@code %SystemDrive%\}), or -1 when
   * the path is relative.
   */
  private static int rootLength(String p) {
    if (p.length() >= 3
        && Character.isLetter(p.charAt(0))
        && p.charAt(0) < 128
        && p.charAt(1) == ':'
        && p.charAt(2) == '\\') {
      return 3;
    }
    if (p.startsWith("%")) {
      int end = p.indexOf('%', 1);
      String name = p.substring(1, end).toLowerCase(Locale.ROOT);
      boolean atBoundary = end + 1 == p.length() || p.charAt(end + 1) == '\\';
      if (ROOT_VARIABLES.contains(name) && atBoundary) {
        return end + 1;
      }
      if (DRIVE_VARIABLES.contains(name) && end + 1 < p.length() && p.charAt(end + 1) == '\\') {
        return end + 2;
      }
    }
    return -1;
  }

  /**
   * The form under which two spellings of a path name the same folder: upper case (NTFS names are
   * case-insensitive), and the variables for the Windows, Program Files, ProgramData folders and
   * the system drive written as the folders they are on a default installation, so that {@code
   * %windir%\X} and {@code C:\Windows\X} compare equal.
   */
  public static String pathKey(String normalised) {
    String k = normalised.toUpperCase(Locale.ROOT);
    for (String[] d : DEFAULT_LOCATIONS) {
      if (k.equals(d[0]) || k.startsWith(d[0] + "\\")) {
        k = d[1] + k.substring(d[0].length());
        break;
      }
    }
    return k;
  }

  /** Variables and the folders they stand for on a default installation, upper case. */
  private static final String[][] DEFAULT_LOCATIONS = {
    {"%WINDIR%", "C:\\WINDOWS"},
    {"%SYSTEMROOT%", "C:\\WINDOWS"},
    {"%PROGRAMFILES%", "C:\\PROGRAM FILES"},
    {"%PROGRAMDATA%", "C:\\PROGRAMDATA"},
    {"%SYSTEMDRIVE%", "C:"},
  };

  /** The longest path Windows handles (with long-path support), in UTF-16 units. */
  public static final int MAX_PATH_CHARS = 32_767;

  private static final Pattern RESERVED_DEVICE =
      Pattern.compile(
          "(CON|PRN|AUX|NUL|COM[1-9\u00b9\u00b2\u00b3]|LPT[1-9\u00b9\u00b2\u00b3]|CONIN\\$|CONOUT\\$)",
          Pattern.CASE_INSENSITIVE);

  /**
   * The device a path component names ({@code CON}, {@code nul.txt}, {@code COM1 .log}), or null.
   */
  static String reservedDevice(String part) {
    int dot = part.indexOf('.');
    String stem = (dot < 0 ? part : part.substring(0, dot)).stripTrailing();
    return RESERVED_DEVICE.matcher(stem).matches() ? stem.toUpperCase(Locale.ROOT) : null;
  }

  /**
   * Characters that are invisible or reorder the text around them (bidirectional controls, line and
   * paragraph separators, C1 controls): a name holding one reads as a different name.
   */
  static boolean isHidden(char c) {
    return (c >= 0x80 && c <= 0x9f)
        || (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069)
        || c == 0x200e
        || c == 0x200f
        || c == 0x061c
        || c == 0x2028
        || c == 0x2029
        || c == 0xfeff;
  }

  private static String codePoint(char c) {
    return String.format("U+%04X", (int) c);
  }

  /** Lower-case names of the {@code %variables%} in the text, checking that each is closed. */
  static List<String> variablesIn(String text) throws InvalidValue {
    List<String> names = new ArrayList<>();
    int i = 0;
    while ((i = text.indexOf('%', i)) >= 0) {
      int end = text.indexOf('%', i + 1);
      if (end < 0) {
        throw new InvalidValue(
            "unclosed variable in '" + text + "'", "variables are written %name%, e.g. %windir%");
      }
      String name = text.substring(i + 1, end).toLowerCase(Locale.ROOT);
      if (name.isEmpty()) {
        throw new InvalidValue("empty variable '%%' in '" + text + "'", null);
      }
      names.add(name);
      i = end + 1;
    }
    return names;
  }

  /** The variables as Windows spells them, for messages. */
  private static final List<String> VARIABLE_SPELLING =
      List.of(
          "windir",
          "SystemRoot",
          "ProgramFiles",
          "ProgramData",
          "SystemDrive",
          "COMPUTERNAME",
          "WsusContentDir",
          "WsusContentDrive");

  private static InvalidValue unknownVariable(String name) {
    List<String> known = new ArrayList<>(VARIABLE_SPELLING);
    for (String k : Variables.KNOWN) {
      if (known.stream().noneMatch(s -> s.equalsIgnoreCase(k))) {
        known.add(k);
      }
    }
    String close = closest(name, known);
    return new InvalidValue(
        "unknown variable %" + name + "%",
        (close == null ? "" : "did you mean %" + close + "%? ")
            + "known: %"
            + String.join("% %", known)
            + "%");
  }

  // ---------------------------------------------------------------- hints

  /**
   * The candidate nearest to {@code word} (case-insensitive edit distance), or null if none is
   * close.
   */
  public static String closest(String word, Iterable<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String w = word.toLowerCase(Locale.ROOT);
    for (String c : candidates) {
      int d = distance(w, c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    int limit = Math.max(1, Math.min(3, w.length() / 3));
    return bestDistance <= limit ? best : null;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  // ---------------------------------------------------------------- registry keys

  private static final List<String> HKLM_NAMES = List.of("HKLM", "HKEY_LOCAL_MACHINE");

  /**
   * A registry key as a policy names it: {@code HKLM\...} or {@code HKEY_LOCAL_MACHINE\...} (any
   * case), returned as {@code HKLM\rest} with single backslashes and no trailing one. The services'
   * settings live under HKLM; other hives are refused.
   */
  public static String registryKey(String text) throws InvalidValue {
    if (text == null || text.isEmpty()) {
      throw new InvalidValue(
          "empty key", "write a key such as 'HKLM\\SOFTWARE\\Microsoft\\Update Services\\Server'");
    }
    if (!text.equals(text.strip())) {
      throw new InvalidValue(
          "key '" + printable(text) + "' starts or ends with white space", "remove the spaces");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new InvalidValue("control character in key '" + printable(text) + "'", null);
      }
    }
    if (text.indexOf('/') >= 0) {
      throw new InvalidValue(
          "key '" + text + "' uses '/'",
          "registry paths separate keys with '\\' ('/' is a valid character in a key name)");
    }
    String[] parts = text.split("\\\\", -1);
    String hive = parts[0].toUpperCase(Locale.ROOT);
    if (!HKLM_NAMES.contains(hive)) {
      throw new InvalidValue(
          "unsupported hive '" + parts[0] + "'",
          hive.startsWith("HK")
              ? "wsusfix changes keys under HKLM (HKEY_LOCAL_MACHINE) only"
              : "start the key with HKLM\\ or HKEY_LOCAL_MACHINE\\");
    }
    StringBuilder out = new StringBuilder("HKLM");
    for (int i = 1; i < parts.length; i++) {
      if (parts[i].isEmpty()) {
        if (i == parts.length - 1 && i > 1) {
          break; // one trailing backslash is harmless
        }
        throw new InvalidValue("key '" + text + "' has an empty name between backslashes", null);
      }
      if (parts[i].length() > 255) {
        throw new InvalidValue(
            "key name '" + parts[i].substring(0, 20) + "...' is longer than 255 characters", null);
      }
      out.append('\\').append(parts[i]);
    }
    if (out.length() == 4) {
      throw new InvalidValue(
          "the hive itself cannot be changed",
          "name a key below it, e.g. HKLM\\SOFTWARE\\Microsoft\\Update Services\\Server");
    }
    return out.toString();
  }

  /** Case-insensitive identity of a normalised key, as the registry compares names. */
  static String keyKey(String normalised) {
    return normalised.toUpperCase(Locale.ROOT);
  }

  /** Every spelling {@link #keyRights} accepts by name, for hints and the schema. */
  public static List<String> keyRightNames() {
    return org.wsusfix.security.KeyRights.names();
  }

  /**
   * Rights on a key: a registry name ({@code ReadKey}, {@code FullControl}), SDDL's {@code KR KW KX
   * KA}, a mask, or several comma-separated. Generic bits map with the registry mapping.
   */
  public static int keyRights(String text) throws InvalidValue {
    String t = text == null ? "" : text.strip();
    if (t.isEmpty()) {
      throw new InvalidValue(
          "empty rights",
          "write a registry right such as ReadKey or FullControl, or a mask such as 0x20019");
    }
    int mask = 0;
    for (String part : t.split(",", -1)) {
      String p = part.strip();
      if (p.isEmpty()) {
        throw new InvalidValue("empty item in rights list", null);
      }
      Optional<Integer> parsed = org.wsusfix.security.KeyRights.parse(p);
      if (parsed.isEmpty()) {
        String close = closest(p, keyRightNames());
        boolean fileRight = AccessMask.parse(p).isPresent() && !p.startsWith("0");
        throw new InvalidValue(
            "unknown registry right '" + p + "'" + (fileRight ? " (a file right)" : ""),
            (close == null ? "" : "did you mean '" + close + "'? ")
                + "registry rights: "
                + String.join(", ", org.wsusfix.security.KeyRights.namedSets().keySet())
                + "; KR KW KX KA; or a mask such as 0x20019");
      }
      mask |= parsed.get();
    }
    if ((mask & (AccessMask.ACCESS_SYSTEM_SECURITY | AccessMask.MAXIMUM_ALLOWED)) != 0) {
      throw new InvalidValue(
          "rights '" + text + "' include ACCESS_SYSTEM_SECURITY or MAXIMUM_ALLOWED",
          "those bits have no meaning in an allow entry; remove 0x1000000 / 0x2000000");
    }
    if ((mask & ~org.wsusfix.security.KeyRights.VALID) != 0) {
      throw new InvalidValue(
          "rights '"
              + text
              + "' hold bits that mean nothing on a key ("
              + AccessMask.hex(mask & ~org.wsusfix.security.KeyRights.VALID)
              + ")",
          "a key's rights fit in 0xf003f");
    }
    if (mask == 0) {
      throw new InvalidValue("rights '" + text + "' grant nothing (mask 0)", null);
    }
    return mask;
  }

  /** Inheritance on a key is CI, NP, IO: keys hold no objects, so OI is refused. */
  static int refuseObjectInherit(int flags) throws InvalidValue {
    if ((flags & AceFlags.OBJECT_INHERIT) != 0) {
      throw new InvalidValue(
          "OI (object inherit) has no meaning on a registry key",
          "keys inherit to subkeys with CI only: write [CI], or [] for this key only");
    }
    return flags;
  }

  // ---------------------------------------------------------------- user rights

  /** A user right by its constant name, exactly as Windows spells it. */
  public static String userRight(String text) throws InvalidValue {
    if (text == null || text.isEmpty()) {
      throw new InvalidValue(
          "empty user right",
          "write a constant name such as SeImpersonatePrivilege or SeBatchLogonRight");
    }
    if (org.wsusfix.security.AccountRights.isKnown(text)) {
      return text;
    }
    Optional<String> spelled = org.wsusfix.security.AccountRights.spelledAs(text);
    if (spelled.isPresent()) {
      throw new InvalidValue(
          "unknown user right '" + printable(text) + "'",
          "write it as Windows spells it: " + spelled.get());
    }
    String close = closest(text, org.wsusfix.security.AccountRights.all());
    throw new InvalidValue(
        "unknown user right '" + printable(text) + "'",
        (close == null ? "" : "did you mean '" + close + "'? ")
            + "use a privilege (Se...Privilege) or logon right (Se...LogonRight) constant name, as secedit exports them");
  }

  private static String printable(String s) {
    StringBuilder out = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\x%02x", (int) c));
      } else if (isHidden(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
