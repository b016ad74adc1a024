package org.wsusfix.resource.folder;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.wsusfix.machine.Capability;
import org.wsusfix.machine.DaclWriter;
import org.wsusfix.machine.Target;
import org.wsusfix.policy.Policy;
import org.wsusfix.resource.Applier;
import org.wsusfix.resource.ApplyContext;
import org.wsusfix.resource.ChangeText;
import org.wsusfix.resource.Fields;
import org.wsusfix.resource.PlanContext;
import org.wsusfix.resource.ResourceKind;
import org.wsusfix.resource.RestoreContext;
import org.wsusfix.resource.Restorer;
import org.wsusfix.security.AccessMask;
import org.wsusfix.security.Ace;
import org.wsusfix.security.Acl;
import org.wsusfix.security.Rights;
import org.wsusfix.security.RightsText;
import org.wsusfix.security.Sddl;
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;
import org.wsusfix.security.WellKnownSids;

/** File and folder DACLs: the policy's {@code rules} and {@code expect}, one path per change. */
public final class FolderDacls implements ResourceKind<DaclChange, DaclUndo> {
  @Override
  public String name() {
    return "dacl";
  }

  @Override
  public String noun() {
    return "DACL";
  }

  @Override
  public String subjectNoun() {
    return "path";
  }

  @Override
  public Class<DaclChange> changeType() {
    return DaclChange.class;
  }

  @Override
  public Class<DaclUndo> payloadType() {
    return DaclUndo.class;
  }

  @Override
  public Capability capability(Target target) {
    return target.daclWriter().isPresent() ? Capability.READ_WRITE : Capability.READ;
  }

  @Override
  public void plan(Policy policy, PlanContext context) {
    new FolderPlanner(context).plan(policy);
  }

  // --- plan file ---

  @Override
  public List<String> changeKinds() {
    return List.of("dacl");
  }

  @Override
  public void writeChange(DaclChange d, ObjectNode n) {
    n.put("path", d.path());
    n.put("container", d.container());
    n.put("before", d.before());
    n.put("beforeSha256", d.beforeSha256());
    n.put("after", d.after());
    n.put("propagate", d.propagate());
    n.put("descendants", d.descendants().planFileValue());
    ArrayNode access = n.putArray("effectiveAccess");
    for (DaclChange.Access a : d.access()) {
      ObjectNode x = access.addObject();
      x.put("identity", a.identity());
      x.put("sid", a.sid().toString());
      x.put("before", a.before().hex());
      x.put("after", a.after().hex());
    }
  }

  @Override
  public DaclChange readChange(String kind, Fields in, List<String> reasons) {
    List<DaclChange.Access> access = new ArrayList<>();
    for (Fields a : in.objects("effectiveAccess", false)) {
      access.add(
          new DaclChange.Access(
              a.text("identity"), a.sid("sid"), mask(a, "before"), mask(a, "after")));
    }
    long descendants = in.integer("descendants");
    if (descendants < -2) {
      throw in.problem("descendants", "is not a count (-1: cannot walk, -2: not counted)");
    }
    return new DaclChange(
        in.text("path"),
        in.bool("container"),
        in.text("before"),
        in.text("beforeSha256"),
        in.text("after"),
        in.bool("propagate"),
        Descendants.fromPlanFile(descendants),
        reasons,
        access);
  }

  private static Rights mask(Fields in, String name) {
    return Rights.of(
        AccessMask.parse(in.text(name))
            .orElseThrow(() -> in.problem(name, "is not an access mask")));
  }

  // --- plan text ---

