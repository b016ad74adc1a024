#!/usr/bin/env bash
# Benchmarks `wsusfix diagnose --procmon` on a Process Monitor CSV of at least 1 GB, made by
# repeating a sample export, against two references measured in the same run on the same file:
#   grep -c '"ACCESS DENIED"'            target: diagnose takes at most 2x as long
#   a Python csv-module grouping script  target: diagnose is at least 10x faster
# The Java heap is capped with -Xmx256m; the run fails if the reader needs more. Times are the
# best of a few rounds of wall-clock time of the whole process.
#
# Usage: scripts/bench-procmon.sh [SAMPLE.CSV [SIZE_MB]]
#   SAMPLE.CSV  default ../shared/samples/procmon/procmon-parser_UTC64Registry_slice_accessdenied.CSV
#   SIZE_MB     default 1100
# Environment: BENCH_DIR (default /tmp/wsusfix-bench) holds the generated file; it is reused.
#   BENCH_JAVA_OPTS replaces the JVM options of the first diagnose run (default: the launcher's
#   own plus -Xmx256m); a second run uses the full JIT (C1 and C2) for comparison.
set -euo pipefail
cd "$(dirname "$0")/.."

sample=${1:-../shared/samples/procmon/procmon-parser_UTC64Registry_slice_accessdenied.CSV}
size_mb=${2:-1100}
work=${BENCH_DIR:-/tmp/wsusfix-bench}
python=/usr/bin/python3
java_opts=${BENCH_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Xmx256m}
java_opts_full="-XX:+UseSerialGC -Xshare:auto -Xmx256m"

[ -f "$sample" ] || { echo "bench-procmon: sample $sample not found" >&2; exit 1; }
[ -x "$python" ] || { echo "bench-procmon: $python is needed for the reference script" >&2; exit 1; }
[ "$size_mb" -ge 1024 ] || echo "bench-procmon: note: $size_mb MB is below the 1 GB the benchmark is meant for" >&2
if [ ! -f target/wsusfix.jar ]; then
  mvn -B -q -DskipTests package
fi
mkdir -p "$work"

# ---- the input: header once, then the sample's rows over and over -----------------------------
big="$work/$(basename "$sample" .CSV)-x${size_mb}MB.csv"
target_bytes=$((size_mb * 1024 * 1024))
if [ ! -f "$big" ] || [ "$(stat -c %s "$big")" -lt "$target_bytes" ]; then
  echo "building $big ..."
  body="$work/body.$$"
  tail -n +2 "$sample" > "$body"
  # Grow a block to ~64 MB first, so the final file takes few appends.
  block="$work/block.$$"
  cp "$body" "$block"
  while [ "$(stat -c %s "$block")" -lt $((64 * 1024 * 1024)) ]; do
    cat "$block" "$block" > "$block.2" && mv "$block.2" "$block"
  done
  head -n 1 "$sample" > "$big.tmp"
  while [ "$(stat -c %s "$big.tmp")" -lt "$target_bytes" ]; do
    cat "$block" >> "$big.tmp"
  done
  mv "$big.tmp" "$big"
  rm -f "$body" "$block"
fi
bytes=$(stat -c %s "$big")

# ---- the Python reference: the same grouping with the csv module ------------------------------
pyscript="$work/group_denied.py"
cat > "$pyscript" <<'PY'
import csv
import sys
from collections import Counter

INTERESTING = {"ACCESS DENIED", "PRIVILEGE NOT HELD", "BAD IMPERSONATION"}


def impersonating(detail):
    for part in detail.split(", "):
        if part.startswith("Impersonating: "):
            return part[len("Impersonating: "):]
    return None


def folder(path, detail, operation):
    p = path.rstrip("\\")
    if len(p) < 3 or p[1:3] != ":\\":
        return p
    directory = ", Directory," in ", " + detail.replace("Options: ", "") + "," or operation in (
        "QueryDirectory", "NotifyChangeDirectory")
    last = p.rsplit("\\", 1)[-1]
    dot = last.rfind(".")
    ext = last[dot + 1:] if dot > 0 else ""
    looks_file = bool(ext) and len(ext) <= 9 and ext.isalnum() and any(c.isalpha() for c in ext) \
        and last.lower() != "microsoft.net"
    if directory or not looks_file:
        return p
    return p.rsplit("\\", 1)[0]


