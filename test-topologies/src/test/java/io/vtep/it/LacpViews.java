package io.vtep.it;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vtep.core.api.ApiClient;
import io.vtep.core.nativeio.NetworkNamespace;
import io.vtep.topology.Netns;

/** What the LACP tests read: a member's block and its fields in {@code ovs-appctl lacp/show BOND}, and a gateway's LACP in its API. */
final class LacpViews
{
    private LacpViews()
    {
    }

    /** The lines of one member's block, from "member: NAME:" to the next member; empty when absent. */
    static String member(final String show, final String name)
    {
        final int start = show.indexOf("member: " + name + ":");
        if (start < 0)
        {
            return "";
        }
        final int next = show.indexOf("member: ", start + 1);
        return show.substring(start, next < 0 ? show.length() : next);
    }

    /** A member the bond uses: LACP current and attached, and its partner (vtep) collecting and distributing. */
    static boolean enabled(final String member)
    {
        return member.contains("current attached") && "true".equals(field(member, "may_enable")) &&
            field(member, "partner state").contains("collecting distributing");
    }

    /** The value of {@code NAME: value} on its own line (the first such line). */
    static String field(final String text, final String name)
    {
        final Matcher matcher = Pattern.compile("(?m)^\\s*" + Pattern.quote(name) + ":\\s*(.*)$").matcher(text);
        return matcher.find() ? matcher.group(1).strip() : "";
    }

    /** The {@code lacp} object of the gateway's first port in {@code GET /api/v1/ports}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> lacp(final Netns gateway)
    {
        try
        {
            final Map<String, Object> ports = NetworkNamespace.call(gateway.name(),
                () -> new ApiClient(ApiClient.DEFAULT_API).getJson("/api/v1/ports"));
            final Map<String, Object> port = ((List<Map<String, Object>>)ports.get("ports")).get(0);
            return (Map<String, Object>)port.get("lacp");
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("GET /api/v1/ports in " + gateway.name() + ": " + ex.getMessage(), ex);
        }
    }
}
