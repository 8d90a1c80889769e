package io.vtep.it;

/** The vtep configuration most topology tests start from, written once. */
final class VtepConfigs
{
    private VtepConfigs()
    {
    }

    /**
     * acc1 untagged into one VNI.
     *
     * @param vniKeys more keys of the VNI (one line, or empty), e.g. {@code learning: evpn}.
     * @param extra   more top-level sections (YAML at column 0, or empty), e.g. {@code bgp:}.
     */
    static String oneAccessPort(final String localIp, final int vni, final String vniKeys, final String extra)
    {
        return oneAccessPort(localIp, vni, "", vniKeys, extra);
    }

    /** @param portKeys more keys of acc1 (one line, or empty), e.g. {@code lacp: { mode: active }}. */
    static String oneAccessPort(final String localIp, final int vni, final String portKeys, final String vniKeys,
        final String extra)
    {
        return """
            vtep:
              local-ip: %s
            ports:
              - name: acc1
                vlans: { untagged: %d }
                %s
            vnis:
              - vni: %d
                %s
            %s
            """.formatted(localIp, vni, portKeys, vni, vniKeys, extra);
    }
}
