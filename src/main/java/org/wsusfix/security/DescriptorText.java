package org.wsusfix.security;

import java.util.List;

/**
 * A one-line, readable rendering of a whole descriptor, in the words icacls uses: {@code owner:
 * BUILTIN\Administrators; group: NT AUTHORITY\SYSTEM; dacl (protected): allow BUILTIN\Users
 * (OI)(CI)(RX), deny Everyone (W)}. Rights are named as on files.
 */
public final class DescriptorText {
  private DescriptorText() {}

  public static String render(SecurityDescriptor sd, Sid domain) {
    StringBuilder out = new StringBuilder(128);
    appendTo(out, sd, domain);
    return out.toString();
  }

  public static void appendTo(StringBuilder out, SecurityDescriptor sd, Sid domain) {
    String sep = "";
    if (sd.owner() != null) {
      out.append("owner: ").append(name(sd.owner(), domain));
      sep = "; ";
    }
    if (sd.group() != null) {
      out.append(sep).append("group: ").append(name(sd.group(), domain));
      sep = "; ";
    }
    int c = sd.control();
    if ((c & SecurityDescriptor.DACL_PRESENT) != 0) {
      out.append(sep).append("dacl");
      acl(
          out,
          sd.dacl(),
          c & SecurityDescriptor.DACL_PROTECTED,
          c & SecurityDescriptor.DACL_AUTO_INHERITED,
          c & SecurityDescriptor.DACL_AUTO_INHERIT_REQ,
          domain,
          true);
      sep = "; ";
    }
    if ((c & SecurityDescriptor.SACL_PRESENT) != 0) {
      out.append(sep).append("sacl");
      acl(
          out,
          sd.sacl(),
          c & SecurityDescriptor.SACL_PROTECTED,
          c & SecurityDescriptor.SACL_AUTO_INHERITED,
          c & SecurityDescriptor.SACL_AUTO_INHERIT_REQ,
          domain,
          false);
      sep = "; ";
    }
    if (sep.isEmpty()) {
      out.append("(empty descriptor)");
    }
  }

  private static void acl(
      StringBuilder out, Acl acl, int prot, int inh, int req, Sid domain, boolean dacl) {
    if (prot != 0 || inh != 0 || req != 0) {
      out.append(" (");
      String sep = "";
      if (prot != 0) {
        out.append("protected");
        sep = ", ";
      }
      if (inh != 0) {
        out.append(sep).append("auto-inherited");
        sep = ", ";
      }
      if (req != 0) {
        out.append(sep).append("auto-inherit requested");
      }
      out.append(')');
    }
    out.append(": ");
    if (acl == null) {
      out.append(dacl ? "NULL (no protection: everyone has full access)" : "NULL");
      return;
    }
    List<Ace> aces = acl.aces();
    if (aces.isEmpty()) {
      out.append(dacl ? "empty (nobody has access)" : "empty");
      return;
    }
    for (int i = 0; i < aces.size(); i++) {
      if (i > 0) {
        out.append(", ");
      }
      ace(out, aces.get(i), domain);
    }
  }

  /** One ACE: {@code allow BUILTIN\Users (OI)(CI)(RX)}. */
  public static void ace(StringBuilder out, Ace ace, Sid domain) {
    out.append(
        switch (ace.type()) {
          case ACCESS_ALLOWED -> "allow";
          case ACCESS_DENIED -> "deny";
          case ACCESS_ALLOWED_OBJECT -> "allow-object";
          case ACCESS_DENIED_OBJECT -> "deny-object";
          case SYSTEM_AUDIT -> "audit";
          case SYSTEM_ALARM -> "alarm";
          case SYSTEM_AUDIT_OBJECT -> "audit-object";
          case SYSTEM_ALARM_OBJECT -> "alarm-object";
          case SYSTEM_MANDATORY_LABEL -> "label";
        });
    out.append(' ')
        .append(name(ace.sid(), domain))
        .append(' ')
        .append(RightsText.entry(ace, RightsText.Names.FILE));
    if (ace.objectType() != null) {
      out.append(" object ").append(ace.objectType());
    }
    if (ace.inheritedObjectType() != null) {
      out.append(" inherited-object ").append(ace.inheritedObjectType());
    }
  }

  private static final java.util.Map<String, String> DOMAIN_GROUPS =
      java.util.Map.ofEntries(
          java.util.Map.entry("RO", "Enterprise Read-only Domain Controllers"),
          java.util.Map.entry("LA", "Administrator"),
          java.util.Map.entry("LG", "Guest"),
          java.util.Map.entry("DA", "Domain Admins"),
          java.util.Map.entry("DU", "Domain Users"),
          java.util.Map.entry("DG", "Domain Guests"),
          java.util.Map.entry("DC", "Domain Computers"),
          java.util.Map.entry("DD", "Domain Controllers"),
          java.util.Map.entry("CA", "Cert Publishers"),
          java.util.Map.entry("SA", "Schema Admins"),
          java.util.Map.entry("EA", "Enterprise Admins"),
          java.util.Map.entry("PA", "Group Policy Creator Owners"),
          java.util.Map.entry("CN", "Cloneable Domain Controllers"),
          java.util.Map.entry("AP", "Protected Users"),
          java.util.Map.entry("KA", "Key Admins"),
          java.util.Map.entry("EK", "Enterprise Key Admins"),
          java.util.Map.entry("RS", "RAS and IAS Servers"));

  /**
   * The English well-known name; for a SID of the given domain with a known RID its group name and
   * SID; otherwise the SDDL alias or the SID string.
   */
  public static String name(Sid sid, Sid domain) {
    String known = WellKnownSids.nameOf(sid).orElse(null);
    if (known != null) {
      return known;
    }
    String alias = SddlAliases.alias(sid, domain);
    if (alias != null && SddlAliases.isDomainRelative(alias)) {
      return DOMAIN_GROUPS.get(alias) + " (" + sid + ")";
    }
    return alias != null ? alias : sid.toString();
  }
}
