package org.wsusfix.machine.windows;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.platform.win32.WinReg;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.wsusfix.machine.RegistryAccess;
import org.wsusfix.machine.RegistryString;
import org.wsusfix.machine.TargetException;
import org.wsusfix.security.BinaryDescriptor;
import org.wsusfix.security.SecurityDescriptor;

/**
 * Registry keys of this machine: descriptors through Get/SetNamedSecurityInfo on SE_REGISTRY_KEY
 * (names {@code MACHINE\SOFTWARE\...}), which re-inherits the subkeys by itself; existence and
 * subkeys through RegOpenKeyEx and RegEnumKeyEx.
 */
final class WindowsKeys implements RegistryAccess, RegistryAccess.Writer {
  static final int SE_REGISTRY_KEY = 4;
  private static final int READ_INFO =
      WinNT.OWNER_SECURITY_INFORMATION
          | WinNT.GROUP_SECURITY_INFORMATION
          | WinNT.DACL_SECURITY_INFORMATION;
  private static final int KEY_QUERY_VALUE = 0x1;
  private static final int KEY_ENUMERATE_SUB_KEYS = 0x8;
  private static final int READ_CONTROL = 0x20000;
  private static final int WRITE_DAC = 0x40000;
  private static final int ERROR_NO_MORE_ITEMS = 259;

  private final Advapi32 advapi32;
  private final Kernel32 kernel32;

  WindowsKeys(Advapi32 advapi32, Kernel32 kernel32) {
    this.advapi32 = advapi32;
    this.kernel32 = kernel32;
  }

  /** {@code HKLM\SOFTWARE\X} as the security functions name it: {@code MACHINE\SOFTWARE\X}. */
  static String objectName(String key) {
    return "MACHINE\\" + below(key);
  }

  private static String below(String key) {
    if (!key.regionMatches(true, 0, "HKLM\\", 0, 5)) {
      throw new TargetException(key + ": only keys under HKLM are supported");
    }
    return key.substring(5);
  }

  @Override
  public boolean keyExists(String key) {
    WinReg.HKEYByReference h = new WinReg.HKEYByReference();
    int rc = advapi32.RegOpenKeyEx(WinReg.HKEY_LOCAL_MACHINE, below(key), 0, READ_CONTROL, h);
    if (rc == Win32Error.FILE_NOT_FOUND) {
      return false;
    }
    if (rc == 0) {
      advapi32.RegCloseKey(h.getValue());
    }
    // a key this account may not open still exists; reading it says why
    return true;
  }

  @Override
  public SecurityDescriptor readKey(String key) {
    PointerByReference sd = new PointerByReference();
    int rc =
        advapi32.GetNamedSecurityInfo(
            objectName(key), SE_REGISTRY_KEY, READ_INFO, null, null, null, null, sd);
    if (rc != 0) {
      throw Win32Error.fail(key, "cannot read the security descriptor", rc);
    }
    Pointer p = sd.getValue();
    try {
      return BinaryDescriptor.decode(p.getByteArray(0, advapi32.GetSecurityDescriptorLength(p)));
    } catch (IllegalArgumentException e) {
      throw new TargetException(key + ": " + e.getMessage(), e);
    } finally {
      kernel32.LocalFree(p);
    }
  }

  @Override
  public List<String> subkeys(String key) {
    WinReg.HKEYByReference h = new WinReg.HKEYByReference();
    int rc =
        advapi32.RegOpenKeyEx(WinReg.HKEY_LOCAL_MACHINE, below(key), 0, KEY_ENUMERATE_SUB_KEYS, h);
    if (rc != 0) {
      throw Win32Error.fail(key, "cannot list its subkeys", rc);
    }
    try {
      List<String> out = new ArrayList<>();
      for (int i = 0; ; i++) {
        char[] name = new char[256];
        IntByReference length = new IntByReference(name.length);
        rc = advapi32.RegEnumKeyEx(h.getValue(), i, name, length, null, null, null, null);
        if (rc == ERROR_NO_MORE_ITEMS) {
          return out;
        }
        if (rc != 0) {
          throw Win32Error.fail(key, "cannot list its subkeys", rc);
        }
        out.add(new String(name, 0, length.getValue()));
      }
    } finally {
      advapi32.RegCloseKey(h.getValue());
    }
  }

  @Override
  public Optional<String> stringValue(String key, String name) {
    WinReg.HKEYByReference h = new WinReg.HKEYByReference();
    int rc = advapi32.RegOpenKeyEx(WinReg.HKEY_LOCAL_MACHINE, below(key), 0, KEY_QUERY_VALUE, h);
    if (rc == Win32Error.FILE_NOT_FOUND) {
      return Optional.empty();
    }
    if (rc != 0) {
      throw Win32Error.fail(key, "cannot read its values", rc);
    }
    try {
      IntByReference type = new IntByReference();
      IntByReference size = new IntByReference();
      rc = advapi32.RegQueryValueEx(h.getValue(), name, 0, type, (byte[]) null, size);
      if (rc == Win32Error.FILE_NOT_FOUND) {
        return Optional.empty();
      }
      if (rc != 0 && rc != Win32Error.MORE_DATA) {
        throw Win32Error.fail(key, "cannot read the value " + name, rc);
      }
      if (size.getValue() > RegistryString.MAX_BYTES) {
        throw new TargetException(
            key + "\\" + name + ": value of " + size.getValue() + " bytes is too long for a path");
      }
      byte[] data = new byte[size.getValue()];
      rc = advapi32.RegQueryValueEx(h.getValue(), name, 0, type, data, size);
      if (rc != 0) {
        throw Win32Error.fail(key, "cannot read the value " + name, rc);
      }
      return Optional.of(RegistryString.decode(key, name, type.getValue(), data, size.getValue()));
    } finally {
      advapi32.RegCloseKey(h.getValue());
    }
  }

  @Override
  public boolean propagatesBySelf() {
    return true;
  }

  @Override
  public Optional<RegistryAccess.Writer> writer() {
    return Optional.of(this);
  }

  /** The DACL alone, its protection stated, as for files: Windows then re-inherits the subkeys. */
  @Override
  public void writeKeyDacl(String key, SecurityDescriptor descriptor) {
    if (!descriptor.daclPresent()) {
      throw new TargetException(key + ": refusing to write a descriptor that has no DACL");
    }
    int info =
        WinNT.DACL_SECURITY_INFORMATION
            | (descriptor.isDaclProtected()
                ? WinNT.PROTECTED_DACL_SECURITY_INFORMATION
                : WinNT.UNPROTECTED_DACL_SECURITY_INFORMATION);
    Memory acl = descriptor.dacl() == null ? null : WindowsTarget.acl(descriptor);
    int rc =
        advapi32.SetNamedSecurityInfo(
            objectName(key), SE_REGISTRY_KEY, info, null, null, acl, null);
    if (rc != 0) {
      throw Win32Error.fail(key, "cannot write the DACL", rc);
    }
  }

  @Override
  public List<String> keyWriteProblems(List<String> keys) {
    List<String> problems = new ArrayList<>();
    for (String key : keys) {
      WinReg.HKEYByReference h = new WinReg.HKEYByReference();
      int rc = advapi32.RegOpenKeyEx(WinReg.HKEY_LOCAL_MACHINE, below(key), 0, WRITE_DAC, h);
      if (rc == 0) {
        advapi32.RegCloseKey(h.getValue());
      } else {
        problems.add(
            Win32Error.fail(key, "cannot be opened to change its permissions", rc).getMessage());
      }
    }
    return problems;
  }
}
