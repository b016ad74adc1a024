#!/usr/bin/env bash
# demo.sh - wsusfix end to end on Linux, against a real NT-ACL server (the Samba lab):
#   the WSUS failure (the anonymous web account denied C:\Windows\Microsoft.NET\Framework),
#   diagnose -> plan -> apply -> access works -> rollback -> denied again. Then the lab stops.
# Every command is printed as it can be pasted into a shell (quoted, with the lab's variables), and
# the undo journal stays in wsusfix-undo/ for a later `wsusfix rollback` of your own.
#
# Needs root and Debian (the lab installs Samba when missing), Java 17 and Maven.
# Optional: WSUSFIX_DEMO_WU_LOG=FILE   a client's WindowsUpdate.log for the diagnose step
#           WSUSFIX_DEMO_PROCMON=FILE  a Process Monitor capture (CSV or PML) of the server
#           (the default is the shipped examples/client-WindowsUpdate.log and wsus01-procmon.csv)
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "demo: run as root (the lab runs smbd and stores NT ACLs in extended attributes)" >&2; exit 1; }

if [ -t 1 ]; then B=$'\033[1m' N=$'\033[0m'; else B='' N=''; fi
step() { printf '\n%s== %s%s\n' "$B" "$*" "$N"; }
show() { printf '%s$ %s%s\n' "$B" "$*" "$N"; }
# One word as a shell reads it back: bare when it is plain, else in single quotes.
quote() {
  case "$1" in
    '' | *[!A-Za-z0-9_./:=@%+,-]*) printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")" ;;
    *) printf '%s' "$1" ;;
  esac
}
# A command line to paste: each argument quoted; $TARGET and $JOURNAL shown as the variables
# the setup line defines, so that no password or temporary name is spelled out.
pasteable() {
  local line= a
  for a in "$@"; do
    case "$a" in
      "${TARGET:-}") [ -n "${TARGET:-}" ] && a='"$TARGET"' || a=$(quote "$a") ;;
      "${JOURNAL:-}") [ -n "${JOURNAL:-}" ] && a='"$JOURNAL"' || a=$(quote "$a") ;;
      *) a=$(quote "$a") ;;
    esac
    line="${line:+$line }$a"
  done
  printf '%s' "$line"
}

[ -f target/wsusfix.jar ] || { step "building wsusfix"; mvn -B -q -DskipTests package; }
wsusfix() { show "$(pasteable scripts/wsusfix "$@")"; scripts/wsusfix "$@"; }

step "starting the Samba lab: a server that stores and enforces NT ACLs, with the WSUS failure built in"
trap 'step "stopping the lab"; scripts/samba-lab.sh stop' EXIT
scripts/samba-lab.sh start
LAB_ENV=${WSUSFIX_LAB_DIR:-/tmp/wsusfix-lab}/env
# shellcheck disable=SC1090
. "$LAB_ENV"
TARGET="smb://$LAB_ADMIN_USER@$LAB_HOST/$LAB_SHARE"
export WSUSFIX_SMB_PASSWORD=$LAB_ADMIN_PASSWORD   # wsusfix reads it from here, or asks on a terminal
# kept after the demo (wsusfix-undo/ is where apply writes journals by default)
mkdir -p wsusfix-undo
JOURNAL="$(pwd)/wsusfix-undo/demo-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
echo "    To paste the commands below into another shell (while the lab runs), first:"
show "cd $(quote "$(pwd)") && . $(quote "$LAB_ENV") && export WSUSFIX_SMB_PASSWORD=\"\$LAB_ADMIN_PASSWORD\"" \
  "TARGET=$(quote "$TARGET") JOURNAL=$(quote "$JOURNAL")"
as_iusr() {
  show "smbclient $(quote "//$LAB_HOST/$LAB_SHARE") -p $(quote "$LAB_PORT") -U \"iusr_web%\$LAB_IUSR_PASSWORD\" -c $(quote "$1")"
  smbclient "//$LAB_HOST/$LAB_SHARE" -p "$LAB_PORT" -U "iusr_web%$LAB_IUSR_PASSWORD" -c "$1" 2>&1 | sed 's/^/    /' || true
}

step "iusr_web (the web site's anonymous account, in BUILTIN\\Users) is denied the .NET Framework folder"
as_iusr 'ls Windows\Microsoft.NET\Framework\*'

step "diagnose: what a client's log and a Process Monitor capture of the server say"
# the lab itself writes neither, so the shipped examples of the same failure stand in by default
wu_log=${WSUSFIX_DEMO_WU_LOG:-examples/client-WindowsUpdate.log}
procmon=${WSUSFIX_DEMO_PROCMON:-examples/wsus01-procmon.csv}
set +e
wsusfix diagnose --wu-log "$wu_log" --procmon "$procmon"
echo "    (exit $?: 3 means findings)"
set -e
echo "    The clients' error, and what it points at:"
wsusfix explain 0x800710DD || true

step "plan: the shipped IIS 6 policy against the server (IUSR_%COMPUTERNAME% is iusr_web here)"
set +e
wsusfix plan -p wsus-iis6 --target "$TARGET" --var COMPUTERNAME=web
rc=$?
set -e
echo "    (exit $rc: 2 means changes are needed)"
[ "$rc" = 2 ] || exit 1

step "apply: journal first, then the change, propagated to everything below and verified"
wsusfix apply -p wsus-iis6 --target "$TARGET" --var COMPUTERNAME=web --yes --undo "$JOURNAL" | tail -2

step "iusr_web lists the folder and reads a file two levels down"
as_iusr 'ls Windows\Microsoft.NET\Framework\*; get Windows\Microsoft.NET\Framework\v4.0.30319\Config\machine.config /dev/null'
wsusfix show 'C:\Windows\Microsoft.NET\Framework\v4.0.30319\Config\machine.config' --target "$TARGET" --access-for "$LAB_NETBIOS\\iusr_web"

step "rollback: every descriptor back as it was"
wsusfix rollback "$JOURNAL" --yes --target "$TARGET"

step "iusr_web is denied again"
as_iusr 'ls Windows\Microsoft.NET\Framework\*'

step "the undo journal is kept"
echo "    $JOURNAL"
echo "    (rollback accepts it again; after restoring, it refuses paths that changed since unless --force)"
