#!/usr/bin/env bash
# Reformats every module's Java with the project's formatter (README "Code style"): Spotless with
# the Eclipse profile config/eclipse-formatter.xml and the import order in pom.xml. Offline once
# Maven has the plugin and the Eclipse formatter (the first run, or any online build, downloads them);
# pass --online to let Maven download them. Extra arguments go to Maven (e.g. -pl vtep-core).
set -euo pipefail

cd "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

offline=(-o)
if [ "${1:-}" = "--online" ]; then
  offline=()
  shift
fi

exec ./mvnw -B -ntp -q "${offline[@]}" spotless:apply "$@"
