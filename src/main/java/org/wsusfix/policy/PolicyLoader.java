package org.wsusfix.policy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.wsusfix.files.BoundedFiles;
import org.wsusfix.files.RefusedFileException;
import org.wsusfix.policy.YamlTree.Entry;
import org.wsusfix.policy.YamlTree.Node;
import org.wsusfix.policy.YamlTree.Type;
import org.wsusfix.security.InheritFlags;
import org.wsusfix.security.Rights;
import org.wsusfix.security.Sid;

/**
 * Reads policy YAML into {@link Policy} records, checking everything that can be checked without a
 * target. Every failure is a {@link PolicyException} whose message is one line, {@code
 * FILE:LINE:COLUMN: what is wrong; hint}.
 *
 * <p>A policy can be named three ways ({@link #open}): a file path; {@code builtin:NAME} for a
 * policy shipped inside wsusfix; or a bare {@code NAME} of a shipped policy when no file of that
 * name exists.
 */
public final class PolicyLoader {
  private PolicyLoader() {}

  /** The policies shipped in the jar (and in the project's {@code policies/} folder). */
  public static final List<String> BUILTIN = List.of("wsus-iis6", "wsus-iis7", "wsus-2012");

  public static final String BUILTIN_PREFIX = "builtin:";
  private static final String RESOURCE_DIR = "/wsusfix/policies/";
  private static final Pattern POLICY_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  /** One kind of mapping in the format: the keys it must have and the keys it may have. */
  record Section(String name, Set<String> required, Set<String> optional) {
    Set<String> all() {
      Set<String> all = new LinkedHashSet<>(required);
      all.addAll(optional);
      return all;
    }
  }

  /**
   * Every mapping the format has, by the name it carries in {@code policy.schema.json}'s {@code
   * $defs} ("policy" is the document itself). A test holds the schema to this table.
   */
  static final Map<String, Section> SECTIONS = new LinkedHashMap<>();

  static {
    section(
        "policy",
        List.of("apiVersion", "kind", "metadata"),
        List.of("rules", "memberships", "expect", "iis", "registry", "userRights"));
    section("metadata", List.of("name"), List.of("description"));
    section("rule", List.of("path", "grants"), List.of("forbidDeny", "propagate"));
    section("grant", List.of("trustee", "rights", "inheritance"), List.of());
    section("forbidDeny", List.of("trustees"), List.of("remove"));
    section("membership", List.of("group", "members"), List.of("mode"));
    section("expectation", List.of("identity", "path", "access"), List.of("logon"));
    section("iis", List.of("site", "applications"), List.of("report"));
    section(
        "iisReport",
        List.of(),
        List.of("sslNotRequired", "noAspNetImpersonation", "applicationPool"));
    section(
        "applicationPool",
        List.of("name"),
        List.of("identityType", "minQueueLength", "privateMemory"));
    section(
        "iisApplication",
        List.of("path"),
        List.of("anonymousAuthentication", "windowsAuthentication"));
    section("anonymousAuthentication", List.of(), List.of("enabled", "userName"));
    section("windowsAuthentication", List.of(), List.of("enabled"));
    section("registryKey", List.of("key", "grants"), List.of("forbidDeny", "expect"));
    section("keyGrant", List.of("trustee", "rights", "inheritance"), List.of());
    section("keyExpectation", List.of("identity", "access"), List.of("logon"));
    section("userRight", List.of("right"), List.of("members", "mode", "forbid"));
  }

  /** Keys that hold a list or mapping: written with nothing after the colon, they are empty. */
  private static final Set<String> SECTION_KEYS =
      Set.of(
          "rules",
          "memberships",
          "expect",
          "forbidDeny",
          "iis",
          "report",
          "sslNotRequired",
          "noAspNetImpersonation",
          "applicationPool",
          "anonymousAuthentication",
          "windowsAuthentication");

  /** Keys in the order a policy writes them, which is the order hints list them in. */
  private static void section(String name, List<String> required, List<String> optional) {
    SECTIONS.put(
        name, new Section(name, new LinkedHashSet<>(required), new LinkedHashSet<>(optional)));
  }

  // ---------------------------------------------------------------- entry points

  /** Loads a policy file; the file name in messages is the path as given. */
  public static Policy load(Path file) {
    String shown = file.toString();
    byte[] bytes;
    try {
      bytes = BoundedFiles.readAll(file, BoundedFiles.POLICY_LIMIT, "policy file");
    } catch (RefusedFileException e) {
      throw new PolicyException(new SourceLocation(shown, 0, 0), e.reason(), null, e);
    } catch (NoSuchFileException e) {
      throw new PolicyException(new SourceLocation(shown, 0, 0), "no such file", null, e);
    } catch (IOException e) {
      throw new PolicyException(
          new SourceLocation(shown, 0, 0), "cannot read: " + e.getMessage(), null, e);
    }
    return parse(shown, bytes);
  }

