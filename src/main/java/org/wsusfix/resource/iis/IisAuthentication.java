package org.wsusfix.resource.iis;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.wsusfix.machine.AuditLog;
import org.wsusfix.machine.Capability;
import org.wsusfix.machine.ConfigFileWriter;
import org.wsusfix.machine.ConfigFiles;
import org.wsusfix.machine.Target;
import org.wsusfix.machine.TargetException;
import org.wsusfix.machine.WindowsPaths;
import org.wsusfix.policy.IisSite;
import org.wsusfix.policy.Policy;
import org.wsusfix.policy.Variables;
import org.wsusfix.resource.Applier;
import org.wsusfix.resource.ApplyContext;
import org.wsusfix.resource.ChangeText;
import org.wsusfix.resource.DriftException;
import org.wsusfix.resource.Fields;
import org.wsusfix.resource.Finding;
import org.wsusfix.resource.FormatException;
import org.wsusfix.resource.PlanContext;
import org.wsusfix.resource.PlanException;
import org.wsusfix.resource.ResourceKind;
import org.wsusfix.resource.RestoreContext;
import org.wsusfix.resource.Restorer;

/**
 * The WSUS site's IIS authentication: the policy's {@code iis} section, planned against
 * applicationHost.config and written as the smallest edit of that file ({@link ConfigEdit}).
 */
public final class IisAuthentication implements ResourceKind<IisChange, IisUndo> {
  /** Where IIS 7 and later keep the server's configuration. */
  public static final String APPLICATION_HOST =
      "%windir%\\System32\\inetsrv\\config\\applicationHost.config";

  @Override
  public String name() {
    return "iis";
  }

  @Override
  public String noun() {
    return "IIS configuration";
  }

  @Override
  public Class<IisChange> changeType() {
    return IisChange.class;
  }

  @Override
  public Class<IisUndo> payloadType() {
    return IisUndo.class;
  }

  @Override
  public Capability capability(Target target) {
    return target.configFiles().isEmpty()
        ? Capability.NONE
        : target.configFileWriter().isPresent() ? Capability.READ_WRITE : Capability.READ;
  }

  // --- plan ---

  @Override
  public void plan(Policy policy, PlanContext context) {
    IisSite iis = policy.iis();
    if (iis == null) {
      return;
    }
    context.asked();
    Target target = context.target();
    Optional<ConfigFiles> files = target.configFiles();
    if (files.isEmpty()) {
      context.add(
          new Finding(
              Finding.Severity.UNVERIFIED,
              "IIS " + iis.site(),
              "the IIS configuration cannot be read on "
                  + target.describe()
                  + "; authentication settings not verified"));
      return;
    }
    String file = file(target, iis);
    Optional<byte[]> bytes = files.get().readFile(file);
    if (bytes.isEmpty()) {
      String metabase =
          WindowsPaths.normalize(Variables.expand(MetabaseReport.METABASE, target.variables()));
      Optional<byte[]> iis6 = files.get().readFile(metabase);
      if (iis6.isPresent()) {
        MetabaseReport.report(context, metabase, iis6.get(), iis);
        return;
      }
      context.add(
          new Finding(
              Finding.Severity.WARNING,
              file,
              "not found on "
                  + target.describe()
                  + " (IIS 7 or later not installed?); the iis section was skipped"));
      return;
    }
    IisAudit.Result audit;
    try {
      audit = IisAudit.applicationHost(iis, file, bytes.get(), webConfigs(context, files.get()));
    } catch (FormatException e) {
      throw new PlanException(e.getMessage());
    }
    if (audit.site() == null) {
      audit.notes().forEach(context::add);
      return;
    }
    context.checked();
    List<IisChange.Setting> settings = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    for (IisAudit.Check c : audit.failed()) {
      if (c.changeable()) {
        settings.add(new IisChange.Setting(c.application(), c.setting(), c.actual(), c.expected()));
        reasons.add(c.message());
      }
    }
    if (!settings.isEmpty()) {
      context.add(new IisChange(file, sha256(bytes.get()), audit.site(), settings, reasons));
    }
    audit.findings(audit.site()).forEach(context::add);
  }

