package io.vtep.evpn.codec.attr;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.netty.buffer.ByteBuf;
import io.vtep.evpn.codec.CodecContext;
import io.vtep.evpn.codec.WireFormat;

/**
 * CLUSTER_LIST (type 10, optional non-transitive, RFC 4456 §8): the route reflection clusters the
 * route passed through, most recent first. A length of zero or not a multiple of 4 means
 * treat-as-withdraw (RFC 7606 §7.10).
 *
 * @param flags      the flags octet.
 * @param clusterIds one or more cluster IDs (4 octets, written like IPv4 addresses).
 */
public record ClusterList(int flags, List<Inet4Address> clusterIds) implements PathAttribute
{
    /** Checks the fields and copies the list. */
    public ClusterList
    {
        AttributeFlags.check(flags);
        clusterIds = List.copyOf(clusterIds);
        if (clusterIds.isEmpty())
        {
            throw new IllegalArgumentException("CLUSTER_LIST needs at least one cluster ID (RFC 7606 §7.10)");
        }
    }

    /**
     * @param clusterIds most recent first.
     * @return the attribute with optional non-transitive flags.
     */
    public static ClusterList of(final Inet4Address... clusterIds)
    {
        return new ClusterList(AttributeFlags.OPTIONAL_NON_TRANSITIVE, List.of(clusterIds));
    }

    static ClusterList decode(final int flags, final ByteBuf value)
    {
        final int length = value.readableBytes();
        if (length == 0 || length % 4 != 0)
        {
            throw PathAttributes.lengthError(AttributeType.CLUSTER_LIST, length, "a non-zero multiple of 4");
        }
        final List<Inet4Address> clusterIds = new ArrayList<>(length / 4);
        while (value.isReadable())
        {
            clusterIds.add(WireFormat.readIpv4(value));
        }
        return new ClusterList(flags, clusterIds);
    }

    @Override
    public int typeCode()
    {
        return AttributeType.CLUSTER_LIST;
    }

    @Override
    public void encodeValue(final ByteBuf out, final CodecContext context)
    {
        clusterIds.forEach(clusterId -> WireFormat.writeAddress(out, clusterId));
    }

    @Override
    public String toString()
    {
        return "CLUSTER_LIST " + clusterIds.stream().map(Inet4Address::getHostAddress).collect(Collectors.joining(" "));
    }
}
