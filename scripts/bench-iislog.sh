#!/usr/bin/env bash
# Benchmarks `wsusfix diagnose --iis-log F --json` on a generated IIS W3C log of at least 1 GB
# (WSUS traffic: client syncs, content downloads, console challenges, a small share of 401.3)
# against `grep -c ' 401 3 '` on the same file in the same run, and prints the ratio. The Java
# heap is capped with -Xmx256m. Times are the best of a few rounds of wall-clock time of the whole
# process, so JVM start-up is included.
#
# Usage: scripts/bench-iislog.sh [SIZE_MB]     (default 1100)
# Environment: BENCH_DIR (default /tmp/wsusfix-bench) holds the generated log; it is reused.
#   BENCH_ROUNDS (default 3).
set -euo pipefail
cd "$(dirname "$0")/.."

size_mb=${1:-1100}
work=${BENCH_DIR:-/tmp/wsusfix-bench}
python=/usr/bin/python3
# the launcher's own options (C1 only) plus the heap cap; a second run has the full JIT
java_opts="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Xmx256m"
java_opts_full="-XX:+UseSerialGC -Xshare:auto -Xmx256m"

[ -x "$python" ] || { echo "bench-iislog: $python is needed to generate the log" >&2; exit 1; }
[ "$size_mb" -ge 1024 ] || echo "bench-iislog: note: $size_mb MB is below the 1 GB the benchmark is meant for" >&2
if [ ! -f target/wsusfix.jar ]; then
  mvn -B -q -DskipTests package
fi
mkdir -p "$work"

# ---- the input: a day of WSUS traffic, directive blocks where IIS restarted logging ------------
log="$work/u_ex261120-${size_mb}MB.log"
if [ ! -f "$log" ] || [ "$(stat -c %s "$log")" -lt $((size_mb * 1024 * 1024)) ]; then
  echo "generating $log ..."
  "$python" - "$log.tmp" "$((size_mb * 1024 * 1024))" <<'PY'
import random
import sys

out, target = sys.argv[1], int(sys.argv[2])
rnd = random.Random(8530)
FIELDS = ("date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "
          "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken")
WUA = "Windows-Update-Agent/10.0.10011.16384+Client-Protocol/2.50"
BITS = "Microsoft+BITS/7.8"
CONSOLE = "Mozilla/4.0+(compatible;+MSIE+6.0;+MS+Web+Services+Client+Protocol+4.0.30319.42000)"
clients = ["10.%d.%d.%d" % (rnd.randrange(1, 4), rnd.randrange(256), rnd.randrange(1, 255))
           for _ in range(5000)]
hexd = "0123456789ABCDEF"


def header(day, hhmmss):
    return ("#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n"
            "#Date: %s %s\r\n#Fields: %s\r\n" % (day, hhmmss, FIELDS))


def cab():
    h = "".join(rnd.choice(hexd) for _ in range(40))
    return "/Content/%s/%s.cab" % (h[-2:], h)


with open(out, "w", newline="") as f:
    written = 0
    day = "2026-11-20"
    f.write(header(day, "00:00:00"))
    second = 0
    lines = 0
    buf = []
    while written < target:
        lines += 1
        if lines % 2000 == 0:
            second += 1
        t = "%s %02d:%02d:%02d" % (day, second // 3600 % 24, second // 60 % 60, second % 60)
        c = rnd.choice(clients)
        r = rnd.random()
        if r < 0.55:
            rows = [("POST", "/ClientWebService/client.asmx", "-", WUA, 200, 0, 0)]
        elif r < 0.72:
            rows = [("GET", cab(), "-", BITS, rnd.choice((200, 206, 206)), 0, 0)]
        elif r < 0.80:
            rows = [("POST", "/SimpleAuthWebService/SimpleAuth.asmx", "-", WUA, 200, 0, 0)]
        elif r < 0.86:
            rows = [("POST", "/ReportingWebService/ReportingWebService.asmx", "-", WUA, 200, 0, 0)]
        elif r < 0.90:
            rows = [("GET", "/selfupdate/wuident.cab", "-", WUA, rnd.choice((200, 304)), 0, 0)]
        elif r < 0.92:
            # the console's NTLM exchange: 401.2, 401.1, 200
            c = "10.0.0.%d" % rnd.randrange(5, 9)
            rows = [("POST", "/ApiRemoting30/WebService.asmx", "-", CONSOLE, 401, 2, 2148074254),
                    ("POST", "/ApiRemoting30/WebService.asmx", "-", CONSOLE, 401, 1, 0),
                    ("POST", "/ApiRemoting30/WebService.asmx", "CONTOSO\\wsusadmin", CONSOLE, 200, 0, 0)]
        elif r < 0.925:
            rows = [("POST", "/ClientWebService/client.asmx", "-", WUA, 401, 3, 5)]
        elif r < 0.926:
            rows = [("GET", "/selfupdate/wuident.cab", "-", WUA, 503, 0, 0)]
        elif r < 0.94:
            rows = [("GET", cab(), "-", BITS, 404, 0, 2)]
        else:
            rows = [("GET", "/iisstart.htm", "-", "Mozilla/5.0", 200, 0, 0)]
        for method, stem, user, agent, status, sub, win32 in rows:
            taken = rnd.choice((0, 15, 31, 46, 62, 401, 503, 1203))
            buf.append("%s 10.0.0.5 %s %s - 8530 %s %s %s - %d %d %d %d\r\n"
                       % (t, method, stem, user, c, agent, status, sub, win32, taken))
        if lines % 800000 == 0:
            buf.append(header(day, t[11:]))  # IIS restarted logging
        if len(buf) >= 20000:
            s = "".join(buf)
            f.write(s)
            written += len(s)
            buf = []
    f.write("".join(buf))
PY
  mv "$log.tmp" "$log"
fi
bytes=$(stat -c %s "$log")

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }

