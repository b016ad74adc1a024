package org.wsusfix.machine.windows;

import com.sun.jna.Native;
import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.win32.W32APIOptions;
import java.util.Map;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.TargetException;
import org.wsusfix.machine.TargetProvider;

/** Opens the {@code local} target (found through {@code META-INF/services}); only on Windows. */
public final class WindowsTargets implements TargetProvider {
  @Override
  public String scheme() {
    return "local";
  }

  @Override
  public Target open(String spec, Map<String, String> query, Map<String, String> vars) {
    if (!query.isEmpty()) {
      throw new TargetException(
          "the local target takes no options (" + String.join(", ", query.keySet()) + ")");
    }
    // the only place the real libraries are loaded; everything else receives them
    NetLocalGroups netapi32 =
        Native.load("Netapi32", NetLocalGroups.class, W32APIOptions.DEFAULT_OPTIONS);
    // the Lsa* functions have no A/W forms and take no Java strings: plain binding
    LsaPolicy lsa = Native.load("Advapi32", LsaPolicy.class);
    return new WindowsTarget(
        Advapi32.INSTANCE, Kernel32.INSTANCE, netapi32, lsa, System.getenv(), vars);
  }
}