  /**
   * The web.config of an application's folder on the target, where the target can name and read it.
   */
  private static IisAudit.WebConfigs webConfigs(PlanContext context, ConfigFiles files) {
    return folder -> {
      String webConfig;
      try {
        webConfig =
            WindowsPaths.join(
                WindowsPaths.normalize(Variables.expand(folder, context.target().variables())),
                "web.config");
      } catch (IllegalArgumentException e) {
        return Optional
            .empty(); // a folder outside what the target can name (another drive, a UNC path)
      }
      try {
        return files.readFile(webConfig).map(b -> new IisAudit.WebConfig(webConfig, b));
      } catch (TargetException e) {
        return Optional.empty();
      }
    };
  }

  private static String file(Target target, IisSite iis) {
    try {
      return WindowsPaths.normalize(Variables.expand(APPLICATION_HOST, target.variables()));
    } catch (IllegalArgumentException e) {
      throw new PlanException(iis.at() + ": " + e.getMessage());
    }
  }

  static String sitePath(String site, String application) {
    return application.equals("/") ? site : site + application;
  }

  private static String shown(String value) {
    return IisAudit.shown(value);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // --- plan file and text ---

  @Override
  public List<String> changeKinds() {
    return List.of("iis-config");
  }

  @Override
  public void writeChange(IisChange c, ObjectNode out) {
    out.put("file", c.file());
    out.put("beforeSha256", c.beforeSha256());
    out.put("site", c.site());
    ArrayNode settings = out.putArray("settings");
    for (IisChange.Setting s : c.settings()) {
      ObjectNode n = settings.addObject();
      n.put("application", s.application());
      n.put("setting", s.name());
      n.put("before", s.before());
      n.put("after", s.after());
    }
  }

  @Override
  public IisChange readChange(String kind, Fields in, List<String> reasons) {
    List<IisChange.Setting> settings = new ArrayList<>();
    for (Fields s : in.objects("settings", true)) {
      String name = s.text("setting");
      if (AppHostConfig.Setting.named(name).isEmpty()) {
        throw s.problem("setting", "is '" + name + "', which this wsusfix does not manage");
      }
      settings.add(
          new IisChange.Setting(s.text("application"), name, s.text("before"), s.text("after")));
    }
    return new IisChange(
        in.text("file"), in.text("beforeSha256"), in.text("site"), settings, reasons);
  }

  @Override
  public void render(IisChange c, ChangeText text) {
    text.mark(ChangeText.Mark.CHANGED)
        .append(c.file())
        .append("  (IIS site ")
        .append(c.site())
        .append(")\n");
    for (IisChange.Setting s : c.settings()) {
      text.append("    ")
          .append(s.application())
          .append(" ")
          .append(s.name())
          .append(": ")
          .append(text.paint(shown(s.before()), ChangeText.Colour.RED))
          .append(" -> ")
          .append(text.paint(shown(s.after()), ChangeText.Colour.GREEN))
          .append("\n");
    }
    for (String r : c.reasons()) {
      text.append("    why: ").append(r).append("\n");
    }
    text.append(
        "    only these attributes are written; the rest of the file stays byte for byte\n\n");
  }

  // --- journal ---

  @Override
  public void writePayload(IisUndo u, ObjectNode out) {
    out.put("file", u.file());
    out.put("beforeSha256", u.beforeSha256());
    out.put("afterSha256", u.afterSha256());
    out.put("before", u.beforeBase64());
  }

  @Override
  public IisUndo readPayload(Fields in) {
    String before = in.text("before");
    String sha = in.text("beforeSha256");
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(before);
    } catch (IllegalArgumentException e) {
      throw in.problem("before", "is not base64");
    }
    if (!sha256(bytes).equals(sha)) {
      throw in.problem("before", "does not match beforeSha256");
    }
    return new IisUndo(in.text("file"), before, sha, in.text("afterSha256"));
  }

  @Override
  public IisUndo readFormat1(String kind, Fields in) {
    throw in.problem("kind", "IIS configuration was not journaled in format 1");
  }

