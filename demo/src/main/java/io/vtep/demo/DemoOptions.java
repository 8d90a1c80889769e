package io.vtep.demo;

import java.util.List;

/**
 * The options of {@code bin/vtep demo}, parsed and checked before anything is changed.
 *
 * @param vlan      also VNI 200, on 802.1Q VLAN 10 of the same access port
 * @param ipv6      an IPv6 underlay instead of IPv4
 * @param multicast BUM through a multicast group instead of flood lists
 * @param evpn      BGP EVPN with FRR instead of flood lists and data-plane learning
 * @param keep      leave the topology running
 * @param down      remove kept topologies, then exit
 * @param help      print the usage, then exit
 * @param given     the options as typed, for messages ("sudo bin/vtep demo --vlan")
 */
public record DemoOptions(boolean vlan, boolean ipv6, boolean multicast, boolean evpn, boolean keep, boolean down,
    boolean help, List<String> given)
{
    /** An option the demo does not take, or a combination it refuses; exit code 2. */
    public static final class Refused extends Exception
    {
        private static final long serialVersionUID = 1L;

        Refused(final String message)
        {
            super(message);
        }
    }

    public static final String USAGE = """
        usage: bin/vtep demo [OPTIONS]

        Builds a small topology of network namespaces (two bare-metal hosts, vtep and a Linux kernel VTEP
        on an underlay link), runs vtep, shows ARP, ping, a TCP transfer, both FDBs and the per-VNI
        counters, then removes everything. Needs root. Takes about 20 seconds (the first run on a fresh
        clone also builds vtep, a few minutes).

          --vlan        also VNI 200, carried on 802.1Q VLAN 10 of the same access port (tagged frames built with scapy)
          --ipv6        IPv6 underlay (2001:db8::1 and 2001:db8::2) instead of IPv4
          --multicast   broadcast/unknown/multicast through group 239.1.1.100 (ff05::100 with --ipv6) instead of flood lists
          --evpn        BGP EVPN instead of flood lists: FRR (zebra + bgpd, Debian's frr) drives the kernel VTEP,
                        vtep and FRR exchange MAC (type 2) and flood (type 3) routes; shows both sides' sessions
                        and routes. Not with --vlan, --ipv6 or --multicast
          --keep        leave the topology running and print commands to poke at it
          --down        remove a topology left by --keep (and stop its vtep and FRR), then exit
          -h, --help    this text

        Options combine: bin/vtep demo --vlan --ipv6 --keep, bin/vtep demo --evpn --keep
        """;

    /** Parses {@code args}; throws {@link Refused} with the whole message for an unknown option or a refused combination. */
    public static DemoOptions parse(final String... args) throws Refused
    {
        boolean vlan = false;
        boolean ipv6 = false;
        boolean multicast = false;
        boolean evpn = false;
        boolean keep = false;
        boolean down = false;
        for (final String arg : args)
        {
            switch (arg)
            {
                case "--vlan" -> vlan = true;
                case "--ipv6" -> ipv6 = true;
                case "--multicast" -> multicast = true;
                case "--evpn" -> evpn = true;
                case "--keep" -> keep = true;
                case "--down" -> down = true;
                case "-h", "--help" ->
                {
                    return new DemoOptions(false, false, false, false, false, false, true, List.of(args));
                }
                default -> throw new Refused("vtep demo: unknown option " + arg + "\n\n" + USAGE);
            }
        }
        if (evpn && !down)
        {
            final List<String> unsupported = new java.util.ArrayList<>();
            if (vlan)
            {
                unsupported.add("--vlan");
            }
            if (ipv6)
            {
                unsupported.add("--ipv6");
            }
            if (multicast)
            {
                unsupported.add("--multicast");
            }
            if (!unsupported.isEmpty())
            {
                // The EVPN topology is FRR's own VTEP: one VNI, untagged, IPv4, ingress replication.
                throw new Refused("vtep demo: --evpn does not combine with " + String.join(" ", unsupported) + "; nothing was changed.\n" +
                    "  The EVPN demo has one VNI, untagged, on an IPv4 underlay, and floods by ingress replication\n" +
                    "  (type-3 routes). Run bin/vtep demo --evpn [--keep], or drop --evpn.");
            }
        }
        return new DemoOptions(vlan, ipv6, multicast, evpn, keep, down, false, List.of(args));
    }
}
