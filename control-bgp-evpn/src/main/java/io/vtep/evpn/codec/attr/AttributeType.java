package io.vtep.evpn.codec.attr;

import io.vtep.evpn.codec.ErrorAction;

/**
 * Path attribute type codes this codec knows, their required flags, and what RFC 7606 says to do
 * when one is malformed. This class is the policy table of the README; keep them in step.
 */
public final class AttributeType
{
    public static final int ORIGIN = 1;
    public static final int AS_PATH = 2;
    public static final int NEXT_HOP = 3;
    public static final int MULTI_EXIT_DISC = 4;
    public static final int LOCAL_PREF = 5;
    public static final int ATOMIC_AGGREGATE = 6;
    public static final int AGGREGATOR = 7;
    public static final int COMMUNITIES = 8;
    public static final int ORIGINATOR_ID = 9;
    public static final int CLUSTER_LIST = 10;
    public static final int MP_REACH_NLRI = 14;
    public static final int MP_UNREACH_NLRI = 15;
    public static final int EXTENDED_COMMUNITIES = 16;
    public static final int AS4_PATH = 17;
    public static final int AS4_AGGREGATOR = 18;
    public static final int PMSI_TUNNEL = 22;

    private AttributeType()
    {
    }

    /**
     * @param type a type code.
     * @return whether this codec decodes the attribute into fields.
     */
    public static boolean isKnown(final int type)
    {
        return requiredFlags(type) >= 0;
    }

    /**
     * The Optional and Transitive bits RFC 4271 §5 and each attribute's RFC require.
     *
     * @param type a type code.
     * @return {@link AttributeFlags#WELL_KNOWN}, {@link AttributeFlags#OPTIONAL_TRANSITIVE},
     *     {@link AttributeFlags#OPTIONAL_NON_TRANSITIVE}, or -1 for a type this codec does not know.
     */
    public static int requiredFlags(final int type)
    {
        return switch (type)
        {
            case ORIGIN, AS_PATH, NEXT_HOP, LOCAL_PREF, ATOMIC_AGGREGATE -> AttributeFlags.WELL_KNOWN;
            case MULTI_EXIT_DISC, ORIGINATOR_ID, CLUSTER_LIST, MP_REACH_NLRI, MP_UNREACH_NLRI ->
                AttributeFlags.OPTIONAL_NON_TRANSITIVE;
            case AGGREGATOR, COMMUNITIES, EXTENDED_COMMUNITIES, AS4_PATH, AS4_AGGREGATOR, PMSI_TUNNEL ->
                AttributeFlags.OPTIONAL_TRANSITIVE;
            default -> -1;
        };
    }

    /**
     * Whether the flags octet contradicts what the type requires (RFC 4271 §4.3, §5): the
     * Optional or Transitive bit differs, or the Partial bit is set on a well-known or optional
     * non-transitive attribute. Extended Length and the unused bits never matter.
     *
     * @param type  a known type code.
     * @param flags the flags octet received.
     * @return a description of the conflict, or {@code null} when the flags are right.
     */
    public static String flagsConflict(final int type, final int flags)
    {
        final int required = requiredFlags(type);
        if (required < 0)
        {
            return null;
        }
        final int optionalTransitive = flags & AttributeFlags.OPTIONAL_TRANSITIVE;
        if (optionalTransitive != required)
        {
            return name(type) + " flags " + AttributeFlags.describe(flags) + ", must be " +
                AttributeFlags.describe(required);
        }
        if ((flags & AttributeFlags.PARTIAL) != 0 && required != AttributeFlags.OPTIONAL_TRANSITIVE)
        {
            return name(type) + " flags " + AttributeFlags.describe(flags) +
                ": only optional transitive attributes may be Partial";
        }
        return null;
    }

    /**
     * What to do with an UPDATE whose attribute of this type is malformed (RFC 7606 §7 for the
     * base attributes; RFC 6793 §6 for AS4_PATH and AS4_AGGREGATOR; PMSI_TUNNEL has no rule of its
     * own, and RFC 7606 §8 prefers treat-as-withdraw for an attribute that decides where traffic
     * goes).
     *
     * @param type a type code.
     * @return the action.
     */
    public static ErrorAction malformedAction(final int type)
    {
        return switch (type)
        {
            // RFC 7606 §7.1-7.5, 7.8-7.10, 7.14.
            case ORIGIN, AS_PATH, NEXT_HOP, MULTI_EXIT_DISC, LOCAL_PREF, COMMUNITIES, ORIGINATOR_ID, CLUSTER_LIST,
                EXTENDED_COMMUNITIES, PMSI_TUNNEL -> ErrorAction.TREAT_AS_WITHDRAW;
            // RFC 7606 §7.6, 7.7; RFC 6793 §6.
            case ATOMIC_AGGREGATE, AGGREGATOR, AS4_PATH, AS4_AGGREGATOR -> ErrorAction.ATTRIBUTE_DISCARD;
            // RFC 7606 §7.11 / RFC 4760 §7: the NLRI cannot be located reliably ("AFI/SAFI disable"
            // would do as well; vtep has one AFI/SAFI, so it is a reset).
            case MP_REACH_NLRI, MP_UNREACH_NLRI -> ErrorAction.SESSION_RESET;
            // An unknown optional attribute is never parsed, so never malformed.
            default -> ErrorAction.NONE;
        };
    }

    /**
     * @param type a type code.
     * @return its IANA name, or "type N".
     */
    public static String name(final int type)
    {
        return switch (type)
        {
            case ORIGIN -> "ORIGIN";
            case AS_PATH -> "AS_PATH";
            case NEXT_HOP -> "NEXT_HOP";
            case MULTI_EXIT_DISC -> "MULTI_EXIT_DISC";
            case LOCAL_PREF -> "LOCAL_PREF";
            case ATOMIC_AGGREGATE -> "ATOMIC_AGGREGATE";
            case AGGREGATOR -> "AGGREGATOR";
            case COMMUNITIES -> "COMMUNITIES";
            case ORIGINATOR_ID -> "ORIGINATOR_ID";
            case CLUSTER_LIST -> "CLUSTER_LIST";
            case MP_REACH_NLRI -> "MP_REACH_NLRI";
            case MP_UNREACH_NLRI -> "MP_UNREACH_NLRI";
            case EXTENDED_COMMUNITIES -> "EXTENDED_COMMUNITIES";
            case AS4_PATH -> "AS4_PATH";
            case AS4_AGGREGATOR -> "AS4_AGGREGATOR";
            case PMSI_TUNNEL -> "PMSI_TUNNEL";
            case 20 -> "CONNECTOR";
            case 21 -> "AS_PATHLIMIT";
            case 23 -> "TUNNEL_ENCAPSULATION";
            case 25 -> "IPV6_EXTENDED_COMMUNITIES";
            case 26 -> "AIGP";
            case 32 -> "LARGE_COMMUNITY";
            case 35 -> "OTC";
            case 40 -> "PREFIX_SID";
            case 128 -> "ATTR_SET";
            default -> "type " + type;
        };
    }
}
