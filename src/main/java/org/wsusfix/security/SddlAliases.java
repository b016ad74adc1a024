package org.wsusfix.security;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The two-letter SID aliases of SDDL, as ConvertStringSecurityDescriptorToSecurityDescriptor reads
 * them and ConvertSecurityDescriptorToStringSecurityDescriptor writes them.
 *
 * <p>Most aliases name one fixed SID. The domain-relative ones (DA, DU, LA, LG, ...) name a RID in
 * a domain: they resolve only against a given domain SID, and a SID is written back as such an
 * alias only when its domain part equals that domain SID. Windows resolves LA/LG against the
 * machine domain and EA/SA/RO/EK against the forest root domain; with one domain SID given, all of
 * them use it.
 *
 * <p>{@code IU} is INTERACTIVE (S-1-5-4). IUSR (S-1-5-17) has no alias.
 */
public final class SddlAliases {
  private SddlAliases() {}

  private static final Map<String, Sid> FIXED = new LinkedHashMap<>();
  private static final Map<String, Long> RELATIVE = new LinkedHashMap<>();
  private static final Map<Sid, String> ALIAS_OF_FIXED = new HashMap<>();
  private static final Map<Long, String> ALIAS_OF_RID = new HashMap<>();
  // Direct lookup by the two (upper-case) letters, for the parser's hot path.
  private static final Sid[] FIXED_BY_CODE = new Sid[26 * 26];
  private static final long[] RID_BY_CODE = new long[26 * 26];

  static {
    fixed("WD", "S-1-1-0");
    fixed("CO", "S-1-3-0");
    fixed("CG", "S-1-3-1");
    fixed("OW", "S-1-3-4");
    fixed("NU", "S-1-5-2");
    fixed("IU", "S-1-5-4");
    fixed("SU", "S-1-5-6");
    fixed("AN", "S-1-5-7");
    fixed("ED", "S-1-5-9");
    fixed("PS", "S-1-5-10");
    fixed("AU", "S-1-5-11");
    fixed("RC", "S-1-5-12");
    fixed("SY", "S-1-5-18");
    fixed("LS", "S-1-5-19");
    fixed("NS", "S-1-5-20");
    fixed("WR", "S-1-5-33");
    fixed("BA", "S-1-5-32-544");
    fixed("BU", "S-1-5-32-545");
    fixed("BG", "S-1-5-32-546");
    fixed("PU", "S-1-5-32-547");
    fixed("AO", "S-1-5-32-548");
    fixed("SO", "S-1-5-32-549");
    fixed("PO", "S-1-5-32-550");
    fixed("BO", "S-1-5-32-551");
    fixed("RE", "S-1-5-32-552");
    fixed("RU", "S-1-5-32-554");
    fixed("RD", "S-1-5-32-555");
    fixed("NO", "S-1-5-32-556");
    fixed("MU", "S-1-5-32-558");
    fixed("LU", "S-1-5-32-559");
    fixed("IS", "S-1-5-32-568");
    fixed("CY", "S-1-5-32-569");
    fixed("ER", "S-1-5-32-573");
    fixed("CD", "S-1-5-32-574");
    fixed("RA", "S-1-5-32-575");
    fixed("ES", "S-1-5-32-576");
    fixed("MS", "S-1-5-32-577");
    fixed("HA", "S-1-5-32-578");
    fixed("AA", "S-1-5-32-579");
    fixed("RM", "S-1-5-32-580");
    fixed("HO", "S-1-5-32-584"); // User Mode Hardware Operators
    fixed("SH", "S-1-5-32-585"); // OpenSSH Users
    fixed("UD", "S-1-5-84-0-0-0-0-0");
    fixed("AC", "S-1-15-2-1");
    fixed("LW", "S-1-16-4096");
    fixed("ME", "S-1-16-8192");
    fixed("MP", "S-1-16-8448");
    fixed("HI", "S-1-16-12288");
    fixed("SI", "S-1-16-16384");
    fixed("AS", "S-1-18-1");
    fixed("SS", "S-1-18-2");

    relative("RO", 498); // Enterprise Read-only Domain Controllers (forest root)
    relative("LA", 500); // local Administrator (machine domain)
    relative("LG", 501); // local Guest (machine domain)
    relative("DA", 512);
    relative("DU", 513);
    relative("DG", 514);
    relative("DC", 515);
    relative("DD", 516);
    relative("CA", 517);
    relative("SA", 518); // Schema Admins (forest root)
    relative("EA", 519); // Enterprise Admins (forest root)
    relative("PA", 520);
    relative("CN", 522);
    relative("AP", 525);
    relative("KA", 526);
    relative("EK", 527); // Enterprise Key Admins (forest root)
    relative("RS", 553);
  }

