package io.vtep.evpn.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vtep.evpn.codec.BgpCodec;
import io.vtep.evpn.codec.CodecContext;
import io.vtep.evpn.codec.EvpnUpdates;
import io.vtep.evpn.codec.UpdateMessage;
import io.vtep.evpn.codec.WireFormat;
import io.vtep.evpn.codec.nlri.EvpnMac;
import io.vtep.evpn.codec.nlri.EvpnRoute;
import io.vtep.evpn.codec.nlri.MacIpAdvertisementRoute;
import io.vtep.evpn.codec.nlri.RouteDistinguisher;

/** Many MAC routes sharing attributes go out in few UPDATEs, none over 4096 octets (RFC 4271 §4). */
class UpdatePackerTest
{
    private static final InetAddress VTEP = WireFormat.parseAddress("198.51.100.1");
    private static final Inet4Address ROUTER_ID = (Inet4Address)VTEP;
    private static final int VNI = 100;
    private static final int MACS = 3000;

    private final UpdatePacker packer = new UpdatePacker();

    private static List<EvpnRoute> macRoutes()
    {
        final RouteDistinguisher rd = EvpnUpdates.autoRouteDistinguisher(ROUTER_ID, 1);
        final List<EvpnRoute> routes = new ArrayList<>();
        for (int i = 1; i <= MACS; i++)
        {
            routes.add(MacIpAdvertisementRoute.of(rd, new EvpnMac(0x02_00_00_00_00_00L + i), null, VNI));
        }
        return routes;
    }

    private static int encodedLengthChecked(final UpdateMessage update)
    {
        final int length = BgpCodec.encode(update, CodecContext.FOUR_OCTET_AS).length;
        assertTrue(length <= 4096, "UPDATE of " + length + " octets");
        return length;
    }

    @Test
    void threeThousandMacRoutesFitInTwentyEightUpdates()
    {
        final List<EvpnPath> paths = new ArrayList<>();
        for (final EvpnRoute route : macRoutes())
        {
            paths.add(EvpnPath.local(route, VTEP, ROUTER_ID, List.of(EvpnUpdates.autoRouteTarget(65000, VNI)), VNI, 0, false));
        }

        final List<UpdateMessage> updates = packer.advertise(paths, EvpnUpdates.PathOptions.ibgp());

        final List<EvpnRoute> advertised = new ArrayList<>();
        int octets = 0;
        for (final UpdateMessage update : updates)
        {
            octets += encodedLengthChecked(update);
            advertised.addAll(update.advertisedEvpnRoutes());
        }
        assertEquals(macRoutes(), advertised, "every route once, in order");
        // 35 octets a route (length, type, 33 of value) into ~4000 usable: 115 a message.
        assertTrue(updates.size() <= 28, updates.size() + " UPDATEs, " + octets + " octets");
    }

    @Test
    void threeThousandWithdrawalsFitInTwentyEightUpdates()
    {
        final List<UpdateMessage> updates = packer.withdraw(macRoutes());

        final List<EvpnRoute> withdrawn = new ArrayList<>();
        for (final UpdateMessage update : updates)
        {
            encodedLengthChecked(update);
            withdrawn.addAll(update.withdrawnEvpnRoutes());
        }
        assertEquals(macRoutes(), withdrawn);
        assertTrue(updates.size() <= 28, updates.size() + " UPDATEs");
    }
}
