#!/usr/bin/env bash
# The test command (README "Run the tests"): installs what the tests need, then runs every test of
# every module, the network-namespace topology tests included. Needs root.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [ "$(id -u)" -ne 0 ]; then
  echo "scripts/test.sh: the topology tests create network namespaces and raw sockets: run as root" >&2
  exit 1
fi

"$root/scripts/install-test-deps.sh"
# ContainerTest needs a Docker engine and the local base images (no image registry here).
"$root/scripts/docker-setup.sh"

cd "$root"
exec ./mvnw -B -ntp verify "$@"
