package io.vtep.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vtep.core.api.ApiResponse;
import io.vtep.core.api.ApiRouter;
import io.vtep.core.api.ApiServer;
import io.vtep.core.api.ApiToken;
import io.vtep.core.api.ChangeRoutes;
import io.vtep.core.api.ReloadOutcome;
import io.vtep.core.api.RuntimeFdbEntries;
import io.vtep.core.config.ApiConfig;
import io.vtep.core.config.ConfigException;
import io.vtep.core.pipeline.ForwardingTables;
import io.vtep.encap.MacAddress;
import io.vtep.encap.VtepAddress;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbEntry;
import io.vtep.fdb.LearningMode;
import io.vtep.fdb.Origin;
import io.vtep.metrics.CounterLayout;
import io.vtep.metrics.CounterSnapshotSource;

/**
 * {@code bin/vtep}'s commands ({@link Main#run}) against an {@link ApiServer} with {@code api.tls}
 * and {@code api.token-file}: the FDB is read over https with the test's CA ({@code --ca-file}),
 * an untrusted certificate is refused before anything is sent, and {@code fdb add|del|flush} and
 * {@code reload} change vtep only with the right token (401 without, 403 wrong: exit 1).
 */
class FdbCommandsOverHttpsTest
{
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    @TempDir
    static Path dir;
    /** Made once: keytool takes a few seconds on a busy machine. */
    private static SelfSignedPem pem;
    private static SelfSignedPem other;
    private final Fdb fdb = new Fdb();
    private ApiServer server;
    private String https;
    private Path tokenFile;

    @BeforeAll
    static void certificates() throws Exception
    {
        pem = SelfSignedPem.create(dir, "vtep");
        other = SelfSignedPem.create(dir, "other");
    }

    @BeforeEach
    void start() throws Exception
    {
        fdb.addVni(100, LearningMode.DATA_PLANE, 0, null);
        final ForwardingTables tables = new ForwardingTables(fdb);
        tables.addVni(100);
        fdb.vni(100).learnRemote(MacAddress.parse("02:00:00:00:00:0b"), fdb.remoteVteps().intern(VtepAddress.parse("192.0.2.2")),
            fdb.clock().nanoTime());
        fdb.conductor().doWork();
        tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, TOKEN + "\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        final ApiRouter router = new ApiRouter(fdb, tables, new CounterSnapshotSource(new CounterLayout(1, 4)),
            accept -> ApiResponse.text(200, ""), () -> null, "test", null,
            new ChangeRoutes(ApiToken.load(tokenFile), fdb, new RuntimeFdbEntries(), VtepAddress.parse("192.0.2.1"),
                () -> ReloadOutcome.refused("vnis[0].vni: 0 is out of range 1..16777215")));
        server = ApiServer.start(new ApiConfig("127.0.0.1", 0, 8, 10, 60, tokenFile, new ApiConfig.Tls(pem.certificate(), pem.key())),
            router);
        https = "https://127.0.0.1:" + server.localAddress().getPort();
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    private record Run(int exit, String out, String err)
    {
    }