  private static int code(char a, char b) {
    return (a - 'A') * 26 + (b - 'A');
  }

  private static void fixed(String alias, String sid) {
    Sid s = Sid.parse(sid);
    FIXED.put(alias, s);
    ALIAS_OF_FIXED.put(s, alias);
    FIXED_BY_CODE[code(alias.charAt(0), alias.charAt(1))] = s;
  }

  private static void relative(String alias, long rid) {
    RELATIVE.put(alias, rid);
    ALIAS_OF_RID.put(rid, alias);
    RID_BY_CODE[code(alias.charAt(0), alias.charAt(1))] = rid;
  }

  private static int codeOf(char a, char b) {
    char ua = Character.toUpperCase(a);
    char ub = Character.toUpperCase(b);
    if (ua < 'A' || ua > 'Z' || ub < 'A' || ub > 'Z') {
      return -1;
    }
    return code(ua, ub);
  }

  /** The fixed SID of a two-letter alias (any case), or null when it is not a fixed alias. */
  static Sid fixedSid(char a, char b) {
    int c = codeOf(a, b);
    return c < 0 ? null : FIXED_BY_CODE[c];
  }

  /** The RID of a domain-relative alias (any case), or 0 when it is not one. */
  static long relativeRid(char a, char b) {
    int c = codeOf(a, b);
    return c < 0 ? 0 : RID_BY_CODE[c];
  }

  /** True for aliases such as DA or LG that need a domain SID. */
  public static boolean isDomainRelative(String alias) {
    return alias != null
        && alias.length() == 2
        && relativeRid(alias.charAt(0), alias.charAt(1)) != 0;
  }

  /** True when {@code alias} is any SDDL SID alias (case-insensitive). */
  public static boolean isAlias(String alias) {
    return alias != null
        && alias.length() == 2
        && (fixedSid(alias.charAt(0), alias.charAt(1)) != null
            || relativeRid(alias.charAt(0), alias.charAt(1)) != 0);
  }

  /**
   * Resolves an alias (case-insensitive).
   *
   * @param domain the domain SID for domain-relative aliases; may be null otherwise
   * @return the SID, or empty when {@code alias} is no SDDL alias
   * @throws IllegalArgumentException for a domain-relative alias without a domain SID
   */
  public static Optional<Sid> resolve(String alias, Sid domain) {
    if (alias == null || alias.length() != 2) {
      return Optional.empty();
    }
    Sid fixed = fixedSid(alias.charAt(0), alias.charAt(1));
    if (fixed != null) {
      return Optional.of(fixed);
    }
    long rid = relativeRid(alias.charAt(0), alias.charAt(1));
    if (rid == 0) {
      return Optional.empty();
    }
    if (domain == null) {
      throw new IllegalArgumentException(missingDomain(alias));
    }
    return Optional.of(domain.withRid(rid));
  }

  static String missingDomain(String alias) {
    return "SID alias '"
        + alias.toUpperCase(Locale.ROOT)
        + "' is relative to a domain and no domain SID was given";
  }

  /**
   * The alias Windows writes for {@code sid}: a fixed alias, or a domain-relative one when the SID
   * is that RID in {@code domain}. Empty when the SID is written as {@code S-1-...}.
   */
  public static Optional<String> aliasOf(Sid sid, Sid domain) {
    return Optional.ofNullable(alias(sid, domain));
  }

  /** Like {@link #aliasOf} but null when there is none; no allocation on the hot path. */
  static String alias(Sid sid, Sid domain) {
    String fixed = ALIAS_OF_FIXED.get(sid);
    if (fixed != null) {
      return fixed;
    }
    if (domain != null
        && sid.subAuthorityCount() == domain.subAuthorityCount() + 1
        && sid.authority() == domain.authority()) {
      for (int i = 0; i < domain.subAuthorityCount(); i++) {
        if (sid.subAuthority(i) != domain.subAuthority(i)) {
          return null;
        }
      }
      return ALIAS_OF_RID.get(sid.rid());
    }
    return null;
  }

  /** Every fixed alias with its SID. */
  public static Map<String, Sid> fixedAliases() {
    return Collections.unmodifiableMap(FIXED);
  }

  /** Every domain-relative alias with its RID. */
  public static Map<String, Long> domainRelativeAliases() {
    return Collections.unmodifiableMap(RELATIVE);
  }
}
