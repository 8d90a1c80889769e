package io.vtep.evpn.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import io.vtep.evpn.codec.attr.ExtendedCommunity;
import io.vtep.evpn.codec.nlri.EthernetSegmentId;
import io.vtep.evpn.codec.nlri.EvpnMac;

/**
 * Golden octets of the multihoming extended communities: ES-Import RT (RFC 7432 §7.6), ESI label
 * (§7.5) and DF Election (RFC 8584 §2.2), decoded to their types and encoded back to the same octets.
 */
class MultihomingCommunityGoldenTest
{
    private static long octets(final int... values)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(8);
        for (final int value : values)
        {
            buffer.put((byte)value);
        }
        return buffer.getLong(0);
    }

    @Test
    void esImportRouteTargetIsTheEsiValuesHighSixOctets()
    {
        final long wire = octets(0x06, 0x02, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66);
        final ExtendedCommunity community = ExtendedCommunity.of(wire);

        final ExtendedCommunity.EsImportRouteTarget esImport = assertInstanceOf(ExtendedCommunity.EsImportRouteTarget.class, community);
        assertEquals(EthernetSegmentId.parse("00:11:22:33:44:55:66:77:88:99").esImportValue(), esImport.value48());
        assertEquals(wire, community.value());
        // Type 3: the system MAC is the ES-Import RT, as FRR derives it.
        assertEquals(EvpnMac.parse("44:38:39:ff:00:01").value(),
            EthernetSegmentId.ofSystemMac(EvpnMac.parse("44:38:39:ff:00:01"), 1).esImportValue());
    }

    @Test
    void esiLabelCarriesTheSingleActiveFlag()
    {
        final long wire = octets(0x06, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00);
        final ExtendedCommunity.EsiLabel label = assertInstanceOf(ExtendedCommunity.EsiLabel.class, ExtendedCommunity.of(wire));
        assertEquals(ExtendedCommunity.EsiLabel.FLAG_SINGLE_ACTIVE, label.flags());
        assertEquals(wire, new ExtendedCommunity.EsiLabel(ExtendedCommunity.EsiLabel.FLAG_SINGLE_ACTIVE, 0).value());
    }

    @Test
    void dfElectionCarriesTheAlgorithmAndThePreference()
    {
        // RFC 8584 §2.2 / §4.1: type 6, sub-type 6, DF Alg 2 (preference), bitmap 0, reserved 0, preference 32767.
        final long wire = octets(0x06, 0x06, 0x02, 0x00, 0x00, 0x00, 0x7f, 0xff);
        final ExtendedCommunity.DfElection election = assertInstanceOf(ExtendedCommunity.DfElection.class, ExtendedCommunity.of(wire));
        assertEquals(ExtendedCommunity.DfElection.ALGORITHM_PREFERENCE, election.algorithm());
        assertEquals(32767, election.preference());
        assertEquals(wire, election.value());
        // A reserved octet set: kept as it came, opaque (RFC 7606 §7.14), and re-encoded the same.
        final long odd = octets(0x06, 0x06, 0x02, 0x00, 0x00, 0x01, 0x7f, 0xff);
        assertInstanceOf(ExtendedCommunity.Opaque.class, ExtendedCommunity.of(odd));
        assertEquals(odd, ExtendedCommunity.of(odd).value());
    }
}
