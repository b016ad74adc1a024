package org.wsusfix.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decides, as Windows' AccessCheck does (MS-DTYP 2.5.3.2), whether a token gets the access it asks
 * for on an object, and says which ACE decided.
 *
 * <ol>
 *   <li>Generic bits of the request are mapped with the file mapping (or the registry mapping for
 *       keys).
 *   <li>ACCESS_SYSTEM_SECURITY needs SeSecurityPrivilege, which this model does not hold: a request
 *       for it is denied before the DACL is read.
 *   <li>A NULL DACL (or a descriptor without a DACL) grants everything asked; MAXIMUM_ALLOWED then
 *       yields FILE_ALL_ACCESS.
 *   <li>The owner (the descriptor's owner SID is the token's user or one of its groups) gets
 *       READ_CONTROL and WRITE_DAC without any ACE, unless the DACL holds an effective OWNER RIGHTS
 *       (S-1-3-4) ACE; then those ACEs, which match the owner, decide instead. Inherit-only ACEs do
 *       not count for that test.
 *   <li>The ACEs are walked in order, skipping inherit-only ones and ACEs whose SID is not in the
 *       token. A deny ACE that names a bit not yet granted denies the request at once; an allow ACE
 *       grants its bits. The walk stops as soon as every bit is granted. Object ACEs that name an
 *       object type are skipped (files have none); without one they act as plain ACEs.
 *   <li>With MAXIMUM_ALLOWED the whole list is walked: a bit is granted when an allow reaches it
 *       before a deny does. Nothing granted means denied.
 * </ol>
 *
 * ACE masks are used as stored: Windows maps generic bits when an ACL is written, so an effective
 * ACE that still holds GENERIC_* bits grants nothing with them. Privileges (SeBackup, SeRestore,
 * SeTakeOwnership) and integrity labels are outside this model.
 */
public final class AccessCheck {
  private AccessCheck() {}

  /** READ_CONTROL | WRITE_DAC: what the owner gets without an ACE. */
  public static final int OWNER_IMPLICIT = AccessMask.READ_CONTROL | AccessMask.WRITE_DAC;

  /** Bits an ACE can grant through the DACL walk. */
  private static final int GRANTABLE =
      ~(AccessMask.GENERIC_BITS | AccessMask.MAXIMUM_ALLOWED | AccessMask.ACCESS_SYSTEM_SECURITY);

  /** Why the answer is what it is. */
  public enum Reason {
    /** Nothing was asked for. */
    NOTHING_REQUESTED,
    /** ACCESS_SYSTEM_SECURITY was asked for and needs a privilege. */
    PRIVILEGE_REQUIRED,
    /** NULL DACL: no protection at all. */
    NULL_DACL,
    /** The owner's implicit READ_CONTROL | WRITE_DAC covered the rest of the request. */
    OWNER_IMPLICIT,
    /** This allow ACE granted the last missing bits. */
    ALLOWED_BY_ACE,
    /** This deny ACE named a bit that was asked for and not yet granted. */
    DENIED_BY_ACE,
    /** The list ended with bits still missing ({@link Result#missing()}). */
    NOT_GRANTED,
    /** MAXIMUM_ALLOWED: the granted mask is the sum of {@link Result#steps()}. */
    MAXIMUM_ALLOWED
  }

  /** One ACE that took part: the bits it granted and the bits it denied (newly, at that point). */
  public record Step(int index, Ace ace, int granted, int denied) {}