groups = Counter()
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    for row in csv.DictReader(f):
        result = row["Result"]
        if result not in INTERESTING:
            continue
        detail = row.get("Detail", "")
        who = impersonating(detail) or row.get("User", "")
        key = (result, row["Process Name"].lower(), who.lower(),
               folder(row["Path"], detail, row["Operation"]).lower(), row["Operation"])
        groups[key] += 1
denied = sum(n for k, n in groups.items() if k[0] == "ACCESS DENIED")
print(len(groups), denied)
PY

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

echo "input: $big ($((bytes / 1024 / 1024)) MB)"
cat "$big" > /dev/null   # all three runs read from the page cache

json="$work/diagnose.json"
timelog="$work/diagnose.time"
# Runs the whole diagnose process; sets diag_s, diag_denied, diag_groups, rss_mb.
run_diagnose() {
  local opts=$1 t0 t1 rc=0
  t0=$(now)
  WSUSFIX_JAVA_OPTS="$opts" /usr/bin/time -f '%M' -o "$timelog" \
    scripts/wsusfix diagnose --procmon "$big" --json > "$json" || rc=$?
  t1=$(now)
  if [ "$rc" -ne 3 ] && [ "$rc" -ne 0 ]; then
    echo "bench-procmon: diagnose failed with exit code $rc" >&2
    exit 1
  fi
  diag_s=$(elapsed "$t0" "$t1")
  diag_denied=$("$python" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(x["count"] for x in d["deniedPaths"]))' "$json")
  diag_groups=$("$python" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(len(d[k]) for k in ("deniedPaths","privilegeNotHeld","badImpersonation")))' "$json")
  rss_mb=$(( $(tail -n 1 "$timelog") / 1024 ))
}
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }
# Best of BENCH_ROUNDS (default 3) rounds, the three commands taking turns, so a busy machine
# disturbs them alike.
grep_s= full_s= best_s=
for _ in $(seq "${BENCH_ROUNDS:-3}"); do
  t0=$(now)
  grep_count=$(grep -c '"ACCESS DENIED"' "$big" || true)
  t1=$(now)
  grep_s=$(min "$grep_s" "$(elapsed "$t0" "$t1")")
  run_diagnose "$java_opts_full"
  full_s=$(min "$full_s" "$diag_s") full_denied=$diag_denied full_groups=$diag_groups full_rss=$rss_mb
  run_diagnose "$java_opts"
  best_s=$(min "$best_s" "$diag_s")
done
diag_s=$best_s

t0=$(now)
read -r py_groups py_denied < <("$python" "$pyscript" "$big")
t1=$(now)
py_s=$(elapsed "$t0" "$t1")

echo
printf '%-34s %8s s   %s\n' "grep -c '\"ACCESS DENIED\"'" "$grep_s" "$grep_count lines"
printf '%-34s %8s s   %s denied events, %s groups, max RSS %s MB (%s)\n' \
  "wsusfix diagnose --procmon --json" "$diag_s" "$diag_denied" "$diag_groups" "$rss_mb" "$java_opts"
printf '%-34s %8s s   %s denied events, %s groups, max RSS %s MB (%s)\n' \
  "  same, full JIT" "$full_s" "$full_denied" "$full_groups" "$full_rss" "$java_opts_full"
printf '%-34s %8s s   %s denied events, %s groups\n' "python3 csv module grouping" "$py_s" "$py_denied" "$py_groups"
echo
awk -v d="$diag_s" -v f="$full_s" -v g="$grep_s" -v p="$py_s" 'BEGIN {
  printf "diagnose / grep   = %.2fx  (full JIT %.2fx)  target <= 2\n", d / g, f / g
  printf "python / diagnose = %.1fx  (full JIT %.1fx)  target >= 10\n", p / d, p / f
}'
if [ "$diag_denied" != "$grep_count" ] || [ "$diag_denied" != "$py_denied" ] \
    || [ "$diag_groups" != "$py_groups" ] || [ "$full_denied" != "$diag_denied" ]; then
  echo "bench-procmon: the three counts differ" >&2
  exit 1
fi