  @Override
  public void render(DaclChange d, ChangeText text) {
    SecurityDescriptor before = Sddl.parse(d.before(), text.domain());
    SecurityDescriptor after = Sddl.parse(d.after(), text.domain());
    text.mark(ChangeText.Mark.CHANGED)
        .append(d.path())
        .append("  (")
        .append(d.container() ? "folder" : "file");
    if (after.isDaclProtected()) {
      text.append(", protected");
    }
    if (after.isDaclAutoInherited()) {
      text.append(", auto-inherited");
    }
    text.append(")\n");
    for (String line : aceDiff(before.dacl(), after.dacl(), text)) {
      text.append(line).append("\n");
    }
    for (String r : d.reasons()) {
      text.append("    why: ").append(r).append("\n");
    }
    for (DaclChange.Access a : d.access()) {
      text.append("    access (network logon) of ")
          .append(a.identity())
          .append(": ")
          .append(access(a.before()))
          .append(" -> ")
          .append(access(a.after()))
          .append("\n");
    }
    if (d.propagate() && d.container()) {
      text.append("    inherited by: ").append(inheritedBy(d.descendants())).append("\n");
    } else if (d.container()) {
      text.append("    propagate: false (descendants are not rewritten now)\n");
    }
    text.append("    after: ").append(d.after()).append("\n\n");
  }

  private static String inheritedBy(Descendants descendants) {
    if (descendants instanceof Descendants.Counted c) {
      return String.format("%,d descendant%s", c.count(), c.count() == 1 ? "" : "s");
    }
    return descendants instanceof Descendants.NotCounted
        ? "every descendant that inherits (not counted ahead with --yes; the count of those rewritten follows)"
        : "unknown (target cannot walk)";
  }

  private static String access(Rights rights) {
    return RightsText.rights(rights, RightsText.Names.FILE);
  }

  /**
   * Unchanged ACEs plainly, removed ones with -, added ones with +, in the order of the new list.
   */
  static List<String> aceDiff(Acl before, Acl after, ChangeText text) {
    List<Ace> old = before == null ? List.of() : before.aces();
    List<Ace> now = after == null ? List.of() : after.aces();
    List<String> lines = new ArrayList<>();
    int i = 0;
    for (Ace ace : now) {
      int at = old.subList(i, old.size()).indexOf(ace);
      if (at >= 0) {
        for (int k = i; k < i + at; k++) {
          lines.add(text.marked(ChangeText.Mark.REMOVED, "    ", ace(old.get(k), text)));
        }
        lines.add("      " + ace(ace, text));
        i += at + 1;
      } else {
        lines.add(text.marked(ChangeText.Mark.ADDED, "    ", ace(ace, text)));
      }
    }
    for (int k = i; k < old.size(); k++) {
      lines.add(text.marked(ChangeText.Mark.REMOVED, "    ", ace(old.get(k), text)));
    }
    return lines;
  }

  static String ace(Ace ace, ChangeText text) {
    String type =
        ace.type().isAllow() ? "allow" : ace.type().isDeny() ? "deny " : ace.type().sddl();
    return String.format(
        "%s %-34s %s", type, text.name(ace.sid()), RightsText.entry(ace, RightsText.Names.FILE));
  }

  // --- guardrails ---

  static final Set<Sid> BROAD =
      Set.of(
          WellKnownSids.EVERYONE,
          WellKnownSids.USERS,
          WellKnownSids.AUTHENTICATED_USERS,
          WellKnownSids.ANONYMOUS,
          WellKnownSids.GUESTS);

  static final int CHANGE_RIGHTS =
      AccessMask.FILE_WRITE_DATA
          | AccessMask.FILE_APPEND_DATA
          | AccessMask.FILE_WRITE_EA
          | AccessMask.FILE_WRITE_ATTRIBUTES
          | AccessMask.FILE_DELETE_CHILD
          | AccessMask.DELETE
          | AccessMask.WRITE_DAC
          | AccessMask.WRITE_OWNER;

