package org.wsusfix.resource.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.wsusfix.machine.AuditLog;
import org.wsusfix.machine.Capability;
import org.wsusfix.machine.RegistryAccess;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.TargetException;
import org.wsusfix.policy.Policy;
import org.wsusfix.resource.Applier;
import org.wsusfix.resource.ApplyContext;
import org.wsusfix.resource.ChangeText;
import org.wsusfix.resource.Digest;
import org.wsusfix.resource.DriftException;
import org.wsusfix.resource.Fields;
import org.wsusfix.resource.PlanContext;
import org.wsusfix.resource.ResourceKind;
import org.wsusfix.resource.RestoreContext;
import org.wsusfix.resource.Restorer;
import org.wsusfix.security.AccessMask;
import org.wsusfix.security.Ace;
import org.wsusfix.security.Acl;
import org.wsusfix.security.BinaryDescriptor;
import org.wsusfix.security.Inheritance;
import org.wsusfix.security.Rights;
import org.wsusfix.security.RightsText;
import org.wsusfix.security.Sddl;
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;

/** Registry key DACLs: the policy's {@code registry} entries, one key per change. */
public final class RegistryDacls implements ResourceKind<KeyChange, KeyUndo> {
  /** Subkeys journaled per intent when wsusfix re-inherits them itself. */
  static final int BATCH = 200;

  private static final int DACL_MEANING =
      SecurityDescriptor.DACL_PROTECTED | SecurityDescriptor.DACL_AUTO_INHERITED;

  @Override
  public String name() {
    return "registry";
  }

  @Override
  public String noun() {
    return "key DACL";
  }

  @Override
  public String subjectNoun() {
    return "registry key";
  }

  @Override
  public Class<KeyChange> changeType() {
    return KeyChange.class;
  }

  @Override
  public Class<KeyUndo> payloadType() {
    return KeyUndo.class;
  }

  @Override
  public Capability capability(Target target) {
    return target
        .registry()
        .map(r -> r.writer().isPresent() ? Capability.READ_WRITE : Capability.READ)
        .orElse(Capability.NONE);
  }

  @Override
  public void plan(Policy policy, PlanContext context) {
    new KeyPlanner(context).plan(policy);
  }

  /** {@code HKLM\A\B} is below {@code HKLM\A}; the hive has no parent to inherit from. */
  static String parent(String key) {
    int at = key.lastIndexOf('\\');
    return at < 0 ? null : key.substring(0, at);
  }

  /** One subkey whose descriptor changes when its parent's does. */
  record Step(String key, SecurityDescriptor before, SecurityDescriptor after) {}

  /**
   * Visits, parents first, every subkey below {@code key} whose re-inherited descriptor differs; a
   * subkey that comes out unchanged is not descended into. Returns the number visited.
   */
  static long walk(
      RegistryAccess registry, String key, SecurityDescriptor newParent, Predicate<Step> visitor) {
    long[] count = {0};
    walk(registry, key, newParent, visitor, count);
    return count[0];
  }

  private static boolean walk(
      RegistryAccess registry,
      String key,
      SecurityDescriptor parent,
      Predicate<Step> visitor,
      long[] count) {
    for (String name : registry.subkeys(key)) {
      String child = key + "\\" + name;
      SecurityDescriptor before = registry.readKey(child);
      SecurityDescriptor after = Inheritance.recomputeKey(parent, before);
      if (sameDacl(after, before)) {
        continue;
      }
      count[0]++;
      if (!visitor.test(new Step(child, before, after))
          || !walk(registry, child, after, visitor, count)) {
        return false;
      }
    }
    return true;
  }

  /** Same DACL: same ACEs in the same order, same protection and auto-inherit bits. */
  static boolean sameDacl(SecurityDescriptor a, SecurityDescriptor b) {
    if ((a.control() & DACL_MEANING) != (b.control() & DACL_MEANING)
        || a.daclPresent() != b.daclPresent()) {
      return false;
    }
    return a.dacl() == null ? b.dacl() == null : b.dacl() != null && a.dacl().sameAces(b.dacl());
  }

  // --- plan file ---

  @Override
  public List<String> changeKinds() {
    return List.of("key-dacl");
  }

