/**
 * Linux facilities the JDK and Netty do not wrap, bound with the Foreign Function and Memory API
 * ({@code java.lang.foreign}; no C, no JNI): packet and raw sockets, socket options, {@code poll},
 * network namespaces.
 *
 * <p>Start with {@link io.vtep.core.nativeio.Libc}: setup calls capture {@code errno} and throw an
 * {@link io.vtep.core.nativeio.ErrnoException}; data-path calls take addresses as {@code long},
 * point at per-thread {@link io.vtep.core.nativeio.NativeScratch} memory, and never allocate or
 * throw. {@link io.vtep.core.nativeio.LinuxConstants} and {@link io.vtep.core.nativeio.LinuxStructs}
 * name the ABI values and layouts after their headers. {@link io.vtep.core.nativeio.SocketHandle}
 * makes closing a socket safe while other threads use it, and
 * {@link io.vtep.core.nativeio.NetworkNamespace} runs code inside a named network namespace.
 *
 * <p>Users: {@code port.AfPacketPort}, {@code port.PcapPort}, {@code underlay.RawIpv4Transmitter},
 * {@code underlay.RawIpv6Transmitter}. Layouts assume LP64 Linux (x86_64, aarch64).
 */
package io.vtep.core.nativeio;
