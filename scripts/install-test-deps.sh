#!/bin/sh
# Installs the tools the topology tests (test-topologies/) need, from Debian's archive.
# Idempotent and non-interactive: when every package is already installed it does not touch
# apt at all, so a second run takes well under a second. Needs root.
#
#   sudo scripts/install-test-deps.sh
set -eu

# Debian package -> why the tests need it.
PACKAGES="
iproute2        ip, bridge: namespaces, veth, kernel vxlan and bridge devices
iputils-ping    ping
libpcap0.8      libpcap for the pcap port driver (through FFM) and dumpcap
iperf3          TCP/UDP throughput across the overlay
tshark          captures and VXLAN decoding
tcpdump         ad-hoc captures while debugging a test
ethtool         the end-to-end benchmark: its offloads-off figure and wire-like underlay (DataPathBenchTest)
procps          sysctl (IPv6 off in test namespaces), ps
python3-scapy   802.1Q-tagged and other hand-built frames (runs under /usr/bin/python3)
kmod            modprobe for the vxlan and bridge modules when they are not loaded
prometheus      a real Prometheus server scraping vtep, and promtool to lint the exposition
frr             zebra, bgpd and vtysh: the BGP EVPN peer the control plane is proven against
netsniff-ng     trafgen: the 64-byte frame generator of the end-to-end benchmark (DataPathBenchTest, benchmarks/run-e2e.sh)
openvswitch-switch  Open vSwitch's userspace datapath: the third VTEP A of the end-to-end benchmark, and the LACP bond of LacpOvsTest and MultihomingLacpFrrTest
chromium        headless browser that loads the web status page (StatusPageBrowserTest, DevTools protocol)
"

if [ "$(id -u)" -ne 0 ]; then
  echo "install-test-deps: must run as root (it installs Debian packages with apt-get);" >&2
  echo "  try: sudo $0" >&2
  exit 1
fi
if ! command -v dpkg >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-test-deps: needs a Debian-based system (dpkg and apt-get not found)" >&2
  exit 1
fi

installed() {
  dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed$'
}

missing=""
for pkg in $(printf '%s\n' "$PACKAGES" | awk 'NF { print $1 }'); do
  if installed "$pkg"; then
    echo "install-test-deps: $pkg already installed"
  else
    missing="$missing $pkg"
  fi
done

# FRR's daemons refuse to run as root alone: the tests start them with `-u root -g frrvty`,
# so the frrvty group must exist (the frr package makes it; this covers a half-installed frr).
ensure_frrvty_group() {
  if installed frr && ! getent group frrvty >/dev/null 2>&1; then
    echo "install-test-deps: adding the frrvty group (FRR daemons run with -g frrvty)"
    groupadd --system frrvty
  fi
}

if [ -z "$missing" ]; then
  ensure_frrvty_group
  echo "install-test-deps: everything is installed; nothing to do"
  exit 0
fi

echo "install-test-deps: will install:$missing"
printf '%s\n' "$PACKAGES" | awk 'NF' | while read -r pkg why; do
  case " $missing " in *" $pkg "*) echo "  $pkg: $why" ;; esac
done

export DEBIAN_FRONTEND=noninteractive
# tshark's wireshark-common asks whether non-root users may capture; answer it up front.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections

echo "install-test-deps: apt-get update"
apt-get update -qq
echo "install-test-deps: apt-get install$missing"
# shellcheck disable=SC2086  # word splitting of the package list is intended
apt-get install -y -qq --no-install-recommends \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold $missing

still=""
for pkg in $missing; do
  installed "$pkg" || still="$still $pkg"
done
if [ -n "$still" ]; then
  echo "install-test-deps: failed to install:$still" >&2
  exit 1
fi
ensure_frrvty_group
echo "install-test-deps: installed:$missing"
