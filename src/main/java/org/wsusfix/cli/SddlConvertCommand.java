package org.wsusfix.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.wsusfix.security.BinaryDescriptor;
import org.wsusfix.security.DescriptorText;
import org.wsusfix.security.Sddl;
import org.wsusfix.security.SddlException;
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wsusfix sddl convert}: one descriptor per input line, exactly one output line per input
 * line (the converted form or {@code error: <reason>}), exit 1 when any line failed.
 */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    description = {
      "Converts security descriptors read from standard input, one per line.",
      "Each input line gives exactly one output line: the converted form, or 'error: <reason>'.",
      "Exit code 1 when any line failed."
    })
public final class SddlConvertCommand implements Callable<Integer> {
  enum From { sddl, hex }

  enum To { sddl, hex, text }

  @Option(names = "--from", required = true, paramLabel = "sddl|hex",
      description = "Input form: SDDL text, or the self-relative bytes in hex.")
  From from;

  @Option(names = "--to", required = true, paramLabel = "sddl|hex|text",
      description = "Output form: Windows-canonical SDDL, self-relative bytes in lower-case hex, "
          + "or a readable one-line rendering.")
  To to;

  @Option(names = "--domain-sid", paramLabel = "SID",
      description = "Domain SID that domain-relative aliases (DA, DU, LA, LG, ...) refer to.")
  String domainSid;

  /** Replaced by tests; standard streams otherwise. */
  InputStream in = System.in;
  java.io.OutputStream out = System.out;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  @Override
  public Integer call() throws IOException {
    Sid domain = null;
    if (domainSid != null) {
      try {
        domain = Sid.parse(domainSid.trim());
      } catch (IllegalArgumentException e) {
        throw new UserError("--domain-sid: " + e.getMessage(), 1);
      }
    }
    boolean failed = false;
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
    StringBuilder line = new StringBuilder(256);
    byte[] bytes = new byte[1024];
    char[] hex = new char[2048];
    String text;
    while ((text = reader.readLine()) != null) {
      line.setLength(0);
      try {
        SecurityDescriptor sd = read(text, domain);
        switch (to) {
          case sddl -> Sddl.formatTo(line, sd, domain);
          case text -> DescriptorText.appendTo(line, sd, domain);
          case hex -> {
            int len = BinaryDescriptor.length(sd);
            if (len > bytes.length) {
              bytes = new byte[Math.max(len, bytes.length * 2)];
              hex = new char[bytes.length * 2];
            }
            BinaryDescriptor.encode(sd, bytes, 0);
            for (int i = 0; i < len; i++) {
              hex[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
              hex[2 * i + 1] = HEX[bytes[i] & 0xF];
            }
            writer.write(hex, 0, 2 * len);
          }
          default -> throw new IllegalStateException();
        }
      } catch (SddlException e) {
        failed = true;
        line.setLength(0);
        line.append("error: position ").append(e.position()).append(": ").append(e.reason());
      } catch (IllegalArgumentException e) {
        failed = true;
        line.setLength(0);
        line.append("error: ").append(e.getMessage());
      }
      line.append('\n');
      writer.append(line);
    }
    writer.flush();
    return failed ? 1 : 0;
  }

  private SecurityDescriptor read(String text, Sid domain) {
    String t = text;
    if (!t.isEmpty() && t.charAt(t.length() - 1) == '\r') {
      t = t.substring(0, t.length() - 1);
    }
    if (from == From.sddl) {
      return Sddl.parse(t, domain);
    }
    t = t.strip();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("empty line (hex bytes expected)");
    }
    return BinaryDescriptor.fromHex(t);
  }
}
