#!/usr/bin/env bash
# Benchmarks `wsusfix diagnose --iis-log F --json` on two generated IIS W3C logs of at least 1 GB
# against `grep -c ' 401 3 '` on the same file in the same run, and prints the ratio for each:
#   mixed   a day of healthy WSUS traffic (client syncs, content downloads, console challenges)
#           with a small share of 401.3
#   broken  the log of a server with the ACL fault: 70% of the lines are 401.3 (four in five on
#           ClientWebService, the rest on SimpleAuthWebService) from 40 clients, with the longer
#           field set administrators pick for troubleshooting (about 3.5 million 401.3 lines)
# The Java heap is capped with -Xmx256m. Times are the best of a few rounds of wall-clock time of
# the whole process, so JVM start-up is included. The generated logs are deleted at the end.
#
# Usage: scripts/bench-iislog.sh [SIZE_MB]     (default 1200)
# Environment: BENCH_DIR (default: a new folder under /tmp) holds the generated logs; a folder
#   given here is kept, with its logs, for the next run. BENCH_ROUNDS (default 3).
#   BENCH_SHAPES (default "mixed broken") picks the logs.
set -euo pipefail
cd "$(dirname "$0")/.."

size_mb=${1:-1200}
if [ -n "${BENCH_DIR:-}" ]; then
  work=$BENCH_DIR
  mkdir -p "$work"
else
  work=$(mktemp -d /tmp/wsusfix-bench-iislog.XXXXXX)
  trap 'rm -rf "$work"' EXIT
fi
python=/usr/bin/python3
# the launcher's own options (C1 only) plus the heap cap; a second run has the full JIT
java_opts="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Xmx256m"
java_opts_full="-XX:+UseSerialGC -Xshare:auto -Xmx256m"

[ -x "$python" ] || { echo "bench-iislog: $python is needed to generate the logs" >&2; exit 1; }
[ "$size_mb" -ge 1024 ] || echo "bench-iislog: note: $size_mb MB is below the 1 GB the benchmark is meant for" >&2
if [ ! -f target/wsusfix.jar ]; then
  mvn -B -q -DskipTests package
fi

# ---- the inputs: directive blocks where IIS restarted logging ---------------------------------
generate() {
  local shape=$1 out=$2
  echo "generating $out ..."
  "$python" - "$out.tmp" "$((size_mb * 1024 * 1024))" "$shape" <<'PY'
import random
import sys

out, target, shape = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rnd = random.Random(8530)
FIELDS = ("date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "
          "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken")
if shape == "broken":
    FIELDS = ("date time s-sitename s-computername s-ip cs-method cs-uri-stem cs-uri-query s-port "
              "cs-username c-ip cs-version cs(User-Agent) cs(Cookie) cs(Referer) cs-host sc-status "
              "sc-substatus sc-win32-status sc-bytes cs-bytes time-taken")
WUA = "Windows-Update-Agent/10.0.10011.16384+Client-Protocol/2.50"
BITS = "Microsoft+BITS/7.8"
CONSOLE = "Mozilla/4.0+(compatible;+MSIE+6.0;+MS+Web+Services+Client+Protocol+4.0.30319.42000)"
if shape == "broken":
    clients = ["10.%d.%d.%d" % (rnd.randrange(1, 4), rnd.randrange(256), rnd.randrange(1, 255))
               for _ in range(40)]
else:
    clients = ["10.%d.%d.%d" % (rnd.randrange(1, 4), rnd.randrange(256), rnd.randrange(1, 255))
               for _ in range(5000)]
hexd = "0123456789ABCDEF"


def header(day, hhmmss):
    return ("#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n"
            "#Date: %s %s\r\n#Fields: %s\r\n" % (day, hhmmss, FIELDS))


def cab():
    h = "".join(rnd.choice(hexd) for _ in range(40))
    return "/Content/%s/%s.cab" % (h[-2:], h)


def mixed(c):
    r = rnd.random()
    if r < 0.55:
        return [("POST", "/ClientWebService/client.asmx", "-", WUA, 200, 0, 0)]
    if r < 0.72:
        return [("GET", cab(), "-", BITS, rnd.choice((200, 206, 206)), 0, 0)]
    if r < 0.80:
        return [("POST", "/SimpleAuthWebService/SimpleAuth.asmx", "-", WUA, 200, 0, 0)]
    if r < 0.86:
        return [("POST", "/ReportingWebService/ReportingWebService.asmx", "-", WUA, 200, 0, 0)]
    if r < 0.90:
        return [("GET", "/selfupdate/wuident.cab", "-", WUA, rnd.choice((200, 304)), 0, 0)]
    if r < 0.92:
        # the console's NTLM exchange: 401.2, 401.1, 200
        return [("POST", "/ApiRemoting30/WebService.asmx", "-", CONSOLE, 401, 2, 2148074254),
                ("POST", "/ApiRemoting30/WebService.asmx", "-", CONSOLE, 401, 1, 0),
                ("POST", "/ApiRemoting30/WebService.asmx", "CONTOSO\\wsusadmin", CONSOLE, 200, 0, 0)]
    if r < 0.925:
        return [("POST", "/ClientWebService/client.asmx", "-", WUA, 401, 3, 5)]
    if r < 0.926:
        return [("GET", "/selfupdate/wuident.cab", "-", WUA, 503, 0, 0)]
    if r < 0.94:
        return [("GET", cab(), "-", BITS, 404, 0, 2)]
    return [("GET", "/iisstart.htm", "-", "Mozilla/5.0", 200, 0, 0)]


def broken(c):
    # every sync is refused: 70% of the lines, four in five on ClientWebService
    r = rnd.random()
    if r < 0.56:
        return [("POST", "/ClientWebService/client.asmx", "-", WUA, 401, 3, 5)]
    if r < 0.70:
        return [("POST", "/SimpleAuthWebService/SimpleAuth.asmx", "-", WUA, 401, 3, 5)]
    if r < 0.85:
        return [("GET", cab(), "-", BITS, rnd.choice((200, 206, 206)), 0, 0)]
    if r < 0.93:
        return [("POST", "/ReportingWebService/ReportingWebService.asmx", "-", WUA, 200, 0, 0)]
    return [("GET", "/selfupdate/wuident.cab", "-", WUA, rnd.choice((200, 304)), 0, 0)]


rows_for = broken if shape == "broken" else mixed
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
        rows = rows_for(c)
        if rows[0][3] == CONSOLE:
            c = "10.0.0.%d" % rnd.randrange(5, 9)
        for method, stem, user, agent, status, sub, win32 in rows:
            taken = rnd.choice((0, 15, 31, 46, 62, 401, 503, 1203))
            if shape == "broken":
                buf.append("%s W3SVC1197933354 WSUS01 10.0.0.5 %s %s - 8530 %s %s HTTP/1.1 %s - - "
                           "wsus01.corp.contoso.com:8530 %d %d %d %d %d %d\r\n"
                           % (t, method, stem, user, c, agent, status, sub, win32,
                              rnd.choice((1293, 1306, 5120)), rnd.choice((1845, 2310, 3920)), taken))
            else:
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
  mv "$out.tmp" "$out"
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }

