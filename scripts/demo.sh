#!/usr/bin/env bash
# bin/vtep demo (docs/architecture.md §4, issue 10): vtep doing its job on a throwaway topology, with nothing
# to prepare. As root it builds network namespaces named vtdemo<pid>-*:
#
#   h1 10.0.0.1 -eth0--acc1- vtep 192.0.2.1 -ul0== underlay ==ul0- Linux kernel VTEP 192.0.2.2 -acc2--eth0- h2 10.0.0.2
#
# writes vtep's config, starts `bin/vtep run --config FILE` in the vtep namespace, shows ARP, ping,
# a TCP transfer, both FDBs and the per-VNI counters, and removes everything again: at the end, on
# Ctrl-C, on a failure, and (for a run that was killed) at the start of the next run.
#
# With --evpn the two VTEPs learn each other through BGP EVPN instead of flood lists and data-plane
# learning: FRR (Debian's frr: zebra + bgpd, started with -N <namespace> and their own config, pid
# and socket files in the run's temp dir) runs in the kernel VTEP's namespace and drives its vxlan
# device (nolearning, no static flood entry); vtep has a bgp: section and learning: evpn. The demo
# then also shows the session and the EVPN routes on both sides. FRR is stopped with the rest: by
# its pid files, and with everything else running in the namespace.
#
# Usage: bin/vtep demo [--vlan] [--ipv6] [--multicast] [--evpn] [--keep] | --down | --help
set -euo pipefail

# ip and bridge live in sbin, which a user's (or sudo's) PATH may lack.
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

readonly ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# bin/vtep passes itself; run directly, this script finds it next door.
readonly LAUNCHER="${VTEP_LAUNCHER:-$ROOT/bin/vtep}"
readonly JAR="$ROOT/vtep-core/target/vtep-core.jar"
# One directory of bookkeeping per run: where its temp dir is, and whether it was kept (--keep).
# /run is emptied at boot, like the namespaces themselves.
readonly STATE_ROOT="/run/vtep-demo"
readonly NS_PATTERN='^vtdemo[0-9]+-'
readonly SYSTEM_PYTHON="/usr/bin/python3"

readonly VNI=100
readonly VLAN=10
readonly VLAN_VNI=200
readonly GROUP4="239.1.1.100"
readonly GROUP6="ff05::100"
readonly H1_MAC="02:00:00:00:00:01"
readonly H2_MAC="02:00:00:00:00:02"
readonly H3_MAC="02:00:00:00:00:03"
readonly TAGGED_MAC="02:10:00:00:00:01"   # h1's second identity, on VLAN 10 (frames built by scapy)
readonly API="http://127.0.0.1:9100"
readonly ASN=65000
readonly FRR_DAEMONS="/usr/lib/frr"   # where Debian's frr installs zebra and bgpd
readonly FRR_GROUP="frrvty"           # the daemons run as -u root -g frrvty (root alone is refused)
readonly FRR_RUN_DIR="/var/run/frr"   # the daemons make an (empty) NAME/ in it for -N NAME

# Options.
opt_vlan=false
opt_ipv6=false
opt_multicast=false
opt_evpn=false
opt_keep=false

# This run.
ORIGINAL_ARGS=()
readonly PREFIX="vtdemo$$"
workdir=""
vtep_pid=""
created=false      # set once the first namespace exists: from then on, cleanup has work to do
finished=false     # set when every step ran; cleanup then keeps the topology if --keep

# Underlay addressing, set by configure_underlay.
group=""
vtep_ip=""
kernel_ip=""
underlay_cidr_len=""
host_mtu=""

usage() {
  cat <<'EOF'
usage: bin/vtep demo [OPTIONS]

Builds a small topology of network namespaces (two bare-metal hosts, vtep and a Linux kernel VTEP
on an underlay link), runs vtep, shows ARP, ping, a TCP transfer, both FDBs and the per-VNI
counters, then removes everything. Needs root. Takes about 20 seconds (the first run on a fresh
clone also builds vtep, a few minutes).

  --vlan        also VNI 200, carried on 802.1Q VLAN 10 of the same access port (tagged frames built with scapy)
  --ipv6        IPv6 underlay (2001:db8::1 and 2001:db8::2) instead of IPv4
  --multicast   broadcast/unknown/multicast through group 239.1.1.100 (ff05::100 with --ipv6) instead of flood lists
  --evpn        BGP EVPN instead of flood lists: FRR (zebra + bgpd, Debian's frr) drives the kernel VTEP,
                vtep and FRR exchange MAC (type 2) and flood (type 3) routes; shows both sides' sessions
                and routes. Not with --vlan, --ipv6 or --multicast
  --keep        leave the topology running and print commands to poke at it
  --down        remove a topology left by --keep (and stop its vtep and FRR), then exit
  -h, --help    this text

Options combine: bin/vtep demo --vlan --ipv6 --keep, bin/vtep demo --evpn --keep
EOF
}

# ── output helpers ─────────────────────────────────────────────────────────────────────────────

step_no=0
step() {
  step_no=$((step_no + 1))
  printf '\n=== %d. %s ===\n' "$step_no" "$*"
}

say() { printf '%s\n' "$*"; }
note() { printf '  %s\n' "$*"; }
indent() { sed 's/^/    /'; }
die() {
  printf 'vtep demo: %s\n' "$*" >&2
  exit 1
}

ns() { printf '%s-%s' "$PREFIX" "$1"; }

# run_in ROLE CMD...: shows "[ROLE]$ CMD" and runs CMD in that namespace, output indented; returns
# CMD's exit status. bin/vtep is shown as the short name a reader types.
run_in() {
  local role="$1"
  shift
  local shown="$*"
  shown="${shown//"$LAUNCHER"/bin/vtep}"
  printf '  [%s]$ %s\n' "$role" "$shown"
  ip netns exec "$(ns "$role")" "$@" 2>&1 | indent
}

# run_pipeline_in ROLE "A | B": like run_in, for a shell pipeline, shown as typed.
run_pipeline_in() {
  printf '  [%s]$ %s\n' "$1" "$2"
  ip netns exec "$(ns "$1")" sh -c "$2" 2>&1 | indent
}

# quietly ROLE CMD...: runs CMD in that namespace without showing it (plumbing).
quietly() {
  local role="$1"
  shift
  ip netns exec "$(ns "$role")" "$@"
}

# ── options and requirements ───────────────────────────────────────────────────────────────────

parse_options() {
  local down=false
  while [ $# -gt 0 ]; do
    case "$1" in
      --vlan) opt_vlan=true ;;
      --ipv6) opt_ipv6=true ;;
      --multicast) opt_multicast=true ;;
      --keep) opt_keep=true ;;
      --down) down=true ;;
      --evpn) opt_evpn=true ;;
      -h | --help)
        usage
        exit 0
        ;;
      *)
        printf 'vtep demo: unknown option %s\n\n' "$1" >&2
        usage >&2
        exit 2
        ;;
    esac
    shift
  done
  if $down; then
    require_root_and_tools ip
    take_down_kept
    exit 0
  fi
  if $opt_evpn; then
    local unsupported=()
    $opt_vlan && unsupported+=("--vlan")
    $opt_ipv6 && unsupported+=("--ipv6")
    $opt_multicast && unsupported+=("--multicast")
    if [ ${#unsupported[@]} -gt 0 ]; then
      {
        say "vtep demo: --evpn does not combine with ${unsupported[*]}; nothing was changed."
        say "  The EVPN demo has one VNI, untagged, on an IPv4 underlay, and floods by ingress replication"
        say "  (type-3 routes). Run bin/vtep demo --evpn [--keep], or drop --evpn."
      } >&2
      exit 2
    fi
  fi
}

# The Debian package that provides a tool.
package_of() {
  case "$1" in
    ip | bridge) echo iproute2 ;;
    ping) echo iputils-ping ;;
    sysctl) echo procps ;;
    scapy) echo python3-scapy ;;
    *) echo "$1" ;;
  esac
}

