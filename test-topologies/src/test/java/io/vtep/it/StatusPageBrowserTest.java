package io.vtep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.vtep.topology.Chromium;
import io.vtep.topology.ManagedProcess;
import io.vtep.topology.PingResult;
import io.vtep.topology.Requirements;
import io.vtep.topology.VtepProcess;
import io.vtep.topology.Wait;

/**
 * The web status page ({@code GET /}) as an operator's browser shows it: Debian's headless
 * Chromium, in vtep's namespace, loads it from a running {@code bin/vtep run} of the kernel-peer
 * topology while h1 pings h2 through vtep at 100 packets a second:
 *
 * <pre>
 *  h1 10.0.0.1 ─acc1─ [vtep 192.0.2.1] ─ul0── [kernel VTEP 192.0.2.2] ─ h2 10.0.0.2
 *                      └ chromium → http://127.0.0.1:9100/
 * </pre>
 *
 * The page must show VNI 100 with its rate at 0 while idle, rising with the ping flood (with
 * bytes per packet of the pinged frames: the rate is computed from the right counters) and
 * falling back to 0 when it stops; the chart fills; the FDB (130 static entries, h1 and h2) reads
 * page by page through the cursor API, every entry once and in order, and its MAC prefix search
 * finds a range within a page, a range over three pages, and h2; the remote VTEP, the port and
 * readiness are there; and Chromium reports no error (a script exception or a load the
 * Content-Security-Policy refused would be one). vtep
 * has a bgp section whose neighbor runs no BGP: the page shows the peer not Established and
 * vtep's own type-3 route. A
 * screenshot taken under traffic is saved as {@code test-topologies/target/status-page.png}.
 */
class StatusPageBrowserTest extends KernelPeerTest
{
    private static final Path SCREENSHOT = Path.of("target", "status-page.png");
    private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(30);
    /** ICMP payload of the flood: its frames are 1042 bytes (14 Ethernet + 20 IP + 8 ICMP + 1000). */
    private static final int PAYLOAD = 1000;
    /** Static FDB entries: with h1 and h2, 132 entries, three pages of 50. */
    private static final int STATIC_MACS = 130;

    @Override
    protected void requirements()
    {
        Requirements.requireTools("ping", Chromium.TOOL);
    }