  /**
   * The answer. {@code desired} is the request after generic mapping (MAXIMUM_ALLOWED removed);
   * {@code granted} what the token gets; {@code missing} the asked-for bits not granted; {@code
   * index}/{@code ace} the ACE that decided (-1 / null when none did).
   */
  public record Result(
      int requested,
      int desired,
      int granted,
      boolean allowed,
      int missing,
      Reason reason,
      int index,
      Ace ace,
      List<Step> steps) {
    public Result {
      steps = List.copyOf(steps);
    }

    /** One line for people, e.g. {@code denied by ACE 0 (deny Everyone RX)}. */
    public String describe() {
      String mask = AccessMask.hex(missing);
      return switch (reason) {
        case NOTHING_REQUESTED -> "granted: nothing was asked for";
        case PRIVILEGE_REQUIRED -> "denied: ACCESS_SYSTEM_SECURITY needs SeSecurityPrivilege";
        case NULL_DACL -> "granted: the DACL is NULL (no protection)";
        case OWNER_IMPLICIT -> "granted: the owner's implicit READ_CONTROL and WRITE_DAC";
        case ALLOWED_BY_ACE ->
            "granted: ACE " + index + " (" + render(ace) + ") completed the request";
        case DENIED_BY_ACE ->
            "denied by ACE "
                + index
                + " ("
                + render(ace)
                + ") for "
                + AccessMask.icacls(ace.mask() & missing);
        case NOT_GRANTED ->
            missing == 0
                ? "denied: no ACE grants this token anything"
                : "denied: no ACE granted " + AccessMask.icacls(missing) + " (" + mask + ")";
        case MAXIMUM_ALLOWED ->
            (allowed ? "granted " : "denied: ")
                + AccessMask.icacls(granted)
                + " ("
                + AccessMask.hex(granted)
                + ") from "
                + steps.size()
                + " ACE(s)";
      };
    }
  }

  /** Checks {@code desiredAccess}; the token is the owner when it holds the owner SID. */
  public static Result check(SecurityDescriptor sd, Token token, int desiredAccess) {
    return check(sd, token, desiredAccess, sd.owner() != null && token.has(sd.owner()));
  }

  /**
   * Checks {@code desiredAccess}, with ownership decided by the caller (for example when the owner
   * SID is a group whose membership is known only to the target).
   */
  public static Result check(
      SecurityDescriptor sd, Token token, int desiredAccess, boolean isOwner) {
    return check(sd, token, desiredAccess, isOwner, AccessMask.FILE_MAPPING);
  }

  /** Checks access to an object of another kind: a registry key maps generic bits its own way. */
  public static Result check(
      SecurityDescriptor sd, Token token, int desiredAccess, AccessMask.GenericMapping mapping) {
    return check(sd, token, desiredAccess, sd.owner() != null && token.has(sd.owner()), mapping);
  }

  /** The most the token gets on an object whose generic bits mean {@code mapping}. */
  public static Result effectiveAccess(
      SecurityDescriptor sd, Token token, AccessMask.GenericMapping mapping) {
    return check(sd, token, AccessMask.MAXIMUM_ALLOWED, mapping);
  }

  private static Result check(
      SecurityDescriptor sd,
      Token token,
      int desiredAccess,
      boolean isOwner,
      AccessMask.GenericMapping mapping) {
    Objects.requireNonNull(sd, "sd");
    Objects.requireNonNull(token, "token");
    boolean maximum = (desiredAccess & AccessMask.MAXIMUM_ALLOWED) != 0;
    int desired = mapping.map(desiredAccess) & ~AccessMask.MAXIMUM_ALLOWED;
    List<Step> steps = new ArrayList<>();

    if ((desired & AccessMask.ACCESS_SYSTEM_SECURITY) != 0) {
      return new Result(
          desiredAccess,
          desired,
          0,
          false,
          AccessMask.ACCESS_SYSTEM_SECURITY,
          Reason.PRIVILEGE_REQUIRED,
          -1,
          null,
          steps);
    }
    if (!maximum && desired == 0) {
      return new Result(desiredAccess, 0, 0, true, 0, Reason.NOTHING_REQUESTED, -1, null, steps);
    }
    if (sd.dacl() == null) {
      int granted = maximum ? mapping.all() | desired : desired;
      return new Result(
          desiredAccess, desired, granted, true, 0, Reason.NULL_DACL, -1, null, steps);
    }
    Acl dacl = sd.dacl();
    int ownerBits = isOwner && !hasEffectiveOwnerRights(dacl) ? OWNER_IMPLICIT : 0;
    return maximum
        ? maximumAllowed(dacl, token, isOwner, desiredAccess, desired, ownerBits)
        : ordered(dacl, token, isOwner, desiredAccess, desired, ownerBits);
  }

  /** The most the token gets (MAXIMUM_ALLOWED), with the ACEs that granted or denied each bit. */
  public static Result effectiveAccess(SecurityDescriptor sd, Token token) {
    return check(sd, token, AccessMask.MAXIMUM_ALLOWED);
  }

