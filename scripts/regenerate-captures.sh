#!/usr/bin/env bash
# Regenerates the reference captures of testdata/captures from real peers (see its README.md):
#
#   kernel-vxlan-ipv4.pcap  two Linux kernel VTEPs, IPv4 underlay 192.0.2.1 <-> 192.0.2.2
#   kernel-vxlan-ipv6.pcap  the same over an IPv6 underlay 2001:db8::1 <-> 2001:db8::2
#   frr-evpn-ibgp.pcap      FRR <-> FRR iBGP EVPN (AS 65000) after `clear bgp l2vpn evpn *`,
#                           then VXLAN data between the VTEPs FRR configured
#
# Each capture is taken with tcpdump on the underlay veth of the first VTEP. Everything runs in
# network namespaces this script creates (names start with a prefix unique to this run) and
# deletes on exit, even on failure; the root namespace's interfaces, addresses and routes are
# never touched. Needs root, iproute2, tcpdump, ping and Debian's frr (zebra, bgpd, vtysh and the
# frrvty group): `sudo scripts/install-test-deps.sh` installs them.
#
#   sudo scripts/regenerate-captures.sh [OUTPUT_DIR]     (default: testdata/captures)
#
# The committed captures are golden inputs of the encap and control-bgp-evpn tests, whose expected
# values (flow-hash source ports, TCP sequence numbers, MAC addresses of the veths) come from those
# exact files: a new run gives equivalent captures, not identical ones. Write into another
# directory unless you mean to update the tests too.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/testdata/captures}"

log() { echo "regenerate-captures: $*"; }
die() { echo "regenerate-captures: $*" >&2; exit 1; }

FRR_DIR=/usr/lib/frr
FRR_RUN_DIR=/var/run/frr
VNI=100

# ------------------------------------------------------------------------------ requirements

[ "$(id -u)" -eq 0 ] || die "must run as root (creates network namespaces, runs tcpdump and FRR); try: sudo $0"
missing=""
for tool in ip bridge tcpdump ping vtysh sysctl; do
  command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
for daemon in zebra bgpd; do
  [ -x "$FRR_DIR/$daemon" ] || missing="$missing $FRR_DIR/$daemon"
done
getent group frrvty >/dev/null 2>&1 || missing="$missing group:frrvty"
[ -z "$missing" ] || die "missing:$missing (Debian packages iproute2 tcpdump iputils-ping procps frr; run scripts/install-test-deps.sh)"

mkdir -p "$out"
out="$(cd "$out" && pwd)"

# ------------------------------------------------------------------------------ cleanup

# A prefix unique to this run: namespaces and FRR pathspaces of other runs (and of the topology
# tests, which use their own prefixes) are never touched.
prefix="vtcap$$"
work="$(mktemp -d /tmp/vtcap.XXXXXX)"
namespaces=()
pids=()

