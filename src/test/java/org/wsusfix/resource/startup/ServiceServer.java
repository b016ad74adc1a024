package org.wsusfix.resource.startup;

import java.util.LinkedHashMap;
import java.util.Map;
import org.wsusfix.machine.TargetException;
import org.wsusfix.machine.memory.MemoryTarget;

/**
 * The fixture's memory server with services besides, whose Nth start-mode write can be made to
 * fail.
 */
final class ServiceServer extends MemoryTarget
    implements ServiceStartup.Services, ServiceStartup.Services.Writer {
  final Map<String, String> modes = new LinkedHashMap<>();
  private final boolean writable;
  private int writes;
  private int failWrite = -1;

  ServiceServer(boolean writable) {
    super("memory:services");
    this.writable = writable;
  }

  ServiceServer failWrite(int n) {
    failWrite = n;
    return this;
  }

  @Override
  public Map<String, String> startModes() {
    return Map.copyOf(modes);
  }

  @Override
  public ServiceStartup.Services.Writer writer() {
    return writable ? this : null;
  }

  @Override
  public void setStartMode(String service, String mode) {
    if (++writes == failWrite) {
      throw new TargetException(service + ": injected start-mode failure");
    }
    modes.put(service, mode);
  }
}
