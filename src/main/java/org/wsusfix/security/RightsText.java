package org.wsusfix.security;

/**
 * The one way wsusfix writes rights for people, in the plan, {@code show} and {@code sddl convert
 * --to text}: as icacls does, an entry's flags then its rights in parentheses, {@code
 * (I)(OI)(CI)(RX)}. What the bits are called depends on what they are on: a file's {@code RX} and
 * {@code M}, a key's {@code ReadKey} and {@code FullControl}, a mandatory label's {@code NW}.
 */
public final class RightsText {
  private RightsText() {}

  /** Which names a mask's bits get. */
  public enum Names {
    /** Files and folders: icacls' simple rights and abbreviations. */
    FILE,
    /** Registry keys: .NET's RegistryRights names. */
    KEY,
    /** A mandatory label's policy: SDDL's NW, NR, NX. */
    LABEL
  }

  /**
   * Rights alone: {@code RX}, {@code (RD,WD)}'s inside {@code RD,WD}, {@code ReadKey}; none is
   * {@code none}.
   */
  public static String rights(int mask, Names names) {
    if (mask == 0) {
      return "none";
    }
    return switch (names) {
      case FILE -> AccessMask.icacls(mask);
      case KEY -> KeyRights.describe(mask);
      case LABEL -> {
        StringBuilder s = new StringBuilder();
        Sddl.appendRights(s, mask, true);
        yield s.toString();
      }
    };
  }

  /** Rights alone as a value: see {@link #rights(int, Names)}. */
  public static String rights(Rights rights, Names names) {
    return rights(rights.mask(), names);
  }

  /**
   * An entry's flags and rights as icacls lists them: {@code (I)(OI)(CI)(RX)}; audit flags follow
   * the inheritance ones ({@code (SA)(FA)}); no rights at all is icacls' {@code (N)}.
   */
  public static String entry(int aceFlags, int mask, Names names) {
    StringBuilder s = new StringBuilder(AceFlags.icacls(aceFlags));
    if ((aceFlags & AceFlags.SUCCESSFUL_ACCESS) != 0) {
      s.append("(SA)");
    }
    if ((aceFlags & AceFlags.FAILED_ACCESS) != 0) {
      s.append("(FA)");
    }
    if ((aceFlags & AceFlags.CRITICAL) != 0) {
      s.append("(CR)");
    }
    return s.append('(').append(mask == 0 ? "N" : rights(mask, names)).append(')').toString();
  }

  /** {@link #entry(int, int, Names)} of an ACE; a label's rights are always label names. */
  public static String entry(Ace ace, Names names) {
    return entry(
        ace.flags(),
        ace.mask(),
        ace.type() == AceType.SYSTEM_MANDATORY_LABEL ? Names.LABEL : names);
  }
}
