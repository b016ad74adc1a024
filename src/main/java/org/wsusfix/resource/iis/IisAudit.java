package org.wsusfix.resource.iis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.wsusfix.policy.IisSite;
import org.wsusfix.resource.Finding;
import org.wsusfix.resource.FormatException;

/**
 * The policy's {@code iis} section held against one IIS configuration, setting by setting, with the
 * place that sets each value. Plan turns the failed checks into changes and findings; diagnose
 * prints them for a configuration file given alone. Nothing here reads a target or writes anything.
 */
public final class IisAudit {
  private IisAudit() {}

  /**
   * One setting of one application (or of the application pool) held against the policy.
   *
   * @param application the URL path ({@code /ClientWebService}), or {@code pool NAME}
   * @param setting {@code anonymousAuthentication.enabled}, {@code sslFlags}, {@code
   *     identity.impersonate} ...
   * @param expected what the policy wants, as shown to people
   * @param actual the effective value
   * @param setAt {@code FILE:LINE:COLUMN} of the element that sets the value, or null for IIS's
   *     default
   * @param changeable apply writes it (authentication); report items are only shown
   * @param severity what a failed report item means; null for authentication settings
   * @param message for a failed check, what is wrong, where, and where the policy asks for it
   */
  public record Check(
      String application,
      String setting,
      String expected,
      String actual,
      String setAt,
      boolean ok,
      boolean changeable,
      Finding.Severity severity,
      String message) {}

  /**
   * @param site the site's name as the configuration writes it; null when it has no such site
   * @param checks every check made, passed ones too, in policy order
   * @param notes what is worth knowing besides the checks (a missing application, a web.config
   *     override)
   */
  public record Result(
      String file, int iisVersion, String site, List<Check> checks, List<Finding> notes) {
    public Result {
      checks = List.copyOf(checks);
      notes = List.copyOf(notes);
    }

    public List<Check> failed() {
      return checks.stream().filter(c -> !c.ok()).toList();
    }

    /** Failed report items as plan findings, then the notes. */
    public List<Finding> findings(String siteForSubjects) {
      List<Finding> out = new ArrayList<>();
      for (Check c : failed()) {
        if (!c.changeable()) {
          String subject =
              c.application().startsWith("/") ? siteForSubjects + c.application() : c.application();
          out.add(new Finding(c.severity(), subject, c.message()));
        }
      }
      out.addAll(notes);
      return out;
    }
  }

  /** A web.config as a target or a folder holds it: its name for messages and its bytes. */
  public record WebConfig(String file, byte[] bytes) {}

  /**
   * Finds the web.config of a folder as applicationHost.config names it (physicalPath, may hold
   * %variables%).
   */
  @FunctionalInterface
  public interface WebConfigs {
    Optional<WebConfig> read(String physicalPath);
  }

  /** When no web.config can be read (a configuration file alone). */
  public static final WebConfigs NO_WEB_CONFIGS = p -> Optional.empty();

  /** A value and where the configuration sets it. */
  public record Fact(String value, String setAt) {}

  /**
   * The managedRuntimeVersion an application pool runs, where the pool or applicationPoolDefaults
   * sets it.
   *
   * @throws FormatException when the file is not an applicationHost.config
   */
  public static Optional<Fact> poolRuntime(String file, byte[] bytes, String pool) {
    AppHostConfig config = AppHostConfig.parse(file, bytes);
    return config
        .pool(pool)
        .flatMap(AppHostConfig.Pool::runtimeVersion)
        .map(v -> new Fact(v.value(), config.at(v.setBy().start())));
  }

  // --- applicationHost.config ---