  @Override
  public void writeChange(KeyChange c, ObjectNode n) {
    n.put("key", c.key());
    n.put("before", c.before());
    n.put("beforeSha256", c.beforeSha256());
    n.put("after", c.after());
    n.put("subkeys", c.subkeys());
    ArrayNode access = n.putArray("effectiveAccess");
    for (KeyChange.Access a : c.access()) {
      ObjectNode x = access.addObject();
      x.put("identity", a.identity());
      x.put("sid", a.sid().toString());
      x.put("before", a.before().hex());
      x.put("after", a.after().hex());
    }
  }

  @Override
  public KeyChange readChange(String kind, Fields in, List<String> reasons) {
    List<KeyChange.Access> access = new ArrayList<>();
    for (Fields a : in.objects("effectiveAccess", false)) {
      access.add(
          new KeyChange.Access(
              a.text("identity"), a.sid("sid"), mask(a, "before"), mask(a, "after")));
    }
    long subkeys = in.integer("subkeys");
    if (subkeys < -1) {
      throw in.problem("subkeys", "is not a count (-1: not counted)");
    }
    String key = in.text("key");
    if (!key.regionMatches(true, 0, "HKLM\\", 0, 5)) {
      throw in.problem("key", "is not a key under HKLM");
    }
    String before = in.text("before");
    String after = in.text("after");
    sddl(in, "before", before);
    sddl(in, "after", after);
    return new KeyChange(key, before, in.text("beforeSha256"), after, subkeys, reasons, access);
  }

  private static void sddl(Fields in, String name, String text) {
    try {
      Sddl.parse(text, null);
    } catch (RuntimeException e) {
      throw in.problem(name, "is not a security descriptor in SDDL");
    }
  }

  private static Rights mask(Fields in, String name) {
    return Rights.of(
        AccessMask.parse(in.text(name))
            .filter(m -> in.text(name).startsWith("0x"))
            .orElseThrow(() -> in.problem(name, "is not an access mask")));
  }

  // --- plan text ---

  @Override
  public void render(KeyChange c, ChangeText text) {
    SecurityDescriptor before = Sddl.parse(c.before(), text.domain());
    SecurityDescriptor after = Sddl.parse(c.after(), text.domain());
    text.mark(ChangeText.Mark.CHANGED).append(c.key()).append("  (registry key");
    if (after.isDaclProtected()) {
      text.append(", protected");
    }
    text.append(")\n");
    List<Ace> old = aces(before.dacl());
    for (Ace ace : aces(after.dacl())) {
      text.append(
              old.contains(ace)
                  ? "      " + ace(ace, text)
                  : text.marked(ChangeText.Mark.ADDED, "    ", ace(ace, text)))
          .append("\n");
    }
    List<Ace> now = aces(after.dacl());
    for (Ace ace : old) {
      if (!now.contains(ace)) {
        text.append(text.marked(ChangeText.Mark.REMOVED, "    ", ace(ace, text))).append("\n");
      }
    }
    for (String r : c.reasons()) {
      text.append("    why: ").append(r).append("\n");
    }
    for (KeyChange.Access a : c.access()) {
      text.append("    access (network logon) of ")
          .append(a.identity())
          .append(": ")
          .append(RightsText.rights(a.before(), RightsText.Names.KEY))
          .append(" -> ")
          .append(RightsText.rights(a.after(), RightsText.Names.KEY))
          .append("\n");
    }
    text.append("    subkeys re-inherited: ")
        .append(c.subkeys() < 0 ? "not counted ahead" : String.format("%,d", c.subkeys()))
        .append("\n");
    text.append("    after: ").append(c.after()).append("\n\n");
  }

  private static List<Ace> aces(Acl acl) {
    return acl == null ? List.of() : acl.aces();
  }

  private static String ace(Ace ace, ChangeText text) {
    String type =
        ace.type().isAllow() ? "allow" : ace.type().isDeny() ? "deny " : ace.type().sddl();
    return String.format(
        "%s %-34s %s", type, text.name(ace.sid()), RightsText.entry(ace, RightsText.Names.KEY));
  }

  // --- journal ---

  @Override
  public void writePayload(KeyUndo u, ObjectNode out) {
    writeEntries(out.putArray("entries"), u.entries());
    if (!u.subkeys().isEmpty()) {
      writeEntries(out.putArray("subkeys"), u.subkeys());
    }
    if (u.inherited()) {
      out.put("inherited", true);
    }
  }

