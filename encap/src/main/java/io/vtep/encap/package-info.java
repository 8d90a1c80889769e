/**
 * Wire formats of a VXLAN tunnel endpoint as flyweights over Agrona buffers, and the
 * encapsulation and decapsulation built from them.
 *
 * <p>Everything is in network byte order. The classes used per packet
 * ({@link io.vtep.encap.EthernetHeader}, {@link io.vtep.encap.VlanTag},
 * {@link io.vtep.encap.Ipv4Header}, {@link io.vtep.encap.Ipv6Header},
 * {@link io.vtep.encap.UdpHeader}, {@link io.vtep.encap.VxlanHeader},
 * {@link io.vtep.encap.VxlanDecoder}, {@link io.vtep.encap.VxlanEncapsulator},
 * {@link io.vtep.encap.FlowHash}, {@link io.vtep.encap.Checksum}) neither allocate, lock, log
 * nor throw for bad packet contents: validity is answered by {@code isValid} methods and
 * negative result codes, so the caller can drop and count. Values made once from
 * configuration ({@link io.vtep.encap.VtepAddress}, {@link io.vtep.encap.SourcePortRange},
 * {@link io.vtep.encap.MacAddress#parse(String)}) throw {@link java.lang.IllegalArgumentException}
 * with the offending text.
 */
package io.vtep.encap;