    private static Run vtep(final Map<String, String> env, final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8); PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8))
        {
            exit = Main.run(args, new CliContext(o, e, env));
        }
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Run vtep(final String... args)
    {
        return vtep(Map.of(), args);
    }

    @Test
    void fdbShowReadsOverHttpsWithTheTestsCaAndRefusesAnUntrustedCertificate() throws Exception
    {
        final Run trusted = vtep("fdb", "show", "--api", https, "--ca-file", pem.certificate().toString());
        assertEquals(0, trusted.exit(), trusted::err);
        assertTrue(trusted.out().matches("02:00:00:00:00:0b vni 100 dst 192\\.0\\.2\\.2 remote age \\d+s\n"), trusted::out);

        // The JVM's CAs do not know the test's certificate; nor does another self-signed one.
        final Run jvmCas = vtep("fdb", "show", "--api", https);
        assertEquals(1, jvmCas.exit(), jvmCas::out);
        assertTrue(jvmCas.err().startsWith("vtep: vtep at " + https + ": TLS failed, nothing was sent: "), jvmCas::err);
        assertEquals("", jvmCas.out());
        final Run otherCa = vtep("fdb", "show", "--api", https, "--ca-file", other.certificate().toString());
        assertEquals(1, otherCa.exit(), otherCa::out);
        assertTrue(otherCa.err().contains("TLS failed"), otherCa::err);

        // A token sent to an untrusted server would be given away: the change is refused before it is sent.
        final Run add = vtep("fdb", "add", "02:00:00:00:00:77", "vni", "100", "dst", "192.0.2.7", "--api", https,
            "--token-file", tokenFile.toString());
        assertEquals(1, add.exit(), add::out);
        assertEquals(FdbEntry.NONE, fdb.vni(100).lookup(MacAddress.parse("02:00:00:00:00:77")));

        final Run plain = vtep("fdb", "show", "--api", https.replace("https:", "http:"));
        assertEquals(1, plain.exit(), "plain HTTP to the TLS listener gets no answer");
    }

    @Test
    void changesNeedTheRightTokenFromAFileOrTheEnvironment() throws Exception
    {
        final String ca = pem.certificate().toString();
        final Run none = vtep("fdb", "add", "02:00:00:00:00:77", "vni", "100", "dst", "192.0.2.7", "--api", https, "--ca-file", ca);
        assertEquals(1, none.exit());
        assertTrue(none.err().startsWith("vtep: this endpoint changes vtep: send Authorization: Bearer TOKEN"), none::err);
        final Path wrong = dir.resolve("wrong");
        Files.writeString(wrong, "not-the-token-0123456789\n");
        final Run bad = vtep("fdb", "add", "02:00:00:00:00:77", "vni", "100", "dst", "192.0.2.7", "--api", https, "--ca-file", ca,
            "--token-file", wrong.toString());
        assertEquals(1, bad.exit());
        assertEquals("vtep: wrong token: it is not the one in api.token-file\n", bad.err());
        assertEquals(FdbEntry.NONE, fdb.vni(100).lookup(MacAddress.parse("02:00:00:00:00:77")));

        final Map<String, String> env = Map.of(ChangeApiOptions.TOKEN_FILE_ENV, tokenFile.toString());
        final Run add = vtep(env, "fdb", "add", "02:00:00:00:00:77", "vni", "100", "dst", "192.0.2.7", "--api", https, "--ca-file", ca);
        assertEquals(0, add.exit(), add::err);
        assertEquals("fdb 02:00:00:00:00:77 vni 100 dst 192.0.2.7 static\n", add.out());
        assertEquals(Origin.STATIC, FdbEntry.origin(fdb.vni(100).lookup(MacAddress.parse("02:00:00:00:00:77"))));
        final Run show = vtep("fdb", "show", "--vni", "100", "--api", https, "--ca-file", ca);
        assertTrue(show.out().contains("02:00:00:00:00:77 vni 100 dst 192.0.2.7 static runtime\n"), show::out);

        final Run append = vtep(env, "fdb", "append", "00:00:00:00:00:00", "vni", "100", "dst", "192.0.2.8", "--api", https,
            "--ca-file", ca);
        assertEquals(0, append.exit(), append::err);
        assertEquals(VtepAddress.parse("192.0.2.8"), fdb.vni(100).floodList()[0].address());

        final Run flush = vtep(env, "fdb", "flush", "--vni", "100", "--origin", "remote", "--api", https, "--ca-file", ca);
        assertEquals(0, flush.exit(), flush::err);
        assertEquals("flushed 1 learned entries (remote) in VNI 100\n", flush.out());
        assertEquals(FdbEntry.NONE, fdb.vni(100).lookup(MacAddress.parse("02:00:00:00:00:0b")));

        final Run del = vtep(env, "fdb", "del", "02:00:00:00:00:77", "vni", "100", "--api", https, "--ca-file", ca);
        assertEquals(0, del.exit(), del::err);
        assertEquals(FdbEntry.NONE, fdb.vni(100).lookup(MacAddress.parse("02:00:00:00:00:77")));
        final Run again = vtep(env, "fdb", "del", "02:00:00:00:00:77", "vni", "100", "--api", https, "--ca-file", ca);
        assertEquals(1, again.exit());
        assertEquals("vtep: no entry for 02:00:00:00:00:77 in VNI 100\n", again.err());

        final Run reload = vtep(env, "reload", "--api", https, "--ca-file", ca);
        assertEquals(1, reload.exit());
        assertEquals("vtep: configuration refused, the running one stays: vnis[0].vni: 0 is out of range 1..16777215\n", reload.err());
    }

    @Test
    void usageErrorsExit2AndTheTokenIsNeverAnArgument()
    {
        for (final String[] args : new String[][] {
            {"fdb", "add", "02:00:00:00:00:77", "vni", "100"},
            {"fdb", "add", "zz", "vni", "100", "dst", "192.0.2.7"},
            {"fdb", "add", "02:00:00:00:00:77", "vni", "0", "dst", "192.0.2.7"},
            {"fdb", "append", "02:00:00:00:00:77", "vni", "100", "dst", "192.0.2.7"},
            {"fdb", "flush"},
            {"fdb", "flush", "--vni", "100", "--origin", "static"},
            {"fdb", "add", "02:00:00:00:00:77", "vni", "100", "dst", "192.0.2.7", "--token", TOKEN},
            {"reload", "now"},
        })
        {
            final Run run = vtep(args);
            assertEquals(2, run.exit(), () -> String.join(" ", args) + ": " + run.err());
            assertTrue(run.err().startsWith("vtep"), run::err);
        }
        assertTrue(vtep("fdb", "add", "02:00:00:00:00:77", "vni", "100", "--token", TOKEN).err()
            .contains("use --token-file FILE or VTEP_API_TOKEN_FILE"));
    }

    @Test
    void unusableTlsFilesAreRefusedNamingTheKey()
    {
        final ConfigException swapped = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> ApiServer.checkTls(
            new ApiConfig("127.0.0.1", 0, 8, 10, 60, null, new ApiConfig.Tls(pem.key(), pem.certificate()))));
        assertEquals("api.tls", swapped.path());
        final ConfigException missing = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> ApiServer.checkTls(
            new ApiConfig("127.0.0.1", 0, 8, 10, 60, null, new ApiConfig.Tls(dir.resolve("none.crt"), pem.key()))));
        assertTrue(missing.problem().contains("none.crt"), missing::getMessage);
    }

    @Test
    void aTokenFileOthersCanReadIsRefusedNamingTheKey() throws Exception
    {
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-r--r--"));
        final ConfigException open = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> ApiToken.load(tokenFile));
        assertEquals("api.token-file", open.path());
        assertTrue(open.problem().contains("chmod 600"), open::getMessage);
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-r-----"));
        ApiToken.load(tokenFile);
        Files.writeString(tokenFile, "short\n");
        final ConfigException shortToken = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
            () -> ApiToken.load(tokenFile));
        assertTrue(shortToken.problem().contains("at least 16"), shortToken::getMessage);
    }
}