cleanup() {
  local rc=$?
  set +e
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null
  done
  for ns in "${namespaces[@]}"; do
    ip netns delete "$ns" 2>/dev/null
    rm -rf "${FRR_RUN_DIR:?}/$ns"
  done
  if [ "$rc" -ne 0 ]; then
    log "failed; daemon and tcpdump output:"
    for f in "$work"/*.log "$work"/frr/*/*.log; do
      [ -f "$f" ] && { echo "--- $f"; tail -n 30 "$f"; }
    done
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ------------------------------------------------------------------------------ building blocks

# netns ROLE [ipv6]: creates namespace $prefix-ROLE with lo up; IPv6 off unless asked for, so that
# no DAD/MLD/ND traffic teaches MACs or floods into the VNI before the traffic we want. Not called
# in a subshell: the cleanup list must see every namespace.
netns() {
  local ns="$prefix-$1"
  namespaces+=("$ns")
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  if [ "${2:-}" != ipv6 ]; then
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  fi
}

# vtep NS LOCAL [REMOTE]: bridge br100 with a kernel VXLAN device for VNI 100 on UDP 4789 (the
# kernel's default port is 8472), learning off. With REMOTE, a static flood list of that one VTEP;
# without, FRR's zebra installs the flood list from the type 3 routes bgpd learns. Multicast
# snooping off: with it on, the bridge joins 224.0.0.106 and its IGMP reports flood into the VNI.
vtep() {
  local ns="$1" local_ip="$2" remote_ip="${3:-}"
  ip -n "$ns" link add br100 type bridge mcast_snooping 0
  ip -n "$ns" link add vxlan100 type vxlan id "$VNI" dstport 4789 local "$local_ip" nolearning
  ip -n "$ns" link set vxlan100 master br100
  if [ -n "$remote_ip" ]; then
    bridge -n "$ns" fdb append 00:00:00:00:00:00 dev vxlan100 dst "$remote_ip"
  fi
  ip -n "$ns" link set vxlan100 up
  ip -n "$ns" link set br100 up
}

# host VTEP_NS HOST_NS MAC IP/LEN: a bare-metal host (eth0 with a fixed MAC) attached to br100.
host() {
  local vtep_ns="$1" host_ns="$2" mac="$3" addr="$4"
  ip -n "$host_ns" link add eth0 address "$mac" type veth peer name access netns "$vtep_ns"
  ip -n "$vtep_ns" link set access master br100
  ip -n "$vtep_ns" link set access up
  ip -n "$host_ns" addr add "$addr" dev eth0
  ip -n "$host_ns" link set eth0 up
}

# underlay NS_A NS_B: the veth between two VTEPs, named ul on both sides.
underlay() {
  ip -n "$1" link add ul type veth peer name ul netns "$2"
}

# capture_start NS FILE FILTER: tcpdump on NS's underlay veth, full frames, each handed over and
# written as it comes (--immediate-mode -U: otherwise the packets of a ring block that is not yet
# full are lost when tcpdump stops); returns when tcpdump listens. Its pid is in $capture_pid.
capture_start() {
  local ns="$1" file="$2" filter="$3" errlog
  errlog="$work/tcpdump-$(basename "$file").log"
  rm -f "$file"
  ip netns exec "$ns" tcpdump -i ul -s 0 --immediate-mode -U -Z root -w "$file" "$filter" 2>"$errlog" &
  capture_pid=$!
  pids+=("$capture_pid")
  for _ in $(seq 100); do
    grep -q "listening on" "$errlog" 2>/dev/null && return 0
    kill -0 "$capture_pid" 2>/dev/null || die "tcpdump in $ns exited: $(cat "$errlog")"
    sleep 0.1
  done
  die "tcpdump in $ns did not start listening: $(cat "$errlog")"
}

# capture_stop: lets the last packets arrive, then stops tcpdump so that it flushes the file.
capture_stop() {
  sleep 0.5
  kill -INT "$capture_pid"
  wait "$capture_pid" || true
}

# await SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.2 s until it succeeds.
await() {
  local seconds="$1" what="$2"
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || die "timed out after ${seconds}s waiting for $what"
    sleep 0.2
  done
}

# ------------------------------------------------------------------------------ kernel VTEP pairs

# kernel_pair 4|6 FILE: two kernel VTEPs over an IPv4 or IPv6 underlay; host A (02:30:00:00:00:01,
# 10.40.0.1) ARPs for host B (02:30:00:00:00:02, 10.40.0.2), pings it 3 times, then once with a
# 1300-octet payload.
kernel_pair() {
  local family="$1" file="$2" va vb ha hb a b plen
  if [ "$family" = 6 ]; then
    netns k6a ipv6; netns k6b ipv6; netns k6ha; netns k6hb
    va="$prefix-k6a"; vb="$prefix-k6b"; ha="$prefix-k6ha"; hb="$prefix-k6hb"
    a=2001:db8::1; b=2001:db8::2; plen=64
  else
    netns k4a; netns k4b; netns k4ha; netns k4hb
    va="$prefix-k4a"; vb="$prefix-k4b"; ha="$prefix-k4ha"; hb="$prefix-k4hb"
    a=192.0.2.1; b=192.0.2.2; plen=24
  fi
  underlay "$va" "$vb"
  if [ "$family" = 6 ]; then
    ip -n "$va" addr add "$a/$plen" dev ul nodad
    ip -n "$vb" addr add "$b/$plen" dev ul nodad
    # IPv6 on the underlay veth only: the devices created from here on (bridge, VXLAN, access
    # veth) get none, so no MLD reports or neighbor solicitations of the VTEP namespace itself
    # flood into the VNI.
    for ns in "$va" "$vb"; do
      ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
    done
  else
    ip -n "$va" addr add "$a/$plen" dev ul
    ip -n "$vb" addr add "$b/$plen" dev ul
  fi
  ip -n "$va" link set ul up
  ip -n "$vb" link set ul up
  vtep "$va" "$a" "$b"
  vtep "$vb" "$b" "$a"
  host "$va" "$ha" 02:30:00:00:00:01 10.40.0.1/24
  host "$vb" "$hb" 02:30:00:00:00:02 10.40.0.2/24
  await 10 "the underlay of $va to answer" ip netns exec "$va" ping -c 1 -W 1 "$b"

  capture_start "$va" "$file" "udp port 4789"
  ip netns exec "$ha" ping -q -c 3 -i 0.2 -W 2 10.40.0.2 >/dev/null
  ip netns exec "$ha" ping -q -c 1 -s 1300 -W 2 10.40.0.2 >/dev/null
  capture_stop
  log "wrote $file (kernel VTEPs, IPv$family underlay)"
}

# ------------------------------------------------------------------------------ FRR EVPN pair

# frr_config NS ROUTER_ID NEIGHBOR: bgpd.conf of an iBGP EVPN VTEP in AS 65000. FRR derives the
# RT 65000:100 and the RD ROUTER_ID:index of VNI 100 itself (advertise-all-vni).
frr_config() {
  local dir="$1" router_id="$2" neighbor="$3" hostname="$4"
  cat >"$dir/bgpd.conf" <<EOF
hostname $hostname
router bgp 65000
 bgp router-id $router_id
 no bgp default ipv4-unicast
 neighbor $neighbor remote-as 65000
 neighbor $neighbor timers 3 9
 neighbor $neighbor timers connect 1
 address-family l2vpn evpn
  neighbor $neighbor activate
  advertise-all-vni
 exit-address-family
exit
EOF
  printf 'hostname %s\n' "$hostname" >"$dir/zebra.conf"
  : >"$dir/vtysh.conf"
}

# vtysh_in NS COMMAND...: vtysh of the FRR in NS. With -N, vtysh appends NS to --vty_socket and
# --config_dir (the daemons do not), hence the daemons' sockets in $work/frr/NS/.
vtysh_in() {
  local ns="$1"
  shift
  local args=()
  for c in "$@"; do args+=(-c "$c"); done
  ip netns exec "$ns" vtysh -N "$ns" --vty_socket "$work/frr" --config_dir "$work/frr" "${args[@]}"
}

# frr_daemon NS DAEMON: starts zebra or bgpd in NS in its own pathspace (-N NS) with its own
# files, as root with the frrvty group (FRR refuses root alone), TCP vty off; waits for vtysh.
frr_daemon() {
  local ns="$1" daemon="$2" dir="$work/frr/$1"
  ip netns exec "$ns" "$FRR_DIR/$daemon" -N "$ns" \
    -f "$dir/$daemon.conf" -i "$dir/$daemon.pid" -z "$dir/zserv.api" --vty_socket "$dir" \
    -u root -g frrvty -P 0 --log stdout >"$dir/$daemon.log" 2>&1 &
  pids+=($!)
  await 20 "$daemon in $ns to answer vtysh" vtysh_in_daemon "$ns" "$daemon"
}

vtysh_in_daemon() {
  ip netns exec "$1" vtysh -N "$1" --vty_socket "$work/frr" --config_dir "$work/frr" -d "$2" -c "show version"
}

established() {
  vtysh_in "$1" "show bgp neighbors $2 json" | grep -Eq '"bgpState": *"Established"'
}

# has_routes NS COUNT: bgpd in NS holds at least COUNT EVPN paths (its own and its peer's).
has_routes() {
  local n
  n="$(vtysh_in "$1" "show bgp l2vpn evpn route" | grep -c '^ *\*' || true)"
  [ "$n" -ge "$2" ]
}

# frr_pair FILE: two VTEPs whose flood lists and remote MACs come from FRR over iBGP EVPN.
# Underlay 192.0.2.1 <-> .2 carries BGP; the VTEP addresses 198.51.100.1/.2 (the router ids and
# the routes' next hops) are on lo, reached by a static route over the underlay. Hosts A and B
# (02:20:00:00:00:01/02, 10.20.0.1/.2) ping each other once so that both bridges learn them and
# FRR advertises type 2 routes; then the capture starts, router A runs
# `clear bgp l2vpn evpn *` (a Cease NOTIFICATION; the two reconnect, and when both connect at
# once, resolve a collision), the routes are exchanged again (type 2 and type 3 UPDATEs), and A
# pings B 3 times over the VXLAN tunnel FRR set up.
frr_pair() {
  local file="$1" fa fb ha hb
  netns fa; netns fb; netns fha; netns fhb
  fa="$prefix-fa"; fb="$prefix-fb"; ha="$prefix-fha"; hb="$prefix-fhb"
  underlay "$fa" "$fb"
  ip -n "$fa" addr add 192.0.2.1/24 dev ul
  ip -n "$fb" addr add 192.0.2.2/24 dev ul
  ip -n "$fa" addr add 198.51.100.1/32 dev lo
  ip -n "$fb" addr add 198.51.100.2/32 dev lo
  ip -n "$fa" link set ul up
  ip -n "$fb" link set ul up
  ip -n "$fa" route add 198.51.100.2/32 via 192.0.2.2
  ip -n "$fb" route add 198.51.100.1/32 via 192.0.2.1
  vtep "$fa" 198.51.100.1
  vtep "$fb" 198.51.100.2
  host "$fa" "$ha" 02:20:00:00:00:01 10.20.0.1/24
  host "$fb" "$hb" 02:20:00:00:00:02 10.20.0.2/24

  mkdir -p "$work/frr/$fa" "$work/frr/$fb"
  frr_config "$work/frr/$fa" 198.51.100.1 192.0.2.2 "$prefix-vA"
  frr_config "$work/frr/$fb" 198.51.100.2 192.0.2.1 "$prefix-vB"
  for ns in "$fa" "$fb"; do
    frr_daemon "$ns" zebra
    frr_daemon "$ns" bgpd
  done
  await 60 "the EVPN session between $fa and $fb" established "$fa" 192.0.2.2
  await 30 "type 3 routes on both sides" has_routes "$fa" 2
  # Teach both bridges (hence FRR) the hosts' MACs; the first packets are flooded to the VTEP
  # FRR learned from the type 3 route.
  await 30 "host B to answer host A" ip netns exec "$ha" ping -c 1 -W 1 10.20.0.2
  await 30 "type 2 and type 3 routes of both VTEPs" has_routes "$fa" 4
  await 30 "type 2 and type 3 routes of both VTEPs on B" has_routes "$fb" 4

  capture_start "$fa" "$file" "tcp port 179 or udp port 4789"
  # One keepalive each way in the established session first, as in the committed capture.
  sleep 3.5
  vtysh_in "$fa" "clear bgp l2vpn evpn *" >/dev/null
  sleep 1
  await 60 "the EVPN session to come back after the clear" established "$fa" 192.0.2.2
  await 30 "the routes to be exchanged again" has_routes "$fa" 4
  sleep 2
  ip netns exec "$ha" ping -q -c 3 -i 0.2 -W 2 10.20.0.2 >/dev/null
  capture_stop
  log "wrote $file (FRR iBGP EVPN)"
}

# ------------------------------------------------------------------------------ main

log "namespaces $prefix-*, work dir $work, output $out"
kernel_pair 4 "$out/kernel-vxlan-ipv4.pcap"
kernel_pair 6 "$out/kernel-vxlan-ipv6.pcap"
frr_pair "$out/frr-evpn-ibgp.pcap"
log "done; decode with: tshark -r FILE -d udp.port==4789,vxlan"
