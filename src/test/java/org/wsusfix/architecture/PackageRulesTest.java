package org.wsusfix.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering rules of docs/ARCHITECTURE.md, read from the main sources' package and import lines:
 * which packages may touch which libraries, and no two packages that depend on each other.
 */
class PackageRulesTest {
  private static final Path MAIN = Path.of("src/main/java");
  private static final Pattern PACKAGE =
      Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
  private static final Pattern IMPORT =
      Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)(?:\\.\\*)?\\s*;", Pattern.MULTILINE);
  private static final Pattern QUALIFIED =
      Pattern.compile("\\b(org\\.wsusfix(?:\\.[a-z]\\w*)+)\\.[A-Z]");

  /** Per package of ours, the names it imports (and fully qualified org.wsusfix names it uses). */
  static final Map<String, Set<String>> IMPORTS = new TreeMap<>();

  @BeforeAll
  static void read() throws IOException {
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String text = Files.readString(f);
        Matcher p = PACKAGE.matcher(text);
        assertTrue(p.find(), f + " has no package line");
        Set<String> names = IMPORTS.computeIfAbsent(p.group(1), k -> new TreeSet<>());
        Matcher m = IMPORT.matcher(text);
        while (m.find()) {
          names.add(m.group(1));
        }
        Matcher q = QUALIFIED.matcher(text);
        while (q.find()) {
          names.add(q.group(1) + ".X");
        }
      }
    }
    assertTrue(IMPORTS.size() > 10, "the sources were found: " + IMPORTS.keySet());
  }

  private static List<String> offenders(String library, Set<String> allowedPackages) {
    List<String> out = new ArrayList<>();
    IMPORTS.forEach(
        (pkg, names) -> {
          if (!pkg.startsWith("org.wsusfix") || allowedPackages.contains(pkg)) {
            return;
          }
          for (String n : names) {
            if (n.startsWith(library)) {
              out.add(pkg + " imports " + n);
            }
          }
        });
    return out;
  }

  @Test
  void securityUsesOnlyTheJdk() {
    List<String> bad = new ArrayList<>();
    IMPORTS.forEach(
        (pkg, names) -> {
          if (pkg.equals("org.wsusfix.security") || pkg.startsWith("org.wsusfix.security.")) {
            names.stream()
                .filter(n -> !n.startsWith("java.") && !n.startsWith("org.wsusfix.security"))
                .forEach(n -> bad.add(pkg + " imports " + n));
          }
        });
    assertEquals(List.of(), bad);
  }

  @Test
  void filesUsesOnlyTheJdk() {
    // Every layer reads its input files through it, so it may depend on nothing of ours.
    List<String> bad = new ArrayList<>();
    IMPORTS.forEach(
        (pkg, names) -> {
          if (pkg.equals("org.wsusfix.files")) {
            names.stream()
                .filter(n -> !n.startsWith("java.") && !n.startsWith("org.wsusfix.files"))
                .forEach(n -> bad.add(pkg + " imports " + n));
          }
        });
    assertEquals(List.of(), bad);
  }

  @Test
  void onlyTheSmbTargetTalksSmbAndRpc() {
    Set<String> smb = Set.of("org.wsusfix.machine.smb");
    assertEquals(List.of(), offenders("com.hierynomus", smb));
    assertEquals(List.of(), offenders("com.rapid7", smb));
  }

  @Test
  void everyMainClassLivesInOurOwnPackages() {
    // a class in a library's package (com.hierynomus...) reaches its package-private internals
    assertEquals(
        List.of(),
        IMPORTS.keySet().stream()
            .filter(pkg -> !pkg.equals("org.wsusfix") && !pkg.startsWith("org.wsusfix."))
            .toList());
  }

  @Test
  void theSmbTargetUsesNoReflection() {
    assertEquals(
        List.of(),
        IMPORTS.getOrDefault("org.wsusfix.machine.smb", Set.of()).stream()
            .filter(n -> n.startsWith("java.lang.reflect") || n.startsWith("java.lang.invoke"))
            .toList());
  }

  @Test
  void onlyTheWindowsTargetTouchesJna() {
    assertEquals(List.of(), offenders("com.sun.jna", Set.of("org.wsusfix.machine.windows")));
  }

  /**
   * The kind contract knows no kind, and kinds know neither each other nor the generic engine above
   * them.
   */
  @Test
  void resourceKindsStayApart() {
    List<String> bad = new ArrayList<>();
    IMPORTS.forEach(
        (pkg, names) -> {
          if (!pkg.startsWith("org.wsusfix.resource")) {
            return;
          }
          for (String n : names) {
            String imported = n.contains(".") ? n.substring(0, n.lastIndexOf('.')) : n;
            boolean otherKind =
                imported.startsWith("org.wsusfix.resource.") && !imported.equals(pkg);
            boolean engine =
                imported.startsWith("org.wsusfix.plan")
                    || imported.startsWith("org.wsusfix.apply")
                    || imported.startsWith("org.wsusfix.cli")
                    || imported.startsWith("org.wsusfix.diagnose");
            if (otherKind || engine) {
              bad.add(pkg + " imports " + n);
            }
          }
        });
    assertEquals(List.of(), bad);
  }

  @Test
  void noPackagesDependOnEachOther() {
    Map<String, Set<String>> edges = new HashMap<>();
    IMPORTS.forEach(
        (pkg, names) -> {
          Set<String> to = new TreeSet<>();
          for (String n : names) {
            String target = packageOf(n);
            if (target != null && !target.equals(pkg) && IMPORTS.containsKey(target)) {
              to.add(target);
            }
          }
          edges.put(pkg, to);
        });
    List<String> cycles = new ArrayList<>();
    for (String start : edges.keySet()) {
      // A path from a dependency of start back to start is a cycle through start.
      for (String next : edges.get(start)) {
        List<String> path = pathTo(edges, next, start);
        if (path != null) {
          List<String> cycle = new ArrayList<>(List.of(start));
          cycle.addAll(path);
          cycles.add(String.join(" -> ", cycle));
          break;
        }
      }
    }
    assertEquals(List.of(), cycles);
  }

  /** The package of an imported class name: everything before its first upper-case part. */
  private static String packageOf(String name) {
    String[] parts = name.split("\\.");
    StringBuilder pkg = new StringBuilder();
    for (String part : parts) {
      if (!part.isEmpty() && Character.isUpperCase(part.charAt(0))) {
        return pkg.toString();
      }
      pkg.append(pkg.length() == 0 ? "" : ".").append(part);
    }
    return null;
  }

  private static List<String> pathTo(Map<String, Set<String>> edges, String from, String to) {
    Map<String, String> cameFrom = new HashMap<>();
    Deque<String> todo = new ArrayDeque<>(List.of(from));
    cameFrom.put(from, null);
    while (!todo.isEmpty()) {
      String at = todo.poll();
      if (at.equals(to)) {
        List<String> path = new ArrayList<>();
        for (String p = at; p != null; p = cameFrom.get(p)) {
          path.add(0, p);
        }
        return path;
      }
      for (String n : edges.getOrDefault(at, Set.of())) {
        if (!cameFrom.containsKey(n)) {
          cameFrom.put(n, at);
          todo.add(n);
        }
      }
    }
    return null;
  }
}