  private static void writeEntries(ArrayNode array, List<KeyUndo.Entry> entries) {
    for (KeyUndo.Entry e : entries) {
      ObjectNode n = array.addObject();
      n.put("key", e.key());
      n.put("before", e.before());
      n.put("after", e.after());
      if (e.beforeBinary() != null) {
        n.put("beforeBinary", e.beforeBinary());
      }
    }
  }

  @Override
  public KeyUndo readPayload(Fields in) {
    List<KeyUndo.Entry> entries = entries(in, "entries", true);
    if (entries.isEmpty()) {
      throw in.problem("entries", "is empty");
    }
    return new KeyUndo(entries, entries(in, "subkeys", false), in.bool("inherited", false));
  }

  private static List<KeyUndo.Entry> entries(Fields in, String name, boolean required) {
    List<KeyUndo.Entry> out = new ArrayList<>();
    for (Fields e : in.objects(name, required)) {
      String before = e.text("before");
      String after = e.text("after");
      sddl(e, "before", before);
      sddl(e, "after", after);
      String binary = e.optionalText("beforeBinary").orElse(null);
      if (binary != null) {
        try {
          if (!RegistryDacls.sameDacl(BinaryDescriptor.fromHex(binary), Sddl.parse(before, null))) {
            throw e.problem("beforeBinary", "is not the descriptor 'before' names");
          }
        } catch (IllegalArgumentException bad) {
          throw e.problem("beforeBinary", "is not a self-relative security descriptor in hex");
        }
      }
      out.add(new KeyUndo.Entry(e.text("key"), before, after, binary));
    }
    return out;
  }

  @Override
  public KeyUndo readFormat1(String kind, Fields in) {
    throw in.problem("kind", "registry keys were not journaled in format 1");
  }

  // --- apply and rollback ---

  @Override
  public List<String> writeProblems(Target target, List<KeyChange> changes) {
    if (changes.isEmpty()) {
      return List.of();
    }
    List<String> keys = changes.stream().map(KeyChange::key).toList();
    return target
        .registry()
        .flatMap(RegistryAccess::writer)
        .map(w -> w.keyWriteProblems(keys))
        .orElse(List.of());
  }

  @Override
  public List<String> restoreProblems(Target target, List<KeyUndo> payloads) {
    List<String> keys = new ArrayList<>();
    payloads.stream()
        .filter(u -> !u.inherited())
        .forEach(u -> u.entries().forEach(e -> keys.add(e.key())));
    if (keys.isEmpty()) {
      return List.of();
    }
    return target
        .registry()
        .flatMap(RegistryAccess::writer)
        .map(w -> w.keyWriteProblems(keys))
        .orElse(List.of());
  }

  @Override
  public Applier<KeyChange> applier(ApplyContext context, List<KeyChange> planned) {
    Target target = context.target();
    RegistryAccess registry =
        target.registry().orElseThrow(() -> new TargetException(target.readOnlyReason()));
    RegistryAccess.Writer writer =
        registry.writer().orElseThrow(() -> new TargetException(target.readOnlyReason()));
    Sid domain = context.domain();
    return c -> {
      SecurityDescriptor live = registry.readKey(c.key());
      String now = Sddl.format(live, domain);
      if (!Digest.sha256(now).equals(c.beforeSha256())) {
        throw new DriftException(
            c.key()
                + ": the key's descriptor changed since the plan was made (drift);"
                + " nothing more was changed");
      }
      SecurityDescriptor after = Sddl.parse(c.after(), domain);
      List<KeyUndo.Entry> selfPropagated = new ArrayList<>();
      if (registry.propagatesBySelf()) {
        walk(registry, c.key(), after, s -> selfPropagated.add(entry(s, domain)));
      }
      int seq =
          context.intent(
              this,
              new KeyUndo(
                  List.of(
                      new KeyUndo.Entry(
                          c.key(), c.before(), c.after(), BinaryDescriptor.toHex(live))),
                  selfPropagated,
                  false));
      writer.writeKeyDacl(c.key(), after);
      if (!sameDacl(registry.readKey(c.key()), after)) {
        throw new TargetException(c.key() + ": the DACL read back differs from the one written");
      }
      context.done(seq);
      long rewritten = selfPropagated.size();
      if (!registry.propagatesBySelf()) {
        rewritten = reinherit(context, registry, writer, c.key(), after, domain);
      }
      context.rewrote(rewritten);
      context
          .audit()
          .record(
              AuditLog.Kind.APPLIED,
              "wsusfix changed the DACL of registry key "
                  + c.key()
                  + " ("
                  + rewritten
                  + " subkeys re-inherited)\nUndo journal: "
                  + context.journalFile());
    };
  }

