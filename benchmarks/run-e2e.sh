#!/usr/bin/env bash
# The end-to-end data-path benchmark (issue 14; benchmarks/README.md, "End-to-end"): host A – VTEP A
# == underlay == Linux kernel VTEP B – host B in network namespaces, with the Linux kernel VTEP, vtep
# and Open vSwitch's userspace datapath taking turns as VTEP A. Needs root.
#
#   sudo benchmarks/run-e2e.sh                         # 3 rounds, 5 s per figure, all three
#   sudo benchmarks/run-e2e.sh --rounds 1 --seconds 2  # a quick look
#   sudo benchmarks/run-e2e.sh --only kernel,vtep --json /tmp/e2e.json
#
# Options after the script's own are the driver's (--rounds, --seconds, --pings, --only, --underlay,
# --json; --help lists them). The script's own, first:
#   --no-install   do not apt-get install missing packages (a missing tool then stops the driver,
#                  except Open vSwitch, which is skipped with a message)
#   --no-build     use what target/ already holds
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/benchmarks/target/e2e"
install=1
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --no-install) install=0; shift ;;
    --no-build) build=0; shift ;;
    *) break ;;
  esac
done

if [ "$(id -u)" -ne 0 ]; then
  echo "run-e2e: needs root (network namespaces, veth, kernel vxlan, raw sockets); try: sudo $0 $*" >&2
  exit 1
fi

# Debian package -> why the benchmark needs it.
PACKAGES="
iproute2            ip, bridge: namespaces, veth, the kernel VTEPs
iputils-ping        ping: RTT
iperf3              TCP and UDP throughput
netsniff-ng         trafgen: the 64-byte frame generator
ethtool             host and underlay offload settings
procps              sysctl in the namespaces
openvswitch-switch  Open vSwitch (ovsdb-server, ovs-vswitchd) as the third VTEP A
"
installed() {
  dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed$'
}
if [ "$install" = 1 ] && command -v dpkg >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  missing=""
  for pkg in $(printf '%s\n' "$PACKAGES" | awk 'NF { print $1 }'); do
    installed "$pkg" || missing="$missing $pkg"
  done
  if [ -n "$missing" ]; then
    echo "run-e2e: installing:$missing" >&2
    printf '%s\n' "$PACKAGES" | awk 'NF' | while read -r pkg why; do
      case " $missing " in *" $pkg "*) echo "  $pkg: $why" >&2 ;; esac
    done
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086  # word splitting of the package list is intended
    apt-get install -y -qq --no-install-recommends \
      -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold $missing >&2
  fi
fi

find_java() {
  local candidate
  for candidate in "${VTEP_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64 /opt/java/openjdk; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    local major
    major="$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
    if [ "${major:-0}" -ge 25 ] 2>/dev/null; then echo "$candidate/bin/java"; return 0; fi
  done
  return 1
}
java_bin="$(find_java)" || { echo "run-e2e: needs a Java 25 runtime; set JAVA_HOME or VTEP_JAVA_HOME" >&2; exit 1; }

mkdir -p "$out"
classpath_file="$out/classpath.txt"
if [ "$build" = 1 ] || [ ! -f "$classpath_file" ]; then
  # The appliance (vtep-core/target/vtep-core.jar, for bin/vtep) and the driver (test-topologies'
  # test classes), plus the driver's classpath, in one reactor build; no tests run.
  echo "run-e2e: building (./mvnw -pl test-topologies -am package -DskipTests)" >&2
  (cd "$root" && ./mvnw -B -ntp -q -pl test-topologies -am package -DskipTests \
    dependency:build-classpath -Dmdep.outputFile="$classpath_file") >&2
fi

cd "$root"
exec "$java_bin" -Dvtep.repo.root="$root" \
  -cp "$root/test-topologies/target/test-classes:$root/test-topologies/target/classes:$(cat "$classpath_file")" \
  io.vtep.bench.DataPathBench "$@"
