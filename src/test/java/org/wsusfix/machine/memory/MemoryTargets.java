package org.wsusfix.machine.memory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.TargetException;
import org.wsusfix.machine.TargetProvider;

/**
 * The {@code memory:NAME} scheme, in test sources only: command-line tests serve an in-memory
 * target under a name and run wsusfix against it as users would against a server.
 */
public final class MemoryTargets implements TargetProvider {
  private static final Map<String, Supplier<Target>> SERVED = new ConcurrentHashMap<>();

  public static void serve(String spec, Supplier<Target> target) {
    SERVED.put(spec, target);
  }

  public static void forget(String spec) {
    SERVED.remove(spec);
  }

  @Override
  public String scheme() {
    return "memory";
  }

  @Override
  public Target open(String spec, Map<String, String> query, Map<String, String> vars) {
    Supplier<Target> t = SERVED.get(spec);
    if (t == null) {
      throw new TargetException("no memory target is served as " + spec);
    }
    return t.get();
  }
}
