#!/usr/bin/env bash
# demo.sh - wsusfix end to end on Linux, against a real NT-ACL server (the Samba lab):
#   the WSUS failure (the anonymous web account denied C:\Windows\Microsoft.NET\Framework),
#   diagnose -> plan -> apply -> access works -> rollback -> denied again. Then the lab stops.
#
# Needs root and Debian (the lab installs Samba when missing), Java 17 and Maven.
# Optional: WSUSFIX_DEMO_WU_LOG=FILE   a client's WindowsUpdate.log for the diagnose step
#           WSUSFIX_DEMO_PROCMON=FILE  a Process Monitor capture (CSV or PML) of the server
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "demo: run as root (the lab runs smbd and stores NT ACLs in extended attributes)" >&2; exit 1; }

if [ -t 1 ]; then B=$'\033[1m' N=$'\033[0m'; else B='' N=''; fi
step() { printf '\n%s== %s%s\n' "$B" "$*" "$N"; }
show() { printf '%s$ %s%s\n' "$B" "$*" "$N"; }

[ -f target/wsusfix.jar ] || { step "building wsusfix"; mvn -B -q -DskipTests package; }
wsusfix() { show "wsusfix $*"; scripts/wsusfix "$@"; }

step "starting the Samba lab: a server that stores and enforces NT ACLs, with the WSUS failure built in"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"; step "stopping the lab"; scripts/samba-lab.sh stop' EXIT
scripts/samba-lab.sh start
# shellcheck disable=SC1091
. "${WSUSFIX_LAB_DIR:-/tmp/wsusfix-lab}/env"
TARGET="smb://$LAB_ADMIN_USER@$LAB_HOST/$LAB_SHARE"
export WSUSFIX_SMB_PASSWORD=$LAB_ADMIN_PASSWORD   # wsusfix reads it from here, or asks on a terminal
as_iusr() {
  show "smbclient -U iusr_web -c '$1'"
  smbclient "//$LAB_HOST/$LAB_SHARE" -p "$LAB_PORT" -U "iusr_web%$LAB_IUSR_PASSWORD" -c "$1" 2>&1 | sed 's/^/    /' || true
}

step "iusr_web (the web site's anonymous account, in BUILTIN\\Users) is denied the .NET Framework folder"
as_iusr 'ls Windows\Microsoft.NET\Framework\*'

step "diagnose: what the evidence says"
if ! scripts/wsusfix diagnose --help >/dev/null 2>&1; then
  echo "    (skipped: this build of wsusfix has no diagnose command)"
elif [ -n "${WSUSFIX_DEMO_WU_LOG:-}${WSUSFIX_DEMO_PROCMON:-}" ]; then
  set +e
  wsusfix diagnose ${WSUSFIX_DEMO_WU_LOG:+--wu-log "$WSUSFIX_DEMO_WU_LOG"} ${WSUSFIX_DEMO_PROCMON:+--procmon "$WSUSFIX_DEMO_PROCMON"}
  echo "    (exit $?: 3 means findings)"
  set -e
else
  echo "    diagnose reads a client's WindowsUpdate.log and a Process Monitor capture of the server;"
  echo "    the lab has neither (give them with WSUSFIX_DEMO_WU_LOG / WSUSFIX_DEMO_PROCMON). The clients'"
  echo "    error, and what it points at:"
  wsusfix explain 0x800710DD || true
fi

step "plan: the shipped IIS 6 policy against the server (IUSR_%COMPUTERNAME% is iusr_web here)"
set +e
wsusfix plan -p wsus-iis6 --target "$TARGET" --var COMPUTERNAME=web
rc=$?
set -e
echo "    (exit $rc: 2 means changes are needed)"
[ "$rc" = 2 ] || exit 1

step "apply: journal first, then the change, propagated to everything below and verified"
wsusfix apply -p wsus-iis6 --target "$TARGET" --var COMPUTERNAME=web --yes --undo "$WORK/undo.jsonl" | tail -2

step "iusr_web lists the folder and reads a file two levels down"
as_iusr 'ls Windows\Microsoft.NET\Framework\*; get Windows\Microsoft.NET\Framework\v4.0.30319\Config\machine.config /dev/null'
wsusfix show 'C:\Windows\Microsoft.NET\Framework\v4.0.30319\Config\machine.config' --target "$TARGET" --access-for "$LAB_NETBIOS\\iusr_web"

step "rollback: every descriptor back as it was"
wsusfix rollback "$WORK/undo.jsonl" --yes --target "$TARGET"

step "iusr_web is denied again"
as_iusr 'ls Windows\Microsoft.NET\Framework\*'
