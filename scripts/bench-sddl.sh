#!/bin/sh
# Benchmark: SDDL -> self-relative bytes (hex) for a large batch of realistic descriptors,
# `wsusfix sddl convert` against Samba's C parser (Debian's python3-samba:
# descriptor.from_sddl + ndr_pack) on the same input in the same run. Prints both times and
# the ratio, and checks that both produced the same descriptors byte for byte.
#
# Usage: scripts/bench-sddl.sh [LINES]      (default 200000; needs root to install python3-samba)
#
# Debian 12's Samba (4.17) differs from Windows in ways that have nothing to do with speed:
# it lays the parts out as owner, group, SACL, DACL (Windows: SACL, DACL, owner, group), gives
# every ACL revision 4 (Windows: 2 unless an object ACE is present), reads FA as 0x1ff (Windows:
# 0x1f01ff) and knows neither KA/KR/KW/KX, ML ACEs nor NO_ACCESS_CONTROL. The generated input spells
# full control as 0x1f01ff and avoids the others, and the check re-lays Samba's
# bytes out the Windows way (same parts, Windows order and ACL revisions) before comparing.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
lines=${1:-200000}
py=/usr/bin/python3
domain=S-1-5-21-2457507606-2709100691-398136650

if ! "$py" -c 'import samba.dcerpc.security, samba.ndr' 2>/dev/null; then
  echo "installing python3-samba ..." >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-samba >/dev/null
fi
if [ ! -f "$here/target/wsusfix.jar" ]; then
  (cd "$here" && mvn -B -q -DskipTests package)
fi
# The first launch after a build records the class-data archive; keep that out of the timing.
"$here/scripts/wsusfix" --version >/dev/null

work=$(mktemp -d /tmp/bench-sddl.XXXXXX)
input=$work/input.sddl

"$py" - "$lines" "$input" <<'EOF'
import random, sys
n, path = int(sys.argv[1]), sys.argv[2]
rnd = random.Random(20261125)
dom = "S-1-5-21-2457507606-2709100691-398136650"
aliases = ["SY", "BA", "BU", "AU", "WD", "CO", "CG", "NS", "LS", "IS", "IU", "AN", "BG", "PU",
           "SO", "BO", "RD", "ED", "PS", "OW", "AC", "DA", "DU", "DG", "EA", "LA", "LG", "CA"]
sids = ["S-1-5-17", "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464",
        "S-1-5-82-3006700770-424185619-1745488364-794895919-4004696415",
        "S-1-15-2-2", "S-1-5-32-573", "S-1-5-21-1004336348-1177238915-682003330-1001",
        "S-1-5-21-3623811015-3361044348-30300820-1013"]
file_masks = ["0x1f01ff", "0x1301bf", "0x1200a9", "0x120089", "0x100116", "GA", "GR", "GXGR",
              "GRGX", "GW", "FR", "FW", "FX", "0x1f019f", "0x100000", "0x1200a0", "0x10000000",
              "0xa0000000", "0x120116", "0x1301ff"]
ds_masks = ["CCDCLCSWRPWPDTLOCRSDRCWDWO", "LCRPLORC", "RPWP", "CR", "RP", "WP", "CCDC", "SW",
            "RPLCLORC", "CCLCSWRPWPLOCRRCWDWO", "GA", "RC", "WDWO"]
guids = ["bf967aba-0de6-11d0-a285-00aa003049e2", "bf967a86-0de6-11d0-a285-00aa003049e2",
         "4c164200-20c0-11d0-a768-00aa006e0529", "1131f6aa-9c07-11d1-f79f-00c04fc2dcd2",
         "f30e3bbe-9ff0-11d1-b603-0000f80367c1", "5f202010-79a5-11d0-9020-00c04fc2d4cf",
         "ab721a53-1e2f-11d0-9819-00aa0040529b", "e48d0154-bcf8-11d1-8702-00c04fb96050"]
file_flags = ["", "OICI", "OICIID", "CIID", "OIID", "ID", "OICIIO", "OICIIOID", "CI", "OI", "OICINP"]

def trustee():
    r = rnd.random()
    if r < 0.6:
        return rnd.choice(aliases)
    if r < 0.85:
        return rnd.choice(sids)
    return "%s-%d" % (dom, rnd.randint(1000, 400000))

def owner_group():
    s = ""
    if rnd.random() < 0.7:
        s += "O:" + rnd.choice(["BA", "SY", "DA", "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464",
                                "%s-%d" % (dom, rnd.randint(1000, 9000))])
    if rnd.random() < 0.6:
        s += "G:" + rnd.choice(["SY", "BA", "DU", "DA"])
    return s

def file_sd():
    aces = []
    for _ in range(rnd.randint(1, 9)):
        t = "D" if rnd.random() < 0.08 else "A"
        aces.append("(%s;%s;%s;;;%s)" % (t, rnd.choice(file_flags), rnd.choice(file_masks), trustee()))
    flags = rnd.choice(["", "P", "AI", "PAI", "AI", "AI"])
    s = owner_group() + "D:" + flags + "".join(aces)
    if rnd.random() < 0.15:
        s += "S:" + rnd.choice(["", "AI", "P"]) + "(AU;%s;%s;;;WD)" % (rnd.choice(["SA", "FA", "SAFA", "OICISA", "CIIDFA"]),
                                                                     rnd.choice(["0x1f01ff", "0x1301bf", "WDWO", "GA"]))
    return s

