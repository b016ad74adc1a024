package org.wsusfix.machine.windows;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.wsusfix.machine.RightsAccess;
import org.wsusfix.machine.TargetException;
import org.wsusfix.security.Sid;

/**
 * User rights of this machine through the LSA policy: LsaEnumerateAccountsWithUserRight,
 * LsaAddAccountRights, LsaRemoveAccountRights. A policy handle is opened for each call with only
 * the access that call needs, and closed after it.
 */
final class WindowsRights implements RightsAccess, RightsAccess.Writer {
  static final int STATUS_NO_MORE_ENTRIES = 0x8000001A;
  private static final int READ =
      LsaPolicy.POLICY_VIEW_LOCAL_INFORMATION | LsaPolicy.POLICY_LOOKUP_NAMES;
  private static final int WRITE = LsaPolicy.POLICY_LOOKUP_NAMES | LsaPolicy.POLICY_CREATE_ACCOUNT;

  private final LsaPolicy lsa;

  WindowsRights(LsaPolicy lsa) {
    this.lsa = lsa;
  }

  private interface WithPolicy<T> {
    T run(Pointer policy);
  }

  private <T> T withPolicy(int access, String what, WithPolicy<T> body) {
    // LSA_OBJECT_ATTRIBUTES, all zero: six pointer-sized or smaller fields
    Memory attributes = new Memory(6L * Native.POINTER_SIZE);
    attributes.clear();
    PointerByReference handle = new PointerByReference();
    int status = lsa.LsaOpenPolicy(null, attributes, access, handle);
    if (status != 0) {
      throw fail("the local security policy", "cannot open it to " + what, status);
    }
    try {
      return body.run(handle.getValue());
    } finally {
      lsa.LsaClose(handle.getValue());
    }
  }

  private TargetException fail(String subject, String doing, int status) {
    return Win32Error.fail(subject, doing, lsa.LsaNtStatusToWinError(status));
  }

  @Override
  public Holders holders(String right) {
    return withPolicy(
        READ,
        "read who holds " + right,
        policy -> {
          PointerByReference buffer = new PointerByReference();
          IntByReference count = new IntByReference();
          int status =
              lsa.LsaEnumerateAccountsWithUserRight(
                  policy, NativeData.lsaString(right), buffer, count);
          if (status == STATUS_NO_MORE_ENTRIES) {
            return new Holders(Set.of(), List.of());
          }
          if (status != 0) {
            throw fail(right, "cannot list its holders", status);
          }
          try {
            Set<Sid> out = new LinkedHashSet<>();
            for (int i = 0; i < count.getValue(); i++) {
              out.add(NativeData.sidAt(NativeData.pointerAt(buffer.getValue(), i)));
            }
            return new Holders(out, List.of());
          } finally {
            lsa.LsaFreeMemory(buffer.getValue());
          }
        });
  }

  @Override
  public Optional<RightsAccess.Writer> writer() {
    return Optional.of(this);
  }

  @Override
  public void addRight(Sid account, String right) {
    withPolicy(
        WRITE,
        "give " + right,
        policy -> {
          WinNT.PSID sid = NativeData.psid(account);
          int status =
              lsa.LsaAddAccountRights(policy, sid.getPointer(), NativeData.lsaString(right), 1);
          if (status != 0) {
            throw fail(account.toString(), "cannot be given " + right, status);
          }
          return null;
        });
  }

  @Override
  public void removeRight(Sid account, String right) {
    withPolicy(
        LsaPolicy.POLICY_LOOKUP_NAMES,
        "take " + right,
        policy -> {
          WinNT.PSID sid = NativeData.psid(account);
          int status =
              lsa.LsaRemoveAccountRights(
                  policy, sid.getPointer(), (byte) 0, NativeData.lsaString(right), 1);
          if (status != 0) {
            throw fail(account.toString(), "cannot lose " + right, status);
          }
          return null;
        });
  }

  /** Opening the policy for writing is what a change needs first; it fails without elevation. */
  @Override
  public List<String> rightsWriteProblems() {
    try {
      withPolicy(WRITE, "change user rights", policy -> null);
      return List.of();
    } catch (TargetException e) {
      return List.of(e.getMessage());
    }
  }
}
