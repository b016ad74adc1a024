package org.wsusfix.machine.windows;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The LSA policy functions of advapi32.dll (ntsecapi.h) that JNA Platform does not declare. They
 * return NTSTATUS; strings are LSA_UNICODE_STRING structures, passed as native memory ({@link
 * NativeData#lsaString}); the handle is an opaque pointer.
 */
public interface LsaPolicy extends Library {
  int POLICY_VIEW_LOCAL_INFORMATION = 0x1;
  int POLICY_CREATE_ACCOUNT = 0x10;
  int POLICY_LOOKUP_NAMES = 0x800;

  int LsaOpenPolicy(
      Pointer systemName,
      Pointer objectAttributes,
      int desiredAccess,
      PointerByReference policyHandle);

  /** Fills {@code buffer} with an array of LSA_ENUMERATION_INFORMATION (one PSID each). */
  int LsaEnumerateAccountsWithUserRight(
      Pointer policyHandle,
      Pointer userRight,
      PointerByReference buffer,
      IntByReference countReturned);

  int LsaAddAccountRights(
      Pointer policyHandle, Pointer accountSid, Pointer userRights, int countOfRights);

  int LsaRemoveAccountRights(
      Pointer policyHandle,
      Pointer accountSid,
      byte allRights,
      Pointer userRights,
      int countOfRights);

  int LsaFreeMemory(Pointer buffer);

  int LsaClose(Pointer policyHandle);

  int LsaNtStatusToWinError(int status);
}
