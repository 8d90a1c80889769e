package io.vtep.it;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vtep.topology.Netns;

/**
 * The kernel's own drop counters on the hops of a path through the test's namespaces, read before
 * and after traffic, so that a test can say where every packet it lost went, outside vtep.
 *
 * <p>Two kinds of hop. A device's {@code tx_drop} or {@code rx_drop} in {@code /proc/net/dev}: a
 * veth counts a frame its peer's backlog had no room for as a {@code tx_drop} of the sending end,
 * a VXLAN device what it could not decapsulate or encapsulate. (A receiving end's {@code rx_drop}
 * is no use on a host: it also counts every frame of a protocol nobody handles, such as the
 * soak's churn frames.) And a namespace's IP or UDP counter from {@code /proc/net/snmp}
 * ({@code Udp RcvbufErrors}: a receiving socket's buffer was full; {@code Udp SndbufErrors}: a
 * sender's; {@code Ip InHdrErrors}: a damaged header). Both files are per namespace.
 */
final class HopCounters
{
    /** Where a packet of one direction can be dropped outside vtep. */
    sealed interface Hop permits Device, Snmp
    {
        Netns netns();

        String name();

        long read(Map<Netns, Map<String, Long>> counters);
    }

    /** {@code counter} ({@code tx_drop}, {@code rx_drop} or {@code rx_errs}) of {@code device} in {@code netns}. */
    record Device(Netns netns, String device, String counter) implements Hop
    {
        @Override
        public String name()
        {
            return netns.role() + ":" + device + "." + counter;
        }

        @Override
        public long read(final Map<Netns, Map<String, Long>> counters)
        {
            return counters.get(netns).getOrDefault(device + "." + counter, 0L);
        }
    }

    /**
     * A counter of {@code /proc/net/snmp} in {@code netns}, named {@code Group.Name}:
     * {@code Udp.RcvbufErrors}, {@code Ip.InHdrErrors}.
     */
    record Snmp(Netns netns, String counter) implements Hop
    {
        @Override
        public String name()
        {
            return netns.role() + ":" + counter.replace(".", "");
        }

        @Override
        public long read(final Map<Netns, Map<String, Long>> counters)
        {
            return counters.get(netns).getOrDefault(counter, 0L);
        }
    }

    private final List<Hop> hops;
    private final List<Netns> namespaces;
    private Map<Netns, Map<String, Long>> before;

    HopCounters(final List<Hop> hops)
    {
        this.hops = List.copyOf(hops);
        final List<Netns> seen = new ArrayList<>();
        for (final Hop hop : hops)
        {
            if (!seen.contains(hop.netns()))
            {
                seen.add(hop.netns());
            }
        }
        this.namespaces = List.copyOf(seen);
    }

    /** Reads every counter: the start. */
    HopCounters start()
    {
        before = readAll();
        return this;
    }

    /** Drops per hop since {@link #start()}, in the order of the hops. */
    Map<String, Long> since()
    {
        final Map<Netns, Map<String, Long>> after = readAll();
        final Map<String, Long> drops = new LinkedHashMap<>();
        for (final Hop hop : hops)
        {
            drops.put(hop.name(), hop.read(after) - hop.read(before));
        }
        return drops;
    }

    static long sum(final Map<String, Long> drops)
    {
        return drops.values().stream().mapToLong(Long::longValue).sum();
    }

    private Map<Netns, Map<String, Long>> readAll()
    {
        final Map<Netns, Map<String, Long>> all = new LinkedHashMap<>();
        for (final Netns ns : namespaces)
        {
            all.put(ns, parse(ns.execOk("cat", "/proc/net/dev", "/proc/net/snmp").stdout()));
        }
        return all;
    }

    /** {@code dev.rx_errs}, {@code dev.rx_drop}, {@code dev.tx_drop} from /proc/net/dev and {@code Ip.Name}, {@code Udp.Name} from /proc/net/snmp. */
    static Map<String, Long> parse(final String text)
    {
        final Map<String, Long> values = new LinkedHashMap<>();
        final Map<String, String[]> snmpNames = new HashMap<>(); // group -> its header line's names
        for (final String line : text.split("\n"))
        {
            final int colon = line.indexOf(':');
            if (colon < 0)
            {
                continue;
            }
            final String head = line.substring(0, colon).trim();
            final String[] fields = line.substring(colon + 1).trim().split("\\s+");
            if (head.equals("Ip") || head.equals("Udp"))
            {
                // Each group is two lines: the counters' names, then their values.
                final String[] names = snmpNames.putIfAbsent(head, fields);
                if (names != null)
                {
                    for (int i = 0; i < Math.min(names.length, fields.length); i++)
                    {
                        values.put(head + "." + names[i], Long.parseLong(fields[i]));
                    }
                }
            }
            else if (fields.length >= 16 && fields[0].chars().allMatch(Character::isDigit))
            {
                // bytes packets errs drop fifo frame compressed multicast | bytes packets errs drop ...
                values.put(head + ".rx_errs", Long.parseLong(fields[2]));
                values.put(head + ".rx_drop", Long.parseLong(fields[3]));
                values.put(head + ".tx_drop", Long.parseLong(fields[11]));
            }
        }
        return values;
    }
}
