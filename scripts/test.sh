#!/usr/bin/env bash
# Runs the whole test suite. Tests tagged "samba" need the lab (scripts/samba-lab.sh start);
# without it they skip with one visible line, except under CI=true where they fail.
set -euo pipefail
cd "$(dirname "$0")/.."
exec mvn -B -q -Dsurefire.printSummary=true test "$@"
