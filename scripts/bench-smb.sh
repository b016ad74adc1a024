#!/usr/bin/env bash
# bench-smb.sh [N] - wsusfix against Samba's own tools, in one run, on the Samba lab's N bench
# files (default 10000; start the lab with: sudo scripts/samba-lab.sh start --files N), every tool
# signing every message (wsusfix by default; python3-samba with client signing required;
# smbcacls --client-protection=sign), the peers also unsigned for comparison:
#   (a) `wsusfix plan` of an inheritable grant on C:\bench (reads every descriptor below it)
#       vs a /usr/bin/python3 python3-samba loop of Conn.get_acl over the same paths.  Target <= 1.0x
#   (b) `wsusfix apply --yes` of that grant, propagated to every file (journaled, verified)
#       vs `smbcacls --propagate-inheritance -a` of the same grant.                  Target <= 0.5x
#       and whether each left the children auto-inherited (AI), as Windows would.
#   (c) the most files the server had open at once during each apply (smbstatus -L polled
#       about every 20 ms, so a sampled peak).                                        Target <= 256
# wsusfix runs through scripts/wsusfix and its times include the JVM start. ROUNDS=n (default 3)
# repeats (a) and WRITE_ROUNDS=n (default 2) repeats (b), keeping each tool's best.
# The bench tree is put back after each tool (wsusfix by `wsusfix rollback`, smbcacls' result from
# descriptors saved beforehand) and checked.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
LAB=${WSUSFIX_LAB_DIR:-/tmp/wsusfix-lab}
PY=/usr/bin/python3
die() { printf 'bench-smb: %s\n' "$*" >&2; exit 1; }
[ -f "$LAB/env" ] || die "the lab is not running; start it: sudo scripts/samba-lab.sh start --files $N"
# shellcheck disable=SC1091
. "$LAB/env"
[ "$LAB_BENCH_FILES" -ge "$N" ] || die "the lab has $LAB_BENCH_FILES bench files; restart it: sudo scripts/samba-lab.sh start --files $N"
[ "$LAB_BENCH_FILES" -eq "$N" ] || die "the lab has $LAB_BENCH_FILES bench files and wsusfix walks them all; give N=$LAB_BENCH_FILES"

mvn -B -q -DskipTests package
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
TARGET="smb://$LAB_ADMIN_USER@$LAB_HOST/$LAB_SHARE"
export WSUSFIX_SMB_PASSWORD=$LAB_ADMIN_PASSWORD
wsusfix() { scripts/wsusfix "$@"; }   # the launcher, with its start-up JVM options
now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc -l; }
CHILD="$LAB_BENCH_DIR\\d000\\f00000.dll"
cat > "$WORK/bench.yaml" <<EOF
apiVersion: wsusfix/v1
kind: Policy
metadata:
  name: bench
  description: BUILTIN\\Users may read the bench tree, inherited by every file below it.
rules:
  - path: 'C:\\$LAB_BENCH_DIR'
    grants:
      - trustee: BUILTIN\\Users
        rights: ReadAndExecute
        inheritance: [OI, CI]
EOF

