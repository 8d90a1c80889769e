#!/usr/bin/env bash
# Sourced, not run: the Debian package steps of bin/vtep demo's first run (scripts/demo-prepare.sh),
# kept apart so that a test can run exactly this code against a package that is really absent
# (demo/src/test/java/io/vtep/demo/DebianPackagesTest.java).
#
#   source scripts/debian-packages.sh; install_missing_packages iperf3 frr

# True when dpkg has PACKAGE installed.
package_installed() {
  dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed$'
}

# As root on a Debian system, installs those of the PACKAGES that dpkg does not have (a package that
# is installed but whose tool is still missing is left alone: installing again would not help).
# Says what it installs on standard output; apt-get's own output goes to standard error. Returns 0
# even when apt-get fails: the caller checks again for what it needs and says what is missing.
install_missing_packages() {
  local wanted=() package
  [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1 && command -v dpkg >/dev/null 2>&1 || return 0
  for package in $(printf '%s\n' "$@" | awk '!seen[$0]++'); do
    package_installed "$package" || wanted+=("$package")
  done
  [ ${#wanted[@]} -gt 0 ] || return 0
  printf '%s\n' "vtep demo: installing what it needs from Debian: ${wanted[*]}"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${wanted[@]}"; } >&2; then
    printf '%s\n' "vtep demo: apt-get could not install ${wanted[*]}" >&2
  fi
  return 0
}
