#!/usr/bin/env bash
# Runs the whole test suite. Tests tagged "samba" need the Samba NT-ACL lab: as root it is started
# here when it is not running (and stopped again afterwards); otherwise those tests skip with one
# visible line, except under CI=true, where they fail.
set -euo pipefail
cd "$(dirname "$0")/.."
started=
if [ "$(id -u)" = 0 ] && [ "$(uname -s)" = Linux ] && ! scripts/samba-lab.sh status >/dev/null 2>&1; then
  # the crash tests propagate over 10,000 files and 1,000 registry keys
  if scripts/samba-lab.sh start --files 10000 --keys 1000; then
    started=1
  else
    echo "Samba lab did not start; tests tagged samba will skip (or fail under CI=true)" >&2
  fi
fi
stop_lab() { if [ -n "$started" ]; then scripts/samba-lab.sh stop >/dev/null 2>&1 || true; fi; }
trap stop_lab EXIT
mvn -B -ntp test "$@"
