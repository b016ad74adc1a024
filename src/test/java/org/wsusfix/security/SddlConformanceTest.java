package org.wsusfix.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Windows-made vectors from ../shared/samples/sddl: SDDL with the bytes Windows produced for it,
 * and SDDL with the canonical SDDL Windows returned for it. Skipped when the folder is absent.
 */
class SddlConformanceTest {
  private static final Path DIR = Path.of("..", "shared", "samples", "sddl");
  private static final Sid DOMAIN = Sid.parse("S-1-5-21-2457507606-2709100691-398136650");

  private static Path sample(String name) {
    Path p = DIR.resolve(name);
    assumeTrue(
        Files.isRegularFile(p),
        "Windows-made sample " + p.toAbsolutePath() + " is absent; conformance test skipped");
    return p;
  }

  @Test
  void sddlToWindowsBytes() throws IOException {
    Map<String, byte[]> vectors;
    try (InputStream in =
        new GZIPInputStream(
            Files.newInputStream(sample("samba_data_short-ordinary-acls-v2.json.gz")))) {
      vectors = parseJsonOfByteArrays(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    assertTrue(vectors.size() >= 117, "vectors read: " + vectors.size());
    List<String> failures = new ArrayList<>();
    HexFormat hex = HexFormat.of();
    for (Map.Entry<String, byte[]> v : vectors.entrySet()) {
      try {
        SecurityDescriptor sd = Sddl.parse(v.getKey(), DOMAIN);
        String got = hex.formatHex(BinaryDescriptor.encode(sd));
        String want = hex.formatHex(v.getValue());
        if (!got.equals(want)) {
          failures.add(v.getKey() + "\n  want " + want + "\n  got  " + got);
          continue;
        }
        // and back: the keys are Windows' own SDDL output for those bytes
        String back = Sddl.format(BinaryDescriptor.decode(v.getValue()), DOMAIN);
        if (!back.equals(v.getKey())) {
          failures.add(v.getKey() + "\n  formatted back as " + back);
        }
      } catch (IllegalArgumentException e) {
        failures.add(v.getKey() + "\n  " + e.getMessage());
      }
    }
    assertEquals(
        List.of(), failures, failures.size() + " of " + vectors.size() + " vectors differ");
  }

  @Test
  void windowsCanonicalSddl() throws IOException {
    List<String> lines =
        Files.readAllLines(sample("samba_windows_canonical.txt"), StandardCharsets.UTF_8);
    List<String> failures = new ArrayList<>();
    int pairs = 0;
    for (String line : lines) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int sep = line.indexOf(" -> ");
      String in = sep < 0 ? line : line.substring(0, sep);
      String want = sep < 0 ? line : line.substring(sep + 4);
      pairs++;
      try {
        String got = Sddl.format(Sddl.parse(in, DOMAIN), DOMAIN);
        if (!got.equals(want)) {
          failures.add(in + "\n  want " + want + "\n  got  " + got);
        }
      } catch (IllegalArgumentException e) {
        failures.add(in + "\n  " + e.getMessage());
      }
    }
    assertTrue(pairs > 0, "no pairs read");
    assertEquals(List.of(), failures, failures.size() + " of " + pairs + " pairs differ");
  }

  /** The vectors file is one JSON object of "sddl": [byte, ...]; security has no JSON library. */
  static Map<String, byte[]> parseJsonOfByteArrays(String json) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    int i = json.indexOf('{') + 1;
    while (true) {
      int q = json.indexOf('"', i);
      if (q < 0) {
        return out;
      }
      StringBuilder key = new StringBuilder();
      int j = q + 1;
      for (; json.charAt(j) != '"'; j++) {
        char c = json.charAt(j);
        if (c == '\\') {
          char e = json.charAt(++j);
          if (e == 'u') {
            key.append((char) Integer.parseInt(json.substring(j + 1, j + 5), 16));
            j += 4;
          } else {
            key.append(e == 'n' ? '\n' : e == 't' ? '\t' : e);
          }
        } else {
          key.append(c);
        }
      }
      int open = json.indexOf('[', j);
      int close = json.indexOf(']', open);
      String[] nums = json.substring(open + 1, close).split(",");
      byte[] bytes = new byte[nums.length];
      for (int k = 0; k < nums.length; k++) {
        bytes[k] = (byte) Integer.parseInt(nums[k].trim());
      }
      out.put(key.toString(), bytes);
      i = close + 1;
    }
  }
}
