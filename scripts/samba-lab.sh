#!/usr/bin/env bash
# samba-lab.sh - a loopback-only Samba server that stores and enforces real NT security descriptors
# (vfs_acl_xattr), with the WSUS failure built in: the test bench for wsusfix's SMB target.
#
#   scripts/samba-lab.sh start [--files N] [--keys N] [--signing default|mandatory]
#                              [--encrypt default|required]
#                                            (re)build the lab from nothing and self-test it;
#                                            --signing mandatory: server signing = mandatory;
#                                            --encrypt required: the share requires SMB 3 encryption
#   scripts/samba-lab.sh stop                stop this lab's own processes (by their pid files)
#   scripts/samba-lab.sh status              say whether it runs (exit 0) or not (exit 1); print
#                                            share, users, passwords
#
# Needs root and Debian (apt-get installs samba, samba-vfs-modules, samba-common-bin, python3-samba,
# smbclient and attr when one is missing). Listens on 127.0.0.1:445 only (smbcacls cannot use
# another port). Everything lives in one folder; nothing under /etc is read or written.
#
# Environment (defaults in brackets):
#   WSUSFIX_LAB_DIR            lab folder [/tmp/wsusfix-lab]
#   WSUSFIX_LAB_SID            machine SID, pinned so account SIDs never change
#                              [S-1-5-21-1111111111-2222222222-3333333333]
#   WSUSFIX_LAB_ADMIN_PASSWORD password of admin,    member of BUILTIN\Administrators [Adm1nPass!]
#   WSUSFIX_LAB_IUSR_PASSWORD  password of iusr_web, member of BUILTIN\Users          [IusrPass1!]
#   WSUSFIX_LAB_SVC_PASSWORD   password of svc_app,  member of no BUILTIN alias       [SvcPass1!]
#
# After start, LAB/env holds KEY='value' lines (host, port, share, netbios name, machine SID, each
# user's name, password and SID, bench folder) for tests and scripts: `. "$WSUSFIX_LAB_DIR/env"`.
#
# The share //127.0.0.1/c stands for C:\ of a Windows server:
#   Windows                                  protected (TrustedInstaller, SYSTEM, Administrators full,
#                                            Users Read & Execute, CREATOR OWNER), all inheritable
#   Windows\Microsoft.NET                    inherits (AI, ID)
#   Windows\Microsoft.NET\Framework          BROKEN: protected, BUILTIN\Users removed; everything
#                                            below it was created afterwards and inherits that (ID)
#   Windows\Microsoft.NET\Framework64        healthy: Users Read & Execute inherited (ID)
#   WSUS\WSUSContent                         the content folder (ContentDir below): inherits the root
#                                            only, so NETWORK SERVICE lacks its Full Control
#   bench\dNNN\fNNNNN.dll                    --files N: N empty files, 500 per folder, under a
#                                            protected folder without Users (benchmarks)
#
# Registry (served by samba-dcerpcd's rpcd_winreg over \PIPE\winreg):
#   HKLM\SOFTWARE\Microsoft\Update Services  Users read, Administrators and SYSTEM full, inheritable
#   ...\Update Services\Server              BROKEN: protected, BUILTIN\Users removed
#   ...\Server\Setup                        inherits from Server (ID), so Users cannot read it either;
#                                            ContentDir = C:\WSUS (REG_SZ), as WSUS setup writes it
#   HKLM\SOFTWARE\wsusfix-bench\kNNNN      --keys N: N subkeys under a protected key without Users
# Samba computes no inheritance for keys: the inherited entries are written as Windows would have.
set -euo pipefail

LAB=${WSUSFIX_LAB_DIR:-/tmp/wsusfix-lab}
LAB_SID=${WSUSFIX_LAB_SID:-S-1-5-21-1111111111-2222222222-3333333333}
ADMIN_PW=${WSUSFIX_LAB_ADMIN_PASSWORD:-Adm1nPass!}
IUSR_PW=${WSUSFIX_LAB_IUSR_PASSWORD:-IusrPass1!}
SVC_PW=${WSUSFIX_LAB_SVC_PASSWORD:-SvcPass1!}
HOST=127.0.0.1
PORT=445
SHARE=c
NETBIOS=SAMBALAB
CONF="$LAB/smb.conf"
PY=/usr/bin/python3   # Debian's python: the samba modules live there, not in other pythons on PATH
PKGS=(samba samba-vfs-modules samba-common-bin python3-samba smbclient attr)

