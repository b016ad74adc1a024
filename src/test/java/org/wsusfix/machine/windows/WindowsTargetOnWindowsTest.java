package org.wsusfix.machine.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.TargetException;
import org.wsusfix.resource.folder.DaclWrites;
import org.wsusfix.security.Ace;
import org.wsusfix.security.CanonicalOrder;
import org.wsusfix.security.Sddl;
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;

/**
 * The real Win32 calls, on the Windows CI runner and on developers' Windows machines: reads and a
 * DACL round trip on a temporary folder the test owns, account and group look-ups, the apply mutex.
 * Nothing outside the temporary folder is changed. Skipped elsewhere.
 */
@EnabledOnOs(value = OS.WINDOWS, disabledReason = "calls the Win32 API of the machine it runs on")
class WindowsTargetOnWindowsTest {
  static final Sid USERS = Sid.parse("S-1-5-32-545");
  static final Sid AUTHENTICATED_USERS = Sid.parse("S-1-5-11");

  @TempDir Path dir;
  final WindowsTarget target =
      (WindowsTarget) new WindowsTargets().open("local", Map.of(), Map.of());

  @AfterEach
  void close() {
    target.close();
  }

  @Test
  void readsAFolderItsAttributesAndItsChildren() throws Exception {
    Files.createDirectory(dir.resolve("sub"));
    Files.writeString(dir.resolve("a.txt"), "a");
    String path = dir.toString();
    SecurityDescriptor sd = target.read(path);
    assertTrue(sd.daclPresent() && sd.owner() != null && sd.group() != null, Sddl.format(sd, null));
    assertTrue(target.exists(path));
    assertTrue(target.isContainer(path));
    assertFalse(target.isContainer(dir.resolve("a.txt").toString()));
    assertFalse(target.exists(dir.resolve("missing").toString()));
    assertEquals(
        List.of(new Target.Entry("a.txt", false, false), new Target.Entry("sub", true, false)),
        target.children(path).stream().sorted((x, y) -> x.name().compareTo(y.name())).toList());
    TargetException e =
        assertThrows(TargetException.class, () -> target.read(dir.resolve("missing").toString()));
    assertTrue(e.getMessage().contains("(Windows error 2)"), e.getMessage());
  }

  @Test
  void aDaclWriteReachesTheChildrenAndTheOldDaclComesBack() throws Exception {
    Path file = Files.writeString(dir.resolve("a.txt"), "a");
    String path = dir.toString();
    SecurityDescriptor before = target.read(path);
    SecurityDescriptor fileBefore = target.read(file.toString());
    Sid domain = target.machineSid().orElse(null);
    // an explicit inheritable ACE nobody else would put there: Users may read attributes only
    Ace probe = Sddl.parse("D:(A;OICI;0x80;;;BU)", domain).dacl().get(0);
    SecurityDescriptor after = before.withDacl(CanonicalOrder.insert(before.dacl(), probe));
    target.writeDacl(path, DaclWrites.forWrite(after));
    try {
      assertTrue(Sddl.format(target.read(path), domain).contains("(A;OICI;0x80;;;BU)"));
      assertTrue(
          Sddl.format(target.read(file.toString()), domain).contains("(A;ID;0x80;;;BU)"),
          "Windows propagated the new ACE to the file by itself");
    } finally {
      target.writeDacl(path, DaclWrites.forWrite(before));
    }
    assertTrue(
        DaclWrites.sameDacl(target.read(path), before), Sddl.format(target.read(path), domain));
    assertTrue(DaclWrites.sameDacl(target.read(file.toString()), fileBefore));
  }

  @Test
  void accountsAndLocalGroupsResolveBySid() {
    String users = target.lookupSid(USERS).orElseThrow();
    assertEquals(Optional.of(USERS), target.lookupName(users), users);
    Sid machine = target.machineSid().orElseThrow();
    assertTrue(machine.toString().startsWith("S-1-5-21-"), machine.toString());
    // every Windows installation puts Authenticated Users in Users
    assertTrue(target.groupMembers(USERS).orElseThrow().contains(AUTHENTICATED_USERS));
    assertTrue(target.groupsOf(AUTHENTICATED_USERS).orElseThrow().contains(USERS));
    assertEquals(Optional.empty(), target.lookupName("wsusfix-no-such-account-42"));
  }

  @Test
  void variablesComeFromThisMachine() {
    Map<String, String> v = target.variables();
    assertEquals(System.getenv("COMPUTERNAME"), v.get("computername"));
    assertTrue(Files.isDirectory(Path.of(v.get("windir"))), v.get("windir"));
    assertTrue(Files.isDirectory(Path.of(v.get("programdata"))), v.get("programdata"));
  }

  @Test
  void writeProblemsAreElevationOrNothingForAFolderTheTestOwns() {
    List<String> problems = target.daclWriteProblems(List.of(dir.toString()));
    assertTrue(
        problems.isEmpty() || problems.get(0).contains("elevated prompt"), problems.toString());
  }

  @Test
  void theApplyMutexKeepsOutASecondRunUntilReleased() throws Exception {
    AutoCloseable lock = target.lock();
    try {
      // a mutex is re-entrant for its owner thread: the second run is another thread
      ExecutionException e =
          assertThrows(
              ExecutionException.class, () -> CompletableFuture.supplyAsync(target::lock).get());
      assertTrue(
          e.getCause().getMessage().startsWith("another wsusfix apply or rollback is running"),
          e.getCause().getMessage());
    } finally {
      lock.close();
    }
    CompletableFuture.runAsync(
            () -> {
              try {
                target.lock().close();
              } catch (Exception x) {
                throw new IllegalStateException(x);
              }
            })
        .get();
  }
}
