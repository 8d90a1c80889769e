package io.vtep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.vtep.evpn.session.BgpPeer;
import io.vtep.fdb.Origin;
import io.vtep.topology.FrrConfig;
import io.vtep.topology.FrrRouter;
import io.vtep.topology.Requirements;
import io.vtep.topology.Wait;

/**
 * BGP session hardening against real FRR (issue 15): TCP-MD5 (RFC 2385) with FRR's
 * {@code neighbor X password}, and maximum-prefix against FRR advertising more MAC routes than the
 * limit allows.
 *
 * <pre>
 *  h1 ─acc1─ [vtep 192.0.2.1] ─ul0──ul0─ [FRR + kernel VTEP 192.0.2.2] ─acc0─ h2
 * </pre>
 */
class BgpHardeningFrrTest extends TopologyTest
{
    private static final int VNI = EvpnFrrTopology.VNI;
    private static final String VTEP_IP = EvpnFrrTopology.VTEP_IP;
    private static final String FRR_IP = EvpnFrrTopology.FRR_IP;
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(30);
    private static final String PASSWORD = "vtep-frr-md5";

    @Override
    protected void requirements()
    {
        Requirements.requireTopology();
        FrrRouter.requireFrr();
    }

    /** vtep with acc1 in VNI 100 (EVPN) and FRR as its one neighbor, with these extra neighbor keys. */
    private static String vtepConfig(final String neighborKeys)
    {
        return EvpnFrrTopology.vtepConfig(VTEP_IP, 65000, FRR_IP, 65000, neighborKeys);
    }

    private static BgpPeer peer(final InProcessVtep vtep) throws Exception
    {
        return vtep.appliance().bgpSpeaker().peer(InetAddress.getByName(FRR_IP));
    }

    @Test
    void tcpMd5WithFrrNoSessionWithAWrongPasswordEstablishedWithTheRightOne() throws Exception
    {
        final EvpnFrrTopology net = EvpnFrrTopology.create(topology, false);
        final FrrRouter frr = topology.frr(net.frrNs()).bgp(FrrConfig.asn(65000).routerId(FRR_IP)
            .neighbor(FrrConfig.neighbor(VTEP_IP).remoteAs(65000).timers(3, 9).connectRetry(2).lines("password " + PASSWORD))).start();

        // A wrong password: the kernels drop each other's SYNs (RFC 2385 §2.0), whoever connects.
        final InProcessVtep wrong = InProcessVtep.start(topology, net.vtepNs(), vtepConfig("password: \"not-" + PASSWORD + "\""));
        final long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        while (System.nanoTime() < until)
        {
            assertNotEquals("Established", wrong.bgpState(FRR_IP), "a session with a wrong TCP-MD5 password");
            assertFalse(frr.bgpSummary().containsKey(VTEP_IP) && frr.bgpSummary().get(VTEP_IP).isEstablished(),
                "FRR Established with a wrong password");
            Thread.sleep(500);
        }
        assertEquals(0, peer(wrong).establishedTransitions());
        wrong.close();

        final InProcessVtep right = InProcessVtep.start(topology, net.vtepNs(), vtepConfig("password: \"" + PASSWORD + "\""));
        frr.awaitEstablished(VTEP_IP, SESSION_TIMEOUT);
        final BgpPeer rightPeer = peer(right);
        Wait.until(SESSION_TIMEOUT, rightPeer::isEstablished, "vtep Established with the right password");
        Wait.until(SESSION_TIMEOUT, () -> right.floodList(VNI).contains(FRR_IP), "routes flow over the signed session");
        final String api = right.appliance().metrics().scrape(null).body();
        assertFalse(api.contains(PASSWORD), "the password is in no metric");
    }

    /**
     * GTSM (RFC 5082) with FRR over eBGP: FRR sends eBGP with TTL 1 unless it runs ttl-security
     * itself, so vtep with {@code ttl-security: 1} (TTL at least 255) gets no session; once FRR is
     * told {@code neighbor X ttl-security hops 1} it sends with 255, checks that vtep does too, and
     * the session comes up.
     */
    @Test
    void ttlSecurityWithFrrNoSessionUntilFrrSendsWithTtl255() throws Exception
    {
        final EvpnFrrTopology net = EvpnFrrTopology.create(topology, false);
        final FrrRouter frr = net.startFrr(topology, 65001, VTEP_IP, 65000);
        final InProcessVtep vtep = InProcessVtep.start(topology, net.vtepNs(), vtepConfig("ttl-security: 1")
            .replace("remote-as: 65000", "remote-as: 65001"));
        final BgpPeer peer = peer(vtep);
        final long until = System.nanoTime() + Duration.ofSeconds(6).toNanos();
        while (System.nanoTime() < until)
        {
            assertFalse(peer.isEstablished(), "a session with a peer that sends with TTL 1");
            Thread.sleep(500);
        }
        frr.configure("router bgp 65001", "neighbor " + VTEP_IP + " ttl-security hops 1");
        try
        {
            frr.awaitEstablished(VTEP_IP, SESSION_TIMEOUT);
        }
        catch (final AssertionError ex)
        {
            throw new AssertionError(ex.getMessage() + "\nvtep: " + peer.state() + " " + peer.lastError() + "\n" +
                frr.vtysh("show bgp neighbors " + VTEP_IP) + "\n" + frr.vtysh("show running-config"), ex);
        }
        Wait.until(SESSION_TIMEOUT, peer::isEstablished, "vtep Established once both sides run GTSM");
    }

