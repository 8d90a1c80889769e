#!/usr/bin/env bash
# Makes Docker usable for the container tests (test-topologies ContainerTest) on a machine with no
# image registry (docs/architecture.md §8). Idempotent, needs root, and takes well under a second when
# everything is already in place:
#
#   1. installs Debian's Docker engine (docker.io) when no dockerd is installed;
#   2. starts dockerd in the background when no engine answers (log: $VTEP_DOCKERD_LOG), with the
#      overlay2 storage driver when the kernel has overlayfs, else vfs;
#   3. makes the local base images the Dockerfile is built from here, when they are missing:
#        local/debian:bookworm  debootstrap --variant=minbase bookworm + docker import
#        local/jdk:25           local/debian:bookworm + this machine's JDK 25 at /opt/java/openjdk
#                               (the layout of the public eclipse-temurin images)
#
#   sudo scripts/docker-setup.sh
#
# Then: docker build --network host \
#         --build-arg BUILD_IMAGE=local/jdk:25 --build-arg RUNTIME_BASE=local/debian:bookworm -t vtep .
set -euo pipefail

log() { echo "docker-setup: $*"; }
die() { echo "docker-setup: $*" >&2; exit 1; }

DEBIAN_IMAGE="${VTEP_DEBIAN_IMAGE:-local/debian:bookworm}"
JDK_IMAGE="${VTEP_JDK_IMAGE:-local/jdk:25}"
DEBIAN_MIRROR="${VTEP_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
DOCKERD_LOG="${VTEP_DOCKERD_LOG:-/var/log/vtep-dockerd.log}"

[ "$(id -u)" -eq 0 ] || die "must run as root (installs packages, starts dockerd); try: sudo $0"

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "${apt_updated:-}" ]; then
    log "apt-get update"
    apt-get update -qq
    apt_updated=1
  fi
  log "apt-get install $*"
  apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@" >/dev/null
}

# --- 1. the engine -------------------------------------------------------------------------------
# A docker *client* may be preinstalled outside dpkg (such as /usr/local/bin/docker) with no engine
# behind it: what matters is dockerd. Debian's docker.io brings dockerd, containerd, runc and its
# own client at /usr/bin/docker, which this script uses (it matches the engine's API version).
dockerd_bin="$(command -v dockerd || true)"
[ -n "$dockerd_bin" ] || [ ! -x /usr/sbin/dockerd ] || dockerd_bin=/usr/sbin/dockerd
if [ -z "$dockerd_bin" ]; then
  apt_install docker.io
  dockerd_bin=/usr/sbin/dockerd
fi
if [ -x /usr/bin/docker ]; then docker=/usr/bin/docker; else docker="$(command -v docker)" || die "no docker client"; fi

# --- 2. a running engine -------------------------------------------------------------------------
if ! "$docker" info >/dev/null 2>&1; then
  driver=vfs
  if grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null; then driver=overlay2; fi
  # An engine that died leaves its pid file behind, and a new one refuses to start over it; one
  # that is still starting up is waited for rather than started twice.
  starting=""
  for pidfile in /var/run/docker.pid /run/docker.pid; do
    if [ -f "$pidfile" ]; then
      if kill -0 "$(cat "$pidfile")" 2>/dev/null; then starting=1; else rm -f "$pidfile"; fi
    fi
  done
  if [ -n "$starting" ]; then
    log "dockerd is running but does not answer yet: waiting for it"
  else
    log "starting dockerd (storage driver $driver, log $DOCKERD_LOG)"
    mkdir -p "$(dirname "$DOCKERD_LOG")"
    setsid nohup "$dockerd_bin" --storage-driver "$driver" >>"$DOCKERD_LOG" 2>&1 </dev/null &
  fi
  for _ in $(seq 1 60); do
    "$docker" info >/dev/null 2>&1 && break
    sleep 1
  done
  "$docker" info >/dev/null 2>&1 || { tail -20 "$DOCKERD_LOG" >&2; die "dockerd did not answer within 60 s (log above)"; }
  log "dockerd is up"
else
  log "a Docker engine answers"
fi

image_exists() { "$docker" image inspect "$1" >/dev/null 2>&1; }

# --- 3. local base images ------------------------------------------------------------------------
if image_exists "$DEBIAN_IMAGE"; then
  log "$DEBIAN_IMAGE is there"
else
  command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap
  rootfs="$(mktemp -d /var/tmp/vtep-rootfs.XXXXXX)"
  trap 'rm -rf "$rootfs"' EXIT
  log "debootstrap --variant=minbase bookworm (about a minute)"
  debootstrap --variant=minbase bookworm "$rootfs" "$DEBIAN_MIRROR" >"$rootfs.log" 2>&1 \
    || { tail -20 "$rootfs.log" >&2; die "debootstrap failed (log above)"; }
  rm -f "$rootfs.log"
  # Slim it the way the public debian:*-slim images are: no package cache, no package lists, no
  # docs, man pages or translations (and dpkg keeps them out of later installs).
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/* "$rootfs"/usr/share/info/*
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
EOF
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' >"$rootfs/etc/apt/apt.conf.d/docker-no-recommends"
  : >"$rootfs/etc/hostname"
  tar -C "$rootfs" -c . | "$docker" import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' - "$DEBIAN_IMAGE" >/dev/null
  rm -rf "$rootfs"
  trap - EXIT
  log "made $DEBIAN_IMAGE"
fi

if image_exists "$JDK_IMAGE"; then
  log "$JDK_IMAGE is there"
else
  jdk=""
  for candidate in "${VTEP_JDK_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64; do
    if [ -n "$candidate" ] && [ -x "$candidate/bin/jlink" ] && [ -x "$candidate/bin/javac" ]; then jdk="$candidate"; break; fi
  done
  [ -n "$jdk" ] || die "no JDK 25 with jlink found (set VTEP_JDK_HOME)"
  log "making $JDK_IMAGE from $jdk"
  # A copy with symbolic links resolved: Debian-packaged JDKs link lib/security/cacerts to
  # /etc/ssl/certs/java/cacerts, outside the build context (without it Maven cannot reach HTTPS).
  ctx="$(mktemp -d /var/tmp/vtep-jdk.XXXXXX)"
  trap 'rm -rf "$ctx"' EXIT
  cp -rL "$jdk" "$ctx/jdk"
  cat >"$ctx/Dockerfile" <<EOF
FROM $DEBIAN_IMAGE
COPY jdk /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LABEL org.opencontainers.image.description="JDK 25 from the build machine ($jdk), for building vtep without a registry"
EOF
  "$docker" build -q -t "$JDK_IMAGE" "$ctx" >/dev/null
  rm -rf "$ctx"
  trap - EXIT
  log "made $JDK_IMAGE"
fi
