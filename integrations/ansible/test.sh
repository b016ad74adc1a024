#!/usr/bin/env bash
# test.sh - the wsusfix role with Ansible against the Samba lab (scripts/samba-lab.sh, running):
#   --check   reports changed, shows the plan as the diff, changes no descriptor
#   site.yml  fixes the seed's failure (iusr_web lists and reads Framework), keeps one journal
#   again     changed=0;  rollback.yml restores every descriptor smbcacls shows
# and a wrong password fails the task with wsusfix's one-line error. The password never appears in
# Ansible's output, even at -vvv. Leaves the lab as it found it (rolls back on failure too).
#
#   WSUSFIX_COMMAND   the wsusfix program [scripts/wsusfix of this repository, needs target/wsusfix.jar]
#   WSUSFIX_LAB_DIR   the lab folder [/tmp/wsusfix-lab]
#   WSUSFIX_ANSIBLE_TEST_LOG  a file to append every play's output to [none]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
lab_env=${WSUSFIX_LAB_DIR:-/tmp/wsusfix-lab}/env

fail() { printf 'ansible test: FAIL: %s\n' "$*" >&2; exit 1; }
step() { printf 'ansible test: %s\n' "$*"; }

command -v ansible-playbook >/dev/null || fail "ansible-playbook is missing (apt-get install ansible)"
command -v smbcacls >/dev/null || fail "smbcacls is missing (the Samba lab installs it)"
[ -f "$lab_env" ] || fail "the Samba lab is not running ($lab_env missing): scripts/samba-lab.sh start"
# shellcheck disable=SC1090
. "$lab_env"
wsusfix=${WSUSFIX_COMMAND:-$repo/scripts/wsusfix}
if [ -z "${WSUSFIX_COMMAND:-}" ] && [ ! -f "$repo/target/wsusfix.jar" ]; then
  fail "target/wsusfix.jar is missing: mvn -B -q -DskipTests package (or set WSUSFIX_COMMAND)"
fi

tmp=$(mktemp -d)
journals=$tmp/journals
target="smb://$LAB_ADMIN_USER@$LAB_HOST:$LAB_PORT/$LAB_SHARE"
umask 077
printf 'username = %s\npassword = %s\n' "$LAB_ADMIN_USER" "$LAB_ADMIN_PASSWORD" > "$tmp/admin.auth"
printf 'username = %s\npassword = %s\n' "$LAB_IUSR_USER" "$LAB_IUSR_PASSWORD" > "$tmp/iusr.auth"
# the values go through JSON so that no path or name can break the YAML
python3 - "$tmp/inventory.yml" "$target" "$wsusfix" "$journals" <<'PY'
import json, sys
out, target, command, journals = sys.argv[1:]
host = {"wsusfix_target": target, "wsusfix_policy": "wsus-iis6", "wsusfix_vars": {"COMPUTERNAME": "web"},
        "wsusfix_command": command, "wsusfix_journal_dir": journals}
with open(out, "w") as f:
    json.dump({"wsus": {"hosts": {"lab": host}}}, f)
PY

export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_LOCALHOST_WARNING=0
export ANSIBLE_LOCAL_TEMP=$tmp/ansible-local ANSIBLE_REMOTE_TEMP=$tmp/ansible-remote
export WSUSFIX_SMB_PASSWORD=$LAB_ADMIN_PASSWORD

