package org.wsusfix.machine.smb;

import com.rapid7.client.dcerpc.dto.SID;
import com.rapid7.client.dcerpc.mslsad.LocalSecurityAuthorityService;
import com.rapid7.client.dcerpc.mslsad.dto.PolicyDomainInfo;
import com.rapid7.client.dcerpc.mslsad.dto.PolicyHandle;
import com.rapid7.client.dcerpc.transport.SMBTransportFactories;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Account names and SIDs as the server knows them (MS-LSAT over the pipe \lsarpc), so a policy can
 * name accounts (`SAMBALAB\iusr_web`, `BUILTIN\Users`) and a report can show names for SIDs.
 */
public final class LsaNames implements AutoCloseable {
  private final String server;
  private final LocalSecurityAuthorityService lsa;
  private final PolicyHandle policy;
  private final String accountDomainName;
  private final String accountDomainSid;

  public LsaNames(SmbConnection connection) {
    this.server = connection.unc("");
    try {
      lsa =
          new LocalSecurityAuthorityService(
              SMBTransportFactories.LSASVC.getTransport(connection.session()));
      policy = lsa.openPolicyHandle();
      PolicyDomainInfo account = lsa.getPolicyAccountDomainInformation(policy);
      accountDomainName = account.getDomainName();
      accountDomainSid = account.getDomainSID().toString();
    } catch (IOException | RuntimeException e) {
      throw SamrAliases.rpcFailure("open the name service (LSA) of " + server, e);
    }
  }

  /** Name of the server's own account domain (its computer name on a standalone server). */
  public String accountDomainName() {
    return accountDomainName;
  }

  /** SID of the server's own account domain (the machine SID on a standalone server). */
  public String accountDomainSid() {
    return accountDomainSid;
  }

  /** SID for {@code DOMAIN\name} or a bare name; empty when the server knows no such account. */
  public Optional<String> sidOf(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("empty account name");
    }
    try {
      SID[] sids = lsa.lookupSIDsForNames(policy, name);
      return sids.length == 1 && sids[0] != null
          ? Optional.of(sids[0].toString())
          : Optional.empty();
    } catch (IOException e) {
      if (noneMapped(e)) {
        return Optional.empty();
      }
      throw SamrAliases.rpcFailure("look up account " + name + " on " + server, e);
    }
  }

  /**
   * {@code DOMAIN\name} for {@code sid} (just the name for accounts without a domain, such as
   * Everyone); empty when the server cannot name it.
   */
  public Optional<String> nameOf(String sid) {
    SID s = SamrAliases.parseSid(sid);
    try {
      Optional<String> name = lookupOne(s);
      if (name.isEmpty()) {
        return name;
      }
      long[] sub = s.getSubAuthorities();
      if (sub.length == 0) {
        return name;
      }
      // the name service answers bare names; the domain part is the name of the SID minus its
      // last RID, which Samba does not give for its own machine SID nor for NT AUTHORITY (S-1-5)
      SID domain =
          new SID(s.getRevision(), s.getIdentifierAuthority(), Arrays.copyOf(sub, sub.length - 1));
      String domainSid = domain.toString();
      Optional<String> domainName;
      if (domainSid.equals(accountDomainSid)) {
        domainName = Optional.of(accountDomainName);
      } else if (domainSid.equals("S-1-5")) {
        domainName = Optional.of("NT AUTHORITY");
      } else {
        domainName = sub.length > 1 ? lookupOne(domain) : Optional.empty();
      }
      return Optional.of(
          domainName.filter(d -> !d.isEmpty()).map(d -> d + "\\" + name.get()).orElse(name.get()));
    } catch (IOException e) {
      if (noneMapped(e)) {
        return Optional.empty();
      }
      throw SamrAliases.rpcFailure("look up SID " + sid + " on " + server, e);
    }
  }

  private Optional<String> lookupOne(SID s) throws IOException {
    try {
      String[] names = lsa.lookupNamesForSIDs(policy, s);
      if (names.length != 1
          || names[0] == null
          || names[0].isEmpty()
          || names[0].equals(s.toString())) {
        return Optional.empty();
      }
      return Optional.of(names[0]);
    } catch (IOException e) {
      if (noneMapped(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static boolean noneMapped(IOException e) {
    return e instanceof com.rapid7.client.dcerpc.RPCException rpc
        && (rpc.getReturnValue() & 0xFFFF_FFFFL) == NtStatusText.NONE_MAPPED;
  }

  @Override
  public void close() {
    try {
      lsa.closePolicyHandle(policy);
    } catch (IOException ignored) {
      // the pipe closes with the session anyway
    }
  }
}