# python3-samba: the paths (listed over SMB, not timed), then get_acl of each, timed; the
# descriptors are kept to put the tree back after smbcacls, and to compare at the end
py() {
  "$PY" - "$1" "$LAB_CONF" "$LAB_HOST" "$LAB_SHARE" "$LAB_ADMIN_USER" "$LAB_ADMIN_PASSWORD" "$LAB_BENCH_DIR" "$WORK/saved.ndr" "${2:-sign}" <<'PYEOF'
import pickle, sys, time
from samba import credentials, ndr
from samba.dcerpc import security
from samba.samba3 import libsmb_samba_internal as libsmb
from samba.samba3 import param as s3param
mode, conf, host, share, user, password, bench, saved, signing = sys.argv[1:]
lp = s3param.get_context()
lp.load(conf)
creds = credentials.Credentials()
creds.guess(lp)
creds.set_username(user)
creds.set_password(password)
creds.set_smb_signing(credentials.SMB_SIGNING_REQUIRED if signing == 'sign' else credentials.SMB_SIGNING_OFF)
conn = libsmb.Conn(host, share, lp, creds)
DIR = 0x10
def walk(path):
    out = [path]
    for e in conn.list(path):
        if e['name'] in ('.', '..'):
            continue
        child = path + '\\' + e['name']
        out.extend(walk(child) if e['attrib'] & DIR else [child])
    return out
paths = walk(bench)
OWNER_GROUP_DACL = security.SECINFO_OWNER | security.SECINFO_GROUP | security.SECINFO_DACL
if mode == 'read':
    t0 = time.perf_counter()
    sds = [conn.get_acl(p, OWNER_GROUP_DACL) for p in paths]
    print("%.3f %d" % (time.perf_counter() - t0, len(paths)))
    if signing != 'sign':
        sys.exit(0)
    with open(saved, 'wb') as f:
        pickle.dump([(p, ndr.ndr_pack(sd)) for p, sd in zip(paths, sds)], f)
elif mode == 'restore':
    with open(saved, 'rb') as f:
        saved_sds = pickle.load(f)
    for p, blob in saved_sds:
        sd = ndr.ndr_unpack(security.descriptor, blob)
        if sd.type & security.SEC_DESC_DACL_AUTO_INHERITED:
            sd.type |= security.SEC_DESC_DACL_AUTO_INHERIT_REQ  # or the server drops AI
        conn.set_acl(p, sd, security.SECINFO_DACL)
elif mode == 'compare':
    with open(saved, 'rb') as f:
        saved_sds = dict(pickle.load(f))
    differ = [p for p in paths
              if conn.get_acl(p, OWNER_GROUP_DACL).as_sddl() != ndr.ndr_unpack(security.descriptor, saved_sds[p]).as_sddl()]
    if len(paths) != len(saved_sds) or differ:
        print("%d of %d descriptors differ from the saved ones, e.g. %s" % (len(differ), len(paths), differ[:3]))
        sys.exit(1)
    print("all %d descriptors equal the saved ones" % len(paths))
PYEOF
}

child_sddl() {
  smbcacls "//$LAB_HOST/$LAB_SHARE" "${CHILD//\\//}" -U "$LAB_ADMIN_USER%$LAB_ADMIN_PASSWORD" \
    --domain-sid="$LAB_SID" --sddl
}
ai_of() { case $1 in *"D:AI("*|*"D:PAI("*) echo "AI kept";; *) echo "AI LOST";; esac; }

echo "bench-smb: $N files under \\\\$LAB_HOST\\$LAB_SHARE\\$LAB_BENCH_DIR ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"

min() { if [ -z "$1" ] || [ "$(echo "$2 < $1" | bc -l)" = 1 ]; then echo "$2"; else echo "$1"; fi; }

# the most files smbd has open at once while a command runs: smbstatus -L polled in the background
peak_start() {
  : > "$WORK/peak"
  ( peak=0
    while :; do
      n=$(smbstatus -s "$LAB_CONF" -L 2>/dev/null | grep -c '^[0-9]' || true)
      [ "$n" -gt "$peak" ] && { peak=$n; echo "$peak" > "$WORK/peak"; }
      sleep 0.02
    done ) &
  PEAK_PID=$!
}
peak_stop() { kill "$PEAK_PID" 2>/dev/null; wait "$PEAK_PID" 2>/dev/null || true; cat "$WORK/peak"; }
max() { if [ -z "$1" ] || [ "$2" -gt "$1" ]; then echo "$2"; else echo "$1"; fi; }

# (a) reading: ROUNDS rounds, the tools taking turns; the best round of each counts, since
# other work on the machine only ever adds time
py_read='' py_read_off='' ws_plan=''
for _ in $(seq 1 "${ROUNDS:-3}"); do
  read -r t py_paths < <(py read sign)
  py_read=$(min "$py_read" "$t")
  read -r t _ < <(py read off)
  py_read_off=$(min "$py_read_off" "$t")
  t0=$(now); set +e; wsusfix plan -p "$WORK/bench.yaml" --target "$TARGET" > "$WORK/plan.out"; rc=$?; set -e; t1=$(now)
  [ "$rc" = 2 ] || { cat "$WORK/plan.out" >&2; die "wsusfix plan exited $rc, expected 2 (a change to make)"; }
  tr -d , < "$WORK/plan.out" | grep -q "inherited by: $((py_paths - 1)) descendants" \
    || { grep -n "inherited by" "$WORK/plan.out" >&2; die "wsusfix plan did not count $((py_paths - 1)) descendants"; }
  ws_plan=$(min "$ws_plan" "$(secs "$t0" "$t1")")
done