  /**
   * @throws FormatException {@code FILE:LINE:COLUMN: what is wrong} when it is not an
   *     applicationHost.config
   */
  public static Result applicationHost(
      IisSite iis, String file, byte[] bytes, WebConfigs webConfigs) {
    AppHostConfig config = AppHostConfig.parse(file, bytes);
    Optional<List<String>> apps = config.applications(iis.site());
    if (apps.isEmpty()) {
      // as a missing folder skips its rule: the policy describes a site this server does not have
      return new Result(
          file,
          7,
          null,
          List.of(),
          List.of(
              new Finding(
                  Finding.Severity.WARNING,
                  "IIS " + iis.site(),
                  "no site '"
                      + iis.site()
                      + "' in "
                      + file
                      + " ("
                      + iis.at()
                      + "); the iis section was skipped")));
    }
    String site = config.siteName(iis.site()).orElse(iis.site());
    List<Check> checks = new ArrayList<>();
    List<Finding> notes = new ArrayList<>();
    for (IisSite.Application app : iis.applications()) {
      if (apps.get().stream().noneMatch(a -> a.equalsIgnoreCase(app.path()))) {
        notes.add(
            new Finding(
                Finding.Severity.WARNING,
                site + app.path(),
                "no such application or virtual"
                    + " directory in "
                    + file
                    + "; its settings were skipped ("
                    + app.at()
                    + ")"));
        continue;
      }
      for (Map.Entry<String, String> want : app.settings().entrySet()) {
        AppHostConfig.Setting s =
            AppHostConfig.Setting.named(want.getKey())
                .orElseThrow(
                    () -> new IllegalArgumentException("unknown IIS setting " + want.getKey()));
        AppHostConfig.Value now = config.effective(IisAuthentication.sitePath(site, app.path()), s);
        boolean ok =
            now.value().equalsIgnoreCase(want.getValue())
                && (s != AppHostConfig.Setting.ANONYMOUS_USER
                    || now.value().equals(want.getValue()));
        String at = now.isDefault() ? null : config.at(now.setBy().start());
        String message =
            app.path()
                + ": "
                + s.key
                + " must be "
                + shown(want.getValue())
                + ", is "
                + shown(now.value())
                + (at == null
                    ? " (IIS default: nothing sets it)"
                    : " (set at "
                        + at
                        + (now.locationPath().isEmpty() ? ", server-wide" : "")
                        + ")")
                + " ("
                + app.at()
                + ")";
        checks.add(
            new Check(
                app.path(), s.key, want.getValue(), now.value(), at, ok, true, null, message));
      }
    }
    for (IisSite.Application app : iis.applications()) {
      webConfig(config, site, app.path(), webConfigs)
          .ifPresent(w -> webConfigOverride(notes, site, app.path(), w));
    }
    if (iis.report() != null) {
      report(config, file, site, iis.report(), webConfigs, checks, notes);
    }
    return new Result(file, 7, site, checks, notes);
  }

  private static Optional<WebConfig> webConfig(
      AppHostConfig config, String site, String app, WebConfigs webConfigs) {
    return config.physicalPath(site, app).flatMap(webConfigs::read);
  }

  /**
   * A web.config in the application's folder can set authentication too (when the section is
   * unlocked) and then wins over applicationHost.config: say so, since apply does not edit it.
   */
  private static void webConfigOverride(List<Finding> notes, String site, String app, WebConfig w) {
    String content = new String(w.bytes(), StandardCharsets.UTF_8);
    for (String element : List.of("anonymousAuthentication", "windowsAuthentication")) {
      if (content.contains("<" + element)) {
        notes.add(
            new Finding(
                Finding.Severity.WARNING,
                site + app,
                w.file()
                    + " sets "
                    + element
                    + " too; where the section is unlocked it overrides applicationHost.config (wsusfix does not edit it)"));
      }
    }
  }

