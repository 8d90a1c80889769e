package io.vtep.core.config;

import java.util.Objects;

import io.vtep.evpn.codec.nlri.EthernetSegmentId;
import io.vtep.evpn.multihoming.DfAlgorithm;

/**
 * An access port's Ethernet segment ({@code ports[i].ethernet-segment}): the port is one link of a
 * server's LAG whose other links reach other gateways, all configured with the same ESI (EVPN
 * multihoming, RFC 7432 §8, RFC 8365 §8).
 *
 * @param esi               the segment's identifier: type 0 as given, or type 3 from a system MAC and a local discriminator.
 * @param dfAlgorithm       designated-forwarder election (RFC 7432 §8.5 modulo, or RFC 8584 §4 preference).
 * @param dfPreference      this gateway's preference with {@link DfAlgorithm#PREFERENCE}, 0..65535.
 * @param dfElectionSeconds the DF election timer: how long to wait for the other VTEPs' type-4 routes (RFC 7432 §8.5, 3 s).
 * @param singleActive      single-active redundancy (the ESI label's flag, RFC 7432 §7.5); default all-active.
 */
public record EthernetSegmentConfig(EthernetSegmentId esi, DfAlgorithm dfAlgorithm, int dfPreference, int dfElectionSeconds,
    boolean singleActive)
{
    /** RFC 7432 §8.5: the default DF election timer. */
    public static final int DEFAULT_DF_ELECTION_SECONDS = 3;
    /** FRR's default {@code es-df-pref}. */
    public static final int DEFAULT_DF_PREFERENCE = 32767;

    public EthernetSegmentConfig
    {
        Objects.requireNonNull(esi, "esi");
        Objects.requireNonNull(dfAlgorithm, "dfAlgorithm");
    }
}