# smbcacls' propagation with the given --client-protection, timed, its peak of open files kept
smbcacls_apply() {
  peak_start
  t0=$(now)
  smbcacls "//$LAB_HOST/$LAB_SHARE" "$LAB_BENCH_DIR" -U "$LAB_ADMIN_USER%$LAB_ADMIN_PASSWORD" --domain-sid="$LAB_SID" \
    --client-protection="$1" --propagate-inheritance -a 'ACL:S-1-5-32-545:ALLOWED/OI|CI/0x001200a9' > "$WORK/smbcacls.out" 2>&1 \
    || { peak_stop >/dev/null; tail -5 "$WORK/smbcacls.out" >&2; die "smbcacls --propagate-inheritance failed"; }
  t1=$(now)
  SC_PEAK=$(peak_stop)
  SC_TIME=$(secs "$t0" "$t1")
}

# (b) writing: WRITE_ROUNDS rounds (default 2), the tools taking turns, best of each counted;
# wsusfix goes back with its own rollback, smbcacls' result from the descriptors saved in (a)
ws_apply='' ws_rollback='' sc_apply='' sc_apply_off='' ws_peak='' sc_peak=''
for round in $(seq 1 "${WRITE_ROUNDS:-2}"); do
  rm -f "$WORK/undo.jsonl"
  peak_start
  t0=$(now); wsusfix apply -p "$WORK/bench.yaml" --target "$TARGET" --yes --undo "$WORK/undo.jsonl" > "$WORK/apply.out"; t1=$(now)
  ws_peak=$(max "$ws_peak" "$(peak_stop)")
  ws_apply=$(min "$ws_apply" "$(secs "$t0" "$t1")")
  tr -d , < "$WORK/apply.out" | grep -q "($((py_paths - 1)) descendants rewritten)" || { tail -3 "$WORK/apply.out" >&2; die "wsusfix apply did not rewrite every descendant"; }
  if [ "$round" = 1 ]; then
    ws_child=$(wsusfix show "C:\\$CHILD" --target "$TARGET" | sed -n 's/^  SDDL: //p')
    ws_child_smbcacls=$(child_sddl)
  fi
  t0=$(now); wsusfix rollback "$WORK/undo.jsonl" --yes --target "$TARGET" > "$WORK/rollback.out"; t1=$(now)
  ws_rollback=$(min "$ws_rollback" "$(secs "$t0" "$t1")")
  py compare > "$WORK/compare1.out" || { cat "$WORK/compare1.out" >&2; die "wsusfix rollback did not restore the bench tree"; }

  smbcacls_apply sign
  sc_apply=$(min "$sc_apply" "$SC_TIME")
  sc_peak=$(max "$sc_peak" "$SC_PEAK")
  [ "$round" = 1 ] && sc_child=$(child_sddl)
  py restore
  py compare > "$WORK/compare2.out" || { cat "$WORK/compare2.out" >&2; die "could not put the bench tree back after smbcacls"; }
  smbcacls_apply off
  sc_apply_off=$(min "$sc_apply_off" "$SC_TIME")
  py restore
  py compare > "$WORK/compare3.out" || { cat "$WORK/compare3.out" >&2; die "could not put the bench tree back after smbcacls"; }
done

ratio() { echo "scale=2; $1 / $2" | bc -l | sed 's/^\./0./'; }
printf '\n(a) read every descriptor of %d paths, signed (best of %d rounds each)\n' "$py_paths" "${ROUNDS:-3}"
printf '    python3-samba get_acl loop, signing required %7.2f s   (unsigned: %.2f s)\n' "$py_read" "$py_read_off"
printf '    wsusfix plan (signed)                        %7.2f s   ratio %sx (target <= 1.0x)\n' "$ws_plan" "$(ratio "$ws_plan" "$py_read")"
printf '(b) grant Users RX (OI)(CI) on %s and propagate to %d descendants, signed (best of %d rounds each)\n' "$LAB_BENCH_DIR" "$((py_paths - 1))" "${WRITE_ROUNDS:-2}"
printf '    smbcacls --client-protection=sign --propagate-inheritance -a %7.2f s   (off: %.2f s)   peak open %s   child: %s\n' \
  "$sc_apply" "$sc_apply_off" "$sc_peak" "$(ai_of "$sc_child")"
printf '    wsusfix apply --yes (signed)                                 %7.2f s   ratio %sx (target <= 0.5x)   child: %s (smbcacls sees: %s)\n' \
  "$ws_apply" "$(ratio "$ws_apply" "$sc_apply")" "$(ai_of "$ws_child")" "$(ai_of "$ws_child_smbcacls")"
printf '(c) peak files open on the server during wsusfix apply: %s (target <= 256; sampled with smbstatus -L)\n' "$ws_peak"
printf '    (wsusfix rollback --yes             %7.2f s; bench tree restored and compared after each tool)\n' "$ws_rollback"
printf '    child after wsusfix:  %s\n    child after smbcacls: %s\n' "$ws_child" "$sc_child"
