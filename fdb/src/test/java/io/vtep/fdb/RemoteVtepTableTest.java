package io.vtep.fdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vtep.encap.VtepAddress;
import org.junit.jupiter.api.Test;

class RemoteVtepTableTest
{
    @Test
    void internsOneInstancePerAddressWithDenseIndices()
    {
        final RemoteVtepTable table = new RemoteVtepTable(16);

        final RemoteVtep a = table.intern(VtepAddress.parse("198.51.100.2"));
        final RemoteVtep b = table.intern(VtepAddress.parse("2001:db8::2"));
        final RemoteVtep c = table.intern(VtepAddress.parse("198.51.100.3"));

        assertSame(a, table.intern(VtepAddress.parse("198.51.100.2")), "same address, same instance");
        assertSame(b, table.intern(VtepAddress.parse("2001:db8::2")));
        assertEquals(0, a.index());
        assertEquals(1, b.index());
        assertEquals(2, c.index());
        assertEquals(3, table.size());
        assertEquals(16, table.capacity());
        assertEquals(VtepAddress.parse("2001:db8::2"), b.address());
    }

    @Test
    void findsByAddressPrimitivesAndIndex()
    {
        final RemoteVtepTable table = new RemoteVtepTable(16);
        final VtepAddress v4 = VtepAddress.parse("198.51.100.2");
        final VtepAddress v6 = VtepAddress.parse("2001:db8::2");
        final RemoteVtep a = table.intern(v4);
        final RemoteVtep b = table.intern(v6);

        assertSame(a, table.findIpv4(v4.ipv4()));
        assertSame(b, table.findIpv6(v6.ipv6High(), v6.ipv6Low()));
        assertSame(a, table.find(v4));
        assertSame(b, table.find(v6));
        assertSame(a, table.byIndex(0));
        assertSame(b, table.byIndex(1));
        assertNull(table.byIndex(2));
        assertNull(table.byIndex(-1));
        assertNull(table.byIndex(16));
        assertNull(table.findIpv4(v4.ipv4() + 1));
        assertNull(table.findIpv6(v6.ipv6High(), v6.ipv6Low() + 1));
        assertNull(table.find(VtepAddress.parse("192.0.2.1")));
    }

    @Test
    void ipv4AndIpv6AddressesWithTheSameBitsAreDifferentVteps()
    {
        final RemoteVtepTable table = new RemoteVtepTable(4);
        final RemoteVtep v4 = table.intern(VtepAddress.ofIpv4(1));
        final RemoteVtep v6 = table.intern(VtepAddress.ofIpv6(0, 1));

        assertNotSame(v4, v6);
        assertSame(v4, table.findIpv4(1));
        assertSame(v6, table.findIpv6(0, 1));
    }

    @Test
    void fullTableReturnsNullForNewAddressesButStillFindsKnownOnes()
    {
        final RemoteVtepTable table = new RemoteVtepTable(3);
        for (int i = 1; i <= 3; i++)
        {
            table.intern(VtepAddress.ofIpv4(0xC633_6400 | i));
        }

        assertNull(table.intern(VtepAddress.ofIpv4(0xC633_6404)), "full");
        assertEquals(3, table.size());
        assertEquals(1, table.intern(VtepAddress.ofIpv4(0xC633_6402)).index(), "known addresses still intern");
        for (int i = 1; i <= 3; i++)
        {
            assertEquals(i - 1, table.findIpv4(0xC633_6400 | i).index());
        }
        assertNull(table.findIpv4(0xC633_6404));
    }

    @Test
    void manyAddressesAllFindable()
    {
        final RemoteVtepTable table = new RemoteVtepTable(4096);
        for (int i = 0; i < 4096; i++)
        {
            assertEquals(i, table.intern(VtepAddress.ofIpv4(0x0A00_0000 + i)).index());
        }
        for (int i = 0; i < 4096; i++)
        {
            assertEquals(i, table.findIpv4(0x0A00_0000 + i).index());
        }
        assertNull(table.intern(VtepAddress.ofIpv4(0x0B00_0000)));
    }

    @Test
    void containsOnlyItsOwnVteps()
    {
        final RemoteVtepTable one = new RemoteVtepTable(4);
        final RemoteVtepTable other = new RemoteVtepTable(4);
        final RemoteVtep mine = one.intern(VtepAddress.parse("198.51.100.2"));
        final RemoteVtep theirs = other.intern(VtepAddress.parse("198.51.100.2"));

        assertTrue(one.contains(mine));
        assertFalse(one.contains(theirs));
        assertFalse(one.contains(null));
    }

    @Test
    void refusesBadCapacity()
    {
        assertThrows(IllegalArgumentException.class, () -> new RemoteVtepTable(0));
        assertThrows(IllegalArgumentException.class, () -> new RemoteVtepTable((1 << 24) + 1));
    }
}
