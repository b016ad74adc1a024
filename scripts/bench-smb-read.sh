#!/usr/bin/env bash
# bench-smb-read.sh [N] - time per security-descriptor read over SMB against the Samba lab:
# wsusfix's SmbConnection.readDescriptor vs a python3-samba loop of Conn.get_acl over the same N
# files (same machine, same lab, one session each, owner+group+DACL). Default N=1000.
# Needs the lab with at least N bench files: sudo scripts/samba-lab.sh start --files N
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
LAB=${WSUSFIX_LAB_DIR:-/tmp/wsusfix-lab}
[ -f "$LAB/env" ] || { echo "bench-smb-read: the lab is not running; start it: sudo scripts/samba-lab.sh start --files $N" >&2; exit 1; }
# shellcheck disable=SC1091
. "$LAB/env"
[ "$LAB_BENCH_FILES" -ge "$N" ] || { echo "bench-smb-read: the lab has $LAB_BENCH_FILES bench files; restart it: sudo scripts/samba-lab.sh start --files $N" >&2; exit 1; }

mvn -B -q test-compile
CP_FILE=target/bench-classpath.txt
mvn -B -q dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >/dev/null
java -cp "target/classes:target/test-classes:$(cat "$CP_FILE")" org.wsusfix.machine.smb.SmbReadBench \
  "$LAB_HOST" "$LAB_PORT" "$LAB_SHARE" "$LAB_ADMIN_USER" "$LAB_ADMIN_PASSWORD" "$LAB_BENCH_DIR" "$N"

/usr/bin/python3 - "$LAB_CONF" "$LAB_HOST" "$LAB_SHARE" "$LAB_ADMIN_USER" "$LAB_ADMIN_PASSWORD" "$LAB_ROOT/$LAB_BENCH_DIR" "$LAB_BENCH_DIR" "$N" <<'PYEOF'
import os, sys, time
from samba import credentials
from samba.samba3 import libsmb_samba_internal as libsmb
from samba.samba3 import param as s3param
conf, host, share, user, password, local_dir, remote_dir, n = sys.argv[1:]
n = int(n)
lp = s3param.get_context()
lp.load(conf)
creds = credentials.Credentials()
creds.guess(lp)
creds.set_username(user)
creds.set_password(password)
conn = libsmb.Conn(host, share, lp, creds)
files = sorted(remote_dir + "\\" + d + "\\" + f
               for d in os.listdir(local_dir) for f in os.listdir(os.path.join(local_dir, d)))[:n]
OWNER_GROUP_DACL = 0x1 | 0x2 | 0x4
for f in files[:100]:
    conn.get_acl(f, OWNER_GROUP_DACL)
lat = []
t0 = time.perf_counter()
for f in files:
    s = time.perf_counter()
    conn.get_acl(f, OWNER_GROUP_DACL)
    lat.append(time.perf_counter() - s)
total = time.perf_counter() - t0
lat.sort()
print("python3-samba Conn.get_acl:   %d files in %.1f ms: %.3f ms per descriptor (p50 %.3f, p99 %.3f, max %.3f ms)"
      % (n, total * 1e3, total * 1e3 / n, lat[n // 2] * 1e3, lat[int(n * 0.99)] * 1e3, lat[-1] * 1e3))
PYEOF
