package io.vtep.fdb;

import java.util.ArrayList;
import java.util.List;

import io.vtep.encap.MacAddress;

/**
 * Writes each event as one readable line.
 */
final class RecordingListener implements FdbListener
{
    final List<String> events = new ArrayList<>();

    @Override
    public void onEntryAdded(final int vni, final long mac, final long entry)
    {
        events.add("added " + vni + " " + MacAddress.format(mac) + " " + FdbEntry.toString(entry));
    }

    @Override
    public void onEntryChanged(final int vni, final long mac, final long oldEntry, final long newEntry)
    {
        events.add("changed " + vni + " " + MacAddress.format(mac) + " " + FdbEntry.toString(oldEntry) + " -> " +
            FdbEntry.toString(newEntry));
    }

    @Override
    public void onEntryRemoved(final int vni, final long mac, final long oldEntry)
    {
        events.add("removed " + vni + " " + MacAddress.format(mac) + " " + FdbEntry.toString(oldEntry));
    }

    List<String> take()
    {
        final List<String> taken = List.copyOf(events);
        events.clear();
        return taken;
    }
}