    /**
     * TCP-MD5 and GTSM on an IPv6 session (the socket options differ: the MD5 key is set for an
     * IPv6 {@code sockaddr}, GTSM is {@code IPV6_MINHOPCOUNT} and {@code IPV6_UNICAST_HOPS}), eBGP
     * with FRR over the underlay's IPv6 addresses. FRR signs with the password, so the session can
     * only come up if vtep signs too; vtep requires hop limit 255, so it comes up only once FRR
     * runs ttl-security as well.
     */
    @Test
    void tcpMd5AndTtlSecurityOverAnIpv6Session() throws Exception
    {
        final String vtep6 = EvpnFrrTopology.VTEP_IP6;
        final String frr6 = EvpnFrrTopology.FRR_IP6;
        final EvpnFrrTopology net = EvpnFrrTopology.create(topology, true);
        final FrrRouter frr = topology.frr(net.frrNs()).bgp(FrrConfig.asn(65001).routerId(FRR_IP)
            .neighbor(FrrConfig.neighbor(vtep6).remoteAs(65000).timers(3, 9).connectRetry(2).lines("password " + PASSWORD))).start();
        final InProcessVtep vtep = InProcessVtep.start(topology, net.vtepNs(),
            vtepConfig("password: \"" + PASSWORD + "\", ttl-security: 1").replace("remote-as: 65000", "remote-as: 65001")
                .replace("\"" + FRR_IP + "\"", "\"" + frr6 + "\""));
        final BgpPeer peer = vtep.appliance().bgpSpeaker().peer(InetAddress.getByName(frr6));
        final long until = System.nanoTime() + Duration.ofSeconds(6).toNanos();
        while (System.nanoTime() < until)
        {
            assertFalse(peer.isEstablished(), "a session with a peer that sends with hop limit 1");
            Thread.sleep(500);
        }
        frr.configure("router bgp 65001", "neighbor " + vtep6 + " ttl-security hops 1");
        try
        {
            frr.awaitEstablished(vtep6, SESSION_TIMEOUT);
        }
        catch (final AssertionError ex)
        {
            throw new AssertionError(ex.getMessage() + "\nvtep: " + peer.state() + " " + peer.lastError() + "\n" +
                frr.vtysh("show bgp neighbors " + vtep6), ex);
        }
        Wait.until(SESSION_TIMEOUT, peer::isEstablished, "vtep Established over IPv6 with MD5 and GTSM");
        Wait.until(SESSION_TIMEOUT, () -> vtep.floodList(VNI).contains(FRR_IP), "routes flow over the signed IPv6 session");
    }

    /**
     * Failure 3 against FRR: FRR advertises more type-2 routes (static MACs on its bridge, which
     * zebra advertises) than vtep's {@code maximum-prefix} for it. vtep closes the session with
     * Cease / Maximum Number of Prefixes Reached, removes every route FRR gave it, and stays down
     * for the restart time. Before, vtep took every route a peer sent.
     */
    @Test
    void maximumPrefixAgainstFrrAdvertisingMoreMacsThanTheLimit() throws Exception
    {
        final EvpnFrrTopology net = EvpnFrrTopology.create(topology, false);
        final FrrRouter frr = net.startFrr(topology, 65000, VTEP_IP, 65000);
        final InProcessVtep vtep = InProcessVtep.start(topology, net.vtepNs(),
            vtepConfig("maximum-prefix: { limit: 40, warning-threshold: 50, restart: 5m }"));
        frr.awaitEstablished(VTEP_IP, SESSION_TIMEOUT);
        Wait.until(SESSION_TIMEOUT, () -> vtep.floodList(VNI).contains(FRR_IP), "FRR's type-3 route installed");

        final int macs = 60;
        for (int i = 0; i < macs; i++)
        {
            net.frrNs().execOk("bridge", "fdb", "add", "02:55:00:00:00:%02x".formatted(i), "dev", "acc0", "master", "static");
        }

        final BgpPeer peer = peer(vtep);
        Wait.until(SESSION_TIMEOUT, () -> peer.prefixLimitResets() == 1, "vtep closes the session above 40 routes");
        assertTrue(peer.lastError().contains("Cease/Maximum Number of Prefixes Reached (6/1)"), peer.lastError());
        frr.awaitNotEstablished(VTEP_IP, SESSION_TIMEOUT);
        final String frrView = frr.vtysh("show bgp neighbors " + VTEP_IP);
        assertTrue(frrView.contains("Maximum Number of Prefixes Reached"), "FRR received the Cease subcode:\n" + frrView);
        Wait.until(SESSION_TIMEOUT, () -> vtep.appliance().fdb().vni(VNI).entries(Origin.EVPN) == 0,
            "every EVPN entry from FRR removed with the session");
        Wait.until(SESSION_TIMEOUT, () -> vtep.floodList(VNI).isEmpty(), "FRR's flood list entry removed with the session");

        // The restart time (5 minutes) keeps it down: FRR's reconnects (every 2 s) are refused.
        final long until = System.nanoTime() + Duration.ofSeconds(6).toNanos();
        while (System.nanoTime() < until)
        {
            assertEquals("Idle", vtep.bgpState(FRR_IP), "down until the restart time");
            Thread.sleep(500);
        }
        assertEquals(1, peer.establishedTransitions());
        final String metrics = vtep.appliance().metrics().scrape(null).body();
        assertTrue(metrics.contains("vtep_bgp_peer_prefix_limit_resets_total{peer=\"192.0.2.2\"} 1.0"), metrics);
        assertTrue(metrics.contains("vtep_bgp_peer_maximum_prefix{peer=\"192.0.2.2\"} 40.0"), metrics);
    }
}
