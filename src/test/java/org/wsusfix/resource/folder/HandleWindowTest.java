package org.wsusfix.resource.folder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsusfix.apply.Executor;
import org.wsusfix.apply.Fixture;
import org.wsusfix.machine.HeldDescriptors;
import org.wsusfix.machine.memory.MemoryTarget;
import org.wsusfix.plan.Plan;
import org.wsusfix.resource.WalkProgress;
import org.wsusfix.security.Inheritance;
import org.wsusfix.security.Sddl;
import org.wsusfix.security.SecurityDescriptor;

/**
 * Propagation holds every descendant it reads open until its write (as over SMB), but never more
 * than {@link DaclApplier#WINDOW} at once: many protected children under a changed folder are
 * released as soon as they are read.
 */
class HandleWindowTest {
  static final String FOLDER = "C:\\Data";
  static final String POLICY =
      """
      apiVersion: wsusfix/v1
      kind: Policy
      metadata:
        name: window
      rules:
        - path: 'C:\\\\Data'
          grants:
            - trustee: BU
              rights: ReadAndExecute
              inheritance: [OI, CI]
      """;

  @TempDir Path dir;

  /** A memory server that counts the objects its holdings keep open. */
  static final class CountingTarget extends MemoryTarget {
    int open;
    int peak;
    int held;

    CountingTarget() {
      super("memory:window");
    }

    @Override
    public HeldDescriptors hold(List<String> paths) {
      HeldDescriptors inner = HeldDescriptors.readNow(this, this, paths);
      boolean[] released = new boolean[paths.size()];
      open += paths.size();
      held += paths.size();
      peak = Math.max(peak, open);
      return new HeldDescriptors() {
        @Override
        public List<String> paths() {
          return inner.paths();
        }

        @Override
        public List<SecurityDescriptor> descriptors() {
          return inner.descriptors();
        }

        @Override
        public void release(int index) {
          if (!released[index]) {
            released[index] = true;
            open--;
          }
        }

        @Override
        public Map<Integer, Written> writeAndRelease(Map<Integer, SecurityDescriptor> writes) {
          writes
              .keySet()
              .forEach(i -> assertTrue(!released[i], "a released object is not written"));
          Map<Integer, Written> out = inner.writeAndRelease(writes);
          close();
          return out;
        }

        @Override
        public void close() {
          for (int i = 0; i < released.length; i++) {
            release(i);
          }
        }
      };
    }
  }

  @Test
  void protectedChildrenAreReleasedAtOnceAndTheWindowIsNeverExceeded() throws IOException {
    CountingTarget t = Fixture.populate(new CountingTarget());
    SecurityDescriptor folder = Fixture.sd(Fixture.BROKEN);
    t.folder(FOLDER, folder);
    SecurityDescriptor own = Fixture.sd("O:BAG:SYD:PAI(A;;FA;;;BA)");
    for (int i = 0; i < 5000; i++) {
      t.file(FOLDER + "\\protected" + i + ".dll", own);
    }
    SecurityDescriptor sub = Inheritance.recomputeChild(folder, Fixture.sd("O:BAG:SYD:AI"), true);
    t.folder(FOLDER + "\\sub", sub);
    SecurityDescriptor file = Inheritance.recomputeChild(folder, Fixture.sd("O:BAG:SYD:AI"), false);
    SecurityDescriptor subFile = Inheritance.recomputeChild(sub, Fixture.sd("O:BAG:SYD:AI"), false);
    for (int i = 0; i < 700; i++) {
      t.file(FOLDER + "\\inherits" + i + ".dll", file);
      t.file(FOLDER + "\\sub\\inherits" + i + ".dll", subFile);
    }
    Plan plan = Fixture.plan(t, POLICY);

    Executor.Outcome out =
        new Executor(t, new PrintWriter(new StringWriter(), true), WalkProgress.NONE)
            .apply(plan, dir.resolve("undo.jsonl"), "test");

    assertTrue(out.ok(), out::failure);
    assertEquals(
        1 + 700 + 700,
        out.descendants(),
        "the subfolder and every inheriting file below the folder");
    assertEquals(5000 + 1 + 1400, t.held, "every child was read on a held object");
    assertEquals(0, t.open, "every held object was released");
    assertTrue(
        t.peak <= DaclApplier.WINDOW,
        "at most " + DaclApplier.WINDOW + " open at once, saw " + t.peak);
    assertTrue(
        Sddl.format(t.read(FOLDER + "\\sub\\inherits699.dll"), Fixture.MACHINE).contains(";;;BU)"),
        "propagated to the deepest file");
    assertTrue(
        !Sddl.format(t.read(FOLDER + "\\protected42.dll"), Fixture.MACHINE).contains("BU"),
        "protected children unchanged");
  }
}