echo "input: $log ($((bytes / 1024 / 1024)) MB)"
cat "$log" > /dev/null   # every run reads from the page cache

json="$work/iislog.json"
timelog="$work/iislog.time"
run_diagnose() {
  local opts=$1 t0 t1 rc=0
  t0=$(now)
  WSUSFIX_JAVA_OPTS="$opts" /usr/bin/time -f '%M' -o "$timelog" \
    scripts/wsusfix diagnose --iis-log "$log" --json > "$json" || rc=$?
  t1=$(now)
  if [ "$rc" -ne 3 ] && [ "$rc" -ne 0 ]; then
    echo "bench-iislog: diagnose failed with exit code $rc" >&2
    exit 1
  fi
  diag_s=$(elapsed "$t0" "$t1")
  diag_401_3=$("$python" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(x["count"] for x in d["iis"] if x["httpStatus"] == 401 and x["subStatus"] == 3))' "$json")
  diag_handshakes=$("$python" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(x["count"] for x in d["iis"] if x["kind"] == "handshake"))' "$json")
  rss_mb=$(( $(tail -n 1 "$timelog") / 1024 ))
}

grep_s= best_s= full_s=
for _ in $(seq "${BENCH_ROUNDS:-3}"); do
  t0=$(now)
  grep_count=$(grep -c ' 401 3 ' "$log" || true)
  t1=$(now)
  grep_s=$(min "$grep_s" "$(elapsed "$t0" "$t1")")
  run_diagnose "$java_opts"
  best_s=$(min "$best_s" "$diag_s") best_rss=$rss_mb
  run_diagnose "$java_opts_full"
  full_s=$(min "$full_s" "$diag_s") full_rss=$rss_mb
done
challenge_lines=$(grep -c ' 401 [12] ' "$log" || true)

echo
printf '%-40s %7s s   %s lines\n' "grep -c ' 401 3 '" "$grep_s" "$grep_count"
printf '%-40s %7s s   %s 401.3, %s challenge 401s answered (of %s), max RSS %s MB (%s)\n' \
  "wsusfix diagnose --iis-log --json" "$best_s" "$diag_401_3" "$diag_handshakes" "$challenge_lines" \
  "$best_rss" "$java_opts"
printf '%-40s %7s s   max RSS %s MB (%s)\n' "  same, full JIT" "$full_s" "$full_rss" "$java_opts_full"
awk -v d="$best_s" -v f="$full_s" -v g="$grep_s" -v b="$bytes" 'BEGIN {
  printf "diagnose / grep = %.2fx  (full JIT %.2fx); diagnose reads %.0f MB/s\n", d / g, f / g, b / 1048576 / (d < f ? d : f)
}'
if [ "$diag_401_3" != "$grep_count" ]; then
  echo "bench-iislog: diagnose counted $diag_401_3 401.3 responses, grep $grep_count" >&2
  exit 1
fi
if [ "$diag_handshakes" != "$challenge_lines" ]; then
  echo "bench-iislog: $diag_handshakes of $challenge_lines challenge 401s were matched to their 200" >&2
  exit 1
fi
