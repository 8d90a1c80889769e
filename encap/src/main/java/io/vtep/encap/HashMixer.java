package io.vtep.encap;

/**
 * The one 64-bit finaliser the project hashes with: the flow hash (source port, pipeline
 * choice), the MAC table and the remote VTEP table all need keys whose every bit moves every
 * output bit, since vendor MACs share their upper 24 bits and VTEP addresses share a prefix.
 */
public final class HashMixer
{
    private HashMixer()
    {
    }

    /**
     * MurmurHash3's {@code fmix64}: a bijection in which every input bit affects every output bit,
     * so the high bits (used by reciprocal scaling) are as good as the low ones (used by masks).
     *
     * @param value the key.
     * @return the mixed key.
     */
    public static long fmix64(final long value)
    {
        long x = value;
        x ^= x >>> 33;
        x *= 0xFF51_AFD7_ED55_8CCDL;
        x ^= x >>> 33;
        x *= 0xC4CE_B9FE_1A85_EC53L;
        x ^= x >>> 33;
        return x;
    }
}
