package org.wsusfix.diagnose.iisconfig;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.wsusfix.diagnose.iislog.IisEndpoint;

/**
 * What the IIS configuration says about the WSUS web services: per endpoint the site, the physical
 * folder, the application pool, and the two identities a request runs as.
 *
 * @param file the configuration file read
 * @param iisVersion 6 for MetaBase.xml, 7 for applicationHost.config (IIS 7 and later)
 * @param computerName the machine name where the configuration reveals it (IUSR_&lt;MACHINE&gt;)
 * @param applications the WSUS applications and virtual directories found
 * @param fallback identities that apply when no WSUS application was found (site defaults)
 * @param siteNames site names by site id (the number in an IIS log's s-sitename, W3SVC&lt;id&gt;)
 */
public record IisConfig(
    String file,
    int iisVersion,
    String computerName,
    List<Application> applications,
    List<Identity> fallback,
    Map<String, String> siteNames) {

  public IisConfig {
    applications = List.copyOf(applications);
    fallback = List.copyOf(fallback);
    siteNames = Map.copyOf(siteNames);
  }

  public IisConfig(
      String file,
      int iisVersion,
      String computerName,
      List<Application> applications,
      List<Identity> fallback) {
    this(file, iisVersion, computerName, applications, fallback, Map.of());
  }

  /**
   * The site an IIS log's s-sitename ({@code W3SVC1}) or log folder name stands for, when this file
   * names it.
   */
  public Optional<String> siteOfLogName(String logName) {
    String n = logName.toUpperCase(Locale.ROOT);
    return n.startsWith("W3SVC")
        ? Optional.ofNullable(siteNames.get(n.substring(5)))
        : Optional.empty();
  }

  /** The part an identity plays. */
  public enum Role {
    /** The account anonymous requests run as. */
    ANONYMOUS,
    /** The worker process (application pool) identity. */
    POOL
  }

  /**
   * An account IIS uses, and where the configuration says so.
   *
   * @param account the account as Windows names it (NT AUTHORITY\IUSR, IIS APPPOOL\WsusPool, ...)
   * @param sid its SID where it follows from the name alone, else null
   * @param source where it came from, e.g. {@code applicationHost.config:57 <location ...>}
   */
  public record Identity(String account, String sid, Role role, String source) {}

  /**
   * A WSUS application or virtual directory.
   *
   * @param path the URL path, e.g. {@code /ClientWebService}
   * @param physicalPath the folder it serves, as configured (may hold %variables%)
   */
  public record Application(
      String site,
      String path,
      IisEndpoint endpoint,
      String physicalPath,
      String pool,
      Identity anonymous,
      Identity poolIdentity) {}

  public Optional<Application> forEndpoint(IisEndpoint e) {
    return applications.stream().filter(a -> a.endpoint() == e).findFirst();
  }

  /** Every distinct account, anonymous ones first, each with the first place that names it. */
  public List<Identity> identities() {
    Map<String, Identity> out = new LinkedHashMap<>();
    List<Identity> all = new ArrayList<>();
    for (Application a : applications) {
      all.add(a.anonymous());
    }
    for (Application a : applications) {
      all.add(a.poolIdentity());
    }
    all.addAll(fallback);
    for (Identity i : all) {
      if (i != null) {
        out.putIfAbsent(i.account().toLowerCase(Locale.ROOT) + "/" + i.role(), i);
      }
    }
    return List.copyOf(out.values());
  }

  /**
   * The SID of the virtual account {@code IIS APPPOOL\<pool>}: S-1-5-82 followed by the SHA-1 of
   * the lower-case pool name in UTF-16LE as five little-endian sub-authorities. It follows from the
   * name alone, so a policy can use it on a target that cannot look the name up.
   */
  public static String appPoolSid(String pool) {
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-1")
              .digest(pool.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_16LE));
      StringBuilder sb = new StringBuilder("S-1-5-82");
      for (int i = 0; i < 5; i++) {
        long v =
            (h[i * 4] & 0xFFL)
                | (h[i * 4 + 1] & 0xFFL) << 8
                | (h[i * 4 + 2] & 0xFFL) << 16
                | (h[i * 4 + 3] & 0xFFL) << 24;
        sb.append('-').append(v);
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
