package org.wsusfix.machine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.wsusfix.security.SecurityDescriptor;

/**
 * Descriptors read for a change, with the objects still open where the target can keep them open
 * (SMB): what is written next replaces exactly the state read, with no second open in between.
 * Close it to release whatever {@link #writeAndRelease} did not.
 */
public interface HeldDescriptors extends AutoCloseable {

  /** The paths, in the order given to {@link DaclWriter#hold}. */
  List<String> paths();

  /** Owner, group and DACL of each path as read, in the same order. */
  List<SecurityDescriptor> descriptors();

  /**
   * Closes the object at {@code index} now, unchanged, so that a large batch with few changes does
   * not keep the server's handles open; that index must not be written afterwards.
   */
  void release(int index);

  /**
   * Writes the DACLs given by index (as {@link DaclWriter#writeDacl}), reads each back, and
   * releases every object, written or not. A path that fails does not stop the others.
   *
   * @return per written index, what the target holds now or why the write failed
   */
  Map<Integer, Written> writeAndRelease(Map<Integer, SecurityDescriptor> writes);

  @Override
  void close();

  /** The read-back after a write, or the failure that stopped it. */
  record Written(SecurityDescriptor readBack, TargetException failure) {
    public static Written ok(SecurityDescriptor readBack) {
      return new Written(readBack, null);
    }

    public static Written failed(TargetException failure) {
      return new Written(null, failure);
    }
  }

  /**
   * For targets that cannot keep objects open: reads now, writes through {@code writer} and reads
   * back later. A dry run, which only reads, passes no writer.
   */
  static HeldDescriptors readNow(Target target, DaclWriter writer, List<String> paths) {
    List<String> ps = List.copyOf(paths);
    List<SecurityDescriptor> read = target.readAll(ps);
    return new HeldDescriptors() {
      @Override
      public List<String> paths() {
        return ps;
      }

      @Override
      public List<SecurityDescriptor> descriptors() {
        return read;
      }

      @Override
      public void release(int index) {
        // nothing is held open
      }

      @Override
      public Map<Integer, Written> writeAndRelease(Map<Integer, SecurityDescriptor> writes) {
        Map<Integer, Written> out = new LinkedHashMap<>();
        for (Map.Entry<Integer, SecurityDescriptor> w : writes.entrySet()) {
          String path = ps.get(w.getKey());
          try {
            if (writer == null) {
              throw new TargetException(target.readOnlyReason());
            }
            writer.writeDacl(path, w.getValue());
            out.put(w.getKey(), Written.ok(target.read(path)));
          } catch (TargetException e) {
            out.put(w.getKey(), Written.failed(e));
          }
        }
        return out;
      }

      @Override
      public void close() {}
    };
  }
}
