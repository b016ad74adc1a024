package org.wsusfix.machine.smb;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The running Samba lab of scripts/samba-lab.sh, described by LAB/env (LAB = $WSUSFIX_LAB_DIR, else
 * /tmp/wsusfix-lab). {@link #require()} skips the calling tests with one visible line when the lab
 * is not up, and fails them when CI=true, where the lab must run.
 */
final class SambaLab {
  private static final AtomicBoolean TOLD = new AtomicBoolean();

  private final Map<String, String> env;

  private SambaLab(Map<String, String> env) {
    this.env = env;
  }

  static SambaLab require() {
    Path dir = Path.of(System.getenv().getOrDefault("WSUSFIX_LAB_DIR", "/tmp/wsusfix-lab"));
    Path file = dir.resolve("env");
    String problem = null;
    Map<String, String> values = null;
    if (!Files.isRegularFile(file)) {
      problem = "no " + file;
    } else {
      try {
        values = parse(Files.readAllLines(file, StandardCharsets.UTF_8));
        if (!reachable(values.get("LAB_HOST"), Integer.parseInt(values.get("LAB_PORT")))) {
          problem = "nothing answers on " + values.get("LAB_HOST") + ":" + values.get("LAB_PORT");
        }
      } catch (IOException | RuntimeException e) {
        problem = "cannot read " + file + ": " + e.getMessage();
      }
    }
    if (problem != null) {
      String message =
          "Samba lab not running (" + problem + "); start it with: sudo scripts/samba-lab.sh start";
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(message + " [CI=true: the samba tests must run]");
      }
      if (TOLD.compareAndSet(false, true)) {
        System.err.println("SKIPPED tests tagged samba: " + message);
      }
      Assumptions.abort(message);
    }
    return new SambaLab(values);
  }

  private static Map<String, String> parse(List<String> lines) {
    Map<String, String> m = new HashMap<>();
    for (String line : lines) {
      int eq = line.indexOf('=');
      if (line.isBlank() || line.startsWith("#") || eq < 0) {
        continue;
      }
      String v = line.substring(eq + 1);
      if (v.length() >= 2 && v.startsWith("'") && v.endsWith("'")) {
        v = v.substring(1, v.length() - 1);
      }
      m.put(line.substring(0, eq), v);
    }
    return m;
  }

  private static boolean reachable(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  String get(String key) {
    String v = env.get(key);
    if (v == null) {
      throw new IllegalStateException(
          "LAB/env has no " + key + ": restart the lab with scripts/samba-lab.sh start");
    }
    return v;
  }

  String host() {
    return get("LAB_HOST");
  }

  int port() {
    return Integer.parseInt(get("LAB_PORT"));
  }

  String share() {
    return get("LAB_SHARE");
  }

  String netbios() {
    return get("LAB_NETBIOS");
  }

  /** Whether the lab runs with {@code server signing = mandatory} (start --signing mandatory). */
  boolean signingMandatory() {
    return "mandatory".equals(env.get("LAB_SIGNING"));
  }

  /** Whether the lab's share requires SMB 3 encryption (start --encrypt required). */
  boolean encryptionRequired() {
    return "required".equals(env.get("LAB_ENCRYPT"));
  }

  String machineSid() {
    return get("LAB_SID");
  }

  String adminPassword() {
    return get("LAB_ADMIN_PASSWORD");
  }

  String iusrPassword() {
    return get("LAB_IUSR_PASSWORD");
  }

  String iusrSid() {
    return get("LAB_IUSR_SID");
  }

  String svcPassword() {
    return get("LAB_SVC_PASSWORD");
  }

  String svcSid() {
    return get("LAB_SVC_SID");
  }

  String adminSid() {
    return get("LAB_ADMIN_SID");
  }

  SmbConnection connect(String user, String password) {
    return SmbConnection.connect(host(), port(), share(), user, password, "");
  }

  SmbConnection admin() {
    return connect(get("LAB_ADMIN_USER"), adminPassword());
  }

  /** {@code //host/share} for smbclient and smbcacls. */
  String service() {
    return "//" + host() + "/" + share();
  }

  /** Output (stdout and stderr) and exit code of a command nobody here wrote. */
  record Run(int exit, String out) {}

  static Run run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + String.join(" ", command));
      }
      return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command[0] + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** smbclient as {@code user}, running smbclient commands {@code commands}. */
  Run smbclient(String user, String password, String commands) {
    return run(
        "smbclient",
        service(),
        "-p",
        String.valueOf(port()),
        "-U",
        user + "%" + password,
        "-c",
        commands);
  }

  /** smbcacls (always port 445) as admin, with extra arguments then the path. */
  Run smbcacls(String path, String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "smbcacls",
                service(),
                path.replace('\\', '/'),
                "-U",
                "admin%" + adminPassword(),
                "--domain-sid=" + machineSid()));
    cmd.addAll(List.of(args));
    return run(cmd.toArray(String[]::new));
  }

  /** Members of BUILTIN\Users as `net rpc group members Users` lists them. */
  List<String> netRpcUsersMembers() {
    Run r =
        run(
            "net",
            "rpc",
            "group",
            "members",
            "Users",
            "-I",
            host(),
            "-p",
            String.valueOf(port()),
            "-U",
            "admin%" + adminPassword());
    Assertions.assertEquals(0, r.exit(), r.out());
    return r.out().lines().map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** {@code smb://ADMIN@HOST[:PORT]/SHARE}: the lab as the administrator's target string. */
  String adminTarget() {
    return "smb://"
        + get("LAB_ADMIN_USER")
        + "@"
        + host()
        + (port() == 445 ? "" : ":" + port())
        + "/"
        + share();
  }

  /**
   * Sets the property in-process command-line runs take the SMB password from; closing it puts back
   * what was there.
   */
  AutoCloseable adminPasswordForCommands() {
    String previous = System.setProperty(SmbTargets.PASSWORD_PROPERTY, adminPassword());
    return () -> {
      if (previous == null) {
        System.clearProperty(SmbTargets.PASSWORD_PROPERTY);
      } else {
        System.setProperty(SmbTargets.PASSWORD_PROPERTY, previous);
      }
    };
  }
}