  private static Result ordered(
      Acl dacl, Token token, boolean isOwner, int requested, int desired, int ownerBits) {
    List<Step> steps = new ArrayList<>();
    int remaining = desired & ~ownerBits;
    int granted = desired & ownerBits;
    if (remaining == 0) {
      return new Result(
          requested, desired, granted, true, 0, Reason.OWNER_IMPLICIT, -1, null, steps);
    }
    for (int i = 0; i < dacl.size(); i++) {
      Ace ace = dacl.get(i);
      if (!applies(ace, token, isOwner)) {
        continue;
      }
      if (ace.type().isDeny()) {
        int hit = ace.mask() & remaining;
        if (hit != 0) {
          steps.add(new Step(i, ace, 0, hit));
          return new Result(
              requested, desired, granted, false, remaining, Reason.DENIED_BY_ACE, i, ace, steps);
        }
      } else {
        int got = ace.mask() & remaining;
        if (got != 0) {
          steps.add(new Step(i, ace, got, 0));
          remaining &= ~got;
          granted |= got;
          if (remaining == 0) {
            return new Result(
                requested, desired, granted, true, 0, Reason.ALLOWED_BY_ACE, i, ace, steps);
          }
        }
      }
    }
    return new Result(
        requested, desired, granted, false, remaining, Reason.NOT_GRANTED, -1, null, steps);
  }

  private static Result maximumAllowed(
      Acl dacl, Token token, boolean isOwner, int requested, int desired, int ownerBits) {
    List<Step> steps = new ArrayList<>();
    int granted = ownerBits;
    int denied = 0;
    for (int i = 0; i < dacl.size(); i++) {
      Ace ace = dacl.get(i);
      if (!applies(ace, token, isOwner)) {
        continue;
      }
      int bits = ace.mask() & GRANTABLE;
      if (ace.type().isDeny()) {
        int newlyDenied = bits & ~granted & ~denied;
        if (newlyDenied != 0) {
          denied |= newlyDenied;
          steps.add(new Step(i, ace, 0, newlyDenied));
        }
      } else {
        int newlyGranted = bits & ~denied & ~granted;
        if (newlyGranted != 0) {
          granted |= newlyGranted;
          steps.add(new Step(i, ace, newlyGranted, 0));
        }
      }
    }
    int missing = desired & ~granted;
    if (missing != 0) {
      // The asked-for bits decide: name the first deny that took one of them, if any.
      for (Step s : steps) {
        if ((s.denied() & missing) != 0) {
          return new Result(
              requested,
              desired,
              granted,
              false,
              missing,
              Reason.DENIED_BY_ACE,
              s.index(),
              s.ace(),
              steps);
        }
      }
      return new Result(
          requested, desired, granted, false, missing, Reason.NOT_GRANTED, -1, null, steps);
    }
    if (granted == 0) {
      return new Result(requested, desired, 0, false, 0, Reason.NOT_GRANTED, -1, null, steps);
    }
    return new Result(
        requested, desired, granted, true, 0, Reason.MAXIMUM_ALLOWED, -1, null, steps);
  }

  /** An ACE counts when it is effective here, is allow/deny, and names the token (or the owner). */
  private static boolean applies(Ace ace, Token token, boolean isOwner) {
    if (ace.isInheritOnly()) {
      return false;
    }
    AceType type = ace.type();
    if (!type.isAllow() && !type.isDeny()) {
      return false;
    }
    if (type.isObject() && ace.objectType() != null) {
      return false;
    }
    if (ace.sid().equals(WellKnownSids.OWNER_RIGHTS)) {
      return isOwner;
    }
    return token.has(ace.sid());
  }

  private static boolean hasEffectiveOwnerRights(Acl dacl) {
    for (Ace ace : dacl.aces()) {
      if (!ace.isInheritOnly() && ace.sid().equals(WellKnownSids.OWNER_RIGHTS)) {
        return true;
      }
    }
    return false;
  }

  /** e.g. {@code deny Everyone RX} or {@code allow S-1-5-21-1-2-3-1001 F (inherited)}. */
  static String render(Ace ace) {
    String who = WellKnownSids.nameOf(ace.sid()).orElse(ace.sid().toString());
    String kind = ace.type().isDeny() ? "deny" : ace.type().isAllow() ? "allow" : ace.type().sddl();
    return kind
        + " "
        + who
        + " "
        + AccessMask.icacls(ace.mask())
        + (ace.isInherited() ? " (inherited)" : "");
  }
}
