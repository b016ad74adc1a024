package org.wsusfix.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.wsusfix.security.BinaryDescriptor;
import org.wsusfix.security.DescriptorText;
import org.wsusfix.security.Sddl;
import org.wsusfix.security.SddlException;
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wsusfix sddl convert}: one descriptor per input line, exactly one output line per input
 * line (the converted form, or {@code error}), exit 1 when any line failed. What was wrong with a
 * line goes to stderr as {@code wsusfix: -:LINE: reason}, so output stays aligned with input.
 */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Converts security descriptors read from standard input, one per line.",
      "Each input line gives exactly one output line: the converted form, or 'error'.",
      "Each bad line is also reported on stderr as 'wsusfix: -:LINE: what is wrong'.",
      "Exit code 1 when any line failed."
    })
public final class SddlConvertCommand implements Callable<Integer> {
  enum From {
    sddl,
    hex
  }

  enum To {
    sddl,
    hex,
    text
  }

  @Option(
      names = "--from",
      required = true,
      paramLabel = "sddl|hex",
      description = "Input form: SDDL text, or the self-relative bytes in hex.")
  From from;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "sddl|hex|text",
      description =
          "Output form: Windows-canonical SDDL, self-relative bytes in lower-case hex, "
              + "or a readable one-line rendering.")
  To to;

  @Option(
      names = "--domain-sid",
      paramLabel = "SID",
      description = "Domain SID that domain-relative aliases (DA, DU, LA, LG, ...) refer to.")
  String domainSid;

  @Spec CommandSpec spec;

  /** Replaced by tests; standard streams otherwise. */
  InputStream in = System.in;

  java.io.OutputStream out = System.out;

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
    PrintWriter err = spec.commandLine().getErr();
    long number = 0;
    LineReader reader = new LineReader(in);
    ByteSink sink = new ByteSink(out);
    StringBuilder line = new StringBuilder(256);
    byte[] bytes = new byte[1024];
    String text;
    while ((text = reader.next()) != null) {
      number++;
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
            }
            BinaryDescriptor.encode(sd, bytes, 0);
            sink.hex(bytes, len);
          }
          default -> throw new IllegalStateException();
        }
      } catch (SddlException e) {
        failed = true;
        bad(err, number, "position " + e.position() + ": " + e.reason(), line);
      } catch (IllegalArgumentException e) {
        failed = true;
        bad(err, number, e.getMessage(), line);
      }
      line.append('\n');
      sink.text(line);
    }
    sink.flush();
    err.flush();
    return failed ? 1 : 0;
  }

  /** "-" is standard input, as in compilers' FILE:LINE: messages. */
  private static void bad(PrintWriter err, long number, String reason, StringBuilder line) {
    err.println("wsusfix: -:" + number + ": " + Printable.escape(String.valueOf(reason)));
    line.setLength(0);
    line.append("error");
  }

  /**
   * Lines from a byte stream without a Reader: ASCII lines (the usual case) become Latin-1 strings
   * directly, others are decoded as UTF-8. Ends of line are LF or CRLF.
   */
  static final class LineReader {
    private final InputStream in;
    private byte[] buf = new byte[1 << 16];
    private int start;
    private int end;
    private boolean eof;

    LineReader(InputStream in) {
      this.in = in;
    }

    String next() throws IOException {
      int scan = start;
      while (true) {
        for (int i = scan; i < end; i++) {
          if (buf[i] == '\n') {
            String s = decode(start, i);
            start = i + 1;
            return s;
          }
        }
        if (eof) {
          if (start == end) {
            return null;
          }
          String s = decode(start, end);
          start = end;
          return s;
        }
        scan = end;
        if (start > 0) {
          System.arraycopy(buf, start, buf, 0, end - start);
          scan -= start;
          end -= start;
          start = 0;
        }
        if (end == buf.length) {
          buf = java.util.Arrays.copyOf(buf, buf.length * 2);
        }
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) {
          eof = true;
        } else {
          end += n;
        }
      }
    }

    private String decode(int from, int to) {
      if (to > from && buf[to - 1] == '\r') {
        to--;
      }
      for (int i = from; i < to; i++) {
        if (buf[i] < 0) {
          return new String(buf, from, to - from, StandardCharsets.UTF_8);
        }
      }
      return new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
    }
  }

  /** Buffered output of ASCII hex and UTF-8 text. */
  static final class ByteSink {
    // Both hex digits of every byte value, so each byte costs one lookup.
    private static final byte[] HEX_PAIRS = new byte[512];

    static {
      byte[] digits = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
      for (int v = 0; v < 256; v++) {
        HEX_PAIRS[2 * v] = digits[v >> 4];
        HEX_PAIRS[2 * v + 1] = digits[v & 0xF];
      }
    }

    private final java.io.OutputStream out;
    private final byte[] buf = new byte[1 << 16];
    private int n;

    ByteSink(java.io.OutputStream out) {
      this.out = out;
    }

    void hex(byte[] b, int len) throws IOException {
      int i = 0;
      while (i < len) {
        if (n + 2 > buf.length) {
          drain();
        }
        int stop = Math.min(len, i + (buf.length - n) / 2);
        byte[] d = buf;
        int k = n;
        for (; i < stop; i++) {
          int v = (b[i] & 0xFF) << 1;
          d[k] = HEX_PAIRS[v];
          d[k + 1] = HEX_PAIRS[v + 1];
          k += 2;
        }
        n = k;
      }
    }

    void text(CharSequence s) throws IOException {
      int len = s.length();
      for (int i = 0; i < len; i++) {
        char c = s.charAt(i);
        if (c >= 0x80) {
          if (n > 0) {
            drain();
          }
          out.write(s.subSequence(i, len).toString().getBytes(StandardCharsets.UTF_8));
          return;
        }
        if (n == buf.length) {
          drain();
        }
        buf[n++] = (byte) c;
      }
    }

    private void drain() throws IOException {
      out.write(buf, 0, n);
      n = 0;
    }

    void flush() throws IOException {
      drain();
      out.flush();
    }
  }

  private SecurityDescriptor read(String text, Sid domain) {
    String t = text;
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
