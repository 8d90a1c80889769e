package io.vtep.evpn.codec;

import static io.vtep.evpn.codec.Bytes.concat;
import static io.vtep.evpn.codec.Bytes.of;

/** Wraps path attribute octets into whole UPDATE messages for tests. */
final class Updates
{
    private Updates()
    {
    }

    /**
     * @param attributes attribute octets, headers included.
     * @return an UPDATE with no withdrawn routes, these attributes and no IPv4 NLRI.
     */
    static byte[] withAttributes(final byte[]... attributes)
    {
        final byte[] block = concat(attributes);
        return Bytes.message(2, concat(of(0, 0), of(block.length >>> 8, block.length), block));
    }

    /**
     * @param withdrawn  the Withdrawn Routes field.
     * @param attributes the Path Attributes field.
     * @param nlri       the NLRI field.
     * @return an UPDATE with correct length fields.
     */
    static byte[] update(final byte[] withdrawn, final byte[] attributes, final byte[] nlri)
    {
        return Bytes.message(2, concat(of(withdrawn.length >>> 8, withdrawn.length), withdrawn,
            of(attributes.length >>> 8, attributes.length), attributes, nlri));
    }
}
