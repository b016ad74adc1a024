package org.wsusfix.diagnose.procmon.pml;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.wsusfix.diagnose.input.InputFormatException;
import org.wsusfix.diagnose.procmon.DetailText;
import org.wsusfix.diagnose.procmon.ProcmonEvent;
import org.wsusfix.diagnose.procmon.ProcmonText;

/**
 * Reads Process Monitor's native log (PML version 9, written by 32- and 64-bit Procmon), following
 * the reverse-engineered layout documented by the MIT-licensed procmon-parser project: a 0x3A8 byte
 * header, a strings table, a process table, an array of event offsets and the events. Only what
 * diagnosing needs is decoded: process, PID, user, operation, path, result, the access asked for
 * and the SID a CreateFile impersonated.
 */
public final class PmlReader implements AutoCloseable {
  private static final int HEADER_SIZE = 0x3A8;
  private static final int EVENT_HEADER_SIZE = 0x34;

  private final String name;
  private final FileChannel channel;
  private final BinaryWindow events;
  private final BinaryWindow offsets;
  private final boolean is64;
  private final int pvoid;
  private final long eventCount;
  private final long offsetsArray;
  private final String computerName;
  private final String systemRoot;
  private final String[] strings;
  private final Map<Integer, Proc> processes = new HashMap<>();
  private final Map<String, String> hosts = new HashMap<>();
  private final Map<Integer, String> ports = new HashMap<>();

  private record Proc(long pid, String name, String user) {}

  private PmlReader(Path file) throws IOException {
    this.name = file.toString();
    this.channel = FileChannel.open(file, StandardOpenOption.READ);
    boolean ok = false;
    try {
      this.events = new BinaryWindow(channel, 1 << 20);
      this.offsets = new BinaryWindow(channel, 1 << 16);
      BinaryWindow w = events;
      if (w.size() < HEADER_SIZE) {
        throw bad("file too short for a PML header (" + w.size() + " bytes)");
      }
      byte[] sig = w.bytes(0, 4);
      if (!"PML_".equals(new String(sig, StandardCharsets.ISO_8859_1))) {
        throw bad("not a Process Monitor log: the file does not start with 'PML_'");
      }
      long version = w.u32(4);
      if (version != 9) {
        throw bad(
            "PML version "
                + version
                + " is not supported (only version 9); open the file in"
                + " Process Monitor and save it as CSV instead");
      }
      is64 = w.u32(8) != 0;
      pvoid = is64 ? 8 : 4;
      computerName = utf16z(w.bytes(0xC, 0x20));
      systemRoot = utf16z(w.bytes(0x2C, 0x208));
      eventCount = w.u32(0x234);
      long eventsStart = w.u64(0x240);
      offsetsArray = w.u64(0x248);
      long processTable = w.u64(0x250);
      long stringsTable = w.u64(0x258);
      long iconTable = w.u64(0x260);
      long hostsAndPorts = w.u64(0x3A0);
      if (eventsStart == 0
          || offsetsArray == 0
          || processTable == 0
          || stringsTable == 0
          || iconTable == 0) {
        throw bad(
            "the capture was not closed cleanly (table offsets missing); let Process Monitor"
                + " finish saving, or save it again");
      }
      if (w.u64(0x398) != HEADER_SIZE || hostsAndPorts == 0) {
        throw bad("corrupt PML header");
      }
      if (offsetsArray + eventCount * 5 > w.size()) {
        throw bad("the event offsets array runs past the end of the file (truncated copy?)");
      }
      strings = readStrings(w, stringsTable);
      readProcesses(w, processTable);
      readHostsAndPorts(w, hostsAndPorts);
      ok = true;
    } catch (java.io.EOFException e) {
      throw bad("truncated or corrupt: " + e.getMessage());
    } finally {
      if (!ok) {
        channel.close();
      }
    }
  }

  public static PmlReader open(Path file) throws IOException {
    return new PmlReader(file);
  }

