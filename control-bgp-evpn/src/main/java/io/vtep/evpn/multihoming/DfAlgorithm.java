package io.vtep.evpn.multihoming;

import io.vtep.evpn.codec.attr.ExtendedCommunity;

/** How the designated forwarder of an Ethernet segment and VNI is chosen among the segment's VTEPs. */
public enum DfAlgorithm
{
    /** RFC 7432 §8.5 service carving: VNI modulo the number of VTEPs, over their addresses in order. */
    MODULO("modulo", ExtendedCommunity.DfElection.ALGORITHM_MODULO),
    /** RFC 8584 §4: the highest preference wins, the lowest address among equals. */
    PREFERENCE("preference", ExtendedCommunity.DfElection.ALGORITHM_PREFERENCE);

    private final String configName;
    private final int code;

    DfAlgorithm(final String configName, final int code)
    {
        this.configName = configName;
        this.code = code;
    }

    /** @return the configuration's and the API's spelling. */
    public String configName()
    {
        return configName;
    }

    /** @return the DF Alg field of the DF Election community (RFC 8584 §2.2). */
    public int code()
    {
        return code;
    }

    /**
     * @param name {@code modulo} or {@code preference}.
     * @return the algorithm, or null for any other name.
     */
    public static DfAlgorithm fromConfigName(final String name)
    {
        for (final DfAlgorithm algorithm : values())
        {
            if (algorithm.configName.equals(name))
            {
                return algorithm;
            }
        }
        return null;
    }
}
