package io.vtep.core.api;

/**
 * A document written a piece at a time, so that a large one (the FDB of a million MACs) never has to
 * be in memory whole. {@link ApiServer} sends the pieces as HTTP/1.1 chunks (RFC 9112 §7.1), asking
 * for the next one only when the connection can take more (backpressure from the client's reading).
 */
public interface StreamedDocument
{
    /** A piece is at least this many characters unless it is the last (fewer chunks, less framing). */
    int PIECE_CHARS = 32 * 1024;

    /**
     * Appends the next piece of the document to {@code out}.
     *
     * @return true while more is to come; false after the last piece
     */
    boolean next(StringBuilder out);

    /** Writes the whole document into one string: for small documents and tests. */
    static String toText(final StreamedDocument document)
    {
        final StringBuilder out = new StringBuilder();
        while (document.next(out))
        {
            // every piece appended
        }
        return out.toString();
    }
}
