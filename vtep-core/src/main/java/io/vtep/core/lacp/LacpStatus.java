package io.vtep.core.lacp;

/**
 * One port's LACP state as last published by the LACP thread, for the API: immutable, replaced whole.
 *
 * @param actor        what vtep says of itself on the port
 * @param partner      the partner in use (from its last LACPDU, or the all-zero default)
 * @param receiveState the receive machine's state
 * @param muxState     the mux machine's state
 */
public record LacpStatus(LacpParticipant actor, LacpParticipant partner, LacpPortMachine.ReceiveState receiveState,
    LacpPortMachine.MuxState muxState)
{
    public boolean distributing()
    {
        return muxState == LacpPortMachine.MuxState.COLLECTING_DISTRIBUTING;
    }
}
