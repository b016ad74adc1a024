package org.wsusfix.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.wsusfix.apply.Executor;
import org.wsusfix.apply.Fixture;
import org.wsusfix.apply.JournalException;
import org.wsusfix.apply.UndoJournal;
import org.wsusfix.diagnose.ConfigAudit;
import org.wsusfix.diagnose.iisconfig.IisConfigFixtures;
import org.wsusfix.diagnose.iisconfig.IisConfigReader;
import org.wsusfix.diagnose.iislog.IisLogAnalyzer;
import org.wsusfix.diagnose.iislog.W3cFixtures;
import org.wsusfix.diagnose.input.InputFormatException;
import org.wsusfix.diagnose.procmon.CsvFixtures;
import org.wsusfix.diagnose.procmon.csv.ProcmonCsvReader;
import org.wsusfix.diagnose.procmon.pml.PmlReader;
import org.wsusfix.diagnose.procmon.pml.PmlSamples;
import org.wsusfix.diagnose.wulog.WuLogAnalyzer;
import org.wsusfix.machine.TargetException;
import org.wsusfix.machine.memory.MemoryTarget;
import org.wsusfix.machine.snapshot.SnapshotTarget;
import org.wsusfix.plan.PlanJson;
import org.wsusfix.plan.Planner;
import org.wsusfix.policy.PolicyException;
import org.wsusfix.policy.PolicyLoader;
import org.wsusfix.resource.FormatException;
import org.wsusfix.resource.PlanException;
import org.wsusfix.resource.WalkProgress;
import org.wsusfix.security.BinaryDescriptor;
import org.wsusfix.security.Sddl;
import org.wsusfix.security.SddlException;

/**
 * Seeded mutations of shipped examples and generated inputs through every parser. Each case must
 * end in success or in the parser's documented error, within a few seconds, with a message of one
 * line free of control characters and Java internals, and without writing any file.
 *
 * <p>Runs in the default build; the tag lets it be selected ({@code -Dgroups=fuzz}) or left out.
 * The seed is fixed so a failure reproduces; {@code -Dwsusfix.fuzz.seed=N} tries another.
 */
@Tag("fuzz")
class ParserFuzzTest {
  private static final long SEED = Long.getLong("wsusfix.fuzz.seed", 16L);
  private static final int CASES = Integer.getInteger("wsusfix.fuzz.cases", 120);
  private static final Duration PER_CASE = Duration.ofSeconds(10);
  private static final Path ROOT = Path.of("").toAbsolutePath();

  @TempDir Path dir;

