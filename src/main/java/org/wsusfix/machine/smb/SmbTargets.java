package org.wsusfix.machine.smb;

import java.io.Console;
import java.util.Map;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.TargetException;
import org.wsusfix.machine.TargetProvider;

/**
 * Opens the {@code smb://} target (found through {@code META-INF/services}), and finds the
 * password.
 *
 * <p>Password, in this order: the environment variable {@code WSUSFIX_SMB_PASSWORD}; the Java
 * system property {@code wsusfix.smb.password} (for programs that run wsusfix in-process, such as
 * tests: it is read only when the variable is absent); a prompt without echo when a terminal is
 * attached; otherwise a one-line error.
 */
public final class SmbTargets implements TargetProvider {
  public static final String PASSWORD_ENV = "WSUSFIX_SMB_PASSWORD";
  public static final String PASSWORD_PROPERTY = "wsusfix.smb.password";

  @Override
  public String scheme() {
    return "smb";
  }

  @Override
  public Target open(String spec, Map<String, String> query, Map<String, String> vars) {
    SmbSpec s = SmbSpec.parse(spec, query);
    return SmbTarget.open(s, password(s), vars);
  }

  static char[] password(SmbSpec spec) {
    String env = System.getenv(PASSWORD_ENV);
    if (env != null) {
      return env.toCharArray();
    }
    String property = System.getProperty(PASSWORD_PROPERTY);
    if (property != null) {
      return property.toCharArray();
    }
    Console console = System.console();
    if (console != null) {
      char[] typed = console.readPassword("Password for %s on %s: ", spec.account(), spec.host());
      if (typed != null) {
        return typed;
      }
    }
    throw new TargetException(
        "no password for "
            + spec.account()
            + " on "
            + spec.host()
            + ": set "
            + PASSWORD_ENV
            + " (there is no terminal to ask on)");
  }
}
