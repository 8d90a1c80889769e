/**
 * Wire formats of a VXLAN tunnel endpoint over Agrona buffers, and the encapsulation and
 * decapsulation built from them.
 *
 * <p>The header classes ({@link io.vtep.encap.EthernetHeader}, {@link io.vtep.encap.Ipv4Header},
 * {@link io.vtep.encap.Ipv6Header}, {@link io.vtep.encap.UdpHeader}, {@link io.vtep.encap.TcpHeader},
 * {@link io.vtep.encap.VxlanHeader}) are <b>constants only</b>: the offsets, lengths and flags
 * the data path reads and writes with, under the RFC diagram of each header.
 * {@link io.vtep.encap.VxlanDecoder}, {@link io.vtep.encap.VxlanEncapsulator} (packed 8-byte
 * writes of the precomputed outer headers), {@link io.vtep.encap.FlowHash}, the offloads and the
 * access pipeline compute with them directly, since a flyweight per header would add a wrap and
 * a bounds check per field per packet. The receive checks the data path makes are its own:
 * {@link io.vtep.encap.VxlanDecoder#decode} for VXLAN, the kernel's UDP socket for the outer
 * IP and UDP headers, and each offload for the inner headers it touches. Field-by-field views
 * ({@code Ipv4HeaderView} and the like, with {@code wrap}, accessors, setters and
 * {@code isValid}) live in this module's test sources, on one {@code HeaderView} base: they
 * decode a captured or encapsulated packet independently of the data path's arithmetic, which
 * is what a golden-byte test needs. {@link io.vtep.encap.VlanTag} is static operations only.
 *
 * <p>Everything is in network byte order. The per-packet code ({@link io.vtep.encap.VxlanDecoder},
 * {@link io.vtep.encap.VxlanEncapsulator}, {@link io.vtep.encap.FlowHash},
 * {@link io.vtep.encap.Checksum}, {@link io.vtep.encap.VlanTag},
 * {@link io.vtep.encap.SegmentationOffload}) neither allocates, locks, logs nor throws for bad
 * packet contents: it answers with negative result codes, so the caller can drop and count. Values made once from
 * configuration ({@link io.vtep.encap.VtepAddress}, {@link io.vtep.encap.SourcePortRange},
 * {@link io.vtep.encap.MacAddress#parse(String)}) throw {@link java.lang.IllegalArgumentException}
 * with the offending text.
 */
package io.vtep.encap;