  /**
   * Loads a policy shipped with wsusfix, e.g. {@code wsus-iis6}; shown as {@code
   * builtin:wsus-iis6}.
   */
  public static Policy loadBuiltin(String name) {
    String shown = BUILTIN_PREFIX + name;
    byte[] bytes = builtinBytes(name);
    if (bytes == null) {
      throw new PolicyException(
          new SourceLocation(shown, 0, 0),
          "no shipped policy of that name",
          "shipped policies: " + String.join(", ", BUILTIN));
    }
    return parse(shown, bytes);
  }

  /** The YAML text of a shipped policy, or null when there is none of that name. */
  public static byte[] builtinBytes(String name) {
    if (!POLICY_NAME.matcher(name).matches()) {
      return null;
    }
    return resource(RESOURCE_DIR + name + ".yaml");
  }

  /** The JSON Schema of the format ({@code policies/policy.schema.json}). */
  public static String schema() {
    byte[] bytes = resource(RESOURCE_DIR + "policy.schema.json");
    if (bytes == null) {
      throw new IllegalStateException("policy.schema.json is missing from the build");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static byte[] resource(String path) {
    try (InputStream in = PolicyLoader.class.getResourceAsStream(path)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + path, e);
    }
  }

  /**
   * Loads what a {@code -p} option names: {@code builtin:NAME}, a file, or — when no such file
   * exists and it is not a path — the shipped policy of that name.
   */
  public static Policy open(String spec) {
    if (spec.startsWith(BUILTIN_PREFIX)) {
      return loadBuiltin(spec.substring(BUILTIN_PREFIX.length()));
    }
    Path file = Path.of(spec);
    if (!Files.exists(file) && POLICY_NAME.matcher(spec).matches()) {
      if (builtinBytes(spec) != null) {
        return loadBuiltin(spec);
      }
      throw new PolicyException(
          new SourceLocation(spec, 0, 0),
          "no such file or shipped policy",
          "shipped policies: " + String.join(", ", BUILTIN));
    }
    return load(file);
  }

  /** Parses policy bytes; {@code source} names them in messages and in {@link Policy#source()}. */
  public static Policy parse(String source, byte[] bytes) {
    if (bytes.length > BoundedFiles.POLICY_LIMIT) {
      throw new PolicyException(
          new SourceLocation(source, 0, 0),
          "is "
              + bytes.length
              + " bytes, more than the policy file limit of "
              + (BoundedFiles.POLICY_LIMIT >> 20)
              + " MiB",
          null);
    }
    String text = decode(source, bytes);
    checkLineLengths(source, text);
    Node root = YamlTree.parse(source, text);
    if (root == null) {
      throw new PolicyException(
          new SourceLocation(source, 1, 1),
          "empty policy file",
          "a policy starts with apiVersion: " + Policy.API_VERSION + " and kind: " + Policy.KIND);
    }
    return new Reader(source).policy(root, sha256(bytes));
  }

  // ---------------------------------------------------------------- text

  /**
   * UTF-8 (with or without BOM) or UTF-16 with BOM, as Notepad saves "Unicode"; invalid bytes are
   * reported where they are rather than turned into replacement characters.
   */
  private static String decode(String source, byte[] b) {
    if (b.length >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE) {
      return new String(b, 2, b.length - 2, StandardCharsets.UTF_16LE);
    }
    if (b.length >= 2 && (b[0] & 0xFF) == 0xFE && (b[1] & 0xFF) == 0xFF) {
      return new String(b, 2, b.length - 2, StandardCharsets.UTF_16BE);
    }
    int start =
        b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF
            ? 3
            : 0;
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(b, start, b.length - start);
    CharBuffer out = CharBuffer.allocate(b.length);
    CoderResult r = decoder.decode(in, out, true);
    if (r.isError()) {
      out.flip();
      String before = out.toString();
      int line = 1 + (int) before.chars().filter(c -> c == '\n').count();
      int column = before.length() - before.lastIndexOf('\n');
      throw new PolicyException(
          new SourceLocation(source, line, column),
          String.format("byte 0x%02x is not valid UTF-8", b[in.position()] & 0xFF),
          "save the file as UTF-8");
    }
    decoder.flush(out);
    out.flip();
    return out.toString();
  }

  /**
   * The longest line a policy may have, in characters: room for the longest Windows path (32,767)
   * quoted and escaped. The YAML reader takes time that grows faster than the length of a token, so
   * a longer line is refused before it is parsed.
   */
  static final int MAX_LINE = 65_536;

  /** Refuses a line longer than {@link #MAX_LINE}, counting lines as YAML does. */
  private static void checkLineLengths(String source, String text) {
    int line = 1;
    int column = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      // YAML 1.1 line breaks; CR LF is one.
      if (c == '\n'
          || c == '\u0085'
          || c == '\u2028'
          || c == '\u2029'
          || (c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n'))) {
        line++;
        column = 0;
      } else if (c != '\r' && !Character.isLowSurrogate(c) && !yamlPrintable(text, i)) {
        // Found here, since the YAML reader reports these at 1:1.
        throw new PolicyException(
            new SourceLocation(source, line, column + 1),
            String.format("character U+%04X is not allowed in a policy", (int) c),
            "YAML files hold printable text only; remove it");
      } else if (c != '\r' && !Character.isLowSurrogate(c) && ++column > MAX_LINE) {
        throw new PolicyException(
            new SourceLocation(source, line, column),
            "line "
                + line
                + " is longer than "
                + String.format(Locale.ROOT, "%,d", MAX_LINE)
                + " characters",
            "policy lines are short: even a path has at most 32,767 characters");
      }
    }
  }

  /**
   * YAML's printable set: TAB, line ends, text from U+0020 on, without C1 controls or lone
   * surrogates.
   */
  private static boolean yamlPrintable(String text, int i) {
    char c = text.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
    }
    return c == '\t'
        || (c >= 0x20 && c <= 0x7E)
        || c == 0x85
        || (c >= 0xA0 && c <= 0xD7FF)
        || (c >= 0xE000 && c <= 0xFFFD);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- the document

  /** Walks the YAML tree of one file. */
  private static final class Reader {
    private final String source;

    Reader(String source) {
      this.source = source;
    }

    Policy policy(Node root, String digest) {
      if (root.type != Type.MAP) {
        throw new PolicyException(
            root.at,
            "a policy is a YAML mapping (apiVersion, kind, metadata, rules, ...), found "
                + root.describe(),
            null);
      }
      Map<String, Entry> doc = keys(root, "policy", "policy");
      Entry api = doc.get("apiVersion");
      String apiVersion = string(api);
      if (!apiVersion.equals(Policy.API_VERSION)) {
        throw new PolicyException(
            api.value().at,
            "unsupported apiVersion '" + apiVersion + "'",
            "this wsusfix reads apiVersion: " + Policy.API_VERSION);
      }
      Entry kind = doc.get("kind");
      String kindText = string(kind);
      if (!kindText.equals(Policy.KIND)) {
        throw new PolicyException(
            kind.value().at, "kind must be '" + Policy.KIND + "', found '" + kindText + "'", null);
      }
      Map<String, Entry> meta =
          keys(mapping(doc.get("metadata"), "metadata"), "metadata", "metadata");
      Entry nameEntry = meta.get("name");
      String name = string(nameEntry);
      if (!POLICY_NAME.matcher(name).matches()) {
        throw new PolicyException(
            nameEntry.value().at,
            "invalid policy name '" + name + "'",
            "use lower-case letters, digits and '-' (at most 63), e.g. wsus-iis6");
      }
      String description = meta.containsKey("description") ? string(meta.get("description")) : null;

      List<Rule> rules = new ArrayList<>();
      Map<String, Rule> rulesByPath = new LinkedHashMap<>();
      for (Node n : list(doc.get("rules"), false)) {
        Rule rule = rule(n);
        Rule first = rulesByPath.putIfAbsent(PolicySyntax.pathKey(rule.path()), rule);
        if (first != null) {
          String as = first.path().equals(rule.path()) ? "" : " as '" + first.path() + "'";
          throw new PolicyException(
              rule.at(),
              "duplicate rule for path '"
                  + rule.path()
                  + "' (first at line "
                  + first.at().line()
                  + as
                  + ")",
              "merge their grants into one rule");
        }
        rules.add(rule);
      }
      List<Membership> memberships = new ArrayList<>();
      Map<String, Membership> byGroup = new LinkedHashMap<>();
      for (Node n : list(doc.get("memberships"), false)) {
        Membership m = membership(n);
        Membership first = byGroup.putIfAbsent(PolicySyntax.identityKey(m.group()), m);
        if (first != null) {
          throw new PolicyException(
              m.at(),
              "duplicate membership for group '"
                  + m.group()
                  + "' (first at line "
                  + first.at().line()
                  + ")",
              "list all members in one entry");
        }
        memberships.add(m);
      }
      List<Expectation> expect = new ArrayList<>();
      Map<String, Expectation> seen = new LinkedHashMap<>();
      for (Node n : list(doc.get("expect"), false)) {
        Expectation e = expectation(n);
        String key =
            PolicySyntax.identityKey(e.identity())
                + "|"
                + PolicySyntax.pathKey(e.path())
                + "|"
                + e.logon();
        Expectation first = seen.putIfAbsent(key, e);
        if (first != null) {
          throw new PolicyException(
              e.at(),
              "duplicate expectation for '"
                  + e.identity()
                  + "' on '"
                  + e.path()
                  + "' (first at line "
                  + first.at().line()
                  + ")",
              null);
        }
        expect.add(e);
      }
      IisSite iis = doc.containsKey("iis") ? iis(mapping(doc.get("iis"), "iis")) : null;
      List<RegistryRule> registry = registryRules(doc.get("registry"));
      List<UserRight> userRights = userRights(doc.get("userRights"));
      if (rules.isEmpty()
          && memberships.isEmpty()
          && expect.isEmpty()
          && iis == null
          && registry.isEmpty()
          && userRights.isEmpty()) {
        throw new PolicyException(
            root.at,
            "the policy has no rules, memberships, expect, iis, registry or userRights entries",
            "add at least one rule");
      }
      return new Policy(
          name, description, rules, memberships, expect, source, digest, iis, registry, userRights);
    }

    private IisSite iis(Node n) {
      Map<String, Entry> s = keys(n, "iis", "iis");
      String site = string(s.get("site"));
      if (site.isBlank() || site.indexOf('/') >= 0) {
        throw new PolicyException(
            s.get("site").value().at,
            "invalid IIS site name '" + site + "'",
            "give the site's name as IIS Manager shows it, e.g. WSUS Administration");
      }
      List<IisSite.Application> apps = new ArrayList<>();
      Map<String, IisSite.Application> byPath = new LinkedHashMap<>();
      for (Node a : list(s.get("applications"), true)) {
        IisSite.Application app = iisApplication(a);
        IisSite.Application first =
            byPath.putIfAbsent(app.path().toLowerCase(java.util.Locale.ROOT), app);
        if (first != null) {
          throw new PolicyException(
              app.at(),
              "duplicate application '"
                  + app.path()
                  + "' (first at line "
                  + first.at().line()
                  + ")",
              "merge its settings into one entry");
        }
        apps.add(app);
      }
      IisSite.Report report =
          s.containsKey("report") ? iisReport(mapping(s.get("report"), "report")) : null;
      return new IisSite(site, apps, report, n.at);
    }

    private IisSite.Report iisReport(Node n) {
      Map<String, Entry> r = keys(n, "iisReport", "report");
      List<String> ssl = applicationPaths(r.get("sslNotRequired"), "/Content");
      List<String> impersonation =
          applicationPaths(r.get("noAspNetImpersonation"), "/ClientWebService");
      IisSite.Pool pool = null;
      if (r.containsKey("applicationPool")) {
        Node pn = mapping(r.get("applicationPool"), "applicationPool");
        Map<String, Entry> p = keys(pn, "applicationPool", "applicationPool");
        String identity = p.containsKey("identityType") ? string(p.get("identityType")) : null;
        if (identity != null
            && !identity.matches(
                "LocalSystem|LocalService|NetworkService|SpecificUser|ApplicationPoolIdentity")) {
          throw new PolicyException(
              p.get("identityType").value().at,
              "unknown identityType '" + identity + "'",
              "use LocalSystem, LocalService, NetworkService, SpecificUser or ApplicationPoolIdentity");
        }
        pool =
            new IisSite.Pool(
                string(p.get("name")),
                identity,
                count(p.get("minQueueLength")),
                count(p.get("privateMemory")),
                pn.at);
      }
      return new IisSite.Report(ssl, impersonation, pool, n.at);
    }

    /** A list of application URL paths ({@code /Content}); absent is empty. */
    private List<String> applicationPaths(Entry e, String example) {
      List<String> out = new ArrayList<>();
      for (Node item : list(e, false)) {
        if (item.type != Type.STRING
            || !item.text.matches("/[A-Za-z0-9_.\\-]+(/[A-Za-z0-9_.\\-]+)*")) {
          throw new PolicyException(
              item.at,
              "invalid application path " + item.describe(),
              "write the URL path from the site root, e.g. " + example);
        }
        out.add(item.text);
      }
      return out;
    }

    /** A whole number of at least 0, or null when absent. */
    private Long count(Entry e) {
      if (e == null) {
        return null;
      }
      Node v = e.value();
      if (v.type != Type.NUMBER || !v.text.matches("[0-9]{1,12}")) {
        throw wrongType(e.key(), v, "a whole number of at least 0");
      }
      return Long.parseLong(v.text);
    }

    private IisSite.Application iisApplication(Node n) {
      Map<String, Entry> a = keys(mapping(n, "application"), "iisApplication", "application");
      Entry pathEntry = a.get("path");
      String path = string(pathEntry);
      if (!path.equals("/") && !path.matches("/[A-Za-z0-9_.\\-]+(/[A-Za-z0-9_.\\-]+)*")) {
        throw new PolicyException(
            pathEntry.value().at,
            "invalid application path '" + path + "'",
            "write the URL path from the site root, e.g. /ClientWebService (/ for the site itself)");
      }
      Map<String, String> settings = new LinkedHashMap<>();
      if (a.containsKey("anonymousAuthentication")) {
        Map<String, Entry> anon =
            keys(
                mapping(a.get("anonymousAuthentication"), "anonymousAuthentication"),
                "anonymousAuthentication",
                "anonymousAuthentication");
        if (anon.containsKey("enabled")) {
          settings.put(
              "anonymousAuthentication.enabled", Boolean.toString(bool(anon.get("enabled"))));
        }
        if (anon.containsKey("userName")) {
          String user = string(anon.get("userName"));
          if (user.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new PolicyException(
                anon.get("userName").value().at, "control character in userName", null);
          }
          settings.put("anonymousAuthentication.userName", user);
        }
      }
      if (a.containsKey("windowsAuthentication")) {
        Map<String, Entry> win =
            keys(
                mapping(a.get("windowsAuthentication"), "windowsAuthentication"),
                "windowsAuthentication",
                "windowsAuthentication");
        if (win.containsKey("enabled")) {
          settings.put("windowsAuthentication.enabled", Boolean.toString(bool(win.get("enabled"))));
        }
      }
      if (settings.isEmpty()) {
        throw new PolicyException(
            n.at,
            "application '" + path + "' sets nothing",
            "give anonymousAuthentication or windowsAuthentication settings");
      }
      return new IisSite.Application(path, settings, n.at);
    }

    private Rule rule(Node n) {
      Map<String, Entry> r = keys(mapping(n, "rule"), "rule", "rule");
      String path = path(r.get("path"));
      List<Grant> grants = new ArrayList<>();
      Map<String, Grant> seen = new LinkedHashMap<>();
      for (Node g : list(r.get("grants"), true)) {
        Grant grant = grant(g);
        String key = PolicySyntax.identityKey(grant.trustee()) + "|" + grant.inheritance();
        Grant first = seen.putIfAbsent(key, grant);
        if (first != null) {
          String as =
              first.trustee().text().equals(grant.trustee().text())
                  ? ""
                  : " as '" + first.trustee() + "'";
          throw new PolicyException(
              grant.at(),
              "duplicate grant for '"
                  + grant.trustee()
                  + "' with the same inheritance"
                  + " (first at line "
                  + first.at().line()
                  + as
                  + ")",
              "merge the rights into one grant");
        }
        grants.add(grant);
      }
      ForbidDeny forbid = r.containsKey("forbidDeny") ? forbidDeny(r.get("forbidDeny")) : null;
      boolean propagate = r.containsKey("propagate") ? bool(r.get("propagate")) : true;
      return new Rule(path, grants, forbid, propagate, n.at);
    }

    private Grant grant(Node n) {
      Map<String, Entry> g = keys(mapping(n, "grant"), "grant", "grant");
      Trustee trustee = trustee(g.get("trustee"));
      int rights = rights(g.get("rights"));
      int inheritance = inheritance(g.get("inheritance"));
      return new Grant(trustee, Rights.of(rights), InheritFlags.of(inheritance), n.at);
    }

    private ForbidDeny forbidDeny(Entry e) {
      Node n = mapping(e, "forbidDeny");
      Map<String, Entry> f = keys(n, "forbidDeny", "forbidDeny");
      List<Trustee> trustees = trusteeList(f.get("trustees"));
      boolean remove = f.containsKey("remove") && bool(f.get("remove"));
      return new ForbidDeny(trustees, remove, n.at);
    }

    private Membership membership(Node n) {
      Map<String, Entry> m = keys(mapping(n, "membership"), "membership", "membership");
      Entry groupEntry = m.get("group");
      Trustee group = trustee(groupEntry);
      // A well-known SID outside BUILTIN is a user or a computed group (Everyone, NETWORK); an SDDL
      // alias without a fixed SID is a domain group or a local account. None has members to set.
      boolean notLocalGroup =
          PolicySyntax.wellKnownSid(group)
              .map(sid -> !isBuiltinGroup(sid))
              .orElse(group.kind() == Trustee.Kind.ALIAS);
      if (notLocalGroup) {
        throw new PolicyException(
            groupEntry.value().at,
            "'" + group + "' is not a local group whose members can be set",
            "memberships apply to local groups such as BUILTIN\\Users or IIS_IUSRS");
      }
      List<Trustee> members = trusteeList(m.get("members"));
      for (Trustee member : members) {
        if (PolicySyntax.identityKey(member).equals(PolicySyntax.identityKey(group))) {
          throw new PolicyException(
              member.at(), "group '" + group + "' cannot be a member of itself", null);
        }
      }
      Membership.Mode mode = Membership.Mode.ENSURE;
      if (m.containsKey("mode")) {
        Entry modeEntry = m.get("mode");
        String text = string(modeEntry);
        mode =
            switch (text) {
              case "ensure" -> Membership.Mode.ENSURE;
              case "exact" -> Membership.Mode.EXACT;
              default ->
                  throw new PolicyException(
                      modeEntry.value().at,
                      "unknown membership mode '" + text + "'",
                      text.equalsIgnoreCase("ensure") || text.equalsIgnoreCase("exact")
                          ? "write it in lower case: " + text.toLowerCase(Locale.ROOT)
                          : "use ensure (add missing members) or exact (also remove all others)");
            };
      }
      return new Membership(group, members, mode, n.at);
    }

    /**
     * Groups under BUILTIN (S-1-5-32-x) are local groups; other well-known SIDs are users or
     * computed.
     */
    private static boolean isBuiltinGroup(Sid sid) {
      return sid.authority() == 5 && sid.subAuthorityCount() == 2 && sid.subAuthority(0) == 32;
    }

    private Expectation expectation(Node n) {
      Map<String, Entry> x = keys(mapping(n, "expect entry"), "expectation", "expect entry");
      Trustee identity = trustee(x.get("identity"));
      String path = path(x.get("path"));
      int access = rights(x.get("access"));
      Expectation.LogonKind logon = Expectation.LogonKind.NETWORK;
      if (x.containsKey("logon")) {
        Entry e = x.get("logon");
        String text = string(e);
        try {
          logon = Expectation.LogonKind.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException ex) {
          throw new PolicyException(
              e.value().at,
              "unknown logon kind '" + text + "'",
              "use network, interactive, service or batch");
        }
        if (!text.equals(text.toLowerCase(Locale.ROOT))) {
          throw new PolicyException(
              e.value().at,
              "unknown logon kind '" + text + "'",
              "write it in lower case: " + text.toLowerCase(Locale.ROOT));
        }
      }
      return new Expectation(identity, path, Rights.of(access), logon, n.at);
    }

    // ------------------------------------------------------------ registry keys and user rights

    private List<RegistryRule> registryRules(Entry e) {
      List<RegistryRule> out = new ArrayList<>();
      Map<String, RegistryRule> byKey = new LinkedHashMap<>();
      for (Node n : list(e, false)) {
        RegistryRule r = registryRule(n);
        RegistryRule first = byKey.putIfAbsent(PolicySyntax.keyKey(r.key()), r);
        if (first != null) {
          throw new PolicyException(
              r.at(),
              "duplicate registry entry for key '"
                  + r.key()
                  + "' (first at line "
                  + first.at().line()
                  + ")",
              "merge their grants into one entry");
        }
        out.add(r);
      }
      return out;
    }

    private RegistryRule registryRule(Node n) {
      Map<String, Entry> r = keys(mapping(n, "registry entry"), "registryKey", "registry entry");
      Node keyNode = scalarString(r.get("key"));
      String key;
      try {
        key = PolicySyntax.registryKey(keyNode.text);
      } catch (InvalidValue ex) {
        throw ex.at(keyNode.at);
      }
      List<Grant> grants = new ArrayList<>();
      Map<String, Grant> seen = new LinkedHashMap<>();
      for (Node g : list(r.get("grants"), true)) {
        Map<String, Entry> x = keys(mapping(g, "grant"), "keyGrant", "grant");
        Trustee trustee = trustee(x.get("trustee"));
        int rights = keyRightsValue(x.get("rights"));
        int inheritance = keyInheritance(x.get("inheritance"));
        Grant grant = new Grant(trustee, Rights.of(rights), InheritFlags.of(inheritance), g.at);
        Grant first =
            seen.putIfAbsent(PolicySyntax.identityKey(trustee) + "|" + inheritance, grant);
        if (first != null) {
          throw new PolicyException(
              grant.at(),
              "duplicate grant for '"
                  + trustee
                  + "' with the same inheritance"
                  + " (first at line "
                  + first.at().line()
                  + ")",
              "merge the rights into one grant");
        }
        grants.add(grant);
      }
      ForbidDeny forbid = r.containsKey("forbidDeny") ? forbidDeny(r.get("forbidDeny")) : null;
      List<RegistryRule.KeyExpectation> expect = new ArrayList<>();
      for (Node x : list(r.get("expect"), false)) {
        Map<String, Entry> m = keys(mapping(x, "expect entry"), "keyExpectation", "expect entry");
        Trustee identity = trustee(m.get("identity"));
        int access = keyRightsValue(m.get("access"));
        Expectation.LogonKind logon =
            m.containsKey("logon") ? logonKind(m.get("logon")) : Expectation.LogonKind.NETWORK;
        expect.add(new RegistryRule.KeyExpectation(identity, Rights.of(access), logon, x.at));
      }
      return new RegistryRule(key, grants, forbid, expect, n.at);
    }

    private Expectation.LogonKind logonKind(Entry e) {
      String text = string(e);
      for (Expectation.LogonKind k : Expectation.LogonKind.values()) {
        if (k.name().toLowerCase(Locale.ROOT).equals(text)) {
          return k;
        }
      }
      throw new PolicyException(
          e.value().at,
          "unknown logon kind '" + text + "'",
          "use network, interactive, service or batch (lower case)");
    }

    private int keyRightsValue(Entry e) {
      return mask(
          e,
          "a registry right such as ReadKey, a mask such as 0x20019, or a list of them",
          PolicySyntax::keyRights);
    }

    private int keyInheritance(Entry e) {
      // OI is refused where it is written, the combination on the whole list
      return inheritance(
          e,
          "a list of CI, NP, IO such as [CI], or [] for this key only",
          "one of CI, NP, IO",
          text -> PolicySyntax.refuseObjectInherit(PolicySyntax.inheritanceFlags(text)));
    }

    private List<UserRight> userRights(Entry e) {
      List<UserRight> out = new ArrayList<>();
      Map<String, UserRight> byRight = new LinkedHashMap<>();
      for (Node n : list(e, false)) {
        Map<String, Entry> m = keys(mapping(n, "user right"), "userRight", "user right");
        Node rightNode = scalarString(m.get("right"));
        String right;
        try {
          right = PolicySyntax.userRight(rightNode.text);
        } catch (InvalidValue ex) {
          throw ex.at(rightNode.at);
        }
        List<Trustee> members =
            m.containsKey("members") ? trusteeList(m.get("members")) : List.of();
        List<Trustee> forbid = m.containsKey("forbid") ? trusteeList(m.get("forbid")) : List.of();
        Membership.Mode mode = Membership.Mode.ENSURE;
        if (m.containsKey("mode")) {
          Entry modeEntry = m.get("mode");
          String text = string(modeEntry);
          mode =
              switch (text) {
                case "ensure" -> Membership.Mode.ENSURE;
                case "exact" -> Membership.Mode.EXACT;
                default ->
                    throw new PolicyException(
                        modeEntry.value().at,
                        "unknown mode '" + text + "'",
                        "use ensure (add missing holders) or exact (also remove all others)");
              };
        }
        if (members.isEmpty() && forbid.isEmpty() && mode == Membership.Mode.ENSURE) {
          throw new PolicyException(
              n.at,
              "user right " + right + " names neither members nor forbid",
              "list who must hold it (members) or who must not (forbid)");
        }
        for (Trustee f : forbid) {
          for (Trustee member : members) {
            if (PolicySyntax.identityKey(f).equals(PolicySyntax.identityKey(member))) {
              throw new PolicyException(
                  f.at(), "'" + f + "' is both a member of " + right + " and forbidden it", null);
            }
          }
        }
        UserRight r = new UserRight(right, members, mode, forbid, n.at);
        UserRight first = byRight.putIfAbsent(right, r);
        if (first != null) {
          throw new PolicyException(
              n.at,
              "duplicate entry for user right "
                  + right
                  + " (first at line "
                  + first.at().line()
                  + ")",
              "list its members and forbid in one entry");
        }
        out.add(r);
      }
      return out;
    }

    // ------------------------------------------------------------ values

    private Trustee trustee(Entry e) {
      Node v = scalarString(e);
      try {
        return PolicySyntax.trustee(v.text, v.at);
      } catch (InvalidValue ex) {
        throw ex.at(v.at);
      }
    }

    private List<Trustee> trusteeList(Entry e) {
      List<Trustee> out = new ArrayList<>();
      Map<String, Trustee> seen = new LinkedHashMap<>();
      for (Node item : list(e, true)) {
        Trustee t = trustee(new Entry(e.key(), e.keyAt(), item));
        Trustee first = seen.putIfAbsent(PolicySyntax.identityKey(t), t);
        if (first != null) {
          throw new PolicyException(
              t.at(),
              "'"
                  + t
                  + "' is listed twice"
                  + (first.text().equals(t.text()) ? "" : " (as '" + first + "' before)"),
              null);
        }
        out.add(t);
      }
      return out;
    }

    private String path(Entry e) {
      Node v = scalarString(e);
      try {
        return PolicySyntax.path(v.text);
      } catch (InvalidValue ex) {
        throw ex.at(v.at);
      }
    }

    /** Rights: text or a number (YAML reads an unquoted 0x1200a9 as one), or a list of them. */
    private int rights(Entry e) {
      return mask(
          e,
          "a right such as ReadAndExecute, a mask such as 0x1200a9, or a list of them",
          PolicySyntax::rights);
    }

    /** How one item of a rights or inheritance list is read: its text to its bits. */
    private interface ItemBits {
      int bits(String text) throws InvalidValue;
    }

    /** A rights value (one item or a list), each item read by {@code names}, as one mask. */
    private int mask(Entry e, String expected, ItemBits names) {
      Node v = e.value();
      List<Node> items = v.type == Type.LIST ? v.items : List.of(v);
      if (v.type == Type.LIST && items.isEmpty()) {
        throw new PolicyException(v.at, "empty list of rights for '" + e.key() + "'", null);
      }
      int mask = 0;
      for (Node item : items) {
        if (item.type != Type.STRING && item.type != Type.NUMBER) {
          throw wrongType(e.key(), item, expected);
        }
        try {
          mask |= names.bits(item.text);
        } catch (InvalidValue ex) {
          throw ex.at(item.at);
        }
      }
      return mask;
    }

    private int inheritance(Entry e) {
      return inheritance(
          e,
          "a list of OI, CI, NP, IO such as [OI, CI], or [] for this folder only",
          "one of OI, CI, NP, IO",
          PolicySyntax::inheritanceFlags);
    }

    /**
     * An inheritance value (one item or a list), each item read by {@code names}, as one set of
     * flags.
     */
    private int inheritance(Entry e, String expected, String expectedItem, ItemBits names) {
      Node v = e.value();
      List<Node> items;
      if (v.type == Type.LIST) {
        items = v.items;
      } else if (v.type == Type.STRING) {
        items = List.of(v);
      } else {
        throw wrongType(e.key(), v, expected);
      }
      int flags = 0;
      for (Node item : items) {
        if (item.type != Type.STRING) {
          throw wrongType(e.key(), item, expectedItem);
        }
        try {
          flags |= names.bits(item.text);
        } catch (InvalidValue ex) {
          throw ex.at(item.at);
        }
      }
      try {
        // Checked on the whole list: [IO, OI] is fine although IO alone is not.
        return PolicySyntax.checkInheritance(flags);
      } catch (InvalidValue ex) {
        throw ex.at(v.at);
      }
    }

    // ------------------------------------------------------------ structure

    /**
     * The entries of a mapping, after checking that it has no unknown key and every required one.
     * {@code section} names the row of {@link #SECTIONS}; {@code what} is how messages call it.
     */
    private Map<String, Entry> keys(Node map, String section, String what) {
      Section s = SECTIONS.get(section);
      Set<String> allowed = s.all();
      for (Entry e : map.entries.values()) {
        if (!allowed.contains(e.key())) {
          String close = PolicySyntax.closest(e.key(), allowed);
          throw new PolicyException(
              e.keyAt(),
              "unknown key '" + e.key() + "' in " + what,
              close != null
                  ? "did you mean '" + close + "'?"
                  : "expected " + String.join(", ", allowed));
        }
        // Optional values too: `mode: ~` must not quietly mean the default while `rights: ~` is
        // an error. Only a section left empty (`memberships:`) counts as absent.
        if (e.value().type == Type.NULL
            && (s.required().contains(e.key()) || !SECTION_KEYS.contains(e.key()))) {
          throw new PolicyException(
              e.keyAt(),
              "'" + e.key() + "' has no value",
              s.required().contains(e.key()) ? null : "remove the key to use its default");
        }
      }
      for (String key : s.required()) {
        if (!map.entries.containsKey(key)) {
          throw new PolicyException(
              map.at, what + " is missing '" + key + "'", requiredHint(section, key));
        }
      }
      Map<String, Entry> present = new LinkedHashMap<>();
      for (Entry e : map.entries.values()) {
        if (e.value().type != Type.NULL) {
          present.put(e.key(), e);
        }
      }
      return present;
    }

    private static String requiredHint(String section, String key) {
      switch (section + "." + key) {
        case "grant.inheritance":
          return "write [OI, CI] for this folder, subfolders and files, or [] for this folder only";
        case "policy.apiVersion":
          return "start the file with apiVersion: " + Policy.API_VERSION;
        case "policy.kind":
          return "add kind: " + Policy.KIND;
        case "policy.metadata":
          return "add metadata: with a name";
        default:
          return null;
      }
    }

    private Node mapping(Entry e, String what) {
      return mapping(e.value(), what);
    }

    private Node mapping(Node n, String what) {
      if (n.type != Type.MAP) {
        throw new PolicyException(
            n.at,
            "expected a mapping ("
                + what
                + "), found "
                + n.describe()
                + (n.isScalar() ? " '" + n.text + "'" : ""),
            null);
      }
      return n;
    }

    /** The items of a list entry; an absent optional list is empty. */
    private List<Node> list(Entry e, boolean nonEmpty) {
      if (e == null) {
        return List.of();
      }
      Node v = e.value();
      if (v.type != Type.LIST) {
        throw wrongType(e.key(), v, "a list");
      }
      if (nonEmpty && v.items.isEmpty()) {
        throw new PolicyException(
            v.at, "'" + e.key() + "' must not be empty", emptyListHint(e.key()));
      }
      return v.items;
    }

    private static String emptyListHint(String key) {
      switch (key) {
        case "grants":
          return "a rule needs at least one grant";
        case "members":
          return "name at least one member";
        case "trustees":
          return "name at least one trustee, or drop forbidDeny";
        default:
          return null;
      }
    }

    private String string(Entry e) {
      return scalarString(e).text;
    }

    private Node scalarString(Entry e) {
      Node v = e.value();
      if (v.type != Type.STRING) {
        String hint = v.isScalar() ? "quote it: '" + v.text + "'" : null;
        throw new PolicyException(
            v.at, "'" + e.key() + "' must be text, found " + v.describe(), hint);
      }
      return v;
    }

    private boolean bool(Entry e) {
      Node v = e.value();
      if (v.type != Type.BOOLEAN) {
        throw wrongType(e.key(), v, "true or false");
      }
      return v.truth;
    }

    private PolicyException wrongType(String key, Node v, String expected) {
      return new PolicyException(
          v.at,
          "'"
              + key
              + "' must be "
              + expected
              + ", found "
              + v.describe()
              + (v.isScalar() ? " '" + v.text + "'" : ""),
          null);
    }
  }
}
