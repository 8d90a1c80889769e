package io.vtep.core.lacp;

import org.agrona.DirectBuffer;

/** What {@link LacpPduQueue#drain} hands each received frame to: the port's index and the frame, Ethernet header first. */
@FunctionalInterface
public interface LacpPduHandler
{
    void onFrame(int portIndex, DirectBuffer buffer, int offset, int length);
}
