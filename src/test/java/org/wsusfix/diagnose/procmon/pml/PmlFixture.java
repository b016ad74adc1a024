package org.wsusfix.diagnose.procmon.pml;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small PML files laid out as the procmon-parser format description says, so the reader is
 * tested on every event class, in 32- and 64-bit form, without real captures.
 */
public final class PmlFixture {
  final boolean is64;
  final int pvoid;
  int version = 9;
  private final List<String> strings = new ArrayList<>();
  private final List<byte[]> processes = new ArrayList<>();
  private final List<byte[]> events = new ArrayList<>();

  PmlFixture(boolean is64) {
    this.is64 = is64;
    this.pvoid = is64 ? 8 : 4;
    string("");
  }

  int string(String s) {
    int i = strings.indexOf(s);
    if (i >= 0) {
      return i;
    }
    strings.add(s);
    return strings.size() - 1;
  }

  /** Adds a process; returns its index for events. */
  int process(int pid, String name, String user) {
    int index = 100 + processes.size();
    Buf b = new Buf();
    b.u32(index).u32(pid).u32(4).u32(0).u64(0x3e7).u32(0).u32(0).u64(0).u64(0).u32(0).u32(1);
    b.u32(string("System")).u32(string(user)).u32(string(name)).u32(string("C:\\x\\" + name));
    b.u32(string(name + " -k")).u32(string("Microsoft")).u32(string("10.0")).u32(string("desc"));
    b.u32(0).u32(0).pvoid(0).u32(0);
    processes.add(b.bytes());
    return index;
  }

  private void event(int process, int eventClass, int op, int status, byte[] detail) {
    Buf b = new Buf();
    b.u32(process).u32(1234).u32(eventClass).u16(op).zero(6).u64(10).u64(132406822382093997L);
    b.u32(status).u16(2).u16(0).u32(detail.length).u32(0);
    b.pvoid(0x7ff00001L).pvoid(0x7ff00002L);
    b.raw(detail);
    events.add(b.bytes());
  }

  void createFile(int process, String path, int status, int access, boolean directory, byte[] sid) {
    Buf d = fsHead(0);
    int options = directory ? 0x21 : 0x60;
    Buf details = new Buf();
    details.zero(0x10);
    if (is64) {
      details.zero(4);
    }
    details.u32(1 << 24 | options);
    details.zero(pvoid * 5 + 0x14 - details.size());
    d.raw(details.bytes());
    d.utf16Info(path).u16(0).utf16(path);
    d.u32(access).u8(sid == null ? 0 : sid.length).zero(3);
    if (sid != null) {
      d.raw(sid);
    }
    event(process, 3, 20, status, d.bytes());
  }

  void fs(int process, int op, int subOp, String path, int status, String filter) {
    Buf d = fsHead(subOp);
    d.zero(pvoid * 5 + 0x14);
    d.asciiInfo(path).u16(0).ascii(path);
    if (filter != null) {
      d.utf16Info(filter).utf16(filter);
    }
    event(process, 3, op, status, d.bytes());
  }

  private Buf fsHead(int subOp) {
    return new Buf().u8(subOp).zero(3);
  }

  void regOpenKey(int process, String path, int status, int access) {
    Buf d = new Buf().utf16Info(path).zero(2).u32(access).utf16(path);
    event(process, 2, 0, status, d.bytes());
  }

  void regQueryValue(int process, String path, int status) {
    Buf d = new Buf().utf16Info(path).zero(2).u32(16).u32(2).utf16(path);
    event(process, 2, 5, status, d.bytes());
  }

  void tcpSend(int process, byte[] src, int sport, byte[] dst, int dport, boolean v4) {
    Buf d = new Buf().u16((v4 ? 3 : 0) | 4).zero(2).u32(512);
    d.raw(pad16(src)).raw(pad16(dst)).u16(sport).u16(dport).u16(0).u16(0);
    event(process, 5, 2, 0, d.bytes());
  }

  void loadImage(int process, String path) {
    Buf d = new Buf().pvoid(0x7ff600000000L).u32(0x1000).utf16Info(path).zero(2).utf16(path);
    event(process, 1, 5, 0, d.bytes());
  }