def ds_sd():
    aces = []
    for _ in range(rnd.randint(2, 14)):
        r = rnd.random()
        flags = rnd.choice(["", "CI", "CIIO", "CIID", "CIIOID", "OICI"])
        if r < 0.45:
            aces.append("(%s;%s;%s;;;%s)" % (rnd.choice("AAAD"), flags, rnd.choice(ds_masks), trustee()))
        else:
            obj = rnd.choice(guids) if rnd.random() < 0.8 else ""
            inh = rnd.choice(guids) if rnd.random() < 0.4 else ""
            aces.append("(%s;%s;%s;%s;%s;%s)" % (rnd.choice(["OA", "OA", "OD"]), flags, rnd.choice(ds_masks),
                                                obj, inh, trustee()))
    s = owner_group() + "D:" + rnd.choice(["", "AI", "PAI"]) + "".join(aces)
    if rnd.random() < 0.5:
        s += "S:AI(OU;CIIDSA;WP;%s;%s;WD)(AU;SA;CR;;;WD)" % (rnd.choice(guids), rnd.choice(guids))
    return s

def odd_sd():
    return rnd.choice(["D:", "D:S:", "D:P", "S:", "D:PAI", "O:BAG:SY",
                       "D:(A;;0x%x;;;%s)" % (rnd.getrandbits(32), trustee()),
                       "D:(AU;SA;GA;;;WD)".replace("D:", "S:"),
                       "S:(AL;;GA;;;WD)(OL;FA;RP;%s;;AU)" % rnd.choice(guids)])

with open(path, "w") as f:
    for i in range(n):
        r = rnd.random()
        f.write((file_sd() if r < 0.7 else ds_sd() if r < 0.95 else odd_sd()) + "\n")
EOF

now() { date +%s%N; }

echo "input: $lines lines, $(wc -c < "$input") bytes ($input)"

cat > "$work/samba_from_sddl.py" <<'EOF'
import sys
from samba.dcerpc import security
from samba.ndr import ndr_pack
dom = security.dom_sid(sys.argv[1])
from_sddl = security.descriptor.from_sddl
out = sys.stdout
for line in sys.stdin:
    out.write(ndr_pack(from_sddl(line.rstrip("\n"), dom)).hex())
    out.write("\n")
EOF

# CPU seconds (user + system) are reported too: on a busy machine they vary less than wall time.
cpu() {
  out=$1
  shift
  if [ -x /usr/bin/time ]; then /usr/bin/time -f '%U %S' -o "$out" "$@"; else "$@"; fi
}
t0=$(now)
cpu "$work/wsusfix.cpu" "$here/scripts/wsusfix" sddl convert --from sddl --to hex --domain-sid "$domain" \
  < "$input" > "$work/wsusfix.hex"
t1=$(now)
cpu "$work/samba.cpu" "$py" "$work/samba_from_sddl.py" "$domain" < "$input" > "$work/samba.hex"
t2=$(now)

# Untimed check: Samba's bytes laid out the Windows way must equal wsusfix's bytes.
check=0
"$py" - "$work/samba.hex" "$work/wsusfix.hex" <<'EOF' || check=$?
import struct, sys
from samba.dcerpc import security
from samba.ndr import ndr_pack, ndr_unpack
OBJECT_TYPES = {5, 6, 7, 8}

def acl_bytes(acl):
    acl.revision = 4 if any(a.type in OBJECT_TYPES for a in acl.aces) else 2
    return ndr_pack(acl)

def windows_layout(raw):
    sd = ndr_unpack(security.descriptor, raw)
    body = b""
    offs = {}
    for name, present in (("sacl", security.SEC_DESC_SACL_PRESENT), ("dacl", security.SEC_DESC_DACL_PRESENT)):
        acl = getattr(sd, name)
        if acl is not None and sd.type & present:
            offs[name] = 20 + len(body)
            body += acl_bytes(acl)
    for name in ("owner_sid", "group_sid"):
        sid = getattr(sd, name)
        if sid is not None:
            offs[name] = 20 + len(body)
            body += ndr_pack(sid)
    head = struct.pack("<BBHIIII", 1, 0, sd.type, offs.get("owner_sid", 0), offs.get("group_sid", 0),
                       offs.get("sacl", 0), offs.get("dacl", 0))
    return head + body

samba = open(sys.argv[1]).read().split("\n")
ours = open(sys.argv[2]).read().split("\n")
if len(samba) != len(ours):
    print("check: FAILED, line counts differ: samba %d, wsusfix %d" % (len(samba), len(ours)))
    sys.exit(1)
bad = 0
raw_same = 0
for i, (s, o) in enumerate(zip(samba, ours)):
    if not s and not o:
        continue
    if s == o:
        raw_same += 1
    if windows_layout(bytes.fromhex(s)).hex() != o:
        bad += 1
        if bad <= 5:
            print("line %d differs:\n  samba   %s\n  wsusfix %s" % (i + 1, windows_layout(bytes.fromhex(s)).hex(), o))
total = sum(1 for s in samba if s)
print("check: %d of %d descriptors identical (after laying Samba's bytes out as Windows does; "
      "%d identical without that)" % (total - bad, total, raw_same))
sys.exit(1 if bad else 0)
EOF

wcpu=$(awk '{ print $1 + $2 }' "$work/wsusfix.cpu" 2>/dev/null)
scpu=$(awk '{ print $1 + $2 }' "$work/samba.cpu" 2>/dev/null)
awk -v a="$t0" -v b="$t1" -v c="$t2" -v wc="${wcpu:-0}" -v sc="${scpu:-0}" 'BEGIN {
  w = (b - a) / 1e9; s = (c - b) / 1e9;
  printf "                       wall s   cpu s\n";
  printf "wsusfix sddl convert : %7.2f %7.2f\n", w, wc;
  printf "samba (python3-samba): %7.2f %7.2f\n", s, sc;
  printf "ratio samba/wsusfix  : %7.2f", s / w;
  if (wc > 0) printf " %7.2f", sc / wc;
  printf "   (above 1 means wsusfix is faster)\n";
}'
rm -rf "$work"
exit $check