  // --- apply and rollback ---

  @Override
  public List<String> writeProblems(Target target, List<IisChange> changes) {
    return List.of();
  }

  @Override
  public List<String> restoreProblems(Target target, List<IisUndo> payloads) {
    return List.of();
  }

  @Override
  public Applier<IisChange> applier(ApplyContext context, List<IisChange> planned) {
    Target target = context.target();
    ConfigFiles files =
        target.configFiles().orElseThrow(() -> new TargetException(target.readOnlyReason()));
    ConfigFileWriter writer =
        target.configFileWriter().orElseThrow(() -> new TargetException(target.readOnlyReason()));
    return c -> {
      byte[] live =
          files
              .readFile(c.file())
              .orElseThrow(() -> new TargetException(c.file() + ": no longer exists"));
      if (!sha256(live).equals(c.beforeSha256())) {
        throw new DriftException(
            c.file() + ": changed since the plan was made (drift); nothing more was changed");
      }
      AppHostConfig before = AppHostConfig.parse(c.file(), live);
      List<ConfigEdit.Wanted> wanted = new ArrayList<>();
      for (IisChange.Setting s : c.settings()) {
        wanted.add(
            new ConfigEdit.Wanted(
                sitePath(c.site(), s.application()),
                AppHostConfig.Setting.named(s.name()).orElseThrow(),
                s.after()));
      }
      byte[] after = ConfigEdit.apply(before, wanted, c.site()).bytes();
      String afterSha = sha256(after);
      int seq =
          context.intent(
              this,
              new IisUndo(
                  c.file(), Base64.getEncoder().encodeToString(live), c.beforeSha256(), afterSha));
      writer.replaceFile(c.file(), after);
      byte[] back = files.readFile(c.file()).orElse(new byte[0]);
      if (!sha256(back).equals(afterSha)) {
        throw new TargetException(
            c.file() + ": the file read back after writing differs from what was written");
      }
      context.done(seq);
      List<String> what =
          c.settings().stream()
              .map(s -> s.application() + " " + s.name() + " " + s.before() + " -> " + s.after())
              .toList();
      context
          .audit()
          .record(
              AuditLog.Kind.APPLIED,
              "wsusfix changed "
                  + c.file()
                  + ": "
                  + String.join("; ", what)
                  + "\nUndo journal: "
                  + context.journalFile());
    };
  }

  @Override
  public Restorer<IisUndo> restorer(RestoreContext context) {
    Target target = context.target();
    return (u, force) -> {
      ConfigFiles files =
          target.configFiles().orElseThrow(() -> new TargetException(target.readOnlyReason()));
      Optional<byte[]> live = files.readFile(u.file());
      String now = live.map(IisAuthentication::sha256).orElse("");
      context.handled(1);
      if (now.equals(u.beforeSha256())) {
        context.skipped();
        return;
      }
      if (!now.equals(u.afterSha256()) && !force) {
        context.refused(
            u.file()
                + ": changed by someone else since (neither the file wsusfix wrote nor the one it"
                + " replaced); left alone (--force restores it anyway)");
        return;
      }
      if (context.dryRun()) {
        context.restored();
        context.out().println("  would restore " + u.file());
        return;
      }
      byte[] before = Base64.getDecoder().decode(u.beforeBase64());
      target
          .configFileWriter()
          .orElseThrow(() -> new TargetException(target.readOnlyReason()))
          .replaceFile(u.file(), before);
      if (!files
          .readFile(u.file())
          .map(IisAuthentication::sha256)
          .orElse("")
          .equals(u.beforeSha256())) {
        throw new TargetException(
            u.file() + ": read back after restoring differs from the recorded before-file");
      }
      context.restored();
      context
          .audit()
          .record(
              AuditLog.Kind.ROLLED_BACK,
              "wsusfix restored " + u.file() + " (sha256 " + u.beforeSha256() + ")");
    };
  }

  @Override
  public long restoreUnits(IisUndo payload) {
    return 1;
  }
}
