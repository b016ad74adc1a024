#!/usr/bin/env bash
# Whole-process start-up of `wsusfix plan` (shipped policy, example snapshot) against a Java
# hello-world, measured in the same run, alternating, median of N runs each.
# Usage: scripts/bench-startup.sh [N]   (default 15). Builds the jar when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-15}
[ -f target/wsusfix.jar ] || mvn -B -q -DskipTests package
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/Hello.java" <<'JAVA'
public class Hello { public static void main(String[] a) { System.out.println("hello"); } }
JAVA
javac -d "$work" "$work/Hello.java"
scripts/wsusfix --version >/dev/null   # records the class-data archive once, outside the timing
target="snapshot:examples/wsus01-broken.icacls?computer=WSUS01"
now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
: > "$work/hello.ms"; : > "$work/plan.ms"
for _ in $(seq "$n"); do
  t0=$(now); java -Xshare:auto -cp "$work" Hello >/dev/null; t1=$(now)
  echo $(( (t1 - t0) / 1000000 )) >> "$work/hello.ms"
  t0=$(now); scripts/wsusfix plan -p wsus-iis6 --target "$target" >/dev/null || [ $? -eq 2 ]; t1=$(now)
  echo $(( (t1 - t0) / 1000000 )) >> "$work/plan.ms"
done
h=$(median < "$work/hello.ms"); p=$(median < "$work/plan.ms")
echo "hello-world: ${h} ms (median of $n)"
echo "wsusfix plan: ${p} ms (median of $n)"
awk -v p="$p" -v h="$h" 'BEGIN { printf "ratio: %.2fx (target <= 8x)\n", p / h }'
