package io.vtep.evpn.controlplane;

import io.vtep.evpn.rib.AdjRibIn;
import io.vtep.evpn.rib.AdjRibOut;
import io.vtep.evpn.session.BgpPeer;

/** A neighbor's two RIBs (RFC 4271 §3.2) and its maximum-prefix bookkeeping; owned by the control thread. */
final class PeerRib
{
    final AdjRibIn in = new AdjRibIn();
    final AdjRibOut out = new AdjRibOut();
    boolean synced;
    /** The maximum-prefix warning was logged for this session. */
    boolean prefixWarningLogged;
    /** Over the maximum-prefix limit: the session is being closed, its further UPDATEs are ignored. */
    boolean overLimit;
    /** Warning-only and over the limit: said once per session. */
    boolean limitWarningLogged;
    /** {@link BgpPeer#sessionsEnded} as of the last time this RIB was emptied for a session going down. */
    long downsApplied;

    void sessionReset()
    {
        prefixWarningLogged = false;
        limitWarningLogged = false;
        overLimit = false;
    }
}
