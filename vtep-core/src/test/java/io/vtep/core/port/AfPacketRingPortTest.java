package io.vtep.core.port;

/**
 * Every {@link AfPacketPortTest} and {@link VethPortTest} again with B (the receiving end, and the
 * second sockets on A) reading through a memory-mapped receive ring ({@link PacketReceiveRing},
 * {@code dataplane.access-ring}): frames of every size arrive exactly, in order, tags put back,
 * own sends not read back, frames longer than a slot and kernel drops counted (with a ring the
 * kernel counts a full ring's drops in {@code tp_drops}, not {@code sk_drops}), close ending a
 * receive and releasing the socket at once (the mapping holds it).
 */
class AfPacketRingPortTest extends AfPacketPortTest
{
    @Override
    protected Opener<AfPacketPort> receiver()
    {
        return name -> AfPacketPort.open(name, true);
    }
}
