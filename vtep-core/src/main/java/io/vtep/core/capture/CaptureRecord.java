package io.vtep.core.capture;

/**
 * The layout of one captured frame in a capture's ring ({@link CaptureSession}): a fixed header
 * that says where the frame came from and where the VNI sent it, then the frame's first
 * {@code snaplen} bytes. Written by the forwarding threads, read by the API thread, which turns it
 * into a pcapng Enhanced Packet Block ({@link PcapngWriter}).
 */
final class CaptureRecord
{
    /** The one message type in a capture ring. */
    static final int MESSAGE_TYPE = 1;

    /** long: the forwarding thread's batch time (the FDB's nano clock). */
    static final int TIME_OFFSET = 0;
    /** int: the frame's length as it was in the VNI (the pcapng original length). */
    static final int ORIGINAL_LENGTH_OFFSET = 8;
    /** int: {@link #FROM_ACCESS} or {@link #FROM_OVERLAY}. */
    static final int ORIGIN_OFFSET = 12;
    /** int: the attachment the frame came in on (from an access port), else -1. */
    static final int FROM_ATTACHMENT_OFFSET = 16;
    /** int: an attachment id, or {@link #TO_FLOOD}, {@link #TO_VTEP}, {@link #TO_SPLIT_HORIZON}. */
    static final int TO_OFFSET = 20;
    /** int: 4 or 6, the family of the remote VTEP address that follows; 0 when there is none. */
    static final int VTEP_FAMILY_OFFSET = 24;
    /** 4 or 16 bytes in network order: the VTEP the frame came from (overlay) or goes to (access). */
    static final int VTEP_ADDRESS_OFFSET = 28;
    static final int HEADER_LENGTH = 48;

    static final int FROM_ACCESS = 1;
    static final int FROM_OVERLAY = 2;

    /** Broadcast, multicast or unknown unicast: flooded (local members, and the overlay for access frames). */
    static final int TO_FLOOD = -1;
    /** Unicast to the remote VTEP in the record. */
    static final int TO_VTEP = -2;
    /** An overlay frame for a MAC behind another VTEP: dropped, never sent back into the overlay (RFC 7348 §4.2). */
    static final int TO_SPLIT_HORIZON = -3;

    private CaptureRecord()
    {
    }
}
