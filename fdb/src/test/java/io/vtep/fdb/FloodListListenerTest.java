package io.vtep.fdb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vtep.encap.VtepAddress;

/** Listeners hear every flood-list change (what per-VNI source membership follows), and only changes. */
class FloodListListenerTest
{
    @Test
    void everyChangeOfAFloodListIsToldOnceWithTheListAsPublished()
    {
        final Fdb fdb = new Fdb();
        fdb.addVni(100, LearningMode.EVPN, 0, null);
        final RemoteVtep a = fdb.remoteVteps().intern(VtepAddress.parse("192.0.2.2"));
        final RemoteVtep b = fdb.remoteVteps().intern(VtepAddress.parse("192.0.2.3"));
        final List<String> heard = new ArrayList<>();
        fdb.addListener(new FdbListener()
        {
            @Override
            public void onFloodListChanged(final int vni, final RemoteVtep[] floodList)
            {
                heard.add(vni + " " + Arrays.stream(floodList).map(v -> v.address().toString()).toList());
            }
        });

        fdb.setFloodList(100, new RemoteVtep[] {a});
        fdb.addToFloodList(100, b);   // an EVPN type-3 route
        fdb.addToFloodList(100, b);   // again: no change, nothing told
        fdb.removeFromFloodList(100, a);
        fdb.removeFromFloodList(100, a); // not there: nothing told

        assertEquals(List.of("100 [192.0.2.2]", "100 [192.0.2.2, 192.0.2.3]", "100 [192.0.2.3]"), heard);
    }
}
