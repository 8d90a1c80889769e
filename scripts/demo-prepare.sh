#!/usr/bin/env bash
# The first-run step of bin/vtep demo (issue 16), before its JVM starts: checks root and the tools the
# demo's options need, and as root installs the Debian packages that are missing (the README promises
# a demo that needs nothing prepared). Whatever is still missing then is named with how to get it, and
# the demo does not start: exit 1, nothing changed. Exit 0: go ahead.
#
# Options it does not know, --help, and --evpn with --vlan/--ipv6/--multicast are left to the demo
# itself (io.vtep.demo.DemoOptions), which explains them without needing root.
#
# Usage: scripts/demo-prepare.sh [the demo's options]
set -euo pipefail

# ip and bridge live in sbin, which a user's (or sudo's) PATH may lack.
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

readonly SYSTEM_PYTHON="/usr/bin/python3"
readonly FRR_DAEMONS="/usr/lib/frr"   # where Debian's frr installs zebra and bgpd
readonly FRR_GROUP="frrvty"           # the daemons run as -u root -g frrvty (root alone is refused)

say() { printf '%s\n' "$*"; }

# The Debian package that provides a tool.
package_of() {
  case "$1" in
    ip | bridge) echo iproute2 ;;
    ping) echo iputils-ping ;;
    sysctl | kill) echo procps ;;
    *) echo "$1" ;;
  esac
}

# True when TOOL is an executable file on the PATH (not a shell builtin like kill: the JVM runs the file).
have() {
  local path
  path="$(type -P "$1" 2>/dev/null)" && [ -f "$path" ] && [ -x "$path" ]
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

# package_installed, install_missing_packages
# shellcheck source=scripts/debian-packages.sh
source "$(dirname "${BASH_SOURCE[0]}")/debian-packages.sh"

# As root, installs the missing PACKAGES; FRR's daemons run with -g frrvty, a group the frr package
# makes and a half-installed frr may not have.
install_what_is_missing() {
  install_missing_packages "$@"
  if [ "$(id -u)" -eq 0 ] && package_installed frr && ! getent group "$FRR_GROUP" >/dev/null 2>&1; then
    groupadd --system "$FRR_GROUP"
  fi
}

main() {
  local vlan=false evpn=false down=false others=false arg
  for arg in "$@"; do
    case "$arg" in
      --vlan) vlan=true others=true ;;
      --ipv6 | --multicast) others=true ;;
      --evpn) evpn=true ;;
      --keep) ;;
      --down) down=true ;;
      *) return 0 ;;   # --help, or an option the demo will refuse
    esac
  done
  if $evpn && $others; then return 0; fi

  local tools=(ip bridge sysctl kill)
  if ! $down; then
    tools+=(ping iperf3 setsid)
    $vlan && tools+=(scapy)
    $evpn && tools+=(frr)
  fi

  local problems=()
  if [ "$(id -u)" -ne 0 ]; then
    problems+=("needs root: it creates network namespaces, veth links and raw sockets (and installs missing Debian packages). Run: sudo bin/vtep demo $*")
  fi
  find_missing "${tools[@]}"
  if [ ${#MISSING[@]} -gt 0 ]; then
    install_what_is_missing "${PACKAGES[@]}"
    find_missing "${tools[@]}"
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

main "$@"
