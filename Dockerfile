# vtep container image: a software VXLAN gateway (VTEP) for a gateway host.
#
#   docker build -t vtep .
#   docker run -d --name vtep --network host --cap-drop ALL --cap-add NET_RAW \
#     -v /etc/vtep/vtep.yaml:/etc/vtep/vtep.yaml:ro vtep
#
# Base images are build arguments with public defaults. Where no registry is reachable, make
# local ones with scripts/docker-setup.sh and pass them:
#
#   docker build --network host --build-arg BUILD_IMAGE=local/jdk:25 \
#     --build-arg RUNTIME_BASE=local/debian:bookworm -t vtep .
#
# Written for both builders: the classic one (Docker 20.10 without BuildKit, Testcontainers)
# and BuildKit, so it uses no RUN --mount and no heredocs.
#
# Capabilities: NET_RAW is the only one vtep needs (AF_PACKET sockets on the access ports, a raw
# IP socket for the underlay, libpcap for the pcap driver). NET_ADMIN is optional: with it the
# underlay socket's receive buffer may exceed net.core.rmem_max (SO_RCVBUFFORCE); without it vtep
# logs that the buffer stays at the cap. Access ports go promiscuous through the packet socket's
# membership (PACKET_MR_PROMISC, covered by NET_RAW) for as long as vtep runs; vtep changes no
# other interface or kernel setting.

ARG BUILD_IMAGE=eclipse-temurin:25-jdk
ARG RUNTIME_BASE=debian:bookworm-slim

# ---- build: the jars with the Maven wrapper, and a Java runtime with only the modules they use --
FROM ${BUILD_IMAGE} AS build
# Marks the build stage's (untagged) images: `docker image prune --filter label=io.vtep.stage=build`
LABEL io.vtep.stage=build
WORKDIR /src
COPY . .
# MAVEN_BUILD_ARGS: extra Maven options, such as `-s mirror-settings.xml` (a file in the context).
ARG MAVEN_BUILD_ARGS=""
RUN ./mvnw -B -q -ntp -Dmaven.test.skip=true ${MAVEN_BUILD_ARGS} -pl vtep-core -am package \
 && test -f vtep-core/target/vtep-core.jar
# The modules come from jdeps over the application and its libraries, less two that only code
# vtep never loads refers to (java.desktop: JNA's AWT helpers and SnakeYAML's JavaBean
# introspection; java.compiler: Agrona's code generators), plus java.logging, which the JDK's
# System.Logger uses when present (vtep's log line format). Native debug symbols are stripped
# when the build image has objcopy (binutils). The jlinked runtime is about 49 MB; the whole JDK
# is about 300 MB.
RUN set -eu; \
    cp_libs="$(printf '%s:' vtep-core/target/lib/*.jar)"; \
    mods="$(jdeps --multi-release 25 --ignore-missing-deps --print-module-deps -q \
              --class-path "$cp_libs" --recursive vtep-core/target/vtep-core.jar)"; \
    mods="$(printf '%s,java.logging\n' "$mods" | tr ',' '\n' | grep -vxE 'java\.desktop|java\.compiler' | sort -u | paste -sd, -)"; \
    echo "jlink modules: $mods"; \
    strip=--strip-debug; command -v objcopy >/dev/null || strip=--strip-java-debug-attributes; \
    jlink --add-modules "$mods" "$strip" --no-header-files --no-man-pages --compress=zip-6 --output /opt/vtep-jre; \
    /opt/vtep-jre/bin/java -version

# ---- runtime -------------------------------------------------------------------------------------
FROM ${RUNTIME_BASE}
ARG RUNTIME_BASE

# libpcap for the pcap port driver (libpcap through FFM); nothing else beyond the base image (bash, for the
# entrypoint and the health check).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libpcap0.8 \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/apt/archives/*.deb \
 && mkdir -p /etc/vtep

COPY --from=build /opt/vtep-jre /opt/java
# The launcher expects the layout of the repository: bin/vtep next to vtep-core/target/.
COPY --from=build /src/vtep-core/target/lib /opt/vtep/vtep-core/target/lib
COPY --from=build /src/vtep-core/target/vtep-core.jar /opt/vtep/vtep-core/target/vtep-core.jar
COPY --from=build /src/bin/vtep /opt/vtep/bin/vtep

# VTEP_CONFIG: the configuration file when the container is started without arguments, and the
#   one the health check reads api.listen from.
# VTEP_HEALTH_ADDR: unset; when set (HOST:PORT) the health check asks there instead of api.listen.
# VTEP_JAVA_OPTS: extra JVM options (bin/vtep appends them after its defaults, so -Xmx here wins).
ENV VTEP_JAVA_HOME=/opt/java \
    VTEP_CONFIG=/etc/vtep/vtep.yaml \
    VTEP_JAVA_OPTS="-XX:+ExitOnOutOfMemoryError" \
    PATH=/opt/vtep/bin:/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

ARG VERSION=0.1.0-SNAPSHOT
ARG REVISION=unknown
LABEL org.opencontainers.image.title="vtep" \
      org.opencontainers.image.description="Software VXLAN gateway (VTEP): bridges bare-metal L2 segments onto a VXLAN overlay (RFC 7348), with per-VNI Prometheus metrics. Run with --network host and --cap-add NET_RAW." \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="${RUNTIME_BASE}" \
      io.vtep.capabilities.required="NET_RAW" \
      io.vtep.capabilities.optional="NET_ADMIN NET_BIND_SERVICE"

# Without arguments: `vtep run --config $VTEP_CONFIG`. With arguments: any vtep command, such as
# `docker run --rm IMAGE version`, or `docker exec NAME vtep fdb show`. The JVM runs as PID 1
# (exec all the way down) and handles SIGTERM itself: a clean stop exits 0. Logs go to stdout/stderr.
ENTRYPOINT ["/bin/bash", "-c", "if [ $# -eq 0 ]; then set -- run --config \"$VTEP_CONFIG\"; fi; exec /opt/vtep/bin/vtep \"$@\"", "vtep"]
CMD []
STOPSIGNAL SIGTERM

# `vtep health`: reads api.listen from $VTEP_CONFIG and asks GET /readyz there (ready: access ports
# open and forwarding, underlay bound, no thread stuck), so the check follows the configuration.
# A small JVM (client compiler, serial GC, 64 MB heap at most): it starts, asks and exits.
HEALTHCHECK --interval=10s --timeout=10s --start-period=20s --retries=3 \
  CMD ["/bin/bash", "-c", "VTEP_JAVA_OPTS='-Xms8m -Xmx64m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto' exec /opt/vtep/bin/vtep health"]
