package io.vtep.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A bgpd configuration for an EVPN VTEP or route reflector, rendered as FRR 8.4 expects it
 * ({@link #render()}). Every neighbor gets {@code timers connect 1} (FRR's first retry otherwise
 * waits up to 120 s) and is activated in {@code address-family l2vpn evpn}; IPv4 unicast is off
 * ({@code no bgp default ipv4-unicast}) so sessions carry EVPN only, and
 * {@code no bgp ebgp-requires-policy} lets eBGP sessions exchange routes without route maps
 * (FRR 8.4 otherwise shows the session as "(Policy)" and neither sends nor accepts anything).
 *
 * <pre>{@code
 * FrrConfig vtep = FrrConfig.asn(65000).routerId("192.0.2.1")
 *         .neighbor(FrrConfig.neighbor("192.0.2.254").remoteAs(65000).timers(3, 9));
 * FrrConfig rr = FrrConfig.asn(65000).routerId("192.0.2.254").advertiseAllVni(false)
 *         .neighbor(FrrConfig.neighbor("192.0.2.1").remoteAs(65000).routeReflectorClient())
 *         .neighbor(FrrConfig.neighbor("192.0.2.2").remoteAs(65000).routeReflectorClient());
 * }</pre>
 *
 * <p>With {@code advertise-all-vni} (on unless switched off) zebra hands bgpd every VXLAN device
 * that is up and enslaved to a bridge; FRR derives RT {@code ASN:VNI} and RD
 * {@code router-id:index} itself.
 */
public final class FrrConfig
{

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final long asn;
    private String routerId;
    private String hostname;
    private boolean advertiseAllVni = true;
    private boolean ebgpRequiresPolicy;
    private final List<Neighbor> neighbors = new ArrayList<>();
    private final List<String> extraRouterLines = new ArrayList<>();
    private final List<String> extraEvpnLines = new ArrayList<>();
    private final List<String> extraTopLines = new ArrayList<>();

    private FrrConfig(long asn)
    {
        if (asn < 1 || asn > 0xFFFF_FFFFL)
        {
            throw new IllegalArgumentException("ASN out of 1..4294967295: " + asn);
        }
        this.asn = asn;
    }

    /** A configuration for {@code router bgp ASN}. */
    public static FrrConfig asn(long asn)
    {
        return new FrrConfig(asn);
    }

    /** A neighbor to add with {@link #neighbor(Neighbor)}. */
    public static Neighbor neighbor(String address)
    {
        return new Neighbor(address);
    }

    public long asn()
    {
        return asn;
    }

    /** The BGP identifier; FRR picks one from the interfaces otherwise. Set it: the RD is derived from it. */
    public FrrConfig routerId(String routerId)
    {
        if (!IPV4.matcher(routerId).matches())
        {
            throw new IllegalArgumentException("router-id must be a dotted quad: '" + routerId + "'");
        }
        this.routerId = routerId;
        return this;
    }

    public String routerId()
    {
        return routerId;
    }

    /** The hostname FRR announces (hostname capability) and shows; {@link FrrRouter} sets the namespace role unless given. */
    public FrrConfig hostname(String hostname)
    {
        this.hostname = hostname;
        return this;
    }

    public String hostname()
    {
        return hostname;
    }

    /** {@code advertise-all-vni} in the EVPN address family (default on; a route reflector without VNIs needs none). */
    public FrrConfig advertiseAllVni(boolean on)
    {
        this.advertiseAllVni = on;
        return this;
    }

    /** FRR 8.4's default {@code bgp ebgp-requires-policy}; off here unless switched on. */
    public FrrConfig ebgpRequiresPolicy(boolean on)
    {
        this.ebgpRequiresPolicy = on;
        return this;
    }

    public FrrConfig neighbor(Neighbor neighbor)
    {
        if (neighbors.stream().anyMatch(n -> n.address.equals(neighbor.address)))
        {
            throw new IllegalArgumentException("neighbor " + neighbor.address + " configured twice");
        }
        neighbors.add(neighbor);
        return this;
    }

    /** Shorthand for {@code neighbor(neighbor(address).remoteAs(remoteAs))}. */
    public FrrConfig neighbor(String address, long remoteAs)
    {
        return neighbor(neighbor(address).remoteAs(remoteAs));
    }

    public List<Neighbor> neighbors()
    {
        return List.copyOf(neighbors);
    }

    /** Extra lines under {@code router bgp}, after the neighbors ("bgp cluster-id 1.1.1.1"). */
    public FrrConfig routerLines(String... lines)
    {
        extraRouterLines.addAll(List.of(lines));
        return this;
    }

    /** Extra lines in {@code address-family l2vpn evpn} ("advertise-default-gw", "vni 100", ...). */
    public FrrConfig evpnLines(String... lines)
    {
        extraEvpnLines.addAll(List.of(lines));
        return this;
    }

    /** Extra top-level lines before {@code router bgp} ("debug bgp updates", "log stdout debugging"). */
    public FrrConfig topLines(String... lines)
    {
        extraTopLines.addAll(List.of(lines));
        return this;
    }

    /** The bgpd.conf text. */
    public String render()
    {
        List<String> out = new ArrayList<>();
        if (hostname != null)
        {
            out.add("hostname " + hostname);
        }
        out.addAll(extraTopLines);
        out.add("router bgp " + asn);
        if (routerId != null)
        {
            out.add(" bgp router-id " + routerId);
        }
        out.add(" no bgp default ipv4-unicast");
        out.add(ebgpRequiresPolicy ? " bgp ebgp-requires-policy" : " no bgp ebgp-requires-policy");
        for (Neighbor n : neighbors)
        {
            n.renderSession(out);
        }
        extraRouterLines.forEach(l -> out.add(" " + l));
        out.add(" address-family l2vpn evpn");
        for (Neighbor n : neighbors)
        {
            n.renderEvpn(out);
        }
        if (advertiseAllVni)
        {
            out.add("  advertise-all-vni");
        }
        extraEvpnLines.forEach(l -> out.add("  " + l));
        out.add(" exit-address-family");
        out.add("exit");
        return String.join("\n", out) + "\n";
    }

    @Override
    public String toString()
    {
        return render();
    }

    /** One BGP neighbor: session options and its EVPN activation. */
    public static final class Neighbor
    {
        private final String address;
        private Long remoteAs;
        private String remoteAsKeyword;
        private int connectRetrySeconds = 1;
        private int keepaliveSeconds = -1;
        private int holdSeconds = -1;
        private boolean passive;
        private String updateSource;
        private boolean routeReflectorClient;
        private boolean activate = true;
        private String description;
        private final List<String> extraLines = new ArrayList<>();

        private Neighbor(String address)
        {
            this.address = Objects.requireNonNull(address);
        }

        public String address()
        {
            return address;
        }

        /** {@code neighbor X remote-as N}. */
        public Neighbor remoteAs(long asn)
        {
            this.remoteAs = asn;
            this.remoteAsKeyword = null;
            return this;
        }

        /** {@code remote-as internal} or {@code external}. */
        public Neighbor remoteAs(String internalOrExternal)
        {
            if (!internalOrExternal.equals("internal") && !internalOrExternal.equals("external"))
            {
                throw new IllegalArgumentException("remote-as keyword must be internal or external: " + internalOrExternal);
            }
            this.remoteAsKeyword = internalOrExternal;
            this.remoteAs = null;
            return this;
        }

        /** {@code timers connect N}; 1 unless set (FRR's default 120 s makes a first refused connect wait two minutes). */
        public Neighbor connectRetry(int seconds)
        {
            this.connectRetrySeconds = seconds;
            return this;
        }

        /** {@code timers KEEPALIVE HOLD}: fast failure detection in fault tests ({@code timers(3, 9)}). */
        public Neighbor timers(int keepaliveSeconds, int holdSeconds)
        {
            this.keepaliveSeconds = keepaliveSeconds;
            this.holdSeconds = holdSeconds;
            return this;
        }

        /** {@code timers 3 9}: the session drops 9 s after the peer goes silent. */
        public Neighbor fastTimers()
        {
            return timers(3, 9);
        }

        /** {@code neighbor X passive}: never connect, only accept. */
        public Neighbor passive()
        {
            this.passive = true;
            return this;
        }

        /** {@code neighbor X update-source IF-OR-ADDRESS}. */
        public Neighbor updateSource(String interfaceOrAddress)
        {
            this.updateSource = interfaceOrAddress;
            return this;
        }

        /** {@code neighbor X route-reflector-client} in the EVPN address family (makes this router the reflector). */
        public Neighbor routeReflectorClient()
        {
            this.routeReflectorClient = true;
            return this;
        }

        /** Leave the neighbor out of {@code address-family l2vpn evpn} (no {@code activate}); it is activated unless set. */
        public Neighbor notActivated()
        {
            this.activate = false;
            return this;
        }

        public Neighbor description(String description)
        {
            this.description = description;
            return this;
        }

        /** Extra {@code neighbor X ...} session lines, given without the "neighbor X" ("ebgp-multihop 2"). */
        public Neighbor lines(String... lines)
        {
            extraLines.addAll(List.of(lines));
            return this;
        }

        private void renderSession(List<String> out)
        {
            String p = " neighbor " + address + " ";
            if (remoteAs == null && remoteAsKeyword == null)
            {
                throw new IllegalStateException("neighbor " + address + " needs a remote-as");
            }
            out.add(p + "remote-as " + (remoteAs != null ? remoteAs.toString() : remoteAsKeyword));
            if (description != null)
            {
                out.add(p + "description " + description);
            }
            out.add(p + "timers connect " + connectRetrySeconds);
            if (holdSeconds >= 0)
            {
                out.add(p + "timers " + keepaliveSeconds + " " + holdSeconds);
            }
            if (passive)
            {
                out.add(p + "passive");
            }
            if (updateSource != null)
            {
                out.add(p + "update-source " + updateSource);
            }
            extraLines.forEach(l -> out.add(p + l));
        }

        private void renderEvpn(List<String> out)
        {
            if (!activate)
            {
                return;
            }
            out.add("  neighbor " + address + " activate");
            if (routeReflectorClient)
            {
                out.add("  neighbor " + address + " route-reflector-client");
            }
        }
    }
}