    @Test
    void theStatusPageShowsTheVniWithLiveRatesTheFdbAndTheNeighbours() throws Exception
    {
        // a bgp section whose neighbor (the kernel VTEP's address) runs no BGP: the page shows the
        // peer not Established and vtep's own EVPN routes; data-plane learning goes on as before
        final VtepProcess vtep = topology.startVtep(net.vtepNs, net.vtepConfig("""
            bgp:
              asn: 65000
              neighbors:
                - { address: 192.0.2.2, remote-as: 65000, description: spine-without-bgp }
            """ + staticEntries()));
        final PingResult learn = net.h1.ping("10.0.0.2", 3);
        assertEquals(3, learn.received(), () -> learn + "\n" + vtep.output() + topology.diagnostics());

        final Chromium chromium = Chromium.start(net.vtepNs, 1360, 900);
        chromium.navigate("http://127.0.0.1:9100/");
        Wait.until(PAGE_TIMEOUT, () -> Boolean.TRUE.equals(chromium.evaluate("document.querySelector('#vnis tr[data-vni=\"100\"]') !== null")),
            "VNI 100 shown on the status page");
        assertEquals("acc1", text(chromium, "#vnis tr[data-vni=\"100\"] td:nth-child(3)"));
        assertEquals("192.0.2.2", text(chromium, "#vnis tr[data-vni=\"100\"] td:nth-child(4)"));

        // idle: the learning pings are over, so two reads in a row see the same counters
        Wait.until(PAGE_TIMEOUT, () -> rate(chromium, "rate-in-packets"), r -> r != null && r == 0.0, "VNI 100's rate at 0 while idle");

        final ManagedProcess flood = net.h1.netns().spawn("ping flood h1 -> h2",
            List.of("ping", "-n", "-q", "-i", "0.01", "-s", Integer.toString(PAYLOAD), "10.0.0.2"));
        final double busy = Wait.until(PAGE_TIMEOUT, () -> rate(chromium, "rate-in-packets"), r -> r != null && r > 50,
            "VNI 100's rate in packets/s above 50 under the ping flood (100 requests + 100 replies a second)");
        System.out.printf("status page under the flood: %.0f packets/s in%n", busy);
        // both counters of one refresh: bytes per packet is what the frames carry, whatever the timing
        final Object perPacket = chromium.evaluate("(() => { const r = document.querySelector('#vnis tr[data-vni=\"100\"]');" +
            " return Number(r.querySelector('.rate-in-bytes').dataset.value) / Number(r.querySelector('.rate-in-packets').dataset.value); })()");
        final double bytesPerPacket = ((Number)perPacket).doubleValue();
        // 1042 for the ping frames alone; a few 42-byte ARP frames in the same 2 s pull it down a
        // little, outer headers (50 bytes more) or another counter would put it far outside
        assertTrue(bytesPerPacket > 900 && bytesPerPacket <= PAYLOAD + 42,
            "in bytes/s over packets/s is the ping frames' size (1042), not " + bytesPerPacket);
        Wait.until(PAGE_TIMEOUT, () -> count(chromium, "#chart-packets", "samples") >= 8 && number(chromium, "#chart-packets", "last") > 50,
            "the VNI chart drawn with the flood's rate");

        final String h1 = net.h1.mac();
        final String h2 = net.h2.mac();
        Wait.until(PAGE_TIMEOUT, () -> number(chromium, "#vteps tr[data-vtep=\"192.0.2.2\"] td:nth-child(3)", "value") > 100,
            "the kernel VTEP 192.0.2.2 with its received packets in the remote VTEP table");
        assertEquals("up", text(chromium, "#ports tbody tr td:nth-child(2)"));
        assertEquals("ready", text(chromium, "#ready"));
        assertEquals(Boolean.FALSE, chromium.evaluate("document.getElementById('bgp').hidden"), "the BGP section with bgp:");
        assertEquals("192.0.2.2", text(chromium, "#peers tbody tr td:nth-child(1)"));
        assertEquals("spine-without-bgp", text(chromium, "#peers tbody tr td:nth-child(11)"));
        final String peerState = text(chromium, "#peers tbody tr td:nth-child(4)");
        assertTrue(List.of("Idle", "Connect", "Active").contains(peerState), "a neighbor without BGP is not Established: " + peerState);
        assertEquals("0 / 1", text(chromium, "#tile-bgp"));
        chromium.evaluate("document.getElementById('routes-box').open = true");
        Wait.until(PAGE_TIMEOUT, () -> rowTexts(chromium, "#routes tbody tr").stream()
            .anyMatch(r -> r.matches("\\*\\|type 3\\|100\\|–\\|–\\|192\\.0\\.2\\.1:\\d+\\|192\\.0\\.2\\.1\\|local\\|.*")),
            "vtep's own type-3 route for VNI 100 listed under EVPN routes");
        // the headers as the browser received them from vtep's HTTP server
        assertEquals(List.of("text/html; charset=utf-8", "no-cache", "nosniff", true),
            chromium.evaluate("fetch('/').then(r => [r.headers.get('content-type'), r.headers.get('cache-control')," +
                " r.headers.get('x-content-type-options'), r.headers.get('content-security-policy').startsWith(\"default-src 'none'\")])"));

        final Path shot = chromium.screenshot(SCREENSHOT);
        System.out.println("status page screenshot: " + shot.toAbsolutePath() + " (" + Files.size(shot) + " bytes)");

        flood.stop();
        Wait.until(PAGE_TIMEOUT, () -> rate(chromium, "rate-in-packets"), r -> r != null && r == 0.0,
            "VNI 100's rate back at 0 after the flood stopped");

        // the FDB in pages of 50 through the cursor API: every entry once, in the API's (MAC) order
        Wait.until(PAGE_TIMEOUT, () -> text(chromium, "#fdb-total"), total -> total.equals((STATIC_MACS + 2) + " entries"),
            "the FDB's total on the page");
        final List<String> all = allPages(chromium);
        assertEquals(STATIC_MACS + 2, all.size(), all::toString);
        assertEquals(all.stream().sorted().distinct().toList(), all, "each entry once, in order");
        assertTrue(all.containsAll(List.of(h1, h2, staticMac(0), staticMac(STATIC_MACS - 1))), all::toString);

        // the MAC prefix search: a range inside one page, a range over three pages, one MAC
        search(chromium, "02:00:00:00:00:4");
        Wait.until(PAGE_TIMEOUT, () -> rows(chromium), r -> r.equals(IntStream.range(0x40, 0x50).mapToObj(StatusPageBrowserTest::staticMac).toList()),
            "02:00:00:00:00:40..4f found by the prefix 02:00:00:00:00:4");
        search(chromium, "0200.0000.00");
        Wait.until(PAGE_TIMEOUT, () -> rows(chromium), r -> r.size() == 50 && r.getFirst().equals(staticMac(0)), "the first page of matches");
        assertEquals(IntStream.range(0, STATIC_MACS).mapToObj(StatusPageBrowserTest::staticMac).toList(), allPages(chromium),
            "every static MAC, page by page, and nothing else");
        // h2's MAC without its last digit finds h2 (and not h1, unless they share 44 bits)
        final String prefix = h2.substring(0, h2.length() - 1);
        search(chromium, prefix);
        Wait.until(PAGE_TIMEOUT, () -> rows(chromium).equals(List.of(h2)), "only h2 listed after searching for " + prefix);

        assertEquals(List.of(), chromium.problems(), "errors the page caused in chromium");
    }