# Owner of the system folders on Windows is TrustedInstaller. Windows writes its %windir% DACLs as
# pairs (an explicit ACE for the folder plus an inherit-only one with GENERIC rights for what is
# below); Samba 4.17 copies generic rights into children unmapped (and then they grant nothing), so
# the lab uses the equivalent specific masks: what Windows itself stores on the children. Masks are
# hex because Samba 4.17 reads "FA" as 0x1ff.
TI=S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464
ROOT_SDDL="O:BAG:SYD:PAI(A;OICI;0x1f01ff;;;SY)(A;OICI;0x1f01ff;;;BA)(A;OICI;0x1200a9;;;BU)"
WINDOWS_SDDL="O:${TI}G:${TI}D:PAI(A;OICI;0x1f01ff;;;${TI})(A;OICI;0x1f01ff;;;SY)(A;OICI;0x1f01ff;;;BA)(A;OICI;0x1200a9;;;BU)(A;OICIIO;0x1f01ff;;;CO)"
# what `icacls Framework /inheritance:d` followed by `/remove Users` leaves behind
BROKEN_SDDL="O:${TI}G:${TI}D:PAI(A;OICI;0x1f01ff;;;${TI})(A;OICI;0x1f01ff;;;SY)(A;OICI;0x1f01ff;;;BA)(A;OICIIO;0x1f01ff;;;CO)"
BENCH_SDDL="O:BAG:SYD:PAI(A;OICI;0x1f01ff;;;SY)(A;OICI;0x1f01ff;;;BA)"

