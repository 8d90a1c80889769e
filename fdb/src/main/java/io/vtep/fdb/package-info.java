/**
 * The forwarding database of the VTEP: per-VNI MAC tables ({@link io.vtep.fdb.VniFdb} over
 * {@link io.vtep.fdb.MacTable}), interned remote VTEPs ({@link io.vtep.fdb.RemoteVtepTable}),
 * flood lists and multicast groups, data-plane learning, ageing, MAC moves and limits, and
 * change events for the EVPN control plane ({@link io.vtep.fdb.FdbListener}).
 *
 * <p>Start at {@link io.vtep.fdb.Fdb}. Lookups and learning on the data path are lock-free
 * and allocation-free; every table write happens under the FDB write lock, either on the
 * {@link io.vtep.fdb.FdbConductor} (learning, ageing) or on a control thread (static, EVPN,
 * flood lists). {@code fdb/README.md} describes the ordering of writes.
 */
package io.vtep.fdb;