  /**
   * One line per ACE that would newly let a broad group write, modify or take control: a policy
   * typo such as {@code FullControl} for Users on C:\Windows must not reach a server unless asked
   * for.
   */
  @Override
  public List<String> broadWrites(DaclChange c, Sid domain) {
    List<String> out = new ArrayList<>();
    SecurityDescriptor before = Sddl.parse(c.before(), domain);
    SecurityDescriptor after = Sddl.parse(c.after(), domain);
    for (Ace ace : aces(after.dacl())) {
      if (!ace.type().isAllow() || !BROAD.contains(ace.sid())) {
        continue;
      }
      int rights = AccessMask.FILE_MAPPING.map(ace.mask()) & CHANGE_RIGHTS;
      int had = grantedBefore(before.dacl(), ace.sid());
      if ((rights & ~had) != 0) {
        out.add(
            c.path()
                + ": would give "
                + WellKnownSids.nameOf(ace.sid()).orElse(ace.sid().toString())
                + " "
                + RightsText.rights(ace.mask(), RightsText.Names.FILE)
                + " (write access for a broad group);"
                + " pass --allow-broad-write if that is really meant");
      }
    }
    return out;
  }

  private static int grantedBefore(Acl dacl, Sid sid) {
    int had = 0;
    for (Ace ace : aces(dacl)) {
      if (ace.type().isAllow() && ace.sid().equals(sid)) {
        had |= AccessMask.FILE_MAPPING.map(ace.mask());
      }
    }
    return had & CHANGE_RIGHTS;
  }

  private static List<Ace> aces(Acl acl) {
    return acl == null ? List.of() : acl.aces();
  }

  // --- journal ---

  @Override
  public void writePayload(DaclUndo u, ObjectNode out) {
    writeEntries(out.putArray("entries"), u.entries());
    if (!u.descendants().isEmpty()) {
      writeEntries(out.putArray("descendants"), u.descendants());
    }
    if (u.inherited()) {
      out.put("inherited", true);
    }
  }

  private static void writeEntries(ArrayNode array, List<DaclUndo.Entry> entries) {
    for (DaclUndo.Entry e : entries) {
      ObjectNode n = array.addObject();
      n.put("path", e.path());
      n.put("container", e.container());
      n.put("before", e.before());
      n.put("after", e.after());
    }
  }

  @Override
  public DaclUndo readPayload(Fields in) {
    return new DaclUndo(
        entries(in, "entries", true),
        entries(in, "descendants", false),
        in.bool("inherited", false));
  }

  @Override
  public DaclUndo readFormat1(String kind, Fields in) {
    return readPayload(in);
  }

  private static List<DaclUndo.Entry> entries(Fields in, String name, boolean required) {
    List<DaclUndo.Entry> out = new ArrayList<>();
    for (Fields e : in.objects(name, required)) {
      out.add(
          new DaclUndo.Entry(
              e.text("path"), e.bool("container"), e.text("before"), e.text("after")));
    }
    return out;
  }

  // --- apply and rollback ---

  @Override
  public List<String> writeProblems(Target target, List<DaclChange> changes) {
    if (changes.isEmpty()) {
      return List.of();
    }
    List<String> paths = changes.stream().map(DaclChange::path).toList();
    return target.daclWriter().map(w -> w.daclWriteProblems(paths)).orElse(List.of());
  }

  @Override
  public List<String> restoreProblems(Target target, List<DaclUndo> payloads) {
    List<String> paths = new ArrayList<>();
    for (DaclUndo u : payloads) {
      // Descendants rewritten by propagation sit below these: probing the changed folders suffices.
      if (!u.inherited()) {
        u.entries().forEach(e -> paths.add(e.path()));
      }
    }
    if (paths.isEmpty()) {
      return List.of();
    }
    return target.daclWriter().map((DaclWriter w) -> w.daclWriteProblems(paths)).orElse(List.of());
  }

  @Override
  public Applier<DaclChange> applier(ApplyContext context, List<DaclChange> planned) {
    return new DaclApplier(this, context, planned);
  }

  @Override
  public Restorer<DaclUndo> restorer(RestoreContext context) {
    return new DaclRestorer(context);
  }

  @Override
  public long restoreUnits(DaclUndo payload) {
    return payload.entries().size() + payload.descendants().size();
  }
}
