package io.vtep.core.lacp;

import java.nio.ByteBuffer;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.vtep.core.port.AccessPort;
import io.vtep.core.port.PortLink;

/**
 * LACP on one access port, as the forwarding pipelines and the API see it. The pipelines ask
 * {@link #isDistributing()} (one volatile load) before they forward a frame received on the port or
 * send one out of it, and hand received LACPDUs to {@link #offer}. Everything else, the state
 * machines included, belongs to the LACP thread ({@link LacpAgent}), which publishes the gate and a
 * {@link LacpStatus} after each change.
 */
public final class LacpPort
{
    private final int index;
    private final AccessPort port;
    private final LacpPortMachine machine;
    private final LacpPduQueue queue;
    /** Native memory: the af-packet driver hands its address to the kernel. LACP thread only. */
    private final UnsafeBuffer transmitFrame = new UnsafeBuffer(ByteBuffer.allocateDirect(LacpPdu.FRAME_LENGTH));
    private volatile PortLink link;
    private volatile boolean distributing;
    private volatile LacpStatus status;
    // Written by the LACP thread only, read by scrapes.
    private volatile long received;
    private volatile long sent;
    private volatile long malformed;

    /**
     * @param index   this port's place in the {@link LacpAgent}'s list (the records of the queue name it)
     * @param port    where LACPDUs go out
     * @param machine the port's state machines
     * @param queue   where the pipelines put what they receive
     */
    public LacpPort(final int index, final AccessPort port, final LacpPortMachine machine, final LacpPduQueue queue)
    {
        this.index = index;
        this.port = port;
        this.machine = machine;
        this.queue = queue;
        publish();
    }

    /** Data path: whether frames may be forwarded from and to this port. */
    public boolean isDistributing()
    {
        return distributing;
    }

    /**
     * Data path: a Slow Protocols frame received on the port, for the LACP thread.
     *
     * @return false when the queue was full
     */
    public boolean offer(final DirectBuffer buffer, final int offset, final int length)
    {
        return queue.offer(index, buffer, offset, length);
    }

    public String name()
    {
        return port.name();
    }

    /** The port's interface (docs/architecture.md §3.5), whose state enables LACP; null: always enabled. */
    public void link(final PortLink portLink)
    {
        this.link = portLink;
    }

    PortLink link()
    {
        return link;
    }

    LacpPortMachine machine()
    {
        return machine;
    }

    int index()
    {
        return index;
    }

    /** LACP thread: received LACPDU decoded, or not. */
    void countReceived(final boolean wellFormed)
    {
        if (wellFormed)
        {
            received++;
        }
        else
        {
            malformed++;
        }
    }

    /**
     * LACP thread: sends a LACPDU, the port's system ID as source (nothing learns from a Slow Protocols
     * frame). A refused send is not counted (nothing read that count): the periodic machine sends the same
     * information again well within the partner's timeout (IEEE 802.1AX-2014 §6.4.13).
     */
    void send(final LacpPdu pdu)
    {
        final int length = pdu.encodeFrame(transmitFrame, 0, pdu.actor().system());
        if (port.send(transmitFrame, 0, length))
        {
            sent++;
        }
    }

    /**
     * LACP thread, or the thread that closes it once it has stopped: the port's last LACPDU goes out
     * (its machine detached, {@link LacpPortMachine#stop}) and the gate closes for good. Call it when
     * nothing forwards on the port any more and before its sockets close.
     *
     * @return whether the gate changed
     */
    boolean stop(final long nowNanos)
    {
        final LacpPdu last = machine.stop(nowNanos);
        if (last != null)
        {
            send(last);
        }
        return publish();
    }

    /** LACP thread: the gate and the status follow the machines. @return whether the gate changed */
    boolean publish()
    {
        final boolean now = machine.isDistributing();
        final LacpStatus next = new LacpStatus(machine.actorInformation(), machine.partner(), machine.receiveState(),
            machine.muxState());
        if (!next.equals(status))
        {
            status = next;
        }
        final boolean changed = now != distributing;
        distributing = now;
        return changed;
    }

    public LacpStatus status()
    {
        return status;
    }

    /** LACPDUs received and read. */
    public long pdusReceived()
    {
        return received;
    }

    /** LACPDUs sent. */
    public long pdusSent()
    {
        return sent;
    }

    /** Frames to the Slow Protocols address that were no LACPDU this code reads (a Marker PDU, a bad length...). */
    public long malformed()
    {
        return malformed;
    }
}
