#!/usr/bin/env bash
# Coverage-guided fuzzing with Jazzer (README "Run the tests"): runs one fuzz target, or all of them
# one after the other, for SECONDS each (default 60). Without this script the same targets only
# replay their corpus (src/test/resources/<package>/<Class>Inputs/<method>/) as ordinary tests.
#
#   scripts/fuzz.sh                 # every target, 60 s each
#   scripts/fuzz.sh bgp 600         # one target for 10 minutes
#   scripts/fuzz.sh --list
#
# What the fuzzer finds interesting is kept in <module>/.cifuzz-corpus/ (not committed); a finding
# fails the run, is written as crash-* into the target's Inputs directory (Jazzer's convention) and
# from then on replays as a regression test. Needs no root.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# name  module  test class#method
targets=(
  "decap    encap             io.vtep.encap.DecapsulationFuzzTest#underlayPacket"
  "overlay  vtep-core         io.vtep.core.pipeline.OverlayPipelineFuzzTest#underlayDatagram"
  "access   vtep-core         io.vtep.core.pipeline.AccessPipelineFuzzTest#accessFrame"
  "bgp      control-bgp-evpn  io.vtep.evpn.codec.BgpStreamFuzzTest#bgpStream"
  "config   vtep-core         io.vtep.core.config.ConfigLoaderFuzzTest#configText"
  "api      vtep-core         io.vtep.core.api.ApiRouterFuzzTest#request"
  "json     vtep-core         io.vtep.core.api.ApiRouterFuzzTest#jsonReader"
)

usage() {
  echo "usage: scripts/fuzz.sh [all|TARGET] [SECONDS]   targets: $(for t in "${targets[@]}"; do printf '%s ' "${t%% *}"; done)" >&2
  exit 2
}

which="${1:-all}"
seconds="${2:-60}"
[[ "$which" == --list ]] && { printf '%s\n' "${targets[@]}"; exit 0; }
[[ "$seconds" =~ ^[0-9]+$ ]] || usage

cd "$root"
found=0
for target in "${targets[@]}"; do
  read -r name module test <<<"$target"
  [[ "$which" == all || "$which" == "$name" ]] || continue
  found=1
  echo "=== fuzzing $name ($test) for ${seconds}s"
  # JAZZER_FUZZ switches @FuzzTest from corpus replay to fuzzing; JAZZER_MAX_DURATION overrides
  # the annotation's maxDuration. Only upstream modules are built (-am), not installed.
  # JAVA_TOOL_OPTIONS caps the heap of the fuzzing JVM (and Maven's): left alone, the JVM takes a
  # quarter of the machine's memory as garbage piles up between collections.
  JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${seconds}s" JAVA_TOOL_OPTIONS="-Xmx1g" \
    ./mvnw -B -ntp -q -pl "$module" -am test -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
    2> >(grep -v -E '^(INFO: (Loaded|Instrumented)|WARNING: |Picked up JAVA_TOOL_OPTIONS)' >&2)
done
[[ "$found" == 1 ]] || usage