  private static byte[] pad16(byte[] ip) {
    byte[] out = new byte[16];
    System.arraycopy(ip, 0, out, 0, ip.length);
    return out;
  }

  byte[] build() {
    Buf file = new Buf();
    file.zero(0x3A8);
    long eventsStart = file.size();
    long[] offsets = new long[events.size()];
    for (int i = 0; i < events.size(); i++) {
      offsets[i] = file.size();
      file.raw(events.get(i));
    }
    long offsetsArray = file.size();
    for (long o : offsets) {
      file.u32((int) o).u8(0);
    }
    long processTable = file.size();
    Buf pt = new Buf().u32(processes.size());
    for (int i = 0; i < processes.size(); i++) {
      pt.u32(100 + i);
    }
    int rel = 4 + 8 * processes.size();
    for (byte[] p : processes) {
      pt.u32(rel);
      rel += p.length;
    }
    for (byte[] p : processes) {
      pt.raw(p);
    }
    file.raw(pt.bytes());
    long stringsTable = file.size();
    Buf st = new Buf().u32(strings.size());
    rel = 4 + 4 * strings.size();
    List<byte[]> encoded = new ArrayList<>();
    for (String s : strings) {
      byte[] e = s.getBytes(StandardCharsets.UTF_16LE);
      encoded.add(e);
      st.u32(rel);
      rel += 4 + e.length;
    }
    for (byte[] e : encoded) {
      st.u32(e.length).raw(e);
    }
    file.raw(st.bytes());
    long icons = file.size();
    file.u32(0);
    long hostsPorts = file.size();
    byte[] host = "wsus01".getBytes(StandardCharsets.UTF_16LE);
    file.u32(1).raw(pad16(new byte[] {10, 0, 0, 5})).u32(host.length).raw(host);
    byte[] port = "http".getBytes(StandardCharsets.UTF_16LE);
    file.u32(1).u16(80).u16(1).u32(port.length).raw(port);
    byte[] out = file.bytes();
    ByteBuffer h = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    h.put(0, "PML_".getBytes(StandardCharsets.US_ASCII));
    h.putInt(4, version);
    h.putInt(8, is64 ? 1 : 0);
    h.put(0xC, "WSUS01".getBytes(StandardCharsets.UTF_16LE));
    h.put(0x2C, "C:\\Windows".getBytes(StandardCharsets.UTF_16LE));
    h.putInt(0x234, events.size());
    h.putLong(0x240, eventsStart);
    h.putLong(0x248, offsetsArray);
    h.putLong(0x250, processTable);
    h.putLong(0x258, stringsTable);
    h.putLong(0x260, icons);
    h.putLong(0x398, 0x3A8);
    h.putLong(0x3A0, hostsPorts);
    return out;
  }

  static byte[] sid(int authority, int... subs) {
    ByteBuffer b = ByteBuffer.allocate(8 + 4 * subs.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 1).put((byte) subs.length).put(new byte[] {0, 0, 0, 0, 0, (byte) authority});
    for (int s : subs) {
      b.putInt(s);
    }
    return b.array();
  }

  /** Little-endian byte builder. */
  final class Buf {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Buf u8(int v) {
      out.write(v);
      return this;
    }

    Buf u16(int v) {
      out.write(v & 0xFF);
      out.write(v >>> 8 & 0xFF);
      return this;
    }

    Buf u32(int v) {
      return u16(v & 0xFFFF).u16(v >>> 16);
    }

    Buf u64(long v) {
      return u32((int) v).u32((int) (v >>> 32));
    }

    Buf pvoid(long v) {
      return is64 ? u64(v) : u32((int) v);
    }

    Buf zero(int n) {
      for (int i = 0; i < n; i++) {
        out.write(0);
      }
      return this;
    }

    Buf raw(byte[] b) {
      out.writeBytes(b);
      return this;
    }

    Buf utf16Info(String s) {
      return u16(s.length());
    }

    Buf asciiInfo(String s) {
      return u16(0x8000 | s.length());
    }

    Buf utf16(String s) {
      return raw(s.getBytes(StandardCharsets.UTF_16LE));
    }

    Buf ascii(String s) {
      return raw(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    int size() {
      return out.size();
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}