log() { printf '[samba-lab] %s\n' "$*"; }
die() { printf '[samba-lab] error: %s\n' "$*" >&2; exit 1; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

usage() {
  sed -n '5,11p' "$0" | sed 's/^# \{0,1\}//'
  exit "${1:-2}"
}

# pids recorded by this lab that are still this lab's processes (a recycled pid is not ours)
own_pids() {
  local f p
  for f in "$LAB/pid/smbd.pid" "$LAB/pid/samba-dcerpcd.pid"; do
    # smbd removes its pid file while exiting: a file may vanish between test and read
    p=$({ tr -dc '0-9' < "$f"; } 2>/dev/null || true)
    [ -n "$p" ] || continue
    # an if, not &&: a stale last pid file must not become the function's failure under set -e
    if { tr '\0' ' ' < "/proc/$p/cmdline"; } 2>/dev/null | grep -qF -- "$CONF"; then echo "$p"; fi
  done
}

is_running() { [ -n "$(own_pids)" ]; }

do_stop() {
  local pids p
  pids=$(own_pids)
  if [ -z "$pids" ]; then
    log "not running ($LAB)"
  else
    # SIGTERM to the masters only: smbd's per-client children and samba-dcerpcd's rpcd_* workers exit with them
    for p in $pids; do kill "$p" 2>/dev/null || true; done
    for _ in $(seq 1 100); do
      is_running || break
      sleep 0.05
    done
    is_running && die "still running after SIGTERM: $(own_pids | tr '\n' ' ')"
    log "stopped (pids $(echo $pids))"
  fi
  rm -f "$LAB/pid/smbd.pid" "$LAB/pid/samba-dcerpcd.pid"
  rm -f "$LAB/env"
}

print_status() {
  # a running lab is described by what it was started with, not by the current environment
  if [ -f "$LAB/env" ]; then
    # shellcheck disable=SC1091
    . "$LAB/env"
    LAB_SID=$LAB_SID ADMIN_PW=$LAB_ADMIN_PASSWORD IUSR_PW=$LAB_IUSR_PASSWORD SVC_PW=$LAB_SVC_PASSWORD
  fi
  if is_running; then
    log "running: smbd pid $(cat "$LAB/pid/smbd.pid"), share //$HOST/$SHARE (port $PORT) -> $LAB/root"
  else
    log "not running ($LAB)"
  fi
  cat <<EOF
  lab folder   $LAB   (WSUSFIX_LAB_DIR)
  machine SID  $LAB_SID   (WSUSFIX_LAB_SID)   netbios name $NETBIOS
  admin        password '$ADMIN_PW' (WSUSFIX_LAB_ADMIN_PASSWORD)  BUILTIN\\Administrators  SID $LAB_SID-1000
  iusr_web     password '$IUSR_PW' (WSUSFIX_LAB_IUSR_PASSWORD)   BUILTIN\\Users           SID $LAB_SID-1001
  svc_app      password '$SVC_PW' (WSUSFIX_LAB_SVC_PASSWORD)    no alias                SID $LAB_SID-1002
  settings for tests and scripts: $LAB/env
EOF
  is_running
}

install_packages() {
  local missing=() p
  for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  apt-get update -qq
  # samba-vfs-modules (acl_xattr) is only recommended by samba, hence named explicitly
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${PKGS[@]}" >/dev/null
}

write_conf() {
  cat > "$CONF" <<EOF
# wsusfix Samba NT-ACL lab: loopback only, every path below $LAB.
[global]
    server role = standalone server
    workgroup = WORKGROUP
    netbios name = $NETBIOS
    security = user
    passdb backend = tdbsam:$LAB/private/passdb.tdb
    map to guest = never
    private dir = $LAB/private
    lock directory = $LAB/lock
    state directory = $LAB/state
    cache directory = $LAB/cache
    pid directory = $LAB/pid
    ncalrpc dir = $LAB/ncalrpc
    binddns dir = $LAB/bind-dns
    winbindd socket directory = $LAB/winbindd
    usershare path = $LAB/usershares
    usershare max shares = 0
    log file = $LAB/log/log.%m
    max log size = 0
    log level = 1
    interfaces = $HOST
    bind interfaces only = yes
    smb ports = $PORT
    disable netbios = yes
    load printers = no
    printing = bsd
    printcap name = /dev/null
    disable spoolss = yes
    server signing = $SIGNING

[$SHARE]
    path = $LAB/root
    read only = no
    vfs objects = acl_xattr
    # the stored NT ACL is the only authority, as on NTFS; POSIX modes play no part
    acl_xattr:ignore system acls = yes
    acl_xattr:default acl style = windows
    nt acl support = yes
    store dos attributes = yes
    ea support = yes
    inherit acls = yes
    map acl inherit = yes
    server smb encrypt = $ENCRYPT
EOF
}

# set_acls PATH SDDL [PATH SDDL ...]: store descriptors offline through smbd's VFS, in one python process
set_acls() {
  "$PY" - "$CONF" "$SHARE" "$LAB_SID" "$@" <<'PYEOF'
import sys
from samba.param import LoadParm
from samba.ntacls import setntacl
from samba.auth_util import system_session_unix
from samba.samba3 import param as s3param
conf, service, domsid, *pairs = sys.argv[1:]
lp = LoadParm()
lp.load(conf)
s3param.get_context().load(conf)  # smbd's VFS looks the share up in the s3 configuration
for path, sddl in zip(pairs[0::2], pairs[1::2]):
    setntacl(lp, path, sddl, domsid, system_session_unix(), use_ntvfs=False, service=service)
PYEOF
}

# smbclient as admin; fails on any NT_STATUS error in the output, not only on its exit code
admin_smb() {
  local out
  out=$(smbclient "//$HOST/$SHARE" -p "$PORT" -U "admin%$ADMIN_PW" -c "$1" 2>&1) \
    || { printf '%s\n' "$out" >&2; die "smbclient failed: $1"; }
  if printf '%s' "$out" | grep -q NT_STATUS_; then printf '%s\n' "$out" >&2; die "smbclient: $1"; fi
}

# N empty files bench\dNNN\fNNNNN.dll, created over SMB (so each inherits like on NTFS) from one
# local empty file, by two smbclient sessions in parallel (smbd serves each in its own process)
# An applicationHost.config in the shape IIS writes for a WSUS server, CRLF line ends, UTF-8 with BOM.
write_iis_config() {
  { printf '\357\273\277'
    sed 's/$/\r/' <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<configuration>
    <system.applicationHost>
        <sites>
            <site name="WSUS Administration" id="1197933354">
                <application path="/" applicationPool="WsusPool">
                    <virtualDirectory path="/" physicalPath="C:\Program Files\Update Services\WebServices\Root" />
                </application>
                <application path="/ClientWebService" applicationPool="WsusPool" />
                <application path="/SimpleAuthWebService" applicationPool="WsusPool" />
                <application path="/ApiRemoting30" applicationPool="WsusPool" />
            </site>
        </sites>
    </system.applicationHost>
    <system.webServer>
        <security>
            <authentication>
                <anonymousAuthentication enabled="true" userName="IUSR" />
                <windowsAuthentication enabled="false" />
            </authentication>
        </security>
    </system.webServer>
    <location path="WSUS Administration/ClientWebService">
        <system.webServer>
            <security>
                <authentication>
                    <anonymousAuthentication enabled="false" />
                </authentication>
            </security>
        </system.webServer>
    </location>
    <location path="WSUS Administration/ApiRemoting30">
        <system.webServer>
            <security>
                <authentication>
                    <anonymousAuthentication enabled="false" />
                    <windowsAuthentication enabled="true" />
                </authentication>
            </security>
        </system.webServer>
    </location>
</configuration>
XML
  } > "$1"
}

make_bench() {
  local n=$1 dirs k pids=() p
  : > "$LAB/tmp/empty.dll"
  dirs=$(( (n + 499) / 500 ))
  for k in 0 1; do
    awk -v n="$n" -v dirs="$dirs" -v k="$k" -v src="$LAB/tmp/empty.dll" 'BEGIN {
      for (d = k; d < dirs; d += 2) {
        printf "mkdir bench\\d%03d\n", d
        for (i = d * 500; i < n && i < (d + 1) * 500; i++) printf "put %s bench\\d%03d\\f%05d.dll\n", src, d, i
      }
    }' > "$LAB/tmp/bench-$k.cmd"
    smbclient "//$HOST/$SHARE" -p "$PORT" -U "admin%$ADMIN_PW" < "$LAB/tmp/bench-$k.cmd" > "$LAB/tmp/bench-$k.out" 2>&1 &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || die "smbclient failed creating bench files (see $LAB/tmp/bench-*.out)"; done
  if grep -q NT_STATUS_ "$LAB"/tmp/bench-*.out; then
    grep -m3 NT_STATUS_ "$LAB"/tmp/bench-*.out >&2
    die "smbclient errors creating bench files (see $LAB/tmp/bench-*.out)"
  fi
  local made
  made=$(find "$LAB/root/bench" -type f | wc -l)
  [ "$made" -eq "$n" ] || die "created $made bench files, expected $n"
}

