package io.vtep.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vtep.core.lacp.LacpActorIdentity;
import io.vtep.core.lacp.LacpAgent;
import io.vtep.core.lacp.LacpParticipant;
import io.vtep.core.lacp.LacpPdu;
import io.vtep.core.lacp.LacpPduQueue;
import io.vtep.core.lacp.LacpPort;
import io.vtep.core.lacp.LacpPortMachine;
import io.vtep.core.lacp.LacpState;
import io.vtep.core.testing.EthernetFrames;
import io.vtep.core.testing.PipelineInput;
import io.vtep.core.testing.RecordingPort;
import io.vtep.core.testing.RecordingTransmitter;
import io.vtep.encap.MacAddress;
import io.vtep.encap.SourcePortRange;
import io.vtep.encap.VtepAddress;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbEntry;
import io.vtep.fdb.FdbSettings;
import io.vtep.fdb.LearningMode;
import io.vtep.fdb.RemoteVtep;
import io.vtep.metrics.CounterLayout;
import io.vtep.metrics.CounterSnapshotSource;
import io.vtep.metrics.DropReason;

/**
 * LACP at the access pipeline: LACPDUs go to the LACP thread and nowhere else, and a LACP port
 * forwards (in and out) only while it collects and distributes. Port {@code bond1} runs LACP, port
 * {@code eth2} does not; both are untagged in VNI 100, which floods to one remote VTEP. The LACP
 * thread's agent runs here by hand, on a test clock, against a server simulated from its LACPDUs.
 */
class LacpPortGateTest
{
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long SERVER = MacAddress.parse("00:11:22:33:44:55");
    private static final long HOST = MacAddress.parse("02:00:00:00:00:01");
    private static final LacpActorIdentity VTEP = new LacpActorIdentity(65535, MacAddress.parse("02:00:00:00:00:0a"), 5, 255, 1);

    private final RecordingPort bond1 = new RecordingPort("bond1");
    private final RecordingPort eth2 = new RecordingPort("eth2");
    private final RecordingTransmitter underlay = new RecordingTransmitter();
    private final LacpPduQueue queue = new LacpPduQueue(16);
    private final List<String> changes = new ArrayList<>();
    private Fdb fdb;
    private CounterSnapshotSource counters;
    private AccessPipeline fromBond;
    private AccessPipeline fromEth2;
    private LacpPort lacp;
    private LacpAgent agent;
    private VniContext vni100;
    private long now = 1_000 * SECOND;

    @BeforeEach
    void build()
    {
        fdb = new Fdb(FdbSettings.defaults());
        fdb.addVni(100, LearningMode.DATA_PLANE, 0, null);
        fdb.setFloodList(100, new RemoteVtep[] {fdb.remoteVteps().intern(VtepAddress.parse("192.0.2.2"))});
        final ForwardingTables tables = new ForwardingTables(fdb);
        vni100 = tables.addVni(100);
        final PortContext bondPort = tables.addPort(bond1);
        final PortContext eth2Port = tables.addPort(eth2);
        tables.attach(bondPort, Attachment.UNTAGGED, vni100);
        tables.attach(eth2Port, Attachment.UNTAGGED, vni100);
        lacp = new LacpPort(0, bond1, new LacpPortMachine(VTEP, true, true), queue);
        bondPort.lacp(lacp);
        agent = new LacpAgent(queue, List.of(lacp), () -> now);
        agent.addListener((port, up) -> changes.add(port + (up ? " up" : " down")));
        counters = new CounterSnapshotSource(new CounterLayout(1, 16));
        final DataPlane plane = new DataPlane(tables, counters, VtepAddress.parse("192.0.2.1"), 4789, 64,
            SourcePortRange.DEFAULT, 1500, underlay);
        fromBond = plane.accessPipeline(bondPort);
        fromEth2 = plane.accessPipeline(eth2Port);
    }