  static List<FuzzTarget> targets() throws IOException {
    List<FuzzTarget> t = new ArrayList<>();
    t.add(
        new FuzzTarget(
            "policy",
            ".yaml",
            files("policies/wsus-iis6.yaml", "policies/wsus-iis7.yaml", "policies/wsus-2012.yaml"),
            PolicyLoader::load,
            Set.of(PolicyException.class)));
    t.add(
        new FuzzTarget(
            "snapshot",
            ".icacls",
            files("examples/wsus01-broken.icacls"),
            f -> SnapshotTarget.load(f, "C:\\Windows", Map.of()),
            Set.of(TargetException.class)));
    t.add(
        new FuzzTarget(
            "sddl",
            ".txt",
            List.of(sddlLines().getBytes(StandardCharsets.UTF_8)),
            f -> lines(f).forEach(Sddl::parse),
            Set.of(SddlException.class)));
    t.add(
        new FuzzTarget(
            "hex",
            ".txt",
            List.of(hexLines().getBytes(StandardCharsets.UTF_8)),
            f -> lines(f).forEach(BinaryDescriptor::fromHex),
            Set.of(IllegalArgumentException.class)));
    t.add(
        new FuzzTarget(
            "WindowsUpdate.log",
            ".log",
            files("examples/client-WindowsUpdate.log"),
            f -> new WuLogAnalyzer().add(f),
            Set.of(InputFormatException.class)));
    t.add(
        new FuzzTarget(
            "Procmon CSV",
            ".csv",
            List.of(
                bytesOf("examples/wsus01-procmon.csv"),
                CsvFixtures.wsusCapture().getBytes(StandardCharsets.UTF_8)),
            f -> {
              ProcmonCsvReader.read(f, ProcmonCsvReader.Mode.INTERESTING, e -> {});
              ProcmonCsvReader.read(f, ProcmonCsvReader.Mode.ALL, e -> {});
            },
            Set.of(InputFormatException.class)));
    t.add(
        new FuzzTarget(
            "Procmon PML",
            ".pml",
            List.of(PmlSamples.wsusCapture(true), PmlSamples.wsusCapture(false)),
            f -> {
              try (PmlReader r = PmlReader.open(f)) {
                r.read(false, e -> {});
              }
            },
            Set.of(InputFormatException.class)));
    t.add(
        new FuzzTarget(
            "IIS log",
            ".log",
            List.of(iisLog().getBytes(StandardCharsets.UTF_8)),
            f -> {
              IisLogAnalyzer a = new IisLogAnalyzer();
              a.add(f);
              a.findings();
            },
            Set.of(InputFormatException.class)));
    t.add(
        new FuzzTarget(
            "IIS config",
            ".config",
            List.of(
                IisConfigFixtures.applicationHost("identityType=\"ApplicationPoolIdentity\"", "")
                    .getBytes(StandardCharsets.UTF_8),
                IisConfigFixtures.metabase("").getBytes(StandardCharsets.UTF_8)),
            IisConfigReader::read,
            Set.of(InputFormatException.class)));
    t.add(
        new FuzzTarget(
            "plan", ".json", List.of(planSeed()), PlanJson::read, Set.of(FormatException.class)));
    t.add(
        new FuzzTarget(
            "undo journal",
            ".jsonl",
            List.of(bytesOf("src/test/resources/journals/v1-fixture.jsonl"), journalSeed()),
            UndoJournal::read,
            Set.of(JournalException.class)));
    t.add(
        new FuzzTarget(
            "applicationHost.config (iis kind)",
            ".config",
            List.of(bytesOf("examples/wsus01-applicationHost.config")),
            f -> {
              MemoryTarget m = Fixture.populate(new MemoryTarget("memory:fuzz"));
              m.configFile(
                  "C:\\Windows\\System32\\inetsrv\\config\\applicationHost.config",
                  Files.readAllBytes(f));
              new Planner(m).plan(PolicyLoader.loadBuiltin("wsus-2012"));
            },
            Set.of(PlanException.class)));
    t.add(
        new FuzzTarget(
            "IIS config audit (diagnose --iis-config)",
            ".config",
            List.of(
                bytesOf("examples/wsus01-applicationHost.config"),
                IisConfigFixtures.metabase("").getBytes(StandardCharsets.UTF_8),
                impersonatingConfig()),
            f -> ConfigAudit.of(IisConfigReader.read(f), Files.readAllBytes(f)).text(),
            Set.of(InputFormatException.class, FormatException.class)));
    t.add(
        new FuzzTarget(
            "web.config (iis kind report)",
            ".config",
            List.of(webConfigSeed()),
            f -> {
              MemoryTarget m = Fixture.populate(new MemoryTarget("memory:fuzz"));
              m.configFile(
                  "C:\\Windows\\System32\\inetsrv\\config\\applicationHost.config",
                  bytesOf("examples/wsus01-applicationHost.config"));
              m.configFile(
                  "C:\\Program Files\\Update Services\\WebServices\\ClientWebService\\web.config",
                  Files.readAllBytes(f));
              new Planner(m).plan(PolicyLoader.loadBuiltin("wsus-2012"));
            },
            Set.of(PlanException.class)));
    return t;
  }

