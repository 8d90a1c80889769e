/**
 * Wire formats of a VXLAN tunnel endpoint over Agrona buffers, and the encapsulation and
 * decapsulation built from them.
 *
 * <p>The header classes ({@link io.vtep.encap.EthernetHeader}, {@link io.vtep.encap.Ipv4Header},
 * {@link io.vtep.encap.Ipv6Header}, {@link io.vtep.encap.UdpHeader},
 * {@link io.vtep.encap.VxlanHeader}) have two parts with two users. Their <b>offset and length
 * constants</b> are the layout the data path reads and writes with: {@link io.vtep.encap.VxlanDecoder},
 * {@link io.vtep.encap.VxlanEncapsulator} (packed 8-byte writes of the precomputed outer headers),
 * {@link io.vtep.encap.FlowHash} and the access pipeline use only those, since a flyweight per
 * header would add a wrap and a bounds check per field per packet. Their <b>instance views</b>
 * ({@code wrap}, accessors, setters, {@code isValid}) are for tests, fuzz targets and
 * diagnostics: they decode a captured packet field by field, as an independent check of what the
 * data path wrote. {@link io.vtep.encap.VlanTag} is static operations only.
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
