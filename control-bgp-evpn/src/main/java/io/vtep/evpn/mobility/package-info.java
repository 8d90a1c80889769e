/**
 * MAC mobility (RFC 7432 §15): where one MAC is attached as far as EVPN is concerned, the sequence
 * numbers that order its moves, sticky MACs (§15.2) and the detection and freezing of MACs that
 * move too often (§15.1, FRR's {@code dup-addr-detection}). Pure state machines on an injected
 * clock, with no BGP, FDB or threads: the EVPN control plane ({@code io.vtep.evpn.controlplane}) feeds them
 * events and carries out what their state says.
 */
package io.vtep.evpn.mobility;
