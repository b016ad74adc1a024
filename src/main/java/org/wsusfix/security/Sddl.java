package org.wsusfix.security;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Security Descriptor Definition Language, read and written the way Windows'
 * ConvertStringSecurityDescriptorToSecurityDescriptor and
 * ConvertSecurityDescriptorToStringSecurityDescriptor do.
 *
 * <p>Reading: section letters {@code O: G: D: S:} in upper case and in any order; everything inside
 * an ACE in any case; spaces around sections, between ACL flags, between right letters, before
 * fields and after the trustee; rights as letters or as a number in hex, octal or decimal (with
 * wcstoul's clamping of too-large values to 0xffffffff and its negation of signed ones). Anything
 * else Windows refuses is refused with the position of the offending character.
 *
 * <p>Writing: {@code O: G: D: S:} in that order, ACL flags as {@code P AR AI}, exactly the file,
 * registry and mandatory-label rights sets by name, other masks as letters when every bit has one
 * and as lower-case hex otherwise, SIDs as aliases where one exists.
 */
public final class Sddl {
  private Sddl() {}

  /** Parses SDDL that uses no domain-relative alias. */
  public static SecurityDescriptor parse(String sddl) {
    return parse(sddl, null);
  }

  /**
   * Parses SDDL. {@code domain} resolves domain-relative aliases (DA, DU, LA, LG, ...); when it is
   * null such an alias is an error.
   *
   * @throws SddlException with the position and reason when Windows would refuse the text
   */
  public static SecurityDescriptor parse(String sddl, Sid domain) {
    return new Parser(sddl, domain).descriptor();
  }

  /** Formats without domain-relative aliases. */
  public static String format(SecurityDescriptor sd) {
    return format(sd, null);
  }

  /** Formats; SIDs in {@code domain} with a known RID are written as their alias (DA, LG, ...). */
  public static String format(SecurityDescriptor sd, Sid domain) {
    StringBuilder out = new StringBuilder(64 + 48 * aceCount(sd));
    formatTo(out, sd, domain);
    return out.toString();
  }

  private static int aceCount(SecurityDescriptor sd) {
    return (sd.dacl() == null ? 0 : sd.dacl().size()) + (sd.sacl() == null ? 0 : sd.sacl().size());
  }

  /** Appends the SDDL form of {@code sd} to {@code out}. */
  public static void formatTo(StringBuilder out, SecurityDescriptor sd, Sid domain) {
    if (sd.owner() != null) {
      out.append("O:");
      appendSid(out, sd.owner(), domain);
    }
    if (sd.group() != null) {
      out.append("G:");
      appendSid(out, sd.group(), domain);
    }
    int control = sd.control();
    if ((control & SecurityDescriptor.DACL_PRESENT) != 0) {
      out.append("D:");
      appendAcl(
          out,
          sd.dacl(),
          control & SecurityDescriptor.DACL_PROTECTED,
          control & SecurityDescriptor.DACL_AUTO_INHERIT_REQ,
          control & SecurityDescriptor.DACL_AUTO_INHERITED,
          domain);
    }
    if ((control & SecurityDescriptor.SACL_PRESENT) != 0) {
      out.append("S:");
      appendAcl(
          out,
          sd.sacl(),
          control & SecurityDescriptor.SACL_PROTECTED,
          control & SecurityDescriptor.SACL_AUTO_INHERIT_REQ,
          control & SecurityDescriptor.SACL_AUTO_INHERITED,
          domain);
    }
  }

  private static void appendAcl(
      StringBuilder out, Acl acl, int prot, int req, int inh, Sid domain) {
    if (prot != 0) {
      out.append('P');
    }
    if (req != 0) {
      out.append("AR");
    }
    if (inh != 0) {
      out.append("AI");
    }
    if (acl == null) {
      out.append("NO_ACCESS_CONTROL");
      return;
    }
    List<Ace> aces = acl.aces();
    for (int i = 0, n = aces.size(); i < n; i++) {
      appendAce(out, aces.get(i), domain);
    }
  }

  /** Appends one ACE in parentheses. */
  public static void appendAce(StringBuilder out, Ace ace, Sid domain) {
    out.append('(').append(ace.type().sddl()).append(';');
    appendAceFlags(out, ace.flags());
    out.append(';');
    appendRights(out, ace.mask(), ace.type() == AceType.SYSTEM_MANDATORY_LABEL);
    out.append(';');
    if (ace.objectType() != null) {
      out.append(ace.objectType());
    }
    out.append(';');
    if (ace.inheritedObjectType() != null) {
      out.append(ace.inheritedObjectType());
    }
    out.append(';');
    appendSid(out, ace.sid(), domain);
    out.append(')');
  }

  // ACE flags in the order Windows writes them (ascending bit values).
  private static final String[] FLAG_NAMES = {"OI", "CI", "NP", "IO", "ID", "CR", "SA", "FA"};

  static void appendAceFlags(StringBuilder out, int flags) {
    for (int bit = 0; bit < 8; bit++) {
      if ((flags & (1 << bit)) != 0) {
        out.append(FLAG_NAMES[bit]);
      }
    }
  }

  // Right letters by bit number (null: no letter), written in ascending bit order.
  private static final String[] RIGHT_LETTERS = new String[32];
  private static final int LETTER_BITS;

  static {
    String[][] letters = {
      {"CC", "0"},
      {"DC", "1"},
      {"LC", "2"},
      {"SW", "3"},
      {"RP", "4"},
      {"WP", "5"},
      {"DT", "6"},
      {"LO", "7"},
      {"CR", "8"},
      {"SD", "16"},
      {"RC", "17"},
      {"WD", "18"},
      {"WO", "19"},
      {"GA", "28"},
      {"GX", "29"},
      {"GW", "30"},
      {"GR", "31"}
    };
    int bits = 0;
    for (String[] l : letters) {
      int b = Integer.parseInt(l[1]);
      RIGHT_LETTERS[b] = l[0];
      bits |= 1 << b;
    }
    LETTER_BITS = bits;
  }

  static final int KEY_ALL_ACCESS = AccessMask.KEY_ALL_ACCESS;
  static final int KEY_READ = AccessMask.KEY_READ;
  static final int KEY_WRITE = AccessMask.KEY_WRITE;
  static final int KEY_EXECUTE = AccessMask.KEY_EXECUTE;

  /** Writes a mask the way Windows does; {@code label} selects NW/NR/NX for label ACEs. */
  static void appendRights(StringBuilder out, int mask, boolean label) {
    if (label && (mask & ~7) == 0) {
      if ((mask & 1) != 0) {
        out.append("NW");
      }
      if ((mask & 2) != 0) {
        out.append("NR");
      }
      if ((mask & 4) != 0) {
        out.append("NX");
      }
      return;
    }
    switch (mask) {
      case AccessMask.FILE_ALL_ACCESS -> out.append("FA");
      case AccessMask.FILE_GENERIC_READ -> out.append("FR");
      case AccessMask.FILE_GENERIC_WRITE -> out.append("FW");
      case AccessMask.FILE_GENERIC_EXECUTE -> out.append("FX");
      case KEY_ALL_ACCESS -> out.append("KA");
      case KEY_READ -> out.append("KR");
      case KEY_WRITE -> out.append("KW");
      default -> {
        if ((mask & ~LETTER_BITS) != 0) {
          out.append("0x").append(Integer.toHexString(mask));
        } else {
          int m = mask;
          while (m != 0) {
            int b = Integer.numberOfTrailingZeros(m);
            out.append(RIGHT_LETTERS[b]);
            m &= m - 1;
          }
        }
      }
    }
  }

  /** The rights part of an ACE as Windows writes it, e.g. {@code FA} or {@code 0x1200a9}. */
  public static String rights(int mask) {
    StringBuilder s = new StringBuilder(16);
    appendRights(s, mask, false);
    return s.toString();
  }

  static void appendSid(StringBuilder out, Sid sid, Sid domain) {
    String alias = SddlAliases.alias(sid, domain);
    if (alias != null) {
      out.append(alias);
    } else {
      sid.appendTo(out);
    }
  }

  /** A SID as SDDL writes it: its alias when there is one, otherwise {@code S-1-...}. */
  public static String sid(Sid sid, Sid domain) {
    StringBuilder s = new StringBuilder(16);
    appendSid(s, sid, domain);
    return s.toString();
  }

  /** One pass over the text; positions in errors are indexes into it. */
  private static final class Parser {
    private final String s;
    private final char[] cs; // array access is much cheaper than charAt in the parse loop
    private final int n;
    private final Sid domain;
    private int pos;

    Parser(String s, Sid domain) {
      if (s == null) {
        throw new SddlException(0, "no SDDL text");
      }
      this.s = s;
      this.cs = s.toCharArray();
      this.n = cs.length;
      this.domain = domain;
    }

    private SddlException error(int at, String reason) {
      return new SddlException(at, reason);
    }

    private void skipSpaces() {
      while (pos < n && cs[pos] == ' ') {
        pos++;
      }
    }

    SecurityDescriptor descriptor() {
      Sid owner = null;
      Sid group = null;
      Acl dacl = null;
      Acl sacl = null;
      boolean daclSeen = false;
      boolean saclSeen = false;
      int control = SecurityDescriptor.SELF_RELATIVE;
      // Empty text is an empty descriptor, as for Windows: no owner, group, DACL or SACL.
      skipSpaces();
      while (pos < n) {
        int start = pos;
        char c = cs[pos];
        if (c != 'O' && c != 'G' && c != 'D' && c != 'S') {
          throw error(
              pos,
              "expected O:, G:, D: or S: but found '"
                  + c
                  + "'"
                  + (c == 'o' || c == 'g' || c == 'd' || c == 's'
                      ? " (section letters are upper case)"
                      : ""));
        }
        if (pos + 1 >= n || cs[pos + 1] != ':') {
          throw error(pos + 1, "expected ':' after '" + c + "'");
        }
        pos += 2;
        switch (c) {
          case 'O' -> {
            if (owner != null) {
              throw error(start, "owner (O:) given twice");
            }
            skipSpaces();
            owner = sectionSid("owner");
          }
          case 'G' -> {
            if (group != null) {
              throw error(start, "group (G:) given twice");
            }
            skipSpaces();
            group = sectionSid("group");
          }
          case 'D' -> {
            if (daclSeen) {
              throw error(start, "DACL (D:) given twice");
            }
            daclSeen = true;
            int[] flags = new int[1];
            dacl = acl(true, flags);
            control |= SecurityDescriptor.DACL_PRESENT | flags[0];
          }
          default -> {
            if (saclSeen) {
              throw error(start, "SACL (S:) given twice");
            }
            saclSeen = true;
            int[] flags = new int[1];
            sacl = acl(false, flags);
            // The SACL control bits sit one place above their DACL counterparts.
            control |= SecurityDescriptor.SACL_PRESENT | (flags[0] << 1);
          }
        }
        skipSpaces();
      }
      return new SecurityDescriptor(control, owner, group, dacl, sacl);
    }

    /** The SID after O: or G:, which ends where the next section starts. */
    private Sid sectionSid(String what) {
      if (pos >= n) {
        throw error(pos, "missing " + what + " SID");
      }
      char c = cs[pos];
      if ((c == 'S' || c == 's') && pos + 1 < n && cs[pos + 1] == '-') {
        return numericSid(n, true);
      }
      if (pos + 1 >= n) {
        throw error(pos, "incomplete " + what + " SID '" + s.substring(pos) + "'");
      }
      Sid sid = alias(pos, cs[pos], cs[pos + 1]);
      pos += 2;
      return sid;
    }

    private Sid alias(int at, char a, char b) {
      Sid fixed = SddlAliases.fixedSid(a, b);
      if (fixed != null) {
        return fixed;
      }
      long rid = SddlAliases.relativeRid(a, b);
      if (rid != 0) {
        if (domain == null) {
          throw error(at, SddlAliases.missingDomain("" + a + b));
        }
        return domain.withRid(rid);
      }
      throw error(at, "unknown SID alias '" + a + b + "'");
    }

    /**
     * Reads {@code S-1-...} from {@code pos}, not beyond {@code end}. Windows reads each part with
     * wcstoul: spaces may precede a number, {@code 0x} selects hex, sub-authorities beyond 32 bits
     * become 0xffffffff; a revision written in hex makes every later part hex.
     */
    private Sid numericSid(int end, boolean inSection) {
      int start = pos;
      pos += 2; // "S-"
      boolean hexMode = false;
      long revision = -1;
      long authority = -1;
      int[] subs = new int[Sid.MAX_SUB_AUTHORITIES];
      int count = 0;
      int part = 0;
      while (true) {
        while (pos < end && cs[pos] == ' ') {
          pos++;
        }
        int numStart = pos;
        boolean hex = hexMode;
        if (pos + 1 < end
            && cs[pos] == '0'
            && (cs[pos + 1] == 'x' || cs[pos + 1] == 'X')
            && pos + 2 < end
            && hexDigit(cs[pos + 2]) >= 0) {
          hex = true;
          pos += 2;
          if (part == 0) {
            hexMode = true;
          }
        }
        long value = 0;
        boolean overflow = false;
        int digits = 0;
        while (pos < end) {
          char ch = cs[pos];
          int d = hex ? hexDigit(ch) : (ch >= '0' && ch <= '9' ? ch - '0' : -1);
          if (d < 0) {
            break;
          }
          // In a section, "...D:" ends the SID even though D is a hex digit.
          if (inSection && (ch == 'D') && pos + 1 < end && cs[pos + 1] == ':') {
            break;
          }
          value = value * (hex ? 16 : 10) + d;
          if (value > 0xFFFFFFFFFFFFL) {
            overflow = true;
            value = 0xFFFFFFFFFFFFL + 1;
          }
          digits++;
          pos++;
        }
        if (digits == 0) {
          throw error(
              pos,
              pos < end
                  ? "bad character '" + cs[pos] + "' in SID"
                  : "SID '" + s.substring(start, pos) + "' is incomplete");
        }
        if (part == 0) {
          if (overflow || value != 1) {
            throw error(numStart, "SID revision must be 1");
          }
          revision = value;
        } else if (part == 1) {
          if (overflow) {
            throw error(numStart, "SID identifier authority is larger than 48 bits");
          }
          authority = value;
        } else {
          if (count == Sid.MAX_SUB_AUTHORITIES) {
            throw error(numStart, "SID has more than 15 sub-authorities");
          }
          subs[count++] = overflow || value > 0xFFFFFFFFL ? -1 : (int) value;
        }
        part++;
        if (pos < end && cs[pos] == '-') {
          pos++;
          continue;
        }
        break;
      }
      if (part < 2) {
        throw error(pos, "SID '" + s.substring(start, pos) + "' has no identifier authority");
      }
      assert revision == 1;
      int[] exact = new int[count];
      System.arraycopy(subs, 0, exact, 0, count);
      return Sid.ofChecked(authority, exact);
    }

    /** Reads the ACL after D: or S:; {@code flags[0]} gets the DACL-position control bits. */
    private Acl acl(boolean isDacl, int[] flags) {
      skipSpaces();
      int f = 0;
      boolean nullAcl = false;
      while (pos < n) {
        char c = cs[pos];
        if (c == 'P' || c == 'p') {
          f |= SecurityDescriptor.DACL_PROTECTED;
          pos++;
          skipSpaces();
        } else if ((c == 'A' || c == 'a')
            && pos + 1 < n
            && (cs[pos + 1] == 'I'
                || cs[pos + 1] == 'i'
                || cs[pos + 1] == 'R'
                || cs[pos + 1] == 'r')) {
          char d = Character.toUpperCase(cs[pos + 1]);
          f |=
              d == 'I'
                  ? SecurityDescriptor.DACL_AUTO_INHERITED
                  : SecurityDescriptor.DACL_AUTO_INHERIT_REQ;
          pos += 2;
          skipSpaces(); // Windows reads D:AI (A;...) as D:AI(A;...)
        } else if (s.regionMatches(true, pos, "NO_ACCESS_CONTROL", 0, 17)) {
          nullAcl = true;
          pos += 17;
          skipSpaces();
        } else {
          break;
        }
      }
      flags[0] = f;
      List<Ace> aces = new ArrayList<>();
      while (pos < n && cs[pos] == '(') {
        if (nullAcl) {
          throw error(pos, "NO_ACCESS_CONTROL (a NULL ACL) cannot have ACEs");
        }
        aces.add(ace(isDacl));
        skipSpaces();
      }
      if (pos < n) {
        char c = cs[pos];
        boolean nextSection =
            (c == 'O' || c == 'G' || c == 'D' || c == 'S') && pos + 1 < n && cs[pos + 1] == ':';
        if (!nextSection) {
          throw error(
              pos,
              "unexpected '"
                  + c
                  + "' in "
                  + (isDacl ? "DACL" : "SACL")
                  + " (expected ACL flags P, AI, AR, NO_ACCESS_CONTROL, an ACE in parentheses or the next section)");
        }
      }
      if (nullAcl) {
        return null;
      }
      return Acl.of(aces);
    }

    private Ace ace(boolean isDacl) {
      int open = pos;
      pos++; // '('
      // Field boundaries: five ';' then ')'.
      int[] fieldStart = new int[6];
      int[] fieldEnd = new int[6];
      fieldStart[0] = pos;
      int field = 0;
      int i = pos;
      // The type comes first so that unsupported types (whose bodies have their own syntax,
      // parentheses included) get a precise message instead of a confusing one.
      while (i < n && cs[i] != ';' && cs[i] != ')' && cs[i] != '(') {
        i++;
      }
      AceType type = aceType(fieldStart[0], i, isDacl);
      while (true) {
        if (i >= n) {
          throw error(open, "ACE is not closed with ')'");
        }
        char c = cs[i];
        if (c == ';') {
          fieldEnd[field] = i;
          field++;
          if (field > 5) {
            throw error(
                i,
                "too many fields in ACE (6 expected: type;flags;rights;object;inherited object;SID)");
          }
          fieldStart[field] = i + 1;
        } else if (c == ')') {
          fieldEnd[field] = i;
          break;
        } else if (c == '(') {
          throw error(i, "unexpected '(' inside ACE");
        }
        i++;
      }
      if (field != 5) {
        throw error(
            i,
            "ACE has "
                + (field + 1)
                + " fields (6 expected: type;flags;rights;object;inherited object;SID)");
      }
      int flags = aceFlags(fieldStart[1], fieldEnd[1]);
      int mask = rights(fieldStart[2], fieldEnd[2]);
      UUID object = guid(fieldStart[3], fieldEnd[3], type, "object type");
      UUID inherited = guid(fieldStart[4], fieldEnd[4], type, "inherited object type");
      Sid sid = trustee(fieldStart[5], fieldEnd[5]);
      pos = fieldEnd[5] + 1;
      return new Ace(type, flags, mask, object, inherited, sid);
    }

    private AceType aceType(int from, int to, boolean isDacl) {
      int a = from;
      int b = to;
      while (a < b && cs[a] == ' ') {
        a++;
      }
      while (b > a && cs[b - 1] == ' ') {
        b--;
      }
      AceType type =
          b - a == 1
              ? typeOf(Character.toUpperCase(cs[a]), ' ')
              : b - a == 2
                  ? typeOf(Character.toUpperCase(cs[a]), Character.toUpperCase(cs[a + 1]))
                  : null;
      String t = type != null ? type.sddl() : s.substring(a, b).toUpperCase(java.util.Locale.ROOT);
      if (type == null) {
        String why =
            switch (t) {
              case "XA", "XD", "ZA", "XU" ->
                  "callback (conditional) ACE type '" + t + "' is not supported";
              case "RA" -> "resource attribute ACE type 'RA' is not supported";
              case "SP" -> "scoped policy ACE type 'SP' is not supported";
              case "TL" -> "process trust label ACE type 'TL' is not supported";
              case "FL" -> "access filter ACE type 'FL' is not supported";
              case "" -> "missing ACE type";
              default -> "unknown ACE type '" + s.substring(a, b) + "'";
            };
        throw error(a, why);
      }
      if (isDacl && type.isSystem()) {
        throw error(a, "ACE type '" + t + "' belongs in the SACL, not the DACL");
      }
      if (!isDacl && !type.isSystem()) {
        throw error(a, "ACE type '" + t + "' belongs in the DACL, not the SACL");
      }
      return type;
    }

    private static AceType typeOf(char a, char b) {
      switch (a) {
        case 'A':
          return b == ' '
              ? AceType.ACCESS_ALLOWED
              : b == 'U' ? AceType.SYSTEM_AUDIT : b == 'L' ? AceType.SYSTEM_ALARM : null;
        case 'D':
          return b == ' ' ? AceType.ACCESS_DENIED : null;
        case 'O':
          return switch (b) {
            case 'A' -> AceType.ACCESS_ALLOWED_OBJECT;
            case 'D' -> AceType.ACCESS_DENIED_OBJECT;
            case 'U' -> AceType.SYSTEM_AUDIT_OBJECT;
            case 'L' -> AceType.SYSTEM_ALARM_OBJECT;
            default -> null;
          };
        case 'M':
          return b == 'L' ? AceType.SYSTEM_MANDATORY_LABEL : null;
        default:
          return null;
      }
    }

    private static int flagOf(char a, char b) {
      switch (a) {
        case 'O':
          return b == 'I' ? AceFlags.OBJECT_INHERIT : 0;
        case 'C':
          return b == 'I' ? AceFlags.CONTAINER_INHERIT : b == 'R' ? AceFlags.CRITICAL : 0;
        case 'N':
          return b == 'P' ? AceFlags.NO_PROPAGATE_INHERIT : 0;
        case 'I':
          return b == 'O' ? AceFlags.INHERIT_ONLY : b == 'D' ? AceFlags.INHERITED : 0;
        case 'S':
          return b == 'A' ? AceFlags.SUCCESSFUL_ACCESS : 0;
        // TRUST_PROTECTED_FILTER_ACE_FLAG shares its bit with SUCCESSFUL_ACCESS; it is written as
        // SA.
        case 'T':
          return b == 'P' ? AceFlags.SUCCESSFUL_ACCESS : 0;
        case 'F':
          return b == 'A' ? AceFlags.FAILED_ACCESS : 0;
        default:
          return 0;
      }
    }

    private int aceFlags(int from, int to) {
      int flags = 0;
      int p = from;
      boolean any = false;
      while (true) {
        while (p < to && cs[p] == ' ') {
          p++;
        }
        if (p >= to) {
          if (any && cs[to - 1] == ' ') {
            throw error(to - 1, "space after the ACE flags");
          }
          return flags;
        }
        if (p + 1 >= to) {
          throw error(p, "unknown ACE flag '" + s.substring(p, to) + "'");
        }
        char a = Character.toUpperCase(cs[p]);
        char b = Character.toUpperCase(cs[p + 1]);
        int bit = flagOf(a, b);
        if (bit == 0) {
          throw error(p, "unknown ACE flag '" + cs[p] + cs[p + 1] + "'");
        }
        flags |= bit;
        any = true;
        p += 2;
      }
    }

    private int rights(int from, int to) {
      int p = from;
      while (p < to && cs[p] == ' ') {
        p++;
      }
      if (p >= to) {
        return 0;
      }
      char c = cs[p];
      if ((c >= '0' && c <= '9') || c == '-' || c == '+') {
        return number(p, to);
      }
      int mask = 0;
      while (true) {
        if (p + 1 >= to) {
          throw error(p, "unknown access right '" + s.substring(p, to) + "'");
        }
        int r = right(Character.toUpperCase(cs[p]), Character.toUpperCase(cs[p + 1]));
        if (r == 0) {
          throw error(p, "unknown access right '" + cs[p] + cs[p + 1] + "'");
        }
        mask |= r;
        p += 2;
        if (p >= to) {
          return mask;
        }
        // Spaces may separate right letters but not end them; tabs never.
        while (p < to && cs[p] == ' ') {
          p++;
        }
        if (p >= to) {
          throw error(to - 1, "space after the access rights");
        }
      }
    }

    private static int right(char a, char b) {
      switch (a) {
        case 'G':
          return switch (b) {
            case 'A' -> AccessMask.GENERIC_ALL;
            case 'R' -> AccessMask.GENERIC_READ;
            case 'W' -> AccessMask.GENERIC_WRITE;
            case 'X' -> AccessMask.GENERIC_EXECUTE;
            default -> 0;
          };
        case 'F':
          return switch (b) {
            case 'A' -> AccessMask.FILE_ALL_ACCESS;
            case 'R' -> AccessMask.FILE_GENERIC_READ;
            case 'W' -> AccessMask.FILE_GENERIC_WRITE;
            case 'X' -> AccessMask.FILE_GENERIC_EXECUTE;
            default -> 0;
          };
        case 'K':
          return switch (b) {
            case 'A' -> KEY_ALL_ACCESS;
            case 'R' -> KEY_READ;
            case 'W' -> KEY_WRITE;
            case 'X' -> KEY_EXECUTE;
            default -> 0;
          };
        case 'N':
          return switch (b) {
            case 'W' -> 0x1; // SYSTEM_MANDATORY_LABEL_NO_WRITE_UP
            case 'R' -> 0x2; // NO_READ_UP
            case 'X' -> 0x4; // NO_EXECUTE_UP
            default -> 0;
          };
        case 'R':
          return b == 'C' ? AccessMask.READ_CONTROL : b == 'P' ? 0x10 : 0;
        case 'S':
          return b == 'D' ? AccessMask.DELETE : b == 'W' ? 0x8 : 0;
        case 'W':
          return b == 'D'
              ? AccessMask.WRITE_DAC
              : b == 'O' ? AccessMask.WRITE_OWNER : b == 'P' ? 0x20 : 0;
        case 'C':
          return b == 'C' ? 0x1 : b == 'R' ? 0x100 : 0;
        case 'D':
          return b == 'C' ? 0x2 : b == 'T' ? 0x40 : 0;
        case 'L':
          return b == 'C' ? 0x4 : b == 'O' ? 0x80 : 0;
        default:
          return 0;
      }
    }

    /** wcstoul(text, &end, 0) over the whole field: sign, 0x hex, 0 octal, else decimal. */
    private int number(int from, int to) {
      int p = from;
      boolean negative = false;
      if (cs[p] == '-' || cs[p] == '+') {
        negative = cs[p] == '-';
        p++;
      }
      int base = 10;
      if (p < to && cs[p] == '0') {
        if (p + 2 < to + 0 && (cs[p + 1] == 'x' || cs[p + 1] == 'X') && hexDigit(cs[p + 2]) >= 0) {
          base = 16;
          p += 2;
        } else {
          base = 8;
        }
      }
      long value = 0;
      boolean overflow = false;
      int digits = 0;
      while (p < to) {
        int d = hexDigit(cs[p]);
        if (d < 0 || d >= base) {
          break;
        }
        if (!overflow) {
          value = value * base + d;
          if (value > 0xFFFFFFFFL) {
            overflow = true;
          }
        }
        digits++;
        p++;
      }
      if (digits == 0) {
        throw error(p, "access mask number has no digits");
      }
      if (p < to) {
        throw error(p, "unexpected '" + cs[p] + "' after the access mask number");
      }
      if (overflow) {
        value = 0xFFFFFFFFL; // wcstoul clamps, then applies the sign
      }
      return (int) (negative ? -value : value);
    }

    private UUID guid(int from, int to, AceType type, String what) {
      int p = from;
      while (p < to && cs[p] == ' ') {
        p++;
      }
      if (p >= to) {
        return null;
      }
      if (!type.isObject()) {
        throw error(
            from,
            what
                + " GUID on an ACE of type "
                + type.sddl()
                + " (only OA, OD, OU and OL carry GUIDs)");
      }
      if (to - from != 36) {
        throw error(
            from,
            "bad "
                + what
                + " GUID '"
                + s.substring(from, to)
                + "' (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
      }
      long hi = 0;
      long lo = 0;
      for (int k = 0; k < 36; k++) {
        char c = cs[from + k];
        if (k == 8 || k == 13 || k == 18 || k == 23) {
          if (c != '-') {
            throw error(from + k, "bad " + what + " GUID: '-' expected");
          }
          continue;
        }
        int d = hexDigit(c);
        if (d < 0) {
          throw error(from + k, "bad " + what + " GUID: '" + c + "' is not a hex digit");
        }
        if (k < 18) {
          hi = (hi << 4) | d;
        } else {
          lo = (lo << 4) | d;
        }
      }
      return new UUID(hi, lo);
    }

    private Sid trustee(int from, int to) {
      int a = from;
      int b = to;
      while (a < b && cs[a] == ' ') {
        a++;
      }
      while (b > a && cs[b - 1] == ' ') {
        b--;
      }
      if (a == b) {
        throw error(from, "missing trustee SID");
      }
      char c = cs[a];
      if ((c == 'S' || c == 's') && a + 1 < b && cs[a + 1] == '-') {
        if (b != to) {
          // Windows takes a space after an alias (WD ) but not after a SID string's last part.
          throw error(b, "space after the SID " + s.substring(a, b));
        }
        int saved = pos;
        pos = a;
        Sid sid = numericSid(b, false);
        if (pos != b) {
          throw error(pos, "unexpected '" + cs[pos] + "' in SID");
        }
        pos = saved;
        return sid;
      }
      if (b - a != 2) {
        throw error(a, "unknown SID alias '" + s.substring(a, b) + "'");
      }
      return alias(a, c, cs[a + 1]);
    }
  }

  static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
