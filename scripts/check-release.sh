#!/usr/bin/env bash
# Checks the release archive that `mvn -B -Prelease -DskipTests package` left in target/ as a user
# would meet it: verify its SHA-256 file, unpack it elsewhere, and run bin/wsusfix with no java on
# PATH (and JAVA_HOME unset). Also checks that the shipped class-data cache is the one used and
# that running writes nothing into the release folder, and, with the release's own runtime, what
# the SMB target needs from the trimmed jar (target/test-classes: ShadedJarProbe).
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
archives=(target/wsusfix-*-linux-x64.tar.gz)
[ ${#archives[@]} = 1 ] || { echo "check-release: expected one target/wsusfix-*-linux-x64.tar.gz, found ${#archives[@]}" >&2; exit 1; }
archive=${archives[0]}
name=$(basename "$archive" -linux-x64.tar.gz)
project=$(pwd)
fail() { echo "check-release: $*" >&2; exit 1; }

(cd target && sha256sum -c "$(basename "$archive").sha256") || fail "SHA-256 does not match"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xzf "$archive" -C "$work"
home="$work/$name"
[ -x "$home/bin/wsusfix" ] || fail "$name/bin/wsusfix is missing or not executable"

# PATH without java: a folder that has one (/usr/bin, with sh and the rest) is replaced by a copy
# of its links without java*
nojava=
n=0
IFS=: read -r -a dirs <<<"$PATH"
for d in "${dirs[@]}"; do
  [ -n "$d" ] && [ -d "$d" ] || continue
  if ls "$d"/java* >/dev/null 2>&1; then
    n=$((n + 1))
    shadow="$work/path$n"
    mkdir "$shadow"
    for f in "$d"/*; do
      case "${f##*/}" in java*) ;; *) ln -s "$f" "$shadow/" ;; esac
    done
    d=$shadow
  fi
  nojava="${nojava:+$nojava:}$d"
done
run() { env -u JAVA_HOME -u JAVA -u WSUSFIX_JAVA_OPTS PATH="$nojava" "$@"; }
run sh -c 'command -v java' >/dev/null && fail "java is still on the stripped PATH"

marker="$work/marker"
touch "$marker"
sleep 1   # file times have one-second resolution on some file systems

cd "$home"
set +e
out=$(run bin/wsusfix plan -p wsus-iis6 --target 'snapshot:examples/wsus01-broken.icacls?computer=WSUS01' 2>&1)
rc=$?
set -e
[ "$rc" = 2 ] || fail "plan exited $rc, expected 2 (changes needed): $out"
grep -qF '+ allow BUILTIN\Users' <<<"$out" || fail "plan does not add BUILTIN\\Users: $out"
grep -qF 'IUSR_WSUS01' <<<"$out" || fail "plan does not name IUSR_WSUS01: $out"
echo "check-release: bin/wsusfix plan without java on PATH: exit 2, the Framework fix"
for script in intune/Detect-WsusfixCompliance.ps1 intune/Remediate-WsusfixCompliance.ps1 \
    configmgr/Discover-WsusfixCompliance.ps1 configmgr/Remediate-WsusfixCompliance.ps1; do
  [ -f "integrations/$script" ] || fail "integrations/$script is missing from the archive"
done

# AOTMode=on makes the JVM fail where the launcher's default (auto) would quietly do without the cache
WSUSFIX_JAVA_OPTS='-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:AOTMode=on' PATH="$nojava" \
  bin/wsusfix --version >/dev/null 2>&1 || fail "lib/wsusfix.aot is not usable from the unpacked folder"
set +e
err=$(run bin/wsusfix diagnose --wu-log examples/client-WindowsUpdate.log --procmon examples/wsus01-procmon.csv 2>&1 >/dev/null)
rc=$?
set -e
[ "$rc" = 3 ] || fail "diagnose on the examples exited $rc, expected 3 (findings): $err"
[ -z "$err" ] || fail "diagnose printed on stderr (a JVM warning?): $err"
echo 'O:BAG:SYD:PAI(A;OICI;0x1200a9;;;BU)' | run bin/wsusfix sddl convert --from sddl --to text >/dev/null \
  || fail "sddl convert failed"
written=$(find "$home" -newer "$marker" -print)
[ -z "$written" ] || fail "running the release wrote into it: $written"
echo "check-release: class-data cache mapped, diagnose and sddl convert run, nothing written"

if [ -d "$project/target/test-classes/org/wsusfix/release" ]; then
  probe=$(run runtime/bin/java -cp "lib/wsusfix.jar:$project/target/test-classes" org.wsusfix.release.ShadedJarProbe 2>&1) \
    || fail "the SMB libraries in the jar or the runtime's modules fall short: $probe"
  echo "check-release: smbj's algorithms, an SMB client and dcerpc run from the jar on the release runtime"
elif [ "${CI:-}" = true ]; then
  fail "target/test-classes is missing (run the tests first)"
else
  echo "check-release: target/test-classes missing, SMB probe skipped (run mvn test first)"
fi
