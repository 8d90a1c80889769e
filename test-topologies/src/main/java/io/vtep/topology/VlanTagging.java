package io.vtep.topology;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Makes a host an 802.1Q-tagged host with its own kernel stack, on a kernel without VLAN devices
 * or bridge VLAN filtering (this machine's, docs/architecture.md §8): two eBPF classifiers on the
 * host's interface, one on egress that pushes the tag ({@code bpf_skb_vlan_push}) and one on
 * ingress that pops it ({@code bpf_skb_vlan_pop}) before the stack would drop the frame for want
 * of a VLAN device. The host keeps its default offloads: its TSO super-frames leave with the tag in
 * skb metadata, which an AF_PACKET reader sees in {@code tpacket_auxdata}, as from a real tagged
 * port. (Scapy can build tagged frames too, but without a TCP stack behind them.)
 *
 * <p>The programs are five and three instructions, assembled here and loaded with the {@code bpf}
 * system call from Python's ctypes (no compiler needed), pinned on a bpffs mounted in the
 * topology's work directory (unmounted at close), and attached with {@code tc ... bpf da
 * object-pinned}.
 */
public final class VlanTagging
{
    private static final String LOADER = """
        import ctypes, os, platform, struct, sys
        libc = ctypes.CDLL(None, use_errno=True)
        SYS_BPF = {'x86_64': 321, 'aarch64': 280}.get(platform.machine()) or sys.exit('bpf: unknown syscall number on ' + platform.machine())
        PROG_LOAD, OBJ_PIN, SCHED_CLS = 5, 6, 3
        def insn(op, dst=0, imm=0):
            return struct.pack('<BBhi', op, dst, 0, imm)
        MOV, CALL, EXIT = 0xb7, 0x85, 0x95   # r_dst = imm; call helper imm; return r0
        def bpf(cmd, attr):
            a = ctypes.create_string_buffer(attr, 128)
            r = libc.syscall(SYS_BPF, cmd, a, 128)
            if r < 0:
                sys.exit('bpf(%d): %s' % (cmd, os.strerror(ctypes.get_errno())))
            return r
        def load_and_pin(insns, name, path):
            code, lic = ctypes.create_string_buffer(b''.join(insns)), ctypes.create_string_buffer(b'GPL')
            fd = bpf(PROG_LOAD, struct.pack('<IIQQIIQII16s', SCHED_CLS, len(insns), ctypes.addressof(code),
                                            ctypes.addressof(lic), 0, 0, 0, 0, 0, name))
            p = ctypes.create_string_buffer(path.encode())
            bpf(OBJ_PIN, struct.pack('<QII', ctypes.addressof(p), fd, 0))
        vid, directory = int(sys.argv[1]), sys.argv[2]
        # r1 is the skb; vlan_proto is big-endian (htons(0x8100)); 18/19 are skb_vlan_push/pop; 0 is TC_ACT_OK.
        load_and_pin([insn(MOV, 2, 0x0081), insn(MOV, 3, vid), insn(CALL, 0, 18), insn(MOV, 0, 0), insn(EXIT)],
                     b'vlan_push', directory + '/push')
        load_and_pin([insn(CALL, 0, 19), insn(MOV, 0, 0), insn(EXIT)], b'vlan_pop', directory + '/pop')
        """;

    private VlanTagging()
    {
    }

    /**
     * Tags everything {@code host} sends with VLAN {@code vid} and untags what it receives (any
     * tag), on its interface; returns the host.
     */
    public static Host tag(Topology topology, Host host, int vid)
    {
        if (vid < 1 || vid > 4094)
        {
            throw new IllegalArgumentException("VLAN ID " + vid + " is not 1..4094");
        }
        Requirements.requireTools(Requirements.SYSTEM_PYTHON, "tc", "mount", "umount");
        Path fs = topology.workDir().resolve("bpffs-" + host.netns().name() + "-" + vid);
        try
        {
            Files.createDirectories(fs);
        }
        catch (java.io.IOException e)
        {
            throw new IllegalStateException("cannot create " + fs, e);
        }
        Commands.runOk("mount", "-t", "bpf", "bpf", fs.toString());
        topology.onClose("bpffs " + fs, () -> Commands.run("umount", fs.toString()));
        Commands.run(Commands.DEFAULT_TIMEOUT, List.of(Requirements.SYSTEM_PYTHON, "-c", LOADER, String.valueOf(vid), fs.toString())).orThrow();
        Netns ns = host.netns();
        ns.execOk("tc", "qdisc", "add", "dev", host.iface(), "clsact");
        ns.execOk("tc", "filter", "add", "dev", host.iface(), "egress", "bpf", "da", "object-pinned", fs.resolve("push").toString());
        ns.execOk("tc", "filter", "add", "dev", host.iface(), "ingress", "bpf", "da", "object-pinned", fs.resolve("pop").toString());
        return host;
    }
}