  private static KeyUndo.Entry entry(Step s, Sid domain) {
    return new KeyUndo.Entry(
        s.key(),
        Sddl.format(s.before(), domain),
        Sddl.format(s.after(), domain),
        BinaryDescriptor.toHex(s.before()));
  }

  /** Re-inherits the subkeys as the target will not, each batch journaled before it is written. */
  private long reinherit(
      ApplyContext context,
      RegistryAccess registry,
      RegistryAccess.Writer writer,
      String key,
      SecurityDescriptor after,
      Sid domain)
      throws java.io.IOException {
    List<Step> steps = new ArrayList<>();
    walk(registry, key, after, steps::add);
    for (int from = 0; from < steps.size(); from += BATCH) {
      List<Step> batch = steps.subList(from, Math.min(steps.size(), from + BATCH));
      int seq =
          context.intent(
              this,
              new KeyUndo(batch.stream().map(s -> entry(s, domain)).toList(), List.of(), true));
      for (Step s : batch) {
        writer.writeKeyDacl(s.key(), s.after());
        if (!sameDacl(registry.readKey(s.key()), s.after())) {
          throw new TargetException(s.key() + ": the DACL read back differs from the one written");
        }
      }
      context.done(seq);
      context.progress().walked("below " + key, from + batch.size(), steps.size());
    }
    context.progress().finished();
    return steps.size();
  }

  @Override
  public Restorer<KeyUndo> restorer(RestoreContext context) {
    return (u, force) -> {
      Target target = context.target();
      RegistryAccess registry =
          target.registry().orElseThrow(() -> new TargetException(target.readOnlyReason()));
      Sid domain = context.domain();
      List<KeyUndo.Entry> entries = new ArrayList<>(u.entries());
      // Children were written after their parents: restore them first.
      java.util.Collections.reverse(entries);
      for (KeyUndo.Entry e : entries) {
        restore(context, registry, e, force, domain);
      }
      if (!context.dryRun()) {
        // A target that propagates by itself brought these back with their parent; any it did not
        // are written.
        for (KeyUndo.Entry e : u.subkeys()) {
          if (registry.keyExists(e.key())
              && !sameDacl(registry.readKey(e.key()), Sddl.parse(e.before(), domain))) {
            restore(context, registry, e, true, domain);
          } else {
            context.handled(1);
          }
        }
      } else {
        context.handled(u.subkeys().size());
      }
    };
  }

  private static void restore(
      RestoreContext context, RegistryAccess registry, KeyUndo.Entry e, boolean force, Sid domain) {
    context.handled(1);
    if (!registry.keyExists(e.key())) {
      context.refused(e.key() + ": the key no longer exists");
      return;
    }
    SecurityDescriptor live = registry.readKey(e.key());
    SecurityDescriptor before =
        e.beforeBinary() != null
            ? BinaryDescriptor.fromHex(e.beforeBinary())
            : Sddl.parse(e.before(), domain);
    if (sameDacl(live, before)) {
      context.skipped();
      return;
    }
    if (!sameDacl(live, Sddl.parse(e.after(), domain)) && !force) {
      context.refused(
          e.key() + ": its DACL was changed by someone else since (--force restores it anyway)");
      return;
    }
    if (context.dryRun()) {
      context.out().println("  would restore the DACL of " + e.key());
      context.restored();
      return;
    }
    RegistryAccess.Writer writer =
        registry.writer().orElseThrow(() -> new TargetException(context.target().readOnlyReason()));
    // The owner and group go back as journaled: a server that replaces the whole descriptor gets
    // them unchanged.
    writer.writeKeyDacl(e.key(), before);
    if (!sameDacl(registry.readKey(e.key()), before)) {
      throw new TargetException(e.key() + ": the DACL read back differs from the one restored");
    }
    context.restored();
    context
        .audit()
        .record(AuditLog.Kind.ROLLED_BACK, "wsusfix restored the DACL of registry key " + e.key());
  }

  @Override
  public long restoreUnits(KeyUndo payload) {
    return payload.entries().size() + payload.subkeys().size();
  }
}