    /** The server's LACPDU: itself, what it last heard of vtep, in sync or not. */
    private byte[] serverPdu(final LacpParticipant itsViewOfVtep, final boolean inSync)
    {
        final int state = LacpState.ACTIVITY | LacpState.TIMEOUT | LacpState.AGGREGATION |
            (inSync ? LacpState.SYNCHRONIZATION | LacpState.COLLECTING | LacpState.DISTRIBUTING : 0);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[LacpPdu.FRAME_LENGTH]);
        new LacpPdu(new LacpParticipant(32768, SERVER, 17, 255, 2, state), itsViewOfVtep, 0).encodeFrame(buffer, 0, SERVER);
        return buffer.byteArray();
    }

    private void runAgent(final long nanos)
    {
        now += nanos;
        agent.doWork();
    }

    /** The last LACPDU vtep sent out of bond1. */
    private LacpPdu lastSent() throws Exception
    {
        final byte[] frame = bond1.sent.get(bond1.sent.size() - 1);
        return LacpPdu.decodeFrame(new UnsafeBuffer(frame), 0, frame.length);
    }

    private void bringUp() throws Exception
    {
        runAgent(0);
        fromBond.process(PipelineInput.batchOf(serverPdu(LacpParticipant.NONE, false)), now);
        runAgent(0);
        runAgent(LacpPortMachine.AGGREGATE_WAIT_NANOS);
        fromBond.process(PipelineInput.batchOf(serverPdu(lastSent().actor(), true)), now);
        runAgent(0);
    }

    @Test
    void lacpdusReachLacpAndAreNeverForwardedOrLearned() throws Exception
    {
        final byte[] pdu = serverPdu(LacpParticipant.NONE, false);
        fromBond.process(PipelineInput.batchOf(pdu), now);
        fdb.conductor().doWork();
        assertTrue(underlay.sent.isEmpty(), "not flooded to the overlay");
        assertTrue(eth2.sent.isEmpty(), "not flooded to the other port");
        assertEquals(FdbEntry.NONE, fdb.vni(100).lookup(SERVER), "the bond's address is not learned");
        assertEquals(1, queue.depth());
        runAgent(0);
        assertEquals(1, lacp.pdusReceived());
        assertEquals(SERVER, lacp.status().partner().system());
        assertEquals(0, counters.drops(DropReason.SLOW_PROTOCOLS));
    }

    @Test
    void aSlowProtocolsFrameOnAPortWithoutLacpIsDroppedNotFlooded()
    {
        fromEth2.process(PipelineInput.batchOf(serverPdu(LacpParticipant.NONE, false)), now);
        assertTrue(underlay.sent.isEmpty());
        assertTrue(bond1.sent.isEmpty());
        assertEquals(1, counters.drops(DropReason.SLOW_PROTOCOLS));
    }

    @Test
    void aLacpPortForwardsOnlyWhileDistributing() throws Exception
    {
        final byte[] broadcast = EthernetFrames.ethernet(MacAddress.BROADCAST, HOST, 64);
        fromBond.process(PipelineInput.batchOf(broadcast), now);
        assertTrue(underlay.sent.isEmpty(), "a port LACP has not let in drops what it receives");
        assertEquals(1, counters.drops(DropReason.LACP_NOT_DISTRIBUTING));
        fromEth2.process(PipelineInput.batchOf(broadcast), now);
        assertEquals(1, underlay.sent.size());
        assertTrue(bond1.sent.isEmpty(), "and sends nothing out of it");
        assertEquals(1, counters.vniDrops(vni100.slot(), DropReason.LACP_NOT_DISTRIBUTING));

        bringUp();
        assertTrue(lacp.isDistributing());
        assertEquals(List.of("bond1 up"), changes);
        final LacpPdu told = lastSent();
        assertEquals(VTEP.system(), told.actor().system());
        assertEquals(SERVER, told.partner().system(), "vtep tells the server what it knows of it");
        assertTrue(LacpState.has(told.actor().state(), LacpState.COLLECTING | LacpState.DISTRIBUTING));

        fromBond.process(PipelineInput.batchOf(broadcast), now);
        assertEquals(2, underlay.sent.size(), "now forwarded");
        final int before = bond1.sent.size();
        fromEth2.process(PipelineInput.batchOf(broadcast), now);
        assertEquals(before + 1, bond1.sent.size(), "and flooded to");

        // The server goes quiet: 3 s later the port leaves distributing.
        runAgent(SECOND);
        runAgent(SECOND);
        runAgent(SECOND);
        assertFalse(lacp.isDistributing());
        assertEquals(List.of("bond1 up", "bond1 down"), changes);
        final int overlayCopies = underlay.sent.size();
        fromBond.process(PipelineInput.batchOf(broadcast), now);
        assertEquals(overlayCopies, underlay.sent.size(), "dropped again");
    }

    @Test
    void aRemovedPortSendsALastLacpduThatLeavesTheAggregationThenNothing() throws Exception
    {
        bringUp();
        assertFalse(agent.stopPort("eth2").get(), "no LACP on eth2");
        final CompletableFuture<Boolean> stopped = agent.stopPort("bond1");
        final int before = bond1.sent.size();
        assertFalse(stopped.isDone(), "done by the LACP thread");
        runAgent(0);
        assertTrue(stopped.get());
        assertEquals(before + 1, bond1.sent.size(), "one last LACPDU");
        final int state = lastSent().actor().state();
        assertFalse(LacpState.has(state, LacpState.SYNCHRONIZATION) || LacpState.has(state, LacpState.COLLECTING) ||
            LacpState.has(state, LacpState.DISTRIBUTING), "out of the aggregation (802.1AX-2014 §6.4.15): " + LacpState.describe(state));
        assertFalse(lacp.isDistributing());
        assertEquals(List.of("bond1 up", "bond1 down"), changes, "the segment hears it (mass withdrawal)");
        fromBond.process(PipelineInput.batchOf(serverPdu(lastSent().actor(), true)), now);
        runAgent(SECOND);
        runAgent(SECOND);
        assertEquals(before + 1, bond1.sent.size(), "nothing after it, whatever the server says");
        assertFalse(lacp.isDistributing());
    }

    @Test
    void closingTheAgentSendsEachPortsLastLacpdu() throws Exception
    {
        bringUp();
        final int before = bond1.sent.size();
        agent.onClose();
        assertEquals(before + 1, bond1.sent.size());
        assertFalse(LacpState.has(lastSent().actor().state(), LacpState.SYNCHRONIZATION));
        assertFalse(lacp.isDistributing());
        assertEquals(LacpPortMachine.MuxState.DETACHED, lacp.status().muxState());
        assertEquals(List.of("bond1 up"), changes, "listeners are closing too: not told");
    }

    @Test
    void vtepKeepsSendingEverySecondAtTheFastRate() throws Exception
    {
        bringUp();
        final int before = bond1.sent.size();
        for (int i = 0; i < 5; i++)
        {
            fromBond.process(PipelineInput.batchOf(serverPdu(lastSent().actor(), true)), now);
            runAgent(SECOND);
        }
        assertEquals(before + 5, bond1.sent.size());
        assertTrue(lacp.isDistributing());
        assertEquals(lacp.pdusSent(), bond1.sent.size());
    }
}
