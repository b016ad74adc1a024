package org.wsusfix.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.Callable;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.TargetException;
import org.wsusfix.policy.Expectation.LogonKind;
import org.wsusfix.policy.Trustee;
import org.wsusfix.resource.PlanException;
import org.wsusfix.resource.TokenGroups;
import org.wsusfix.resource.TrusteeResolver;
import org.wsusfix.resource.folder.EffectiveAccess;
import org.wsusfix.security.AccessMask;
import org.wsusfix.security.Ace;
import org.wsusfix.security.AceFlags;
import org.wsusfix.security.RightsText;
import org.wsusfix.security.Sddl;
import org.wsusfix.security.SddlAliases;
import org.wsusfix.security.SecurityDescriptor;
import org.wsusfix.security.Sid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description =
        "Shows the ACL of a path as a table and as SDDL; with --access-for, what one identity may do there and which entry decided it.")
public final class ShowCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "PATH",
      description = "Absolute Windows path, e.g. C:\\Windows\\Microsoft.NET")
  String path;

  @Mixin TargetOptions target;
  @Mixin DebugOption debug;
  @Spec CommandSpec spec;

  @Option(
      names = "--access-for",
      paramLabel = "TRUSTEE",
      description = "Account name, SID or SDDL alias")
  String accessFor;

  @Option(
      names = "--logon",
      paramLabel = "KIND",
      defaultValue = "NETWORK",
      description =
          "Logon kind for --access-for (implicit groups): ${COMPLETION-CANDIDATES}; default ${DEFAULT-VALUE}")
  LogonKind logon;

  @Option(names = "--json", description = "JSON: sddl, aces[], access")
  boolean json;

  @Override
  public Integer call() {
    try (Target t = target.open(1)) {
      SecurityDescriptor sd = t.read(path);
      TrusteeResolver names = new TrusteeResolver(t);
      Sid domain = t.machineSid().orElse(null);
      String sddl = Sddl.format(sd, domain);
      Access access = accessFor == null ? null : access(t, names, sd);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.print(json(sd, sddl, names, access));
      } else {
        out.print(table(sd, sddl, names, access));
      }
      out.flush();
      return 0;
    } catch (TargetException | PlanException | IllegalArgumentException e) {
      throw new UserError(e.getMessage(), 1, e);
    }
  }

  private record Access(Sid sid, String name, Set<Sid> groups, EffectiveAccess.Result result) {}

  private Access access(Target t, TrusteeResolver names, SecurityDescriptor sd) {
    Sid sid = names.resolve(trustee(accessFor));
    Set<Sid> groups = new TokenGroups(t).groups(sid, logon);
    return new Access(
        sid,
        names.nameOf(sid),
        groups,
        EffectiveAccess.check(sd, sid, groups, AccessMask.MAXIMUM_ALLOWED, names::nameOf));
  }

  /** Classifies what the user typed the way policies do. */
  static Trustee trustee(String text) {
    Trustee.Kind kind =
        Sid.looksLikeSid(text)
            ? Trustee.Kind.SID
            : SddlAliases.isAlias(text) ? Trustee.Kind.ALIAS : Trustee.Kind.NAME;
    return new Trustee(text, kind, null);
  }

  private String table(SecurityDescriptor sd, String sddl, TrusteeResolver names, Access access) {
    StringBuilder s = new StringBuilder();
    s.append(path).append('\n');
    if (sd.owner() != null) {
      s.append("  owner: ").append(names.nameOf(sd.owner())).append('\n');
    }
    s.append("  DACL:")
        .append(sd.isDaclProtected() ? " protected" : "")
        .append(sd.isDaclAutoInherited() ? " auto-inherited" : "")
        .append('\n');
    if (sd.isNullDacl()) {
      s.append("    (NULL DACL: everyone has full access)\n");
    } else if (sd.dacl().aces().isEmpty()) {
      s.append("    (empty DACL: nobody has access)\n");
    } else {
      s.append(String.format("    %-3s %-5s %-40s %s%n", "#", "type", "trustee", "rights"));
      int i = 0;
      for (Ace ace : sd.dacl().aces()) {
        s.append(
            String.format(
                "    %-3d %-5s %-40s %s%n",
                i++,
                type(ace),
                names.nameOf(ace.sid()),
                RightsText.entry(ace, RightsText.Names.FILE)));
      }
    }
    s.append("  SDDL: ").append(sddl).append('\n');
    if (access != null) {
      s.append("  access of ")
          .append(access.name)
          .append(" (")
          .append(logon.name().toLowerCase())
          .append(" logon): ")
          .append(RightsText.rights(access.result.granted(), RightsText.Names.FILE))
          .append(" [")
          .append(AccessMask.hex(access.result.granted()))
          .append("]\n")
          .append("  decided by: ")
          .append(access.result.decidedBy())
          .append('\n');
    }
    return s.toString();
  }

  private static String type(Ace ace) {
    return ace.type().isAllow() ? "allow" : ace.type().isDeny() ? "deny" : ace.type().sddl();
  }

  private String json(SecurityDescriptor sd, String sddl, TrusteeResolver names, Access access) {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("path", path);
    root.put("sddl", sddl);
    root.put("protected", sd.isDaclProtected());
    root.put("autoInherited", sd.isDaclAutoInherited());
    ArrayNode aces = root.putArray("aces");
    if (sd.dacl() != null) {
      for (Ace ace : sd.dacl().aces()) {
        ObjectNode n = aces.addObject();
        n.put("type", type(ace));
        n.put("sid", ace.sid().toString());
        n.put("trustee", names.nameOf(ace.sid()));
        n.put("mask", AccessMask.hex(ace.mask()));
        n.put("rights", AccessMask.icacls(ace.mask()));
        n.put("flags", AceFlags.icacls(ace.flags()));
        n.put("inherited", ace.isInherited());
      }
    }
    if (access != null) {
      ObjectNode a = root.putObject("access");
      a.put("sid", access.sid.toString());
      a.put("identity", access.name);
      a.put("logon", logon.name().toLowerCase());
      ArrayNode groups = a.putArray("groups");
      access.groups.forEach(g -> groups.add(g.toString()));
      a.put("grantedMask", AccessMask.hex(access.result.granted()));
      a.put("rights", AccessMask.icacls(access.result.granted()));
      a.put("decidedBy", access.result.decidedBy());
    }
    try {
      return mapper.writeValueAsString(root) + System.lineSeparator();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
