#!/bin/sh
# Replays random access checks of wsusfix's security model through Samba's se_access_check
# (Debian package python3-samba) and reports every answer that differs.
# Usage: scripts/crosscheck-accesscheck.sh [COUNT]   (default 20000)
set -eu
cd "$(dirname "$0")/.."
count="${1:-20000}"
if ! /usr/bin/python3 -c 'import samba.security' 2>/dev/null; then
  echo "crosscheck-accesscheck: needs Debian's python3-samba (apt-get install python3-samba)" >&2
  exit 2
fi
mvn -B -q -DskipTests test-compile
cp="target/classes:target/test-classes"
java -cp "$cp" org.wsusfix.security.AccessCheckCases "$count" \
  | /usr/bin/python3 scripts/crosscheck-accesscheck.py
