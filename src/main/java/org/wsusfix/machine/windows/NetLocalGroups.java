package org.wsusfix.machine.windows;

import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Netapi32;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The local-group member functions of netapi32.dll, which JNA Platform 5.14's {@link Netapi32} does
 * not declare (lmaccess.h). Level 0 buffers are arrays of LOCALGROUP_MEMBERS_INFO_0, one PSID each,
 * so members are handled by SID and well-known SIDs such as Authenticated Users work.
 *
 * <p>The resume handle is a PDWORD_PTR (pointer-sized); callers pass null together with
 * MAX_PREFERRED_LENGTH, which returns every entry in one buffer.
 */
public interface NetLocalGroups extends Netapi32 {
  int NetLocalGroupGetMembers(
      String serverName,
      String localGroupName,
      int level,
      PointerByReference bufptr,
      int prefMaxLen,
      IntByReference entriesRead,
      IntByReference totalEntries,
      Pointer resumeHandle);

  int NetLocalGroupAddMembers(
      String serverName, String groupName, int level, Pointer buf, int totalEntries);

  int NetLocalGroupDelMembers(
      String serverName, String groupName, int level, Pointer buf, int totalEntries);
}