  private static void report(
      AppHostConfig config,
      String file,
      String site,
      IisSite.Report r,
      WebConfigs webConfigs,
      List<Check> checks,
      List<Finding> notes) {
    for (String app : r.sslNotRequired()) {
      AppHostConfig.Value flags =
          config.effective(
              IisAuthentication.sitePath(site, app),
              new String[] {"security", "access"},
              "sslFlags",
              "None");
      boolean requires =
          flags.value().toLowerCase(Locale.ROOT).contains("ssl")
              && !flags.value().equalsIgnoreCase("None");
      String at = flags.isDefault() ? null : config.at(flags.setBy().start());
      checks.add(
          new Check(
              app,
              "sslFlags",
              "no Ssl",
              flags.value(),
              at,
              !requires,
              false,
              Finding.Severity.CONFLICT,
              "requires SSL (sslFlags=\""
                  + flags.value()
                  + "\", set at "
                  + (at == null ? file : at)
                  + "); clients fetch"
                  + " it over HTTP, so downloads fail: clear Require SSL there (reported only, not changed)"));
    }
    for (String app : r.noAspNetImpersonation()) {
      checks.add(impersonation(config, site, app, r, webConfigs));
    }
    IisSite.Pool want = r.pool();
    if (want == null) {
      return;
    }
    Optional<AppHostConfig.Pool> pool = config.pool(want.name());
    if (pool.isEmpty()) {
      notes.add(
          new Finding(
              Finding.Severity.WARNING,
              "pool " + want.name(),
              "no application pool '" + want.name() + "' in " + file));
      return;
    }
    AppHostConfig.Pool p = pool.get();
    String at = config.at(p.offset());
    String where = " (" + at + "; reported only, not changed)";
    String subject = "pool " + p.name();
    if (want.identityType() != null) {
      checks.add(
          new Check(
              subject,
              "identityType",
              want.identityType(),
              p.identityType(),
              at,
              want.identityType().equalsIgnoreCase(p.identityType()),
              false,
              Finding.Severity.WARNING,
              "runs as " + p.identityType() + ", expected " + want.identityType() + where));
    }
    if (want.minQueueLength() != null) {
      checks.add(
          new Check(
              subject,
              "queueLength",
              "at least " + want.minQueueLength(),
              p.queueLength(),
              at,
              parse(p.queueLength()) >= want.minQueueLength(),
              false,
              Finding.Severity.WARNING,
              "queueLength "
                  + p.queueLength()
                  + " is below "
                  + want.minQueueLength()
                  + ": clients get 503 when it fills"
                  + where));
    }
    if (want.privateMemory() != null) {
      checks.add(
          new Check(
              subject,
              "privateMemory",
              Long.toString(want.privateMemory()),
              p.privateMemory(),
              at,
              parse(p.privateMemory()) == want.privateMemory(),
              false,
              Finding.Severity.WARNING,
              "privateMemory limit "
                  + p.privateMemory()
                  + " KB, expected "
                  + want.privateMemory()
                  + (want.privateMemory() == 0 ? " (none)" : " KB")
                  + ": the pool recycles under load"
                  + where));
    }
  }

