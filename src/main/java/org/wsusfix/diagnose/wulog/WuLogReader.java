package org.wsusfix.diagnose.wulog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.wsusfix.diagnose.input.InputFormatException;

/**
 * Streams a WindowsUpdate.log line by line. Both layouts of the log are accepted, line by line,
 * since people concatenate logs; lines that belong to neither (wrapped text, blank lines) are
 * skipped once the file has shown it is a Windows Update log.
 */
public final class WuLogReader {
  // 2008-01-22<TAB>10:06:25:235<TAB> 988<TAB>7c4<TAB>PT<TAB>text; pasted copies use spaces.
  private static final Pattern LEGACY =
      Pattern.compile(
          "(\\d{4})-(\\d{2})-(\\d{2})[\\t ]+(\\d{1,2}):(\\d{2}):(\\d{2}):(\\d{3})[\\t ]+(\\d+)[\\t ]+"
              + "([0-9A-Fa-f]+)[\\t ]+(\\S+)(?:[\\t ](.*))?");
  // 2021/07/13 10:22:58.9553434 3696  8172  Agent           text (separator - / or .)
  private static final Pattern ETL_TEXT =
      Pattern.compile(
          "(\\d{4})[-/.](\\d{2})[-/.](\\d{2})[\\t ]+(\\d{1,2}):(\\d{2}):(\\d{2})\\.(\\d{1,9})[\\t ]+"
              + "(\\d+)[\\t ]+(\\d+)[\\t ]+(\\S+)(?:[\\t ]+(.*))?");

  /** Lines of a file that may pass before the first recognised record. */
  private static final int MAX_LEADING_GARBAGE = 50;

  private WuLogReader() {}

  public static void read(Path file, Consumer<WuLogLine> sink) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      read(in, file.toString(), sink);
    }
  }

  public static void read(InputStream raw, String name, Consumer<WuLogLine> sink)
      throws IOException {
    PushbackInputStream in = new PushbackInputStream(raw, 4096);
    byte[] head = new byte[4096];
    int n = in.readNBytes(head, 0, head.length);
    in.unread(head, 0, n);
    Charset cs = StandardCharsets.UTF_8;
    int skip = 0;
    if (n >= 3
        && (head[0] & 0xFF) == 0xEF
        && (head[1] & 0xFF) == 0xBB
        && (head[2] & 0xFF) == 0xBF) {
      skip = 3;
    } else if (n >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xFE) {
      cs = StandardCharsets.UTF_16LE;
      skip = 2;
    } else if (n >= 2 && (head[0] & 0xFF) == 0xFE && (head[1] & 0xFF) == 0xFF) {
      cs = StandardCharsets.UTF_16BE;
      skip = 2;
    } else {
      for (int i = 0; i < n; i++) {
        if (head[i] == 0) {
          throw InputFormatException.at(
              name,
              1,
              "binary data, not a WindowsUpdate.log text; on Windows 10 and later turn the ETL traces"
                  + " into text with Get-WindowsUpdateLog first");
        }
      }
    }
    in.skipNBytes(skip);
    CharsetDecoder decoder =
        cs.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, decoder), 1 << 16);
    String line;
    long lineNo = 0;
    long recognised = 0;
    long firstBad = 0;
    String firstBadText = null;
    while ((line = reader.readLine()) != null) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      WuLogLine parsed = parse(line, lineNo);
      if (parsed == null) {
        if (firstBad == 0) {
          firstBad = lineNo;
          firstBadText = line;
        }
        if (recognised == 0 && lineNo - firstBad >= MAX_LEADING_GARBAGE) {
          break;
        }
        continue;
      }
      recognised++;
      sink.accept(parsed);
    }
    if (recognised == 0) {
      if (firstBad == 0) {
        throw InputFormatException.at(name, Math.max(1, lineNo), "empty file, no log records");
      }
      throw InputFormatException.at(
          name,
          firstBad,
          1,
          "not a WindowsUpdate.log record: expected 'YYYY-MM-DD<TAB>HH:MM:SS:mmm<TAB>PID<TAB>TID"
              + "<TAB>Component<TAB>Text' or the Get-WindowsUpdateLog form 'YYYY/MM/DD HH:MM:SS.fffffff"
              + " PID TID Component Text', found '"
              + shorten(firstBadText)
              + "'");
    }
  }

  /** Parses one line, or returns null when it is in neither format. */
  public static WuLogLine parse(String line, long lineNo) {
    Matcher m = ETL_TEXT.matcher(line);
    WuLogLine.Format format = WuLogLine.Format.ETL_TEXT;
    if (!m.matches()) {
      m = LEGACY.matcher(line);
      format = WuLogLine.Format.LEGACY;
      if (!m.matches()) {
        return null;
      }
    }
    LocalDateTime time;
    try {
      String frac = m.group(7);
      int nanos =
          format == WuLogLine.Format.LEGACY
              ? Integer.parseInt(frac) * 1_000_000
              : Integer.parseInt((frac + "000000000").substring(0, 9));
      time =
          LocalDateTime.of(
              Integer.parseInt(m.group(1)),
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)),
              Integer.parseInt(m.group(4)),
              Integer.parseInt(m.group(5)),
              Integer.parseInt(m.group(6)),
              nanos);
    } catch (DateTimeException | NumberFormatException e) {
      return null;
    }
    long pid;
    try {
      pid = Long.parseLong(m.group(8));
    } catch (NumberFormatException e) {
      return null;
    }
    String text = m.group(11) == null ? "" : m.group(11).strip();
    return new WuLogLine(lineNo, time, pid, m.group(9), m.group(10), text, format);
  }

  private static String shorten(String s) {
    String t = s.replace('\t', ' ');
    return t.length() <= 60 ? t : t.substring(0, 57) + "...";
  }
}