    /** {@value #STATIC_MACS} static entries 02:00:00:00:00:00.. in VNI 100, so that the FDB has several pages. */
    private static String staticEntries()
    {
        final StringBuilder yaml = new StringBuilder("fdb:\n  static:\n");
        for (int i = 0; i < STATIC_MACS; i++)
        {
            yaml.append("    - { vni: 100, mac: \"").append(staticMac(i)).append("\", remote: 192.0.2.2 }\n");
        }
        return yaml.toString();
    }

    private static String staticMac(final int i)
    {
        return String.format("02:00:00:00:00:%02x", i);
    }

    private static void search(final Chromium chromium, final String text)
    {
        chromium.evaluate("(() => { const s = document.getElementById('fdb-search'); s.value = '" + text + "';" +
            " s.dispatchEvent(new Event('input')); return true; })()");
    }

    /** The FDB table's rows from the page shown to the last, clicking Next. */
    private static List<String> allPages(final Chromium chromium)
    {
        final List<String> all = new ArrayList<>(rows(chromium));
        while (Boolean.FALSE.equals(chromium.evaluate("document.getElementById('fdb-next').disabled")))
        {
            final String first = rows(chromium).getFirst();
            chromium.evaluate("document.getElementById('fdb-next').click()");
            final List<String> page = Wait.until(PAGE_TIMEOUT, () -> rows(chromium), r -> !r.isEmpty() && !r.getFirst().equals(first),
                "the next FDB page");
            all.addAll(page);
        }
        return all;
    }

    private static List<String> rows(final Chromium chromium)
    {
        return rows(chromium, "#fdb tbody tr[data-mac]");
    }

    private static String text(final Chromium chromium, final String selector)
    {
        return (String)chromium.evaluate("document.querySelector('" + selector.replace("'", "\\'") + "')?.textContent ?? null");
    }

    /** The raw number behind VNI 100's rate cell of class {@code cellClass}, or null before there is one. */
    private static Double rate(final Chromium chromium, final String cellClass)
    {
        final Object value = chromium.evaluate("document.querySelector('#vnis tr[data-vni=\"100\"] td." + cellClass + "')?.dataset.value ?? null");
        return value == null ? null : Double.valueOf((String)value);
    }

    private static double number(final Chromium chromium, final String selector, final String dataKey)
    {
        final Object value = chromium.evaluate("document.querySelector('" + selector.replace("'", "\\'") + "')?.dataset." + dataKey + " ?? null");
        return value == null || ((String)value).isEmpty() ? Double.NaN : Double.parseDouble((String)value);
    }

    private static long count(final Chromium chromium, final String selector, final String dataKey)
    {
        final double value = number(chromium, selector, dataKey);
        return Double.isNaN(value) ? 0 : (long)value;
    }

    /** Each row's cells' text joined by '|'. */
    @SuppressWarnings("unchecked")
    private static List<String> rowTexts(final Chromium chromium, final String selector)
    {
        return (List<String>)chromium.evaluate("[...document.querySelectorAll('" + selector.replace("'", "\\'") +
            "')].map(r => [...r.cells].map(c => c.textContent).join('|'))");
    }

    @SuppressWarnings("unchecked")
    private static List<String> rows(final Chromium chromium, final String selector)
    {
        return (List<String>)chromium.evaluate("[...document.querySelectorAll('" + selector.replace("'", "\\'") + "')].map(r => r.dataset.mac)");
    }
}