# True when TOOL is an executable file on the PATH (bash's command -v also names files it cannot run).
have() {
  local path
  path="$(command -v "$1" 2>/dev/null)" && [ -f "$path" ] && [ -x "$path" ]
}

# True when FRR's daemons, vtysh and the group the daemons run as are all there.
have_frr() {
  [ -f "$FRR_DAEMONS/zebra" ] && [ -x "$FRR_DAEMONS/zebra" ] &&
    [ -f "$FRR_DAEMONS/bgpd" ] && [ -x "$FRR_DAEMONS/bgpd" ] &&
    have vtysh && getent group "$FRR_GROUP" >/dev/null
}

# Fills MISSING (descriptions) and PACKAGES (the Debian packages that provide them) for TOOLS.
find_missing() {
  MISSING=() PACKAGES=()
  local tool
  for tool in "$@"; do
    if [ "$tool" = scapy ]; then
      if ! "$SYSTEM_PYTHON" -c 'import scapy.all' >/dev/null 2>&1; then
        MISSING+=("scapy (Debian's python3-scapy under $SYSTEM_PYTHON, for the 802.1Q-tagged frames of --vlan)")
        PACKAGES+=(python3-scapy)
      fi
    elif [ "$tool" = frr ]; then
      if ! have_frr; then
        MISSING+=("frr (zebra and bgpd in $FRR_DAEMONS, vtysh, group $FRR_GROUP) for --evpn: needs Debian's frr: apt-get install frr")
        PACKAGES+=(frr)
      fi
    elif ! have "$tool"; then
      MISSING+=("$tool")
      PACKAGES+=("$(package_of "$tool")")
    fi
  done
}

# True when dpkg has PACKAGE installed.
package_installed() {
  dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed$'
}

