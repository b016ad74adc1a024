"""Replays wsusfix access checks through Samba's se_access_check (Debian's python3-samba).

Reads the lines written by org.wsusfix.security.AccessCheckCases on stdin. Prints how many answers
agree, how many differ where Windows and Samba are known to differ (wsusfix follows Windows), and
every other difference; exits 1 when there is one.
"""
import sys

from samba import NTSTATUSError
from samba.dcerpc import security
import samba.security

FLAGS = [(0x1, "OI"), (0x2, "CI"), (0x4, "NP"), (0x8, "IO"), (0x10, "ID")]
MAXIMUM_ALLOWED = 0x2000000
DOMAIN = security.dom_sid("S-1-5-21-1-2-3")


def descriptor(owner, kind, aces):
    sddl = "O:%sG:SY" % owner
    if kind == "D":
        sddl += "D:"
        for ace in aces:
            typ, flags, mask, sid = ace.split(",")
            letters = "".join(name for bit, name in FLAGS if int(flags) & bit)
            sddl += "(%s;%s;0x%x;;;%s)" % (typ, letters, int(mask), sid)
    sd = security.descriptor.from_sddl(sddl, DOMAIN)
    if kind == "NULL":
        # Samba 4.17 does not read D:NO_ACCESS_CONTROL; build the NULL DACL by hand.
        sd.type |= security.SEC_DESC_DACL_PRESENT
        sd.dacl = None
    return sd, sddl


def main():
    agree, known, other = 0, {}, []
    for line in sys.stdin:
        sd_part, token_part, answer = line.strip().split(" | ")
        fields = sd_part.split(" ")
        sd, sddl = descriptor(fields[0], fields[1], fields[2:])
        sids = token_part.split(" ")
        token = security.token()
        token.sids = [security.dom_sid(s) for s in sids]
        token.num_sids = len(sids)
        request, allowed, granted = (int(x) for x in answer.split(" "))
        try:
            samba_granted, samba_allowed = samba.security.access_check(sd, token, request), 1
        except NTSTATUSError:
            samba_granted, samba_allowed = None, 0
        if samba_allowed == allowed and (allowed == 0 or samba_granted == granted):
            agree += 1
            continue
        if fields[1] == "NULL":
            # Windows: a NULL DACL grants everything, MAXIMUM_ALLOWED included (FILE_ALL_ACCESS).
            reason = "NULL DACL with MAXIMUM_ALLOWED"
        elif request & MAXIMUM_ALLOWED and samba_granted == 0 and allowed == 0:
            # Windows: MAXIMUM_ALLOWED that yields nothing is ACCESS_DENIED; Samba succeeds with 0.
            reason = "MAXIMUM_ALLOWED granting nothing"
        else:
            other.append("%s token=%s request=0x%x wsusfix=%s/0x%x samba=%s/%s" % (
                sddl, ",".join(sids), request, allowed, granted, samba_allowed,
                "-" if samba_granted is None else hex(samba_granted)))
            continue
        known[reason] = known.get(reason, 0) + 1
    total = agree + sum(known.values()) + len(other)
    print("cases %d, same answer %d, known Windows/Samba differences %s, other differences %d"
          % (total, agree, known or "none", len(other)))
    for line in other[:20]:
        print("  " + line)
    return 1 if other else 0


if __name__ == "__main__":
    sys.exit(main())