  /** Whether a file starts like a PML log, so callers can pick the reader by content. */
  public static boolean looksLikePml(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4);
      ch.read(b, 0);
      return b.position() == 4 && "PML_".equals(new String(b.array(), StandardCharsets.ISO_8859_1));
    }
  }

  public long eventCount() {
    return eventCount;
  }

  public boolean is64Bit() {
    return is64;
  }

  public String computerName() {
    return computerName;
  }

  /** The Windows directory of the captured machine, {@code C:\Windows}. */
  public String systemRoot() {
    return systemRoot;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /**
   * Hands events to the sink in capture order; with interestingOnly, only those whose result is
   * ACCESS DENIED, PRIVILEGE NOT HELD or BAD IMPERSONATION (the rest are skipped after reading
   * their result). Returns the number handed out.
   */
  public long read(boolean interestingOnly, Consumer<ProcmonEvent> sink) throws IOException {
    long handed = 0;
    for (long i = 0; i < eventCount; i++) {
      long off = offsets.u32(offsetsArray + i * 5);
      try {
        int status = events.i32(off + 0x24);
        if (interestingOnly && !ProcmonText.isInteresting(status)) {
          continue;
        }
        sink.accept(event(i + 1, off, status));
        handed++;
      } catch (java.io.EOFException | IndexOutOfBoundsException e) {
        throw new InputFormatException(
            name
                + ": event "
                + (i + 1)
                + " at offset 0x"
                + Long.toHexString(off)
                + ": truncated or corrupt event");
      }
    }
    return handed;
  }

  private ProcmonEvent event(long index, long off, int status) throws IOException {
    BinaryWindow w = events;
    int processIndex = w.i32(off);
    int eventClass = w.i32(off + 8);
    int op = w.u16(off + 0xC);
    int depth = w.u16(off + 0x28);
    long detailSize = w.u32(off + 0x2C);
    Proc proc = processes.get(processIndex);
    if (proc == null) {
      throw new InputFormatException(
          name
              + ": event "
              + index
              + " at offset 0x"
              + Long.toHexString(off)
              + ": refers to process #"
              + processIndex
              + " that is not in the process table");
    }
    long d = off + EVENT_HEADER_SIZE + (long) depth * pvoid;
    String operation;
    String path = "";
    String access = null;
    String impersonating = null;
    boolean dirOption = false;
    switch (eventClass) {
      case PmlOperations.CLASS_FILE_SYSTEM:
        {
          int subOp = w.u8(d);
          operation = PmlOperations.name(eventClass, op, subOp);
          long details = d + 4;
          long p = details + pvoid * 5L + 0x14;
          int info = w.u16(p);
          p += 4;
          path = detailString(w, p, info);
          p += detailBytes(info);
          if (op == PmlOperations.FS_CREATE_FILE) {
            int mask = w.i32(p);
            int sidLength = w.u8(p + 4);
            access = ProcmonText.fileAccess(mask);
            long q = details + 0x10 + (is64 ? 4 : 0);
            int dispositionAndOptions = w.i32(q);
            dirOption = (dispositionAndOptions & 0x1) != 0;
            if (sidLength > 0) {
              String sid = ProcmonText.sidString(w.bytes(p + 8, sidLength));
              if (!sid.isEmpty()) {
                impersonating = ProcmonText.sidName(sid);
              }
            }
          } else if (op == PmlOperations.FS_DIRECTORY_CONTROL && subOp == 1) {
            int finfo = w.u16(p);
            String filter = detailString(w, p + 2, finfo);
            if (!filter.isEmpty()) {
              path = path.endsWith("\\") ? path + filter : path + "\\" + filter;
            }
          }
          break;
        }
      case PmlOperations.CLASS_REGISTRY:
        {
          operation = PmlOperations.name(eventClass, op, 0);
          int info = w.u16(d);
          long p = d + 2;
          switch (op) {
            case 12:
            case 14: // RegLoadKey, RegRenameKey: a second string info
              p += 2;
              break;
            case 0:
            case 1: // RegOpenKey, RegCreateKey
              access = ProcmonText.keyAccess(w.i32(p + 2));
              p += 6;
              break;
            case 3:
            case 5: // RegQueryKey, RegQueryValue
              p += 10;
              break;
            case 6:
            case 7: // RegEnumValue, RegEnumKey
              p += 14;
              break;
            case 8: // RegSetInfoKey
              p += 14;
              break;
            case 4: // RegSetValue
              p += 14;
              break;
            default:
              break;
          }
          path = detailString(w, p, info);
          break;
        }
      case PmlOperations.CLASS_PROCESS:
        {
          operation = PmlOperations.name(eventClass, op, 0);
          if (op == 0 || op == 1) { // Process Defined / Process Create
            long p = d + 4 + 4 + 0x24;
            int s1 = w.u8(p);
            int s2 = w.u8(p + 1);
            int info = w.u16(p + 2);
            p += 6 + 2 + s1 + s2;
            path = detailString(w, p, info);
          } else if (op == 5) { // Load Image
            long p = d + pvoid + 4;
            int info = w.u16(p);
            path = detailString(w, p + 4, info);
          }
          break;
        }
      case PmlOperations.CLASS_NETWORK:
        {
          int flags = w.u16(d);
          boolean srcV4 = (flags & 1) != 0;
          boolean dstV4 = (flags & 2) != 0;
          boolean tcp = (flags & 4) != 0;
          operation = (tcp ? "TCP " : "UDP ") + PmlOperations.name(eventClass, op, 0);
          byte[] src = w.bytes(d + 8, 16);
          byte[] dst = w.bytes(d + 24, 16);
          int sport = w.u16(d + 40);
          int dport = w.u16(d + 42);
          path =
              host(src, srcV4)
                  + ":"
                  + port(sport, tcp)
                  + " -> "
                  + host(dst, dstV4)
                  + ":"
                  + port(dport, tcp);
          break;
        }
      default:
        operation = PmlOperations.name(eventClass, op, 0);
        break;
    }
    if (detailSize < 0) {
      throw new java.io.EOFException("negative detail size");
    }
    boolean directory = DetailText.isDirectory(operation, path, dirOption);
    return new ProcmonEvent(
        index,
        proc.name(),
        proc.pid(),
        operation,
        path,
        ProcmonText.result(status),
        proc.user(),
        impersonating,
        access,
        directory);
  }

  /** Detail strings: a u16 whose bit 15 means ASCII and whose low bits count characters. */
  private static String detailString(BinaryWindow w, long p, int info) throws IOException {
    boolean ascii = (info & 0x8000) != 0;
    int chars = info & 0x7FFF;
    if (chars == 0) {
      return "";
    }
    byte[] b = w.bytes(p, ascii ? chars : chars * 2);
    String s =
        ascii
            ? new String(b, StandardCharsets.ISO_8859_1)
            : new String(b, StandardCharsets.UTF_16LE);
    int nul = s.indexOf('\0');
    return nul >= 0 ? s.substring(0, nul) : s;
  }

  private static int detailBytes(int info) {
    int chars = info & 0x7FFF;
    return (info & 0x8000) != 0 ? chars : chars * 2;
  }

  private static String utf16z(byte[] b) {
    String s = new String(b, StandardCharsets.UTF_16LE);
    int nul = s.indexOf('\0');
    return nul >= 0 ? s.substring(0, nul) : s;
  }

  private String[] readStrings(BinaryWindow w, long table) throws IOException {
    long count = w.u32(table);
    if (count > (w.size() - table) / 4) {
      throw bad("corrupt strings table (" + count + " entries)");
    }
    String[] out = new String[(int) count];
    for (int i = 0; i < count; i++) {
      long rel = w.u32(table + 4 + 4L * i);
      long size = w.u32(table + rel);
      if (size > w.size()) {
        throw bad("corrupt string #" + i + " in the strings table");
      }
      out[i] = utf16z(w.bytes(table + rel + 4, size));
    }
    return out;
  }

  private String string(long index) {
    return index >= 0 && index < strings.length ? strings[(int) index] : "";
  }

  private void readProcesses(BinaryWindow w, long table) throws IOException {
    long count = w.u32(table);
    if (count > (w.size() - table) / 8) {
      throw bad("corrupt process table (" + count + " entries)");
    }
    for (int i = 0; i < count; i++) {
      long rel = w.u32(table + 4 + 4 * count + 4L * i);
      long p = table + rel;
      int index = w.i32(p);
      long pid = w.u32(p + 4);
      String user = string(w.u32(p + 0x3C));
      String processName = string(w.u32(p + 0x40));
      processes.put(index, new Proc(pid, processName, user));
    }
  }

  private void readHostsAndPorts(BinaryWindow w, long p) throws IOException {
    long n = w.u32(p);
    p += 4;
    for (long i = 0; i < n; i++) {
      byte[] ip = w.bytes(p, 16);
      long len = w.u32(p + 16);
      hosts.put(hex(ip), utf16z(w.bytes(p + 20, len)));
      p += 20 + len;
    }
    long m = w.u32(p);
    p += 4;
    for (long i = 0; i < m; i++) {
      int number = w.u16(p);
      boolean tcp = w.u16(p + 2) != 0;
      long len = w.u32(p + 4);
      ports.put(number << 1 | (tcp ? 1 : 0), utf16z(w.bytes(p + 8, len)));
      p += 8 + len;
    }
  }

  private String host(byte[] ip, boolean v4) {
    String known = hosts.get(hex(ip));
    if (known != null && !known.isEmpty()) {
      return known;
    }
    if (v4) {
      return (ip[0] & 0xFF) + "." + (ip[1] & 0xFF) + "." + (ip[2] & 0xFF) + "." + (ip[3] & 0xFF);
    }
    return ipv6(ip);
  }

  private String port(int number, boolean tcp) {
    String known = ports.get(number << 1 | (tcp ? 1 : 0));
    return known != null ? known : Integer.toString(number);
  }

  /** RFC 5952 text: lower-case hex, the longest run of two or more zero groups as "::". */
  static String ipv6(byte[] ip) {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = (ip[2 * i] & 0xFF) << 8 | (ip[2 * i + 1] & 0xFF);
    }
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen && j - i >= 2) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }

  private static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder(b.length * 2);
    for (byte x : b) {
      sb.append(String.format(Locale.ROOT, "%02x", x));
    }
    return sb.toString();
  }

  private InputFormatException bad(String what) {
    return new InputFormatException(name + ": " + what);
  }
}