env_line() {
  case $2 in *"'"*|*$'\n'*) die "$1 must not contain a single quote or a newline";; esac
  printf "%s='%s'\n" "$1" "$2"
}

do_start() {
  local files=$1 keys=$2
  SIGNING=$3
  ENCRYPT=$4
  [ "$(id -u)" = 0 ] || die "must run as root (smbd, and the security.NTACL extended attributes)"
  local t0 t1 t2
  t0=$(now_ms)
  install_packages
  [ -n "$(find /usr/lib -path '*samba/vfs/acl_xattr.so' -print -quit)" ] || die "acl_xattr.so missing (samba-vfs-modules)"

  if is_running; then log "already running: restarting from nothing"; fi
  do_stop >/dev/null
  if ss -Hltn "sport = :$PORT" | grep -q .; then
    die "TCP port $PORT is taken by another program: $(ss -Hltnp "sport = :$PORT" | tr -s ' ')"
  fi
  case $LAB in /|/tmp|/tmp/|"$HOME"|/root) die "refusing to use $LAB as lab folder";; esac
  rm -rf "$LAB"
  mkdir -p "$LAB"/{private,lock,state,cache,pid,ncalrpc,log,bind-dns,winbindd,usershares,root,tmp}
  chmod 700 "$LAB/private"
  chmod 0777 "$LAB/root"
  write_conf
  testparm -s "$CONF" >/dev/null 2>&1 || die "testparm rejects $CONF"

  # accounts: tdbsam users need Unix accounts; BUILTIN aliases map onto otherwise unused Unix groups
  local u g
  for u in admin iusr_web svc_app; do
    getent passwd "$u" >/dev/null || useradd --system --no-create-home --shell /usr/sbin/nologin "$u"
  done
  for g in wsusfix_bi_admins wsusfix_bi_users; do getent group "$g" >/dev/null || groupadd --system "$g"; done
  local net=(net -s "$CONF")
  # the machine SID before any account, so admin/iusr_web/svc_app are always -1000/-1001/-1002
  "${net[@]}" setlocalsid "$LAB_SID" >/dev/null
  "${net[@]}" setdomainsid "$LAB_SID" >/dev/null
  for u in "admin:$ADMIN_PW" "iusr_web:$IUSR_PW" "svc_app:$SVC_PW"; do
    printf '%s\n%s\n' "${u#*:}" "${u#*:}" | smbpasswd -c "$CONF" -s -a "${u%%:*}" >/dev/null 2>&1 \
      || die "smbpasswd -a ${u%%:*} failed"
  done
  "${net[@]}" groupmap add sid=S-1-5-32-544 unixgroup=wsusfix_bi_admins type=builtin ntgroup=Administrators >/dev/null
  "${net[@]}" groupmap add sid=S-1-5-32-545 unixgroup=wsusfix_bi_users type=builtin ntgroup=Users >/dev/null
  # a standalone server puts nobody in BUILTIN\Users implicitly; a member of Administrators may change
  # any ACL through normal access checks ("admin users =" would bypass them all)
  "${net[@]}" sam addmem 'BUILTIN\Administrators' admin >/dev/null
  "${net[@]}" sam addmem 'BUILTIN\Users' iusr_web >/dev/null

  # protected folders get their descriptors offline; everything that inherits is created over SMB
  # below, so that Samba computes the inherited ACEs (ID) and the AI flag the way NTFS does
  # Samba still creates files as the connected Unix user: folders made here must be writable by all
  # (with "ignore system acls" Samba itself makes everything 0777/0666; the NT ACL does the enforcing)
  mkdir -m 0777 "$LAB/root/Windows"
  local offline=("$LAB/root" "$ROOT_SDDL" "$LAB/root/Windows" "$WINDOWS_SDDL")
  if [ "$files" -gt 0 ]; then
    mkdir -m 0777 "$LAB/root/bench"
    offline+=("$LAB/root/bench" "$BENCH_SDDL")
  fi
  set_acls "${offline[@]}" || die "could not store the initial descriptors"

  t1=$(now_ms)
  # the daemon outlives this script: it must not keep a caller's descriptors open (a caller's
  # `flock LOCK scripts/samba-lab.sh start` would otherwise stay locked until the lab stops)
  (
    for fd in /proc/self/fd/*; do
      fd=${fd##*/}
      if [ "$fd" -gt 2 ] 2>/dev/null; then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    exec smbd -D -s "$CONF"
  )
  local ready=
  for _ in $(seq 1 200); do
    if smbclient "//$HOST/$SHARE" -p "$PORT" -U "admin%$ADMIN_PW" -c 'ls' >/dev/null 2>&1; then ready=1; break; fi
    sleep 0.05
  done
  [ -n "$ready" ] || { tail -20 "$LAB/log/log.smbd" >&2 2>/dev/null; die "smbd did not become ready"; }
  t2=$(now_ms)

  # the tree; Framework is broken before anything exists below it, as if that happened long ago
  printf 'MZ\n' > "$LAB/tmp/mscorlib.dll"
  printf '<configuration/>\n' > "$LAB/tmp/machine.config"
  admin_smb 'mkdir Windows\Microsoft.NET; mkdir Windows\Microsoft.NET\Framework; mkdir inetpub; mkdir inetpub\wwwroot; mkdir WSUS; mkdir WSUS\WSUSContent'
  set_acls "$LAB/root/Windows/Microsoft.NET/Framework" "$BROKEN_SDDL" || die "could not break Framework"
  local fw cmds="lcd $LAB/tmp; mkdir Windows\\Microsoft.NET\\Framework64; "
  for fw in Framework Framework64; do
    cmds+="mkdir Windows\\Microsoft.NET\\$fw\\v4.0.30319; mkdir Windows\\Microsoft.NET\\$fw\\v4.0.30319\\Config; "
    cmds+="cd \\Windows\\Microsoft.NET\\$fw\\v4.0.30319; put mscorlib.dll; cd Config; put machine.config; cd \\; "
  done
  admin_smb "$cmds"

  # IIS: Anonymous Authentication turned off on ClientWebService by a later <location> (the 401.2 fault)
  write_iis_config "$LAB/tmp/applicationHost.config"
  admin_smb "lcd $LAB/tmp; mkdir Windows\\System32; mkdir Windows\\System32\\inetsrv; mkdir Windows\\System32\\inetsrv\\config; cd \\Windows\\System32\\inetsrv\\config; put applicationHost.config"

  if [ "$files" -gt 0 ]; then
    make_bench "$files"
    log "created $files files under bench (500 per folder)"
  fi

  {
    env_line LAB_DIR "$LAB"
    env_line LAB_CONF "$CONF"
    env_line LAB_ROOT "$LAB/root"
    env_line LAB_IIS_CONFIG 'Windows\System32\inetsrv\config\applicationHost.config'
    env_line LAB_HOST "$HOST"
    env_line LAB_PORT "$PORT"
    env_line LAB_SHARE "$SHARE"
    env_line LAB_NETBIOS "$NETBIOS"
    env_line LAB_SID "$LAB_SID"
    env_line LAB_ADMIN_USER admin
    env_line LAB_ADMIN_PASSWORD "$ADMIN_PW"
    env_line LAB_ADMIN_SID "$LAB_SID-1000"
    env_line LAB_IUSR_USER iusr_web
    env_line LAB_IUSR_PASSWORD "$IUSR_PW"
    env_line LAB_IUSR_SID "$LAB_SID-1001"
    env_line LAB_SVC_USER svc_app
    env_line LAB_SVC_PASSWORD "$SVC_PW"
    env_line LAB_SVC_SID "$LAB_SID-1002"
    env_line LAB_CONTENT_DIR 'WSUS\WSUSContent'
    env_line LAB_BENCH_DIR bench
    env_line LAB_BENCH_FILES "$files"
    env_line LAB_BENCH_KEY 'HKLM\SOFTWARE\wsusfix-bench'
    env_line LAB_BENCH_KEYS "$keys"
    env_line LAB_SIGNING "$SIGNING"
    env_line LAB_ENCRYPT "$ENCRYPT"
  } > "$LAB/env.tmp"

  make_registry
  if [ "$keys" -gt 0 ]; then
    make_bench_keys "$keys"
    log "created $keys subkeys under HKLM\\SOFTWARE\\wsusfix-bench"
  fi
  self_test
  mv "$LAB/env.tmp" "$LAB/env"
  log "up in $(( $(now_ms) - t0 )) ms (smbd ready $(( t2 - t1 )) ms after launch): //$HOST/$SHARE -> $LAB/root, settings in $LAB/env"
}

