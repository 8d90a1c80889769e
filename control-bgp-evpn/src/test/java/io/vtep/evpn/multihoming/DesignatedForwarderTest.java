package io.vtep.evpn.multihoming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vtep.evpn.codec.WireFormat;
import io.vtep.evpn.multihoming.DesignatedForwarder.Candidate;

class DesignatedForwarderTest
{
    private static final InetAddress NINE = WireFormat.parseAddress("10.0.0.9");
    private static final InetAddress TEN = WireFormat.parseAddress("10.0.0.10");
    private static final InetAddress ELEVEN = WireFormat.parseAddress("10.0.0.11");

    @Test
    void moduloNumbersTheVtepsByAddressAndTakesVniModuloTheirCount()
    {
        // RFC 7432 §8.5: ordered numerically (10.0.0.9 < 10.0.0.10, though not as text), i = V mod N.
        final List<Candidate> two = List.of(new Candidate(TEN, 0), new Candidate(NINE, 0));
        assertEquals(NINE, DesignatedForwarder.elect(DfAlgorithm.MODULO, two, 100));
        assertEquals(TEN, DesignatedForwarder.elect(DfAlgorithm.MODULO, two, 101));

        final List<Candidate> three = List.of(new Candidate(ELEVEN, 0), new Candidate(TEN, 0), new Candidate(NINE, 0));
        assertEquals(NINE, DesignatedForwarder.elect(DfAlgorithm.MODULO, three, 300));
        assertEquals(TEN, DesignatedForwarder.elect(DfAlgorithm.MODULO, three, 301));
        assertEquals(ELEVEN, DesignatedForwarder.elect(DfAlgorithm.MODULO, three, 302));
        // The largest VNI stays non-negative.
        assertEquals(NINE, DesignatedForwarder.elect(DfAlgorithm.MODULO, three, 0xFF_FFFF));
    }

    @Test
    void preferenceTakesTheHighestThenTheLowestAddress()
    {
        // RFC 8584 §4.1: highest preference wins whatever the VNI; equal preferences go to the lowest address.
        assertEquals(ELEVEN, DesignatedForwarder.elect(DfAlgorithm.PREFERENCE,
            List.of(new Candidate(NINE, 100), new Candidate(ELEVEN, 200), new Candidate(TEN, 150)), 100));
        assertEquals(TEN, DesignatedForwarder.elect(DfAlgorithm.PREFERENCE,
            List.of(new Candidate(ELEVEN, 200), new Candidate(TEN, 200), new Candidate(NINE, 100)), 101));
    }

    @Test
    void aSegmentAloneIsItsOwnForwarderAndNoneHasNone()
    {
        assertEquals(TEN, DesignatedForwarder.elect(DfAlgorithm.MODULO, List.of(new Candidate(TEN, 0)), 7));
        assertNull(DesignatedForwarder.elect(DfAlgorithm.PREFERENCE, List.of(), 7));
    }
}