  /**
   * ASP.NET impersonation ({@code <system.web><identity impersonate="true"/>}) of one application:
   * a web.config in its folder wins over applicationHost.config's location blocks. In the
   * integrated pipeline with validateIntegratedModeConfiguration on, IIS refuses it with 500.24;
   * elsewhere the services run as the caller instead of the pool identity.
   */
  private static Check impersonation(
      AppHostConfig config, String site, String app, IisSite.Report r, WebConfigs webConfigs) {
    String sitePath = IisAuthentication.sitePath(site, app);
    AppHostConfig.Value impersonate =
        config.effective("system.web", sitePath, new String[] {"identity"}, "impersonate", "false");
    String impersonateAt = impersonate.isDefault() ? null : config.at(impersonate.setBy().start());
    AppHostConfig.Value validate =
        config.effective(
            sitePath, new String[] {"validation"}, "validateIntegratedModeConfiguration", "true");
    String validateAt = validate.isDefault() ? null : config.at(validate.setBy().start());
    String validateValue = validate.value();
    Optional<WebConfig> web = webConfig(config, site, app, webConfigs);
    if (web.isPresent()) {
      Optional<Located> v = webConfigValue(web.get(), "system.web", "identity", "impersonate");
      if (v.isPresent()) {
        impersonateAt = v.get().at();
        impersonate = new AppHostConfig.Value(v.get().value(), null, null);
      }
      Optional<Located> val =
          webConfigValue(
              web.get(), "system.webServer", "validation", "validateIntegratedModeConfiguration");
      if (val.isPresent()) {
        validateAt = val.get().at();
        validateValue = val.get().value();
      }
    }
    String pool = config.poolServing(site, app);
    String pipeline = config.pool(pool).map(AppHostConfig.Pool::pipelineMode).orElse("Integrated");
    boolean on = impersonate.value().trim().equalsIgnoreCase("true");
    boolean integrated = !pipeline.trim().equalsIgnoreCase("Classic");
    boolean validated = !validateValue.trim().equalsIgnoreCase("false");
    String what =
        "ASP.NET impersonation is on (<identity impersonate=\""
            + impersonate.value()
            + "\"> at "
            + impersonateAt
            + ")";
    String message;
    Finding.Severity severity;
    if (integrated && validated) {
      severity = Finding.Severity.CONFLICT;
      message =
          what
              + " and pool "
              + pool
              + " runs the integrated pipeline with validateIntegratedModeConfiguration"
              + " on"
              + (validateAt == null ? "" : " (" + validateAt + ")")
              + ": IIS answers every request with HTTP"
              + " 500.24; remove that identity element or set impersonate=\"false\" (reported only, not changed) ("
              + r.at()
              + ")";
    } else {
      severity = Finding.Severity.WARNING;
      message =
          what
              + "; IIS lets it pass here ("
              + (integrated
                  ? "validateIntegratedModeConfiguration=\"" + validateValue + "\" at " + validateAt
                  : "pool " + pool + " runs the classic pipeline")
              + "), but the"
              + " web service then runs as the caller (IUSR for anonymous requests) instead of the pool identity:"
              + " turn it off (reported only, not changed) ("
              + r.at()
              + ")";
    }
    return new Check(
        app,
        "identity.impersonate",
        "false",
        impersonate.value(),
        impersonateAt,
        !on,
        false,
        severity,
        message);
  }

  private record Located(String value, String at) {}

  /**
   * An attribute of {@code configuration/SECTION/ELEMENT} in a web.config, also inside a {@code
   * <location>} for the folder itself ({@code path="."} or none).
   */
  private static Optional<Located> webConfigValue(
      WebConfig w, String section, String element, String attribute) {
    String text = new String(w.bytes(), StandardCharsets.UTF_8).replace("\uFEFF", "");
    XmlTree.Element root;
    try {
      root = XmlTree.parse(text);
    } catch (XmlTree.Malformed e) {
      return Optional.empty(); // IIS refuses such a file with its own error; nothing to report here
    }
    Located found = null;
    List<XmlTree.Element> sections = new ArrayList<>(root.children(section));
    for (XmlTree.Element loc : root.children("location")) {
      if (AppHostConfig.normalize(loc.value("path").orElse("")).isEmpty()) {
        sections.addAll(loc.children(section));
      }
    }
    for (XmlTree.Element s : sections) {
      for (XmlTree.Element e : s.children(element)) {
        Optional<XmlTree.Attr> a = e.attr(attribute);
        if (a.isPresent()) {
          found = new Located(a.get().value(), XmlTree.position(w.file(), text, e.start()));
        }
      }
    }
    return Optional.ofNullable(found);
  }

  private static long parse(String number) {
    try {
      return Long.parseLong(number.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static String shown(String value) {
    return value.isEmpty() ? "'' (the application pool identity)" : value;
  }

  // --- IIS 6 ---

  /**
   * The same section against MetaBase.xml (IIS 6): AuthFlags per key, inherited from the key above.
   * Never written, so every failed check is a conflict to settle in IIS Manager.
   *
   * @throws FormatException when the file is not well-formed XML
   */
  public static Result metabase(IisSite iis, String file, byte[] bytes) {
    return MetabaseReport.audit(file, bytes, iis);
  }
}