WSUS_KEY='HKLM\SOFTWARE\Microsoft\Update Services'
# KEY_READ 0x20019, KEY_ALL_ACCESS 0xf003f, in hex for Samba's SDDL reader
UPDATE_SERVICES_SDDL="O:BAG:SYD:AI(A;CIID;0xf003f;;;SY)(A;CIID;0xf003f;;;BA)(A;CIID;0x20019;;;BU)"
# what removing Users in regedit after "Disable inheritance" leaves behind
SERVER_KEY_SDDL="O:BAG:SYD:PAI(A;CI;0xf003f;;;SY)(A;CI;0xf003f;;;BA)"
SETUP_KEY_SDDL="O:BAG:SYD:AI(A;CIID;0xf003f;;;SY)(A;CIID;0xf003f;;;BA)"

# keys are created over RPC as admin; descriptors are stored offline (net registry is local)
make_registry() {
  local k out
  for k in "$WSUS_KEY" "$WSUS_KEY\\Server" "$WSUS_KEY\\Server\\Setup"; do
    out=$(net rpc registry createkey "$k" -I "$HOST" -p "$PORT" -U "admin%$ADMIN_PW" 2>&1) \
      || die "net rpc registry createkey $k: $out"
  done
  net -s "$CONF" registry setsd_sddl "$WSUS_KEY" "$UPDATE_SERVICES_SDDL" >/dev/null \
    && net -s "$CONF" registry setsd_sddl "$WSUS_KEY\\Server" "$SERVER_KEY_SDDL" >/dev/null \
    && net -s "$CONF" registry setsd_sddl "$WSUS_KEY\\Server\\Setup" "$SETUP_KEY_SDDL" >/dev/null \
    || die "could not store the registry descriptors"
  net -s "$CONF" registry setvalue "$WSUS_KEY\\Server\\Setup" ContentDir sz 'C:\WSUS' >/dev/null \
    || die "could not store ContentDir"
}