json="$work/iislog.json"
timelog="$work/iislog.time"
run_diagnose() {
  local log=$1 opts=$2 t0 t1 rc=0
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

# Measures one log; appends its line to the summary.
summary=()
failed=0
bench() {
  local shape=$1 log="$work/u_ex261120-$1-${size_mb}MB.log" bytes
  if [ ! -f "$log" ] || [ "$(stat -c %s "$log")" -lt $((size_mb * 1024 * 1024)) ]; then
    generate "$shape" "$log"
  fi
  bytes=$(stat -c %s "$log")
  echo
  echo "input ($shape): $log ($((bytes / 1024 / 1024)) MB)"
  cat "$log" > /dev/null   # every run reads from the page cache
  local grep_s= best_s= full_s= grep_count best_rss full_rss challenge_lines
  for _ in $(seq "${BENCH_ROUNDS:-3}"); do
    t0=$(now)
    grep_count=$(grep -c ' 401 3 ' "$log" || true)
    t1=$(now)
    grep_s=$(min "$grep_s" "$(elapsed "$t0" "$t1")")
    run_diagnose "$log" "$java_opts"
    best_s=$(min "$best_s" "$diag_s") best_rss=$rss_mb
    run_diagnose "$log" "$java_opts_full"
    full_s=$(min "$full_s" "$diag_s") full_rss=$rss_mb
  done
  challenge_lines=$(grep -c ' 401 [12] ' "$log" || true)
  printf '%-40s %7s s   %s lines\n' "grep -c ' 401 3 '" "$grep_s" "$grep_count"
  printf '%-40s %7s s   %s 401.3, %s challenge 401s answered (of %s), max RSS %s MB (%s)\n' \
    "wsusfix diagnose --iis-log --json" "$best_s" "$diag_401_3" "$diag_handshakes" "$challenge_lines" \
    "$best_rss" "$java_opts"
  printf '%-40s %7s s   max RSS %s MB (%s)\n' "  same, full JIT" "$full_s" "$full_rss" "$java_opts_full"
  summary+=("$(awk -v s="$shape" -v d="$best_s" -v f="$full_s" -v g="$grep_s" -v b="$bytes" 'BEGIN {
    printf "%-7s diagnose / grep = %.2fx  (full JIT %.2fx); diagnose reads %.0f MB/s", s, d / g, f / g, b / 1048576 / (d < f ? d : f)
  }')")
  if [ "$diag_401_3" != "$grep_count" ]; then
    echo "bench-iislog: $shape: diagnose counted $diag_401_3 401.3 responses, grep $grep_count" >&2
    failed=1
  fi
  if [ "$diag_handshakes" != "$challenge_lines" ]; then
    echo "bench-iislog: $shape: $diag_handshakes of $challenge_lines challenge 401s were matched to their 200" >&2
    failed=1
  fi
  [ -n "${BENCH_DIR:-}" ] || rm -f "$log"
}

for shape in ${BENCH_SHAPES:-mixed broken}; do
  bench "$shape"
done
echo
printf '%s\n' "${summary[@]}"
exit "$failed"
