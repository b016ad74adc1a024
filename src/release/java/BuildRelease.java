import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds the release archive for the platform it runs on, so that Windows' comes from a Windows
 * build (jlink makes a runtime for its own platform only): {@code
 * target/wsusfix-VERSION-OS-ARCH.tar.gz} (a .zip on Windows) and a SHA-256 file beside it.
 *
 * <pre>
 * wsusfix-VERSION/
 *   bin/       wsusfix, wsusfix.cmd, wsusfix.ps1
 *   lib/       wsusfix.jar, wsusfix.aot (class-data cache, AppCDS's successor, of the runtime and the jar)
 *   runtime/   jlink image of the modules jdeps finds in the jar
 *   policies/  examples/  integrations/ (Intune and Configuration Manager scripts)  README.md
 * </pre>
 *
 * The class-data cache is made here, from a training run of {@code plan} on the shipped example, so
 * no launcher has to record one and a release folder can stay read-only. The runtime comes from a
 * JDK of version 25 or later (the jar itself stays Java 17): Java 17 to 24 refuse an archive once
 * its folder has moved, since they compare the jar's path as text, and 25 no longer does. Run by
 * the {@code release} Maven profile as a single source file: {@code java
 * src/release/java/BuildRelease.java VERSION PROJECT_DIR JDK_HOME}.
 */
public final class BuildRelease {
  // Options the launchers run the release with; the cache is trained with the same ones, since Java
  // refuses it where the module options differ.
  private static final List<String> JVM =
      List.of(
          "-XX:TieredStopAtLevel=1",
          "-XX:+UseSerialGC",
          "--enable-native-access=ALL-UNNAMED",
          "--sun-misc-unsafe-memory-access=allow");

  /** The first Java whose class-data cache survives moving the release folder. */
  private static final int RUNTIME_JAVA = 25;

  private final String version;
  private final Path project;
  private final Path target;
  private final boolean windows;
  private final String platform;
  private final Path jdk;

  private BuildRelease(String version, Path project, Path jdk) {
    this.version = version;
    this.jdk = jdk.toAbsolutePath().normalize();
    this.project = project.toAbsolutePath().normalize();
    this.target = this.project.resolve("target");
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    this.windows = os.startsWith("windows");
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    String cpu =
        switch (arch) {
          case "amd64", "x86_64" -> "x64";
          case "aarch64", "arm64" -> "arm64";
          default -> arch;
        };
    this.platform = (windows ? "windows" : os.startsWith("mac") ? "macos" : "linux") + "-" + cpu;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: java BuildRelease.java VERSION PROJECT_DIR JDK_HOME");
      System.exit(2);
    }
    try {
      new BuildRelease(args[0], Path.of(args[1]), Path.of(args[2])).build();
    } catch (BuildFailure | IOException | UncheckedIOException e) {
      System.err.println("release: " + e.getMessage());
      System.exit(1);
    }
  }

  private void build() throws Exception {
    long started = System.nanoTime();
    Path jar = target.resolve("wsusfix.jar");
    if (!Files.isRegularFile(jar)) {
      throw new BuildFailure(jar + " is missing; the shade step makes it");
    }
    String name = "wsusfix-" + version;
    Path staging = target.resolve("release");
    deleteTree(staging);
    Path home = staging.resolve(name);
    Files.createDirectories(home.resolve("bin"));
    Files.createDirectories(home.resolve("lib"));

    int feature = javaVersion();
    String modules =
        tool(
                "jdeps",
                "--multi-release",
                String.valueOf(feature),
                "--ignore-missing-deps",
                "--print-module-deps",
                jar.toString())
            .strip();
    if (!modules.matches("[\\w.,]+")) {
      throw new BuildFailure("jdeps printed no module list: " + modules);
    }
    System.out.println("release: Java " + feature + " runtime of " + modules);
    // no --compress: an uncompressed module image starts quicker and gzips smaller than a zipped
    // one
    tool(
        "jlink",
        "--add-modules",
        modules,
        "--strip-debug",
        "--no-header-files",
        "--no-man-pages",
        "--output",
        home.resolve("runtime").toString());

    Path shippedJar = home.resolve("lib").resolve("wsusfix.jar");
    Files.copy(jar, shippedJar);
    // Java checks the jar's time against the archive's record; zip keeps times to 2 seconds
    long seconds = Files.getLastModifiedTime(jar).toMillis() / 2000 * 2;
    Files.setLastModifiedTime(shippedJar, FileTime.fromMillis(seconds * 1000));

    for (String launcher : List.of("wsusfix", "wsusfix.cmd", "wsusfix.ps1")) {
      Path to = home.resolve("bin").resolve(launcher);
      Files.copy(
          project.resolve("scripts").resolve(launcher), to, StandardCopyOption.COPY_ATTRIBUTES);
      if (!windows) {
        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    }
    copyTree(project.resolve("policies"), home.resolve("policies"));
    copyTree(project.resolve("examples"), home.resolve("examples"));
    copyTree(project.resolve("integrations"), home.resolve("integrations"));
    Files.copy(project.resolve("README.md"), home.resolve("README.md"));

    classDataArchive(home, shippedJar);

    Path archive = target.resolve(name + "-" + platform + (windows ? ".zip" : ".tar.gz"));
    Files.deleteIfExists(archive);
    if (windows) {
      zip(staging, home, archive);
    } else {
      // the tar of the system keeps the runtime's symbolic links (legal/) and file modes
      run(
          staging,
          List.of(
              "tar",
              "--sort=name",
              "--owner=0",
              "--group=0",
              "--numeric-owner",
              "-czf",
              archive.toString(),
              name),
          Set.of(0));
    }
    String sum = HexFormat.of().formatHex(sha256(archive));
    Path sumFile = archive.resolveSibling(archive.getFileName() + ".sha256");
    // the format sha256sum -c reads: digest, two spaces, file name
    Files.writeString(
        sumFile, sum + "  " + archive.getFileName() + "\n", StandardCharsets.US_ASCII);
    System.out.printf(
        Locale.ROOT,
        "release: %s (%.1f MB) and %s in %.0f s%n",
        archive.getFileName(),
        Files.size(archive) / 1e6,
        sumFile.getFileName(),
        (System.nanoTime() - started) / 1e9);
  }

  /** lib/wsusfix.aot: what a plan loads and links, trained on the shipped example. */
  private void classDataArchive(Path home, Path jar) throws IOException {
    Path java = home.resolve("runtime").resolve("bin").resolve(windows ? "java.exe" : "java");
    Path aot = home.resolve("lib").resolve("wsusfix.aot");
    Path snapshot = home.resolve("examples").resolve("wsus01-broken.icacls");
    List<String> train = new ArrayList<>(List.of(java.toString()));
    train.addAll(JVM);
    train.addAll(
        List.of(
            "-XX:AOTCacheOutput=" + aot,
            "-Xlog:aot=off",
            "-Xlog:cds=off",
            "-cp",
            jar.toString(),
            "org.wsusfix.cli.Main",
            "plan",
            "-p",
            "wsus-iis6",
            "--target",
            "snapshot:" + snapshot + "?computer=WSUS01"));
    ProcessBuilder pb =
        new ProcessBuilder(train)
            .directory(home.toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    int exit = waitFor(pb, train);
    // plan exits 2: changes needed, as the example should
    if (exit != 2 || !Files.isRegularFile(aot)) {
      throw new BuildFailure(
          "the training run exited "
              + exit
              + (Files.isRegularFile(aot) ? "" : " and left no cache"));
    }
    Files.deleteIfExists(home.resolve("lib").resolve("wsusfix.aot.config"));
    // AOTMode=on fails unless the cache maps: the launchers' default (auto) would quietly do
    // without
    List<String> check = new ArrayList<>(List.of(java.toString()));
    check.addAll(JVM);
    check.addAll(
        List.of("-XX:AOTCache=" + aot, "-XX:AOTMode=on", "-jar", jar.toString(), "--version"));
    run(home, check, Set.of(0));
    System.out.printf(Locale.ROOT, "release: class-data cache %.1f MB%n", Files.size(aot) / 1e6);
  }

  /** The feature version of the JDK the runtime is made from, which must be 25 or later. */
  private int javaVersion() throws IOException {
    Path release = jdk.resolve("release");
    if (!Files.isRegularFile(release)
        || !Files.isRegularFile(jdk.resolve("bin").resolve(exe("jlink")))) {
      throw new BuildFailure(jdk + " is not a JDK with jlink; give one with -Drelease.jdk=DIR");
    }
    for (String line : Files.readAllLines(release)) {
      if (line.startsWith("JAVA_VERSION=")) {
        String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
        int feature = Integer.parseInt(v.split("[.+-]")[0]);
        if (feature < RUNTIME_JAVA) {
          throw new BuildFailure(
              jdk
                  + " is Java "
                  + feature
                  + "; the release runtime needs Java "
                  + RUNTIME_JAVA
                  + " or later (its class-data cache still works after the folder moves): give one with"
                  + " -Drelease.jdk=DIR");
        }
        return feature;
      }
    }
    throw new BuildFailure(release + " names no JAVA_VERSION");
  }

  private String exe(String name) {
    return windows ? name + ".exe" : name;
  }

  /** Runs one of the JDK's tools and returns what it printed. */
  private String tool(String name, String... args) throws IOException {
    List<String> command =
        new ArrayList<>(List.of(jdk.resolve("bin").resolve(exe(name)).toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(target, name, ".out");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
      int exit = waitFor(pb, command);
      String text = Files.readString(out);
      if (exit != 0) {
        throw new BuildFailure(name + " exited " + exit + ": " + text.strip());
      }
      return text;
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static void run(Path dir, List<String> command, Set<Integer> ok) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).inheritIO();
    int exit = waitFor(pb, command);
    if (!ok.contains(exit)) {
      throw new BuildFailure(String.join(" ", command) + " exited " + exit);
    }
  }

  private static int waitFor(ProcessBuilder pb, List<String> command) throws IOException {
    try {
      return pb.start().waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BuildFailure("interrupted: " + String.join(" ", command));
    }
  }

  private static void zip(Path base, Path home, Path archive) throws IOException {
    try (OutputStream file = Files.newOutputStream(archive);
        ZipOutputStream zip = new ZipOutputStream(file);
        Stream<Path> paths = Files.walk(home)) {
      for (Path p : (Iterable<Path>) paths.sorted()::iterator) {
        String entry = base.relativize(p).toString().replace('\\', '/');
        boolean dir = Files.isDirectory(p);
        ZipEntry e = new ZipEntry(dir ? entry + "/" : entry);
        // the exact time too (an extra field), not only the 2-second DOS one
        e.setLastModifiedTime(Files.getLastModifiedTime(p));
        zip.putNextEntry(e);
        if (!dir) {
          Files.copy(p, zip);
        }
        zip.closeEntry();
      }
    }
  }

  private static byte[] sha256(Path file) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (var in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return md.digest();
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path dest = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted((a, b) -> b.getNameCount() - a.getNameCount())
          .forEach(
              p -> {
                try {
                  p.toFile().setWritable(true);
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }

  /** A build step that failed: one line, no stack trace. */
  private static final class BuildFailure extends RuntimeException {
    BuildFailure(String message) {
      super(message);
    }
  }
}