# one .reg import (local, fast) instead of N RPC round trips; the keys get Samba's default descriptor
make_bench_keys() {
  local n=$1 i reg="$LAB/tmp/bench-keys.reg"
  {
    printf 'Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\wsusfix-bench]\r\n\r\n'
    for i in $(seq -w 1 "$n"); do
      printf '[HKEY_LOCAL_MACHINE\\SOFTWARE\\wsusfix-bench\\k%s]\r\n\r\n' "$i"
    done
  } > "$reg"
  net -s "$CONF" registry import "$reg" >/dev/null 2>&1 || die "net registry import $reg failed"
  net -s "$CONF" registry setsd_sddl 'HKLM\SOFTWARE\wsusfix-bench' "$SERVER_KEY_SDDL" >/dev/null \
    || die "could not store the bench key's descriptor"
  local made
  made=$(net -s "$CONF" registry enumerate 'HKLM\SOFTWARE\wsusfix-bench' 2>/dev/null | grep -c '^Keyname')
  [ "$made" -eq "$n" ] || die "created $made bench keys, expected $n"
}

# the failure wsusfix exists for, reproduced: iusr_web (via BUILTIN\Users) is denied on Framework only
self_test() {
  local iusr=(smbclient "//$HOST/$SHARE" -p "$PORT" -U "iusr_web%$IUSR_PW") out
  out=$("${iusr[@]}" -c 'ls Windows\Microsoft.NET\Framework\*' 2>&1 || true)
  printf '%s' "$out" | grep -q NT_STATUS_ACCESS_DENIED \
    || die "self-test: iusr_web should get NT_STATUS_ACCESS_DENIED listing Framework, got: $out"
  out=$("${iusr[@]}" -c 'get Windows\Microsoft.NET\Framework64\v4.0.30319\Config\machine.config /dev/null' 2>&1) \
    || die "self-test: iusr_web cannot read Framework64\\v4.0.30319\\Config\\machine.config: $out"
  printf '%s' "$out" | grep -q NT_STATUS_ && die "self-test: iusr_web reading Framework64: $out"
  out=$(net -s "$CONF" sam show "$NETBIOS\\iusr_web" 2>&1)
  [ "${out##* }" = "$LAB_SID-1001" ] || die "self-test: iusr_web has SID ${out##* }, expected $LAB_SID-1001"
  out=$(net rpc registry enumerate "$WSUS_KEY\\Server" -I "$HOST" -p "$PORT" -U "iusr_web%$IUSR_PW" 2>&1 || true)
  printf '%s' "$out" | grep -q ACCESS_DENIED \
    || die "self-test: iusr_web should be denied reading $WSUS_KEY\\Server, got: $out"
  out=$(net rpc registry enumerate "$WSUS_KEY" -I "$HOST" -p "$PORT" -U "iusr_web%$IUSR_PW" 2>&1) \
    || die "self-test: iusr_web cannot read $WSUS_KEY: $out"
  log "self-test ok: iusr_web denied on Windows\\Microsoft.NET\\Framework and on the Server key, reads Framework64 two levels down"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
files=0
keys=0
signing=default
encrypt=default
while [ $# -gt 0 ]; do
  case $1 in
    --files) [ $# -ge 2 ] || die "--files needs a number"; files=$2; shift 2;;
    --files=*) files=${1#--files=}; shift;;
    --keys) [ $# -ge 2 ] || die "--keys needs a number"; keys=$2; shift 2;;
    --keys=*) keys=${1#--keys=}; shift;;
    --signing) [ $# -ge 2 ] || die "--signing needs default or mandatory"; signing=$2; shift 2;;
    --signing=*) signing=${1#--signing=}; shift;;
    --encrypt) [ $# -ge 2 ] || die "--encrypt needs default or required"; encrypt=$2; shift 2;;
    --encrypt=*) encrypt=${1#--encrypt=}; shift;;
    -h|--help) usage 0;;
    *) die "unknown argument: $1 (try --help)";;
  esac
done
[[ $files =~ ^[0-9]+$ ]] || die "--files wants a whole number, got: $files"
[[ $keys =~ ^[0-9]+$ ]] || die "--keys wants a whole number, got: $keys"
case $signing in default|mandatory) ;; *) die "--signing wants default or mandatory, got: $signing";; esac
case $encrypt in default|required) ;; *) die "--encrypt wants default or required, got: $encrypt";; esac

case $cmd in
  start) do_start "$files" "$keys" "$signing" "$encrypt";;
  stop) [ "$files" = 0 ] && [ "$keys" = 0 ] && [ "$signing" = default ] && [ "$encrypt" = default ] \
    || die "--files, --keys, --signing and --encrypt only go with start"; do_stop;;
  status) print_status;;
  -h|--help) usage 0;;
  *) usage 2;;
esac
