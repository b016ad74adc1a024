package org.wsusfix.diagnose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.wsusfix.diagnose.iisconfig.IisConfig;
import org.wsusfix.diagnose.iisconfig.IisConfigReader;
import org.wsusfix.diagnose.iislog.IisEndpoint;
import org.wsusfix.policy.IisSite;
import org.wsusfix.policy.Policy;
import org.wsusfix.policy.PolicyLoader;
import org.wsusfix.resource.Finding;
import org.wsusfix.resource.iis.IisAudit;

/**
 * An IIS configuration given alone, held against the shipped policy of its generation: MetaBase.xml
 * against wsus-iis6; applicationHost.config against wsus-iis7 when the WSUS pool runs .NET 2.0
 * (WSUS 3.0 SP2 on IIS 7/7.5) and wsus-2012 when it runs .NET 4 (WSUS 4 and later), the site being
 * the one the configuration holds the WSUS applications in.
 *
 * @param policy the shipped policy's name
 * @param policyReason what in the configuration chose it
 * @param siteReason why this site, or null when it is the policy's own
 */
public record ConfigAudit(
    String file, String policy, String policyReason, String siteReason, IisAudit.Result result) {

  /** The checks that failed and the notes that block compliance: what makes diagnose exit 3. */
  public boolean hasFindings() {
    return !result.failed().isEmpty()
        || result.notes().stream().anyMatch(Finding::blocksCompliance);
  }

  /**
   * @param parsed the file as {@link IisConfigReader} read it (which also checked it is
   *     well-formed)
   * @throws org.wsusfix.resource.FormatException {@code FILE:LINE:COLUMN} when it cannot be read as
   *     such a file
   */
  public static ConfigAudit of(IisConfig parsed, byte[] bytes) {
    String file = parsed.file();
    String name;
    String reason;
    if (parsed.iisVersion() == 6) {
      name = "wsus-iis6";
      reason = "MetaBase.xml: IIS 6, Windows Server 2003";
    } else {
      String pool =
          parsed
              .forEndpoint(IisEndpoint.CLIENT)
              .map(IisConfig.Application::pool)
              .orElse(IisConfigReader.WSUS_POOL);
      Optional<IisAudit.Fact> runtime = IisAudit.poolRuntime(file, bytes, pool);
      String version = runtime.map(r -> r.value().trim().toLowerCase(Locale.ROOT)).orElse("");
      if (version.startsWith("v2")) {
        name = "wsus-iis7";
        reason =
            pool
                + " runs .NET "
                + runtime.get().value()
                + " ("
                + runtime.get().setAt()
                + "): WSUS 3.0 SP2 on IIS 7 or 7.5";
      } else if (runtime.isPresent()) {
        name = "wsus-2012";
        reason =
            pool
                + " runs .NET "
                + (version.isEmpty() ? "'' (no managed code)" : runtime.get().value())
                + " ("
                + runtime.get().setAt()
                + "): WSUS 4 or later, Windows Server 2012 and later";
      } else {
        name = "wsus-2012";
        reason =
            "no managedRuntimeVersion for "
                + pool
                + " in the file; taken as IIS 8 or later, whose default is v4.0";
      }
    }
    Policy policy = PolicyLoader.loadBuiltin(name);
    IisSite iis = policy.iis();
    String siteReason = null;
    Optional<IisConfig.Application> client = parsed.forEndpoint(IisEndpoint.CLIENT);
    if (client.isPresent()
        && client.get().site() != null
        && !client.get().site().equalsIgnoreCase(iis.site())) {
      siteReason = "the site that holds /ClientWebService; " + name + " names " + iis.site();
      iis = new IisSite(client.get().site(), iis.applications(), iis.report(), iis.at());
    }
    IisAudit.Result result =
        parsed.iisVersion() == 6
            ? IisAudit.metabase(iis, file, bytes)
            : IisAudit.applicationHost(iis, file, bytes, IisAudit.NO_WEB_CONFIGS);
    return new ConfigAudit(file, name, reason, siteReason, result);
  }

  /**
   * The failed checks of the applications whose IIS log failures an IIS setting explains (401.1,
   * 401.2, 500.24): the configuration lines behind what the log shows.
   */
  public List<IisAudit.Check> behind(Findings f) {
    List<String> apps =
        PolicySuggester.iisSettingFaults(f).stream()
            .map(i -> "/" + i.endpoint().application().toLowerCase(Locale.ROOT))
            .distinct()
            .toList();
    return result.failed().stream()
        .filter(c -> apps.contains(c.application().toLowerCase(Locale.ROOT)))
        .toList();
  }

  /** For people: per application each setting, what the policy expects, what is set and where. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    List<IisAudit.Check> failed = result.failed();
    int n = result.checks().size();
    sb.append(
        failed.isEmpty() && !hasFindings()
            ? "IIS configuration matches "
                + policy
                + " ("
                + n
                + (n == 1 ? " setting" : " settings")
                + " checked)"
            : "IIS configuration differs from "
                + policy
                + ": "
                + failed.size()
                + " of "
                + n
                + (n == 1 ? " setting" : " settings"));
    sb.append('\n');
    sb.append("  file    ").append(file).append('\n');
    sb.append("  policy  ").append(policy).append(": ").append(policyReason).append('\n');
    sb.append("  site    ")
        .append(result.site() == null ? "(not found)" : result.site())
        .append(siteReason == null ? "" : " (" + siteReason + ")")
        .append('\n');
    Map<String, List<IisAudit.Check>> byApp = new LinkedHashMap<>();
    for (IisAudit.Check c : result.checks()) {
      byApp.computeIfAbsent(c.application(), k -> new ArrayList<>()).add(c);
    }
    for (Map.Entry<String, List<IisAudit.Check>> e : byApp.entrySet()) {
      sb.append('\n').append(e.getKey()).append('\n');
      for (IisAudit.Check c : e.getValue()) {
        sb.append(
                c.ok()
                    ? "  ok    "
                    : c.severity() == Finding.Severity.WARNING ? "  warn  " : "  FAIL  ")
            .append(c.setting())
            .append(": expected ")
            .append(shown(c.expected()))
            .append(", is ")
            .append(shown(c.actual()))
            .append("  (")
            .append(c.setAt() == null ? "IIS default: nothing sets it" : c.setAt())
            .append(")\n");
        if (!c.ok()) {
          sb.append("        ").append(c.message()).append('\n');
        }
      }
    }
    if (!result.notes().isEmpty()) {
      sb.append("\nNotes:\n");
      for (Finding f : result.notes()) {
        sb.append("  ")
            .append(f.severity().name().toLowerCase(Locale.ROOT))
            .append(' ')
            .append(f.subject())
            .append(": ")
            .append(f.message())
            .append('\n');
      }
    }
    sb.append("\nNext step: ").append(nextStep()).append('\n');
    return sb.toString();
  }

  private String nextStep() {
    if (!hasFindings()) {
      return "nothing to change in this file; diagnose the client and IIS logs (--wu-log, --iis-log) next";
    }
    if (result.iisVersion() == 6) {
      return "set the differing values in IIS Manager (Directory Security); wsusfix does not write MetaBase.xml";
    }
    boolean changeable = result.failed().stream().anyMatch(IisAudit.Check::changeable);
    return changeable
        ? "on the server, 'wsusfix plan -p "
            + policy
            + "' shows the edit and 'wsusfix apply -p "
            + policy
            + "' makes it (the rest is reported only)"
        : "the differing values are reported only: change them in IIS Manager";
  }

  private static String shown(String value) {
    return value.isEmpty() ? "''" : value;
  }

  /** For scripts. */
  public Map<String, Object> json() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("file", file);
    root.put("iisVersion", result.iisVersion());
    root.put("policy", policy);
    root.put("policyReason", policyReason);
    root.put("site", result.site());
    root.put("siteReason", siteReason);
    root.put("compliant", !hasFindings());
    List<Object> checks = new ArrayList<>();
    for (IisAudit.Check c : result.checks()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("application", c.application());
      m.put("setting", c.setting());
      m.put("expected", c.expected());
      m.put("actual", c.actual());
      m.put("setAt", c.setAt());
      m.put("ok", c.ok());
      m.put("changedByApply", c.changeable());
      m.put(
          "severity",
          c.ok()
              ? null
              : c.severity() == null ? "conflict" : c.severity().name().toLowerCase(Locale.ROOT));
      m.put("message", c.ok() ? null : c.message());
      checks.add(m);
    }
    root.put("checks", checks);
    List<Object> notes = new ArrayList<>();
    for (Finding f : result.notes()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("severity", f.severity().name().toLowerCase(Locale.ROOT));
      m.put("subject", f.subject());
      m.put("message", f.message());
      notes.add(m);
    }
    root.put("notes", notes);
    root.put("nextStep", nextStep());
    return root;
  }
}
