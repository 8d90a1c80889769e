package io.vtep.core.api;

import io.vtep.encap.MacAddress;

/**
 * A page of {@code GET /api/v1/fdb?limit=N[&after=VNI/MAC]}: the {@code limit} entries that follow
 * (VNI, MAC) in the document's order. The cursor is the last entry of the previous page, as its
 * {@code "next"} field gives it, so a page is found again after entries came or went in between.
 *
 * @param afterVni 0 for the first page
 * @param afterMac -1 for the first page
 * @param limit    entries in the page, 1..{@value #MAX_LIMIT}
 */
record FdbCursor(int afterVni, long afterMac, int limit)
{
    /** A page is held whole while it is written; this bounds it (about 40 bytes a row, and a key holds a row number in 16 bits). */
    static final int MAX_LIMIT = FdbPager.MAX_CAPACITY;

    /** {@code VNI/MAC}, such as {@code 100/02:00:00:00:00:0b}. */
    static String format(final int vni, final long mac)
    {
        return vni + "/" + MacAddress.format(mac);
    }

    /**
     * @param limitText the {@code limit} parameter
     * @param afterText the {@code after} parameter, or null for the first page
     * @throws ApiRouter.BadRequest saying what is wrong
     */
    static FdbCursor parse(final String limitText, final String afterText)
    {
        if (limitText.isEmpty() || limitText.length() > 7 || !limitText.chars().allMatch(c -> c >= '0' && c <= '9') ||
            Integer.parseInt(limitText) < 1 || Integer.parseInt(limitText) > MAX_LIMIT)
        {
            throw new ApiRouter.BadRequest("limit must be a number 1.." + MAX_LIMIT + ", not '" + limitText + "'");
        }
        final int limit = Integer.parseInt(limitText);
        if (afterText == null)
        {
            return new FdbCursor(0, -1, limit);
        }
        final int slash = afterText.indexOf('/');
        if (slash < 0)
        {
            throw new ApiRouter.BadRequest("after must be VNI/MAC as a page's \"next\" gives it, not '" + afterText + "'");
        }
        final int vni = ApiRouter.parseVni(afterText.substring(0, slash));
        final long mac;
        try
        {
            mac = MacAddress.parse(afterText.substring(slash + 1));
        }
        catch (final RuntimeException ex)
        {
            throw new ApiRouter.BadRequest("after must be VNI/MAC as a page's \"next\" gives it, not '" + afterText + "'");
        }
        return new FdbCursor(vni, mac, limit);
    }
}