# As root on a Debian system, installs those of PACKAGES that dpkg does not have (a package that is
# installed but whose tool is still missing is left alone: installing again would not help).
install_missing_packages() {
  local wanted=() package
  [ "$(id -u)" -eq 0 ] && have apt-get && have dpkg || return 0
  for package in $(printf '%s\n' "$@" | awk '!seen[$0]++'); do
    package_installed "$package" || wanted+=("$package")
  done
  [ ${#wanted[@]} -gt 0 ] || return 0
  say "vtep demo: installing what it needs from Debian: ${wanted[*]}"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${wanted[@]}"; } >&2; then
    say "vtep demo: apt-get could not install ${wanted[*]}" >&2
  fi
  # FRR's daemons run with -g frrvty; the package makes the group, a half-installed frr may not have.
  if package_installed frr && ! getent group "$FRR_GROUP" >/dev/null 2>&1; then
    groupadd --system "$FRR_GROUP"
  fi
}

# Checks everything before changing anything. As root, installs the Debian packages that are
# missing first (the README promises a demo that needs nothing prepared); whatever is still missing
# then is named with how to get it.
require_root_and_tools() {
  local problems=()
  if [ "$(id -u)" -ne 0 ]; then
    problems+=("needs root: it creates network namespaces, veth links and raw sockets (and installs missing Debian packages). Run: sudo bin/vtep demo ${ORIGINAL_ARGS[*]}")
  fi
  find_missing "$@"
  if [ ${#MISSING[@]} -gt 0 ]; then
    install_missing_packages "${PACKAGES[@]}"
    find_missing "$@"
  fi
  if [ ${#MISSING[@]} -gt 0 ]; then
    local unique
    unique="$(printf '%s\n' "${PACKAGES[@]}" | awk '!seen[$0]++' | tr '\n' ' ')"
    problems+=("missing: $(printf '%s, ' "${MISSING[@]}" | sed 's/, $//'). Install with: sudo apt-get install ${unique% }  (or sudo scripts/install-test-deps.sh, which installs everything the tests use)")
  fi
  if [ ${#problems[@]} -gt 0 ]; then
    say "vtep demo: cannot run; nothing was changed." >&2
    printf '  - %s\n' "${problems[@]}" >&2
    exit 1
  fi
}

# ── finding and removing demo topologies ───────────────────────────────────────────────────────

# The prefixes (vtdemo<pid>) of every demo topology that has a namespace or bookkeeping left.
demo_prefixes() {
  {
    ip netns list 2>/dev/null | awk '{ print $1 }' | grep -E "$NS_PATTERN" | sed -E 's/^(vtdemo[0-9]+)-.*/\1/' || true
    if [ -d "$STATE_ROOT" ]; then
      find "$STATE_ROOT" -mindepth 1 -maxdepth 1 -name 'vtdemo*' -printf '%f\n'
    fi
  } | sort -u
}

# True while the demo that owns PREFIX is still running (its pid is alive and is a demo).
demo_running() {
  local pid="${1#vtdemo}"
  grep -qa 'demo\.sh' "/proc/$pid/cmdline" 2>/dev/null
}

# Stops every process in a namespace: SIGTERM, then SIGKILL after GRACE seconds.
stop_processes_in() {
  local namespace="$1" grace="$2" pids waited=0
  pids="$(ip netns pids "$namespace" 2>/dev/null || true)"
  [ -n "$pids" ] || return 0
  # shellcheck disable=SC2086  # one pid a word
  kill -TERM $pids 2>/dev/null || true
  while [ "$waited" -lt $((grace * 10)) ] && [ -n "$(ip netns pids "$namespace" 2>/dev/null || true)" ]; do
    sleep 0.1
    waited=$((waited + 1))
  done
  pids="$(ip netns pids "$namespace" 2>/dev/null || true)"
  # shellcheck disable=SC2086
  [ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true
}

# Kills what still runs with the run's temp dir on its command line (its vtep, started with
# --config <temp dir>/vtep.yaml), wherever it is: even a vtep whose namespace was deleted by hand.
kill_by_workdir() {
  local prefix="$1" cmdline
  for cmdline in /proc/[0-9]*/cmdline; do
    if grep -qa "/vtep-demo\.$prefix\." "$cmdline" 2>/dev/null; then
      local pid="${cmdline#/proc/}"
      kill -KILL "${pid%/cmdline}" 2>/dev/null || true
    fi
  done
}

# Stops the FRR daemons (--evpn) of a demo by their pid files in its temp dir: bgpd, then zebra;
# SIGKILL after 5 s. Only a pid whose command line still names the demo is signalled.
stop_frr() {
  local prefix="$1" dir daemon pid waited
  [ -f "$STATE_ROOT/$prefix/workdir" ] || return 0
  dir="$(cat "$STATE_ROOT/$prefix/workdir")/frr/$prefix-kvtep"
  [ -d "$dir" ] || return 0
  for daemon in bgpd zebra; do
    pid="$(cat "$dir/$daemon.pid" 2>/dev/null || true)"
    case "$pid" in '' | *[!0-9]*) continue ;; esac
    grep -qa -- "$prefix-kvtep" "/proc/$pid/cmdline" 2>/dev/null || continue
    kill -TERM "$pid" 2>/dev/null || true
    waited=0
    while grep -qa -- "$prefix-kvtep" "/proc/$pid/cmdline" 2>/dev/null && [ "$waited" -lt 50 ]; do
      sleep 0.1
      waited=$((waited + 1))
    done
    grep -qa -- "$prefix-kvtep" "/proc/$pid/cmdline" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  done
}

# Removes one demo topology: its vtep first (a clean stop), its FRR, then every namespace and its
# temp dir.
remove_topology() {
  local prefix="$1" namespace
  if ip netns list | awk '{ print $1 }' | grep -qx "$prefix-vtep"; then
    stop_processes_in "$prefix-vtep" 10
  fi
  stop_frr "$prefix"
  for namespace in $(ip netns list | awk '{ print $1 }' | grep -E "^$prefix-" || true); do
    stop_processes_in "$namespace" 2
    ip netns del "$namespace" 2>/dev/null || true
  done
  kill_by_workdir "$prefix"
  rm -rf -- "$FRR_RUN_DIR/$prefix-"*
  if [ -f "$STATE_ROOT/$prefix/workdir" ]; then
    local dir
    dir="$(cat "$STATE_ROOT/$prefix/workdir")"
    case "$dir" in */vtep-demo."$prefix".*) rm -rf -- "$dir" ;; esac
  fi
  rm -rf -- "${STATE_ROOT:?}/$prefix"
  rmdir "$STATE_ROOT" 2>/dev/null || true
}

# At start: remove what earlier runs left behind when they were killed (their pid is gone).
# A topology kept with --keep stays until --down.
remove_stale_topologies() {
  local prefix
  for prefix in $(demo_prefixes); do
    # (Our own pid names a leftover only if a killed run had it before: that one is stale too.)
    if [ "$prefix" != "$PREFIX" ] && demo_running "$prefix"; then
      continue
    elif [ -e "$STATE_ROOT/$prefix/kept" ]; then
      say "(a topology kept by an earlier demo, $prefix-*, is still up; bin/vtep demo --down removes it)"
    else
      say "Removing what an earlier demo run left behind: namespaces $prefix-* (its process ${prefix#vtdemo} is gone)"
      remove_topology "$prefix"
    fi
  done
}

# --down: remove every demo topology whose demo is no longer running (kept or stale).
take_down_kept() {
  local prefix removed=0
  for prefix in $(demo_prefixes); do
    demo_running "$prefix" && continue
    say "Removing demo topology $prefix-* (stopping its vtep$( [ -d "$FRR_RUN_DIR/$prefix-kvtep" ] && printf ' and FRR' ))"
    remove_topology "$prefix"
    removed=$((removed + 1))
  done
  [ "$removed" -gt 0 ] || say "No demo topology to remove."
}

# ── cleanup of this run ────────────────────────────────────────────────────────────────────────

stop_vtep() {
  [ -n "$vtep_pid" ] || return 0
  if kill -0 "$vtep_pid" 2>/dev/null; then
    kill -TERM "$vtep_pid" 2>/dev/null || true
    local waited=0
    while kill -0 "$vtep_pid" 2>/dev/null && [ "$waited" -lt 100 ]; do
      sleep 0.1
      waited=$((waited + 1))
    done
    kill -KILL "$vtep_pid" 2>/dev/null || true
  fi
  local status=0
  wait "$vtep_pid" 2>/dev/null || status=$?
  say "vtep stopped (exit $status)"
  vtep_pid=""
}

cleanup() {
  local status=$?
  trap '' INT TERM      # a second Ctrl-C must not leave half a topology behind
  set +e
  if $finished && $opt_keep; then
    return 0
  fi
  if [ "$status" -eq 1 ] && [ -n "$workdir" ] && [ -s "$workdir/vtep.log" ]; then
    say "--- last lines of vtep's log ($workdir/vtep.log) ---"
    tail -n 20 "$workdir/vtep.log" | indent
  fi
  if $created || [ -n "$workdir" ]; then
    printf '\n=== Cleaning up ===\n'
    stop_vtep
    if $opt_evpn && [ -d "$workdir/frr" ]; then
      stop_frr "$PREFIX"
      say "FRR stopped (bgpd, zebra)"
    fi
    remove_topology "$PREFIX"
    say "Removed namespaces $PREFIX-* and $workdir."
  fi
  exit "$status"
}

interrupted() {
  printf '\nvtep demo: interrupted (%s), cleaning up\n' "$1" >&2
  case "$1" in INT) exit 130 ;; HUP) exit 129 ;; *) exit 143 ;; esac
}

# ── building the topology ──────────────────────────────────────────────────────────────────────

configure_underlay() {
  if $opt_ipv6; then
    group="$GROUP6"
    vtep_ip="2001:db8::1"
    kernel_ip="2001:db8::2"
    underlay_cidr_len=64
    host_mtu=1430   # 1500 - 70 bytes of outer IPv6 + UDP + VXLAN + inner Ethernet
  else
    group="$GROUP4"
    vtep_ip="192.0.2.1"
    kernel_ip="192.0.2.2"
    underlay_cidr_len=24
    host_mtu=1450   # 1500 - 50 bytes of outer IPv4 + UDP + VXLAN + inner Ethernet
  fi
}

# A namespace with loopback up and IPv6 off: IPv6 DAD and MLD traffic would otherwise teach the
# VTEPs MAC addresses before the demo does. The two VTEP namespaces keep IPv6 for --ipv6, but
# only on their underlay link (new devices default to off).
add_namespace() {
  local role="$1" keep_ipv6="${2:-false}"
  ip netns add "$(ns "$role")"
  created=true
  if $keep_ipv6; then
    # Not "all": writing all.disable_ipv6 also resets default.disable_ipv6.
    quietly "$role" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
      net.ipv6.conf.default.disable_ipv6=1
  else
    quietly "$role" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  fi
  ip -n "$(ns "$role")" link set lo up
}

# link ROLE_A IF_A ROLE_B IF_B: a veth pair made directly inside the two namespaces, both ends up.
link() {
  ip link add "$2" netns "$(ns "$1")" type veth peer name "$4" netns "$(ns "$3")"
  ip -n "$(ns "$1")" link set "$2" up
  ip -n "$(ns "$3")" link set "$4" up
}

# add_host ROLE MAC CIDR PEER_ROLE PEER_IF: a bare-metal server whose eth0 is cabled to PEER_IF,
# made "wire-like" (no checksum/segmentation offloads, like a physical NIC; docs/architecture.md §8).
add_host() {
  local role="$1" mac="$2" cidr="$3" peer="$4" peer_if="$5"
  add_namespace "$role"
  link "$role" eth0 "$peer" "$peer_if"
  ip -n "$(ns "$role")" link set eth0 down
  ip -n "$(ns "$role")" link set eth0 address "$mac" mtu "$host_mtu"
  ip -n "$(ns "$role")" addr add "$cidr" dev eth0
  ip -n "$(ns "$role")" link set eth0 up
  # The host keeps Linux's default offloads (checksum offload, TSO/GSO), like any VM or container.
}

# add_kernel_vni VNI BRIDGE PORT: the Linux kernel VTEP's side of one VNI: a vxlan device on UDP
# 4789 (the kernel's default would be 8472) that learns remote MACs, in a bridge with the port
# facing that VNI's host; BUM goes to vtep by a flood-list entry, or to the multicast group. With
# --evpn it learns nothing from the data plane and has no flood entry: zebra installs both from BGP.
add_kernel_vni() {
  local vni="$1" bridge="$2" port="$3" k
  k="$(ns kvtep)"
  ip -n "$k" link add "$bridge" type bridge mcast_snooping 0
  if $opt_evpn; then
    ip -n "$k" link add "vxlan$vni" type vxlan id "$vni" dstport 4789 local "$kernel_ip" nolearning
  elif $opt_multicast; then
    ip -n "$k" link add "vxlan$vni" type vxlan id "$vni" dstport 4789 local "$kernel_ip" group "$group" dev ul0 learning
  else
    ip -n "$k" link add "vxlan$vni" type vxlan id "$vni" dstport 4789 local "$kernel_ip" learning
    ip netns exec "$k" bridge fdb append 00:00:00:00:00:00 dev "vxlan$vni" dst "$vtep_ip"
  fi
  ip -n "$k" link set "vxlan$vni" master "$bridge" up
  ip -n "$k" link set "$port" master "$bridge" up
  ip -n "$k" link set "$bridge" up
}

# "LEFT ul0 ===== underlay ===== ul0 RIGHT", RIGHT starting in the second column (49).
underlay_wire() {
  local left="$1 ul0 " right=" ul0 $2" label=" underlay " wire
  local width=$((49 - ${#left} - 4))
  local half=$(((width - ${#label}) / 2))
  wire="$(printf '%*s' "$half" '' | tr ' ' '=')$label$(printf '%*s' "$((width - ${#label} - half))" '' | tr ' ' '=')"
  printf '%s%s%s' "$left" "$wire" "$right"
}

build_topology() {
  step "Topology: network namespaces $PREFIX-*"
  add_namespace vtep "$opt_ipv6"
  add_namespace kvtep "$opt_ipv6"
  link vtep ul0 kvtep ul0
  if $opt_ipv6; then
    quietly vtep sysctl -qw net.ipv6.conf.ul0.disable_ipv6=0
    quietly kvtep sysctl -qw net.ipv6.conf.ul0.disable_ipv6=0
    ip -n "$(ns vtep)" -6 addr add "$vtep_ip/$underlay_cidr_len" dev ul0 nodad
    ip -n "$(ns kvtep)" -6 addr add "$kernel_ip/$underlay_cidr_len" dev ul0 nodad
  else
    ip -n "$(ns vtep)" addr add "$vtep_ip/$underlay_cidr_len" dev ul0
    ip -n "$(ns kvtep)" addr add "$kernel_ip/$underlay_cidr_len" dev ul0
  fi
  add_host h1 "$H1_MAC" 10.0.0.1/24 vtep acc1
  add_host h2 "$H2_MAC" 10.0.0.2/24 kvtep acc2
  add_kernel_vni "$VNI" br0 acc2
  if $opt_vlan; then
    add_host h3 "$H3_MAC" 10.0.200.2/24 kvtep acc3
    add_kernel_vni "$VLAN_VNI" br1 acc3
  fi

  local bum="flood lists (head-end replication)"
  $opt_multicast && bum="multicast group $group"
  $opt_evpn && bum="head-end replication to the VTEPs BGP EVPN announces"
  # ASCII only: the columns line up whatever the terminal's locale.
  printf '  %-49s%s\n' "h1 10.0.0.1 ($H1_MAC)" "h2 10.0.0.2 ($H2_MAC)"
  printf '  %-49s%s\n' "| eth0" "| eth0" "| acc1: vtep's access port" "| acc2"
  printf '  %s\n' "$(underlay_wire "vtep $vtep_ip" "Linux kernel VTEP $kernel_ip")"
  if $opt_evpn; then
    printf '  %-49s%s\n' "this VTEP (Java), BGP AS $ASN" "vxlan$VNI (nolearning) in bridge br0," "" "FRR (zebra + bgpd) AS $ASN"
    say "  vtep and FRR peer over iBGP (l2vpn evpn); neither side has a flood list or learns from VXLAN packets."
  else
    printf '  %-49s%s\n' "this VTEP (Java)" "vxlan$VNI in bridge br0"
  fi
  say "  VNI $VNI, VXLAN on UDP 4789, BUM through $bum; hosts' MTU $host_mtu"
  if $opt_vlan; then
    say "  VLAN $VLAN on acc1 -> VNI $VLAN_VNI: h1 also speaks as 10.0.200.1 ($TAGGED_MAC) in 802.1Q-tagged frames"
    say "  built by scapy (this kernel has no VLAN devices); behind the kernel VTEP, vxlan$VLAN_VNI in bridge br1"
    say "  -acc3- h3 10.0.200.2 ($H3_MAC)"
  fi
  note "[h1]\$ CMD below means: ip netns exec $PREFIX-h1 CMD"
}

# ── vtep ───────────────────────────────────────────────────────────────────────────────────────

# yaml TEXT [COMMENT]: one line of the config, comments in one column.
yaml() {
  if [ $# -gt 1 ]; then printf '%-38s # %s\n' "$1" "$2"; else printf '%s\n' "$1"; fi
}

write_config() {
  local config="$workdir/vtep.yaml" vlans="untagged: $VNI" bum bum_comment
  $opt_vlan && vlans="untagged: $VNI, $VLAN: $VLAN_VNI"
  if $opt_evpn; then
    bum="learning: evpn" bum_comment="MACs and flood list from BGP, not from VXLAN packets"
  elif $opt_multicast; then
    bum="multicast-group: \"$group\"" bum_comment="BUM: one copy to the group"
  else
    bum="flood: [\"$kernel_ip\"]" bum_comment="BUM: a copy to each VTEP in the list"
  fi
  {
    yaml "# written by bin/vtep demo; every key is explained in README.md, \"Configuration reference\""
    yaml "vtep:"
    yaml "  local-ip: \"$vtep_ip\"" "this VTEP's address on the underlay (ul0)"
    yaml "  udp-port: 4789" "the IANA VXLAN port (the kernel's default is 8472)"
    yaml "ports:"
    yaml "  - name: acc1" "the access port h1 is cabled to"
    if $opt_vlan; then
      yaml "    vlans: { $vlans }" "untagged frames -> VNI $VNI, VLAN $VLAN -> VNI $VLAN_VNI"
    else
      yaml "    vlans: { $vlans }" "untagged frames -> VNI $VNI"
    fi
    yaml "vnis:"
    yaml "  - vni: $VNI"
    yaml "    $bum" "$bum_comment"
    if $opt_vlan; then
      yaml "  - vni: $VLAN_VNI"
      yaml "    $bum" "$bum_comment"
    fi
    yaml "api:"
    yaml "  listen: 127.0.0.1:9100" "HTTP API and /metrics, in the vtep namespace"
    if $opt_evpn; then
      yaml "bgp:" "the BGP EVPN control plane"
      yaml "  asn: $ASN" "iBGP: the same AS as FRR"
      yaml "  neighbors:"
      yaml "    - address: \"$kernel_ip\"" "FRR, next to the kernel VTEP"
      yaml "      remote-as: $ASN"
      yaml "      hold-time: 9" "keepalive every 3 s; a silent peer is dropped after 9 s"
    fi
  } >"$config"
  step "vtep's configuration ($config)"
  indent <"$config"
}

# The launcher builds the jars on its first run; do it here, visibly, before any namespace exists.
build_if_needed() {
  if [ ! -f "$JAR" ]; then
    say "First run on this clone: building vtep with the Maven wrapper (a few minutes, once)..."
  fi
  local version
  version="$("$LAUNCHER" version)" || die "could not build or start vtep (see the messages above)"
  say "Using $version ($LAUNCHER)."
}

start_vtep() {
  local log="$workdir/vtep.log" waited=0
  : >"$log"
  step "Starting vtep in namespace $PREFIX-vtep"
  note "[vtep]\$ bin/vtep run --config $workdir/vtep.yaml   (log: $log)"
  # setsid: its own session, so a Ctrl-C in the terminal reaches only this script, which then
  # stops vtep in order; and a topology kept with --keep keeps its vtep after the script exits.
  setsid ip netns exec "$(ns vtep)" "$LAUNCHER" run --config "$workdir/vtep.yaml" </dev/null >"$log" 2>&1 &
  vtep_pid=$!
  until grep -q 'vtep started' "$log"; do
    kill -0 "$vtep_pid" 2>/dev/null || die "vtep exited during startup; its log says:$(printf '\n'; indent <"$log")"
    [ "$waited" -lt 600 ] || die "vtep did not log 'vtep started' within 60 s"
    sleep 0.1
    waited=$((waited + 1))
  done
  grep -m1 'vtep started' "$log" | indent
}

# ── FRR (--evpn) ───────────────────────────────────────────────────────────────────────────────

# FRR's files: <temp dir>/frr/<namespace>/ holds the configs, pid files, zserv socket and vty
# sockets. vtysh -N NAME appends NAME to --vty_socket and --config_dir (the daemons do not).
frr_base() { printf '%s/frr' "$workdir"; }
frr_dir() { printf '%s/%s' "$(frr_base)" "$(ns kvtep)"; }

# vtysh_in [-d DAEMON] CMD...: vtysh connected to the kvtep namespace's FRR, one -c per CMD.
vtysh_in() {
  local args=()
  if [ "$1" = -d ]; then
    args+=(-d "$2")
    shift 2
  fi
  local c
  for c in "$@"; do args+=(-c "$c"); done
  quietly kvtep vtysh -N "$(ns kvtep)" --vty_socket "$(frr_base)" --config_dir "$(frr_base)" "${args[@]}"
}

# run_vtysh CMD: like run_in, for one vtysh command, shown the short way (see start_frr).
run_vtysh() {
  printf "  [kvtep]\$ vtysh -c '%s'\n" "$1"
  vtysh_in "$1" 2>&1 | sed '/^$/d' | indent
}

write_frr_config() {
  local dir
  dir="$(frr_dir)"
  mkdir -p "$dir"
  printf 'hostname kvtep\n' >"$dir/zebra.conf"
  : >"$dir/vtysh.conf"
  cat >"$dir/bgpd.conf" <<EOF
hostname kvtep
router bgp $ASN
 bgp router-id $kernel_ip
 no bgp default ipv4-unicast
 neighbor $vtep_ip remote-as $ASN
 neighbor $vtep_ip timers 3 9
 neighbor $vtep_ip timers connect 1
 address-family l2vpn evpn
  neighbor $vtep_ip activate
  advertise-all-vni
 exit-address-family
exit
EOF
  step "FRR's configuration ($dir/bgpd.conf)"
  indent <"$dir/bgpd.conf"
  say "  iBGP to vtep with the l2vpn evpn address family only; advertise-all-vni: announce every VNI"
  say "  zebra finds on the kernel's vxlan devices. Timers 3 9 as vtep's hold-time 9; connect retry 1 s."
}

# start_frr_daemon NAME: one FRR daemon in the kvtep namespace, in the foreground of its own session
# (like vtep: a Ctrl-C reaches only this script, and --keep keeps it), then waits until it answers.
start_frr_daemon() {
  local daemon="$1" dir waited=0
  dir="$(frr_dir)"
  setsid ip netns exec "$(ns kvtep)" "$FRR_DAEMONS/$daemon" -N "$(ns kvtep)" \
    -f "$dir/$daemon.conf" -i "$dir/$daemon.pid" -z "$dir/zserv.api" --vty_socket "$dir" \
    -u root -g "$FRR_GROUP" -P 0 --log stdout </dev/null >"$dir/$daemon.log" 2>&1 &
  local pid=$!
  until (vtysh_in -d "$daemon" 'show version') >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null ||
      die "$daemon exited during startup; its log says:$(printf '\n'; indent <"$dir/$daemon.log")"
    [ "$waited" -lt 200 ] || die "$daemon did not answer vtysh within 20 s; its log: $dir/$daemon.log"
    sleep 0.1
    waited=$((waited + 1))
  done
}

start_frr() {
  local dir
  dir="$(frr_dir)"
  step "Starting FRR in namespace $(ns kvtep): zebra, then bgpd"
  note "[kvtep]\$ $FRR_DAEMONS/zebra -N $(ns kvtep) -f $dir/zebra.conf -i $dir/zebra.pid \\"
  note "            -z $dir/zserv.api --vty_socket $dir -u root -g $FRR_GROUP -P 0 &   (log: $dir/zebra.log)"
  start_frr_daemon zebra
  note "[kvtep]\$ $FRR_DAEMONS/bgpd  (the same options, bgpd.conf and bgpd.pid)   (log: $dir/bgpd.log)"
  start_frr_daemon bgpd
  say "  zebra reads the kernel's vxlan100 and bridge br0 and hands VNI $VNI to bgpd; it installs what bgpd"
  say "  learns as kernel FDB entries. vtysh below means: vtysh -N $(ns kvtep) --vty_socket $(frr_base)"
  say "  --config_dir $(frr_base)"
}

# wait_until TIMEOUT_S WHAT CMD...: polls CMD every 0.2 s until it succeeds; dies after TIMEOUT_S.
# CMD runs in a subshell: a function run with its output redirected would leave that redirection in
# place for a Ctrl-C trap that fires inside it, and the cleanup's messages would go to /dev/null.
wait_until() {
  local timeout="$1" what="$2" tries=0
  shift 2
  until ("$@") >/dev/null 2>&1; do
    [ "$tries" -lt $((timeout * 5)) ] || die "timed out after ${timeout} s waiting for: $what"
    sleep 0.2
    tries=$((tries + 1))
  done
}

# api_get PATH: GET from vtep's HTTP API (status line, headers, body) with bash's /dev/tcp, for
# polling: each bin/vtep command starts a JVM, about a second on a small machine.
api_get() {
  # shellcheck disable=SC2016  # expanded by the inner bash
  quietly vtep bash -c 'exec 3<>/dev/tcp/127.0.0.1/9100 &&
    printf "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" "$1" >&3 && cat <&3' api_get "$1"
}

# Probes for wait_until.
vtep_established() { api_get /api/v1/bgp | grep -q "\"address\":\"$kernel_ip\",.*\"state\":\"Established\""; }
vtep_floods_to_kernel() { api_get "/api/v1/vnis?vni=$VNI" | grep -q "\"flood\":\[\"$kernel_ip\"\]"; }
kernel_floods_to_vtep() { quietly kvtep bridge fdb show dev "vxlan$VNI" | grep -q "^00:00:00:00:00:00 dst $vtep_ip "; }
vtep_has_route_for() { api_get "/api/v1/bgp/routes?vni=$VNI" | grep -qi "\"type\":2,[^}]*\"mac\":\"$1\""; }
frr_has_route_for() { vtysh_in "show bgp l2vpn evpn route type macip" | grep -qi "\[$1\]"; }

show_bgp_session() {
  step "BGP session vtep <-> FRR"
  say "  vtep connects to FRR on TCP 179; after OPEN and KEEPALIVE the session is Established and each"
  say "  side sends an inclusive multicast route (type 3) for VNI $VNI: \"flood BUM for this VNI to me\"."
  wait_until 30 "the BGP session to be Established (vtep's log: $workdir/vtep.log)" vtep_established
  wait_until 15 "vtep's flood list to hold $kernel_ip (FRR's type-3 route)" vtep_floods_to_kernel
  wait_until 15 "zebra to put $vtep_ip in the kernel's flood list (vtep's type-3 route)" kernel_floods_to_vtep
  run_in vtep "$LAUNCHER" bgp summary || die "bin/vtep bgp summary failed"
  run_vtysh 'show bgp l2vpn evpn summary'
  say "  FRR's State/PfxRcd column shows the prefixes received once a session is Established."
}

show_evpn_routes() {
  step "EVPN routes on both sides"
  say "  The ping taught each VTEP its local host's MAC (h1 on vtep's acc1, h2 on the kernel's bridge);"
  say "  each announced it as a MAC/IP route (type 2), next to the type-3 routes from the start."
  wait_until 15 "FRR to receive vtep's type-2 route for h1 ($H1_MAC)" frr_has_route_for "$H1_MAC"
  wait_until 15 "vtep to receive FRR's type-2 route for h2 ($H2_MAC)" vtep_has_route_for "$H2_MAC"
  run_in vtep "$LAUNCHER" bgp routes || die "bin/vtep bgp routes failed"
  say "  * = best path; \"from local\" = vtep's own routes, \"from $kernel_ip\" = learned from FRR."
  run_vtysh 'show bgp l2vpn evpn route'
  say "  [2]:[0]:[48]:[MAC] = a MAC route (type 2), [3]:[0]:[32]:[IP] = a VTEP's flood route (type 3);"
  say "  \"i\" = learned over iBGP, next hop = the VTEP that has the MAC."
}

# ── the steps ──────────────────────────────────────────────────────────────────────────────────

show_arp() {
  step "ARP across the overlay: h1 asks who has 10.0.0.2"
  say "  h1's neighbour table before:"
  local before
  before="$(quietly h1 ip neigh show dev eth0)"
  printf '%s\n' "${before:-(empty)}" | indent
  if $opt_evpn; then
    say "  h1 pings once: its ARP broadcast enters vtep on acc1 and is flooded over VXLAN to the VTEPs in"
    say "  VNI $VNI's flood list, which BGP filled (FRR's type-3 route); h2's reply comes back the same way."
  else
    say "  h1 pings once: its ARP broadcast enters vtep on acc1, is flooded to the kernel VTEP over VXLAN,"
    say "  and h2's reply comes back the same way."
  fi
  (quietly h1 ping -n -c 1 -W 2 10.0.0.2) >/dev/null || die "h1 got no answer from 10.0.0.2 across the overlay"
  run_in h1 ip neigh show dev eth0
  say "  (h2's MAC is $H2_MAC)"
}

show_ping() {
  step "Ping h1 → h2 across the overlay"
  run_in h1 ping -n -c 5 -i 0.2 10.0.0.2 || die "ping h1 → h2 lost packets"
}

show_tcp_transfer() {
  step "TCP transfer h1 → h2: iperf3 for 3 seconds"
  local server_log="$workdir/iperf3-server.log" waited=0
  : >"$server_log"
  # One test, then the server exits on its own (-1).
  setsid ip netns exec "$(ns h2)" iperf3 -s -1 --forceflush </dev/null >"$server_log" 2>&1 &
  until grep -q 'Server listening' "$server_log"; do
    [ "$waited" -lt 100 ] || die "iperf3 server in h2 did not start: $(cat "$server_log")"
    sleep 0.1
    waited=$((waited + 1))
  done
  run_in h1 iperf3 -c 10.0.0.2 -t 3 -f m || die "the TCP transfer h1 → h2 failed"
}

show_vlan() {
  step "VLAN $VLAN on the same access port → VNI $VLAN_VNI"
  say "  h1 sends 802.1Q-tagged frames (VLAN $VLAN) as 10.0.200.1 ($TAGGED_MAC); vtep maps (acc1, VLAN $VLAN)"
  say "  to VNI $VLAN_VNI, strips the tag, and puts it back on what comes back. h3 behind the kernel VTEP answers."
  local script
  script="$(cat <<EOF
from scapy.all import *
import sys, time
conf.verb = 0
print("  [h1] ARP who-has 10.0.200.2, tagged VLAN $VLAN, from $TAGGED_MAC")
ans, _ = srp(Ether(src='$TAGGED_MAC', dst='ff:ff:ff:ff:ff:ff')/Dot1Q(vlan=$VLAN)/ARP(op=1, hwsrc='$TAGGED_MAC', psrc='10.0.200.1', pdst='10.0.200.2'), iface='eth0', timeout=5)
macs = []
for _, r in ans:
    vlan = r[Dot1Q].vlan if Dot1Q in r else 'none (untagged)'
    print("    reply: 10.0.200.2 is-at %s, VLAN %s" % (r[ARP].hwsrc, vlan))
    macs.append(r[ARP].hwsrc)
if not macs:
    print("    no ARP reply on VLAN $VLAN"); sys.exit(1)
print("  [h1] ICMP echo to 10.0.200.2, tagged VLAN $VLAN (3 times)")
ok = 0
for seq in range(1, 4):
    start = time.time()
    ans, _ = srp(Ether(src='$TAGGED_MAC', dst=macs[0])/Dot1Q(vlan=$VLAN)/IP(src='10.0.200.1', dst='10.0.200.2')/ICMP(id=0x7e7, seq=seq), iface='eth0', timeout=3)
    for s, r in ans:
        vlan = r[Dot1Q].vlan if Dot1Q in r else 'none (untagged)'
        print("    echo reply from %s seq=%d, VLAN %s, time=%.1f ms (scapy's own overhead included)" % (r[IP].src, seq, vlan, (r.time - s.sent_time) * 1000))
        ok += 1
print("    %d of 3 echo requests answered" % ok)
sys.exit(0 if ok == 3 else 1)
EOF
)"
  quietly h1 "$SYSTEM_PYTHON" -c "$script" || die "the VLAN $VLAN exchange with h3 failed"
}

show_fdbs() {
  step "FDB: vtep's view"
  run_in vtep "$LAUNCHER" fdb show || die "bin/vtep fdb show failed"
  if $opt_evpn; then
    say "  local = learned on an access port (and announced over BGP); evpn = installed from FRR's type-2"
    say "  route, with the VTEP to send to: never aged, removed when the route is withdrawn."
  else
    say "  local = learned on an access port; remote = learned from VXLAN packets, with the sending VTEP."
  fi

  step "FDB: the Linux kernel VTEP's view"
  run_in kvtep bridge fdb show dev "vxlan$VNI"
  if $opt_vlan; then
    run_in kvtep bridge fdb show dev "vxlan$VLAN_VNI"
  fi
  if $opt_evpn; then
    say "  Both installed by zebra from vtep's routes: \"dst $vtep_ip self extern_learn\": h1's MAC lives behind"
    say "  vtep (type 2); 00:00:00:00:00:00 dst $vtep_ip: the flood list (type 3). The kernel learned nothing itself."
  elif $opt_multicast; then
    say "  \"dst $vtep_ip self\": h1's MAC lives behind vtep; 00:00:00:00:00:00 dst $group: where BUM goes."
  else
    say "  \"dst $vtep_ip self\": h1's MAC lives behind vtep; 00:00:00:00:00:00: the flood list (head-end replication)."
  fi
  say "  \"master br0\": the bridge's own entries for the port (learned, or the vxlan device's own MAC)."
}

show_counters() {
  step "Per-VNI counters"
  run_in vtep "$LAUNCHER" vni list || die "bin/vtep vni list failed"
  say "  access = frames on the access ports, overlay = VXLAN packets on the underlay; FLOODS = BUM frames"
  say "  replicated (the ARP broadcast); DROPS = dropped frames, by reason in /metrics."
  if $opt_evpn; then
    say "  LEARNING evpn: the overlay side learns nothing from packets; FLOOD came from BGP. FLOODS also counts"
    say "  frames for h2 sent before FRR's type-2 route for h2 arrived (unknown unicast, flooded like BUM)."
  fi
}

show_next() {
  step "Where to look next"
  if have curl; then
    say "  Prometheus metrics on $API/metrics inside the vtep namespace, for example:"
    run_pipeline_in vtep "curl -s $API/metrics | grep -E '^vtep_vni_(rx|tx)_packets_total'"
  else
    say "  Prometheus metrics: GET $API/metrics inside the vtep namespace (curl is not installed here)."
  fi
  cat <<EOF
  - Every configuration key: README.md, "Configuration reference" ($ROOT/README.md)
  - Run it on your own interfaces: bin/vtep run --config FILE (needs CAP_NET_RAW)
  - Keep this topology to poke at it: bin/vtep demo$($opt_evpn && printf ' --evpn' || true) --keep   (then bin/vtep demo --down)
EOF
}

show_keep_instructions() {
  local tcpdump_hint="tcpdump -ni ul0 udp port 4789"
  cat <<EOF

=== The topology stays up (--keep) ===
  vtep runs as pid $vtep_pid in namespace $PREFIX-vtep; its log: $workdir/vtep.log
  Poke at it:
    sudo ip netns exec $PREFIX-h1 ping 10.0.0.2
    sudo ip netns exec $PREFIX-vtep $tcpdump_hint
    sudo ip netns exec $PREFIX-vtep curl -s $API/metrics
    sudo ip netns exec $PREFIX-vtep bin/vtep fdb show
    sudo ip netns exec $PREFIX-vtep bin/vtep vni list
    sudo ip netns exec $PREFIX-kvtep bridge fdb show dev vxlan$VNI
EOF
  if $opt_evpn; then
    cat <<EOF
    sudo ip netns exec $PREFIX-vtep bin/vtep bgp summary
    sudo ip netns exec $PREFIX-vtep bin/vtep bgp routes
    sudo ip netns exec $PREFIX-kvtep vtysh -N $PREFIX-kvtep --vty_socket $(frr_base) --config_dir $(frr_base) -c 'show bgp l2vpn evpn route'
  FRR's logs: $(frr_dir)/zebra.log and bgpd.log
EOF
  fi
  cat <<EOF
  Remove it (and stop its vtep$($opt_evpn && printf ' and FRR' || true)):
    sudo bin/vtep demo --down
EOF
}

main() {
  ORIGINAL_ARGS=("$@")
  parse_options "$@"
  local tools=(ip bridge ping iperf3 sysctl setsid)
  $opt_vlan && tools+=(scapy)
  $opt_evpn && tools+=(frr)
  require_root_and_tools "${tools[@]}"

  trap cleanup EXIT
  trap 'interrupted INT' INT
  trap 'interrupted TERM' TERM
  trap 'interrupted HUP' HUP
  # A reader that goes away (bin/vtep demo | head) makes writes fail, and set -e then cleans up,
  # instead of SIGPIPE killing the script with the topology still up.
  trap '' PIPE

  if $opt_evpn; then
    say "vtep demo: vtep (a software VXLAN gateway, in Java) next to a Linux kernel VTEP driven by FRR, the"
    say "two learning each other through BGP EVPN, on a throwaway topology of network namespaces that is"
    say "removed at the end (also on Ctrl-C)."
  else
    say "vtep demo: vtep (a software VXLAN gateway, in Java) next to a Linux kernel VTEP, on a throwaway"
    say "topology of network namespaces that is removed at the end (also on Ctrl-C)."
  fi
  remove_stale_topologies
  build_if_needed
  configure_underlay

  mkdir -p "$STATE_ROOT/$PREFIX"
  workdir="$(mktemp -d "${TMPDIR:-/tmp}/vtep-demo.$PREFIX.XXXXXX")"
  echo "$workdir" >"$STATE_ROOT/$PREFIX/workdir"

  build_topology
  write_config
  if $opt_evpn; then
    write_frr_config
    start_frr
  fi
  start_vtep
  if $opt_evpn; then show_bgp_session; fi
  show_arp
  show_ping
  if $opt_evpn; then show_evpn_routes; fi
  show_tcp_transfer
  $opt_vlan && show_vlan
  show_fdbs
  show_counters
  show_next
  finished=true
  if $opt_keep; then
    touch "$STATE_ROOT/$PREFIX/kept"
    show_keep_instructions
  fi
}

main "$@"