  private static byte[] impersonatingConfig() throws IOException {
    return new String(bytesOf("examples/wsus01-applicationHost.config"), StandardCharsets.UTF_8)
        .replace(
            "</configuration>",
            "<location path=\"WSUS Administration/ClientWebService\"><system.web>"
                + "<identity impersonate=\"true\" /></system.web></location>\n</configuration>")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] webConfigSeed() {
    return ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<configuration>\r\n  <location path=\".\">\r\n"
            + "    <system.web><identity impersonate=\"true\" /></system.web>\r\n  </location>\r\n"
            + "  <system.webServer><validation validateIntegratedModeConfiguration=\"false\" /></system.webServer>\r\n"
            + "</configuration>\r\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  @TestFactory
  Stream<DynamicTest> everyParserSurvivesMutatedInput() throws IOException {
    return targets().stream().map(t -> DynamicTest.dynamicTest(t.name(), () -> fuzz(t)));
  }

  private void fuzz(FuzzTarget t) throws Exception {
    Random random = new Random(SEED ^ t.name().hashCode());
    Path caseDir = Files.createDirectories(dir.resolve(t.name().replaceAll("[^A-Za-z]", "")));
    Path input = caseDir.resolve("input" + t.extension());
    for (byte[] seed : t.seeds()) {
      runCase(t, input, seed, "seed");
    }
    for (int i = 0; i < CASES; i++) {
      byte[] seed = t.seeds().get(random.nextInt(t.seeds().size()));
      StringBuilder how = new StringBuilder();
      byte[] data = Mutations.apply(seed, random, how);
      runCase(t, input, data, "case " + i + " (" + how + ", seed " + SEED + ")");
    }
  }

  private static void runCase(FuzzTarget t, Path input, byte[] data, String what)
      throws IOException {
    Files.write(input, data);
    Throwable failure =
        assertTimeoutPreemptively(
            PER_CASE,
            () -> {
              try {
                t.run().parse(input);
                return null;
              } catch (Throwable e) {
                return e;
              }
            },
            () -> t.name() + " " + what + ": no answer within " + PER_CASE.toSeconds() + " s");
    try (Stream<Path> left = Files.list(input.getParent())) {
      assertEquals(
          List.of(input), left.toList(), t.name() + " " + what + ": a parser wrote a file");
    }
    if (failure == null) {
      return;
    }
    if (!t.documented(failure)) {
      throw new AssertionError(
          t.name()
              + " "
              + what
              + ": undocumented "
              + failure.getClass().getName()
              + ": "
              + failure.getMessage(),
          failure);
    }
    String problem = Messages.problem(failure.getMessage());
    if (problem != null) {
      fail(t.name() + " " + what + ": " + problem + ": " + Messages.visible(failure.getMessage()));
    }
  }

  // ---------------------------------------------------------------- seeds

  private static List<byte[]> files(String... paths) throws IOException {
    List<byte[]> out = new ArrayList<>();
    for (String p : paths) {
      out.add(bytesOf(p));
    }
    return out;
  }

  private static byte[] bytesOf(String path) throws IOException {
    return Files.readAllBytes(ROOT.resolve(path));
  }

  private static List<String> lines(Path f) throws IOException {
    // Replacement characters for bad bytes: the parsers get text, whatever the file held.
    return List.of(new String(Files.readAllBytes(f), StandardCharsets.UTF_8).split("\r?\n", -1));
  }

  private static final String[] SDDL = {
    "O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICIIO;GA;;;CO)",
    "D:AI(A;OICIID;0x1200a9;;;BU)(D;OICI;WD;;;S-1-5-21-1-2-3-1003)(A;;FA;;;S-1-5-17)",
    "O:S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464G:SYD:P(A;;FA;;;SY)(A;CIIO;GXGR;;;BU)S:AINO_ACCESS_CONTROL",
    "D:NO_ACCESS_CONTROL",
    "D:",
    "O:SYG:SYD:(OA;;CCDC;bf967aba-0de6-11d0-a285-00aa003049e2;;AU)",
  };

  private static String sddlLines() {
    return String.join("\r\n", SDDL) + "\r\n";
  }

  private static String hexLines() {
    StringBuilder out = new StringBuilder();
    for (String s : SDDL) {
      try {
        out.append(BinaryDescriptor.toHex(Sddl.parse(s))).append('\n');
      } catch (RuntimeException notEncodable) {
        // object ACEs or NO_ACCESS_CONTROL may have no binary form here; the rest suffice
      }
    }
    return out.toString();
  }

  private static String iisLog() {
    return W3cFixtures.log("2024-04-11")
        .req("2024-04-11 10:00:00", "POST", "/ClientWebService/client.asmx", "10.0.0.5", 401, 3, 5)
        .req(
            "2024-04-11 10:00:01",
            "POST",
            "/SimpleAuthWebService/SimpleAuth.asmx",
            "10.0.0.6",
            401,
            2,
            5)
        .req("2024-04-11 10:00:02", "GET", "/Content/%41%2f%zz.cab", "10.0.0.6", 200, 0, 0)
        .req("2024-04-11 10:00:03", "GET", "/selfupdate/wuident.cab", "10.0.0.7", 503, 0, 0)
        .text();
  }

  /** The mutations, each small and seeded. */
  static final class Mutations {
    private Mutations() {}

    static byte[] apply(byte[] seed, Random r, StringBuilder how) {
      byte[] data = seed;
      int n = 1 + r.nextInt(3);
      for (int i = 0; i < n; i++) {
        data = one(data, r, how);
      }
      return data;
    }

    private static byte[] one(byte[] d, Random r, StringBuilder how) {
      int at = d.length == 0 ? 0 : r.nextInt(d.length + 1);
      int kind = r.nextInt(10);
      how.append(how.length() == 0 ? "" : ", ");
      switch (kind) {
        case 0 -> {
          byte[] c = d.clone();
          int flips = 1 + r.nextInt(8);
          for (int i = 0; i < flips && c.length > 0; i++) {
            c[r.nextInt(c.length)] ^= (byte) (1 << r.nextInt(8));
          }
          how.append(flips).append(" bit flips");
          return c;
        }
        case 1 -> {
          how.append("cut at ").append(at);
          return java.util.Arrays.copyOf(d, at);
        }
        case 2 -> {
          how.append("NUL at ").append(at);
          return insert(d, at, new byte[] {0});
        }
        case 3 -> {
          how.append("U+2028 at ").append(at);
          return insert(d, at, "\u2028".getBytes(StandardCharsets.UTF_8));
        }
        case 4 -> {
          int len = 70_000 + r.nextInt(200_000);
          byte fill = (byte) "A\"%,\t: #<\\".charAt(r.nextInt(10));
          byte[] line = new byte[len];
          java.util.Arrays.fill(line, fill);
          how.append("line of ")
              .append(len)
              .append(" '")
              .append((char) fill)
              .append("' at ")
              .append(at);
          return insert(d, at, line);
        }
        case 5 -> {
          String text = new String(d, StandardCharsets.UTF_8);
          boolean le = r.nextBoolean();
          boolean bom = r.nextBoolean();
          how.append("as UTF-16").append(le ? "LE" : "BE").append(bom ? " with BOM" : "");
          byte[] body = text.getBytes(le ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16BE);
          return bom
              ? insert(
                  body,
                  0,
                  le
                      ? new byte[] {(byte) 0xFF, (byte) 0xFE}
                      : new byte[] {(byte) 0xFE, (byte) 0xFF})
              : body;
        }
        case 6 -> {
          how.append("as Latin-1");
          return new String(d, StandardCharsets.UTF_8)
              .replace('\uFFFD', '?')
              .getBytes(StandardCharsets.ISO_8859_1);
        }
        case 7 -> {
          byte[] junk = new byte[1 + r.nextInt(16)];
          r.nextBytes(junk);
          how.append(junk.length).append(" random bytes at ").append(at);
          return insert(d, at, junk);
        }
        case 8 -> {
          int len = Math.min(d.length - Math.min(at, d.length), 1 + r.nextInt(64));
          how.append("drop ").append(len).append(" at ").append(at);
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          out.write(d, 0, Math.min(at, d.length));
          out.write(d, Math.min(at, d.length) + len, d.length - Math.min(at, d.length) - len);
          return out.toByteArray();
        }
        default -> {
          String[] hostile = {
            "\u0085",
            "\u2029",
            "\u001b[2J",
            "\u202e",
            "\r",
            "\"",
            "'",
            "*k",
            "&k ",
            "!evil ",
            "%zz",
            "(",
            ")",
            ";",
            "\\",
            "\uFEFF",
            "\uD800"
          };
          String h = hostile[r.nextInt(hostile.length)];
          how.append("text ").append(Messages.visible(h)).append(" at ").append(at);
          return insert(d, at, h.getBytes(StandardCharsets.UTF_8));
        }
      }
    }

    private static byte[] insert(byte[] d, int at, byte[] what) {
      byte[] out = new byte[d.length + what.length];
      System.arraycopy(d, 0, out, 0, at);
      System.arraycopy(what, 0, out, at, what.length);
      System.arraycopy(d, at, out, at + what.length, d.length - at);
      return out;
    }
  }

  private static byte[] planSeed() {
    return PlanJson.write(Fixture.plan(Fixture.server())).getBytes(StandardCharsets.UTF_8);
  }

  /** A format-2 journal of the apply fixture, made once in a temporary folder. */
  private static byte[] journalSeed() throws IOException {
    Path tmp = Files.createTempDirectory("wsusfix-fuzz-journal");
    Path journal = tmp.resolve("undo.jsonl");
    try {
      MemoryTarget mem = Fixture.server();
      new Executor(mem, new java.io.PrintWriter(java.io.Writer.nullWriter()), WalkProgress.NONE)
          .apply(Fixture.plan(mem), journal, "fuzz");
      return Files.readAllBytes(journal);
    } finally {
      Files.deleteIfExists(journal);
      Files.deleteIfExists(tmp);
    }
  }
}