# An assertion that fails after the apply must not leave the lab fixed: roll back what is journaled.
rolled_back=
cleanup() {
  local rc=$? j
  if [ -z "$rolled_back" ] && [ -d "$journals/lab" ]; then
    for j in $(ls -t "$journals"/lab/*.jsonl 2>/dev/null); do
      "$wsusfix" rollback "$j" --target "$target" --yes >/dev/null 2>&1 \
        || printf 'ansible test: could not roll back %s (the lab may be left changed)\n' "$j" >&2
    done
  fi
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT

# every folder and file of the share but the bench tree, as the share names it
paths=()
while IFS= read -r p; do paths+=("$p"); done < <(cd "$LAB_ROOT" && find . -path ./bench -prune -o -mindepth 1 -print | sed 's|^\./||' | sort)
[ ${#paths[@]} -ge 10 ] || fail "expected the lab's Windows tree under $LAB_ROOT, found ${#paths[@]} paths"

descriptors() {
  local p out
  for p in "${paths[@]}"; do
    out=$(smbcacls "//$LAB_HOST/$LAB_SHARE" "$p" -A "$tmp/admin.auth" --domain-sid="$LAB_SID" --sddl 2>&1) \
      || fail "smbcacls $p: $out"
    printf '%s %s\n' "$p" "$out"
  done
}

as_iusr() { smbclient "//$LAB_HOST/$LAB_SHARE" -p "$LAB_PORT" -A "$tmp/iusr.auth" -c "$1" 2>&1 || true; }
framework='Windows\Microsoft.NET\Framework'
machine_config="$framework\\v4.0.30319\\Config\\machine.config"
assert_denied() {
  as_iusr "ls $framework\\*" | grep -q NT_STATUS_ACCESS_DENIED || fail "$1: iusr_web should be denied listing $framework"
}
assert_allowed() {
  local out
  out=$(as_iusr "ls $framework\\*; get $machine_config /dev/null")
  if printf '%s' "$out" | grep -q NT_STATUS_; then fail "$1: iusr_web cannot list or read $framework: $out"; fi
  printf '%s' "$out" | grep -q 'v4.0.30319' || fail "$1: iusr_web's listing of $framework lacks v4.0.30319: $out"
}

# play PLAYBOOK [ansible-playbook options...]: runs it, keeps the output in $out and the exit code in $rc
play() {
  local book=$1
  shift
  set +e
  out=$(cd "$here" && ansible-playbook -i "$tmp/inventory.yml" "$book" "$@" 2>&1)
  rc=$?
  set -e
  printf '%s\n' "$out" > "$tmp/last.out"
  if [ -n "${WSUSFIX_ANSIBLE_TEST_LOG:-}" ]; then
    printf '=== ansible-playbook %s %s (exit %s)\n%s\n' "$book" "$*" "$rc" "$out" >> "$WSUSFIX_ANSIBLE_TEST_LOG"
  fi
  if printf '%s' "$out" | grep -qF -- "$LAB_ADMIN_PASSWORD"; then fail "the password appears in the output of $book $*"; fi
}
# recap FIELD: the lab host's count in the last play recap (ok, changed, failed, ...)
recap() { printf '%s\n' "$out" | sed -n "s/^lab  *:.* $1=\([0-9]*\).*/\1/p" | tail -1; }
expect_recap() {
  local what=$1 field=$2 want=$3 got
  got=$(recap "$field")
  [ "$got" = "$want" ] || { printf '%s\n' "$out" >&2; fail "$what: expected $field=$want in the recap, got '${got:-no recap}'"; }
}
journal_count() { find "$journals" -name '*.jsonl' 2>/dev/null | wc -l; }

started=$(date +%s)
before=$(descriptors)
assert_denied "before"

step "site.yml --check --diff: changed, the plan as the diff, nothing written"
play site.yml --check --diff
[ "$rc" = 0 ] || { cat "$tmp/last.out" >&2; fail "--check exited $rc"; }
expect_recap "--check" changed 1
expect_recap "--check" failed 0
printf '%s' "$out" | grep -qF '+ allow BUILTIN\Users' || fail "--check --diff does not show the plan's added entry"
printf '%s' "$out" | grep -qE 'Plan: [0-9]+ changes? ' || fail "--check --diff does not show the plan's summary"
[ "$(descriptors)" = "$before" ] || fail "--check changed a descriptor"
assert_denied "after --check"
[ "$(journal_count)" = 0 ] || fail "--check wrote an undo journal"

step "site.yml --check -vvv: the password does not show"
play site.yml --check -vvv
[ "$rc" = 0 ] || { cat "$tmp/last.out" >&2; fail "--check -vvv exited $rc"; }
expect_recap "--check -vvv" changed 1

step "site.yml without a password: refused before wsusfix runs"
WSUSFIX_SMB_PASSWORD= play site.yml --check
expect_recap "no password" failed 1
printf '%s' "$out" | grep -qF 'no SMB password for lab' || { printf '%s\n' "$out" >&2; fail "a missing password is not named"; }

step "site.yml with a wrong password: the task fails with wsusfix's one-line error"
WSUSFIX_SMB_PASSWORD='not-the-password' play site.yml
[ "$rc" != 0 ] || fail "a wrong password did not fail the play"
expect_recap "wrong password" failed 1
printf '%s' "$out" | grep -q '"msg": "wsusfix: [^"]*"' || { printf '%s\n' "$out" >&2; fail "the failure does not carry wsusfix's error line"; }
if printf '%s' "$out" | grep -qE 'Exception|	at |censored'; then printf '%s\n' "$out" >&2; fail "the failure shows Java or censored text"; fi
[ "$(descriptors)" = "$before" ] || fail "the failed run changed a descriptor"

step "site.yml: applies"
play site.yml --diff
[ "$rc" = 0 ] || { cat "$tmp/last.out" >&2; fail "site.yml exited $rc"; }
expect_recap "apply" changed 1
expect_recap "apply" failed 0
printf '%s' "$out" | grep -qE 'Applied [0-9]+ changes? \(4 descendants rewritten\)' || fail "apply's result line is missing"
assert_allowed "after apply"
[ "$(journal_count)" = 1 ] || fail "expected one undo journal under $journals/lab, found $(journal_count)"
[ "$(descriptors)" != "$before" ] || fail "apply changed no descriptor"

step "site.yml again: nothing to change"
play site.yml
[ "$rc" = 0 ] || { cat "$tmp/last.out" >&2; fail "second site.yml exited $rc"; }
expect_recap "second run" changed 0
[ "$(journal_count)" = 1 ] || fail "the second run wrote a journal"
play site.yml --check
expect_recap "--check when compliant" changed 0

step "rollback.yml --check: a dry run"
fixed=$(descriptors)
play rollback.yml --check
[ "$rc" = 0 ] || { cat "$tmp/last.out" >&2; fail "rollback.yml --check exited $rc"; }
expect_recap "rollback --check" changed 1
[ "$(descriptors)" = "$fixed" ] || fail "rollback --check changed a descriptor"

step "rollback.yml: every descriptor back"
play rollback.yml
[ "$rc" = 0 ] || { cat "$tmp/last.out" >&2; fail "rollback.yml exited $rc"; }
expect_recap "rollback" changed 1
after=$(descriptors)
if [ "$after" != "$before" ]; then
  diff <(printf '%s\n' "$before") <(printf '%s\n' "$after") >&2 || true
  fail "rollback did not restore every descriptor"
fi
rolled_back=1
assert_denied "after rollback"
play rollback.yml
expect_recap "second rollback" changed 0

step "ok: ${#paths[@]} descriptors identical after check, apply and rollback ($(( $(date +%s) - started )) s)"
