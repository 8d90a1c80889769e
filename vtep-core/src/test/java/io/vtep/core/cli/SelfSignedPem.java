package io.vtep.core.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for 127.0.0.1 (subject alternative name IP:127.0.0.1, so that
 * hostname verification passes) made by the JDK's own {@code keytool}, written as the PEM files
 * {@code api.tls} takes: the certificate (which is also the CA a client trusts) and the PKCS#8 key.
 */
record SelfSignedPem(Path certificate, Path key)
{
    static SelfSignedPem create(final Path dir, final String name) throws IOException, InterruptedException
    {
        final Path store = dir.resolve(name + ".p12");
        final String password = "changeit";
        final Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        final Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", name, "-keyalg", "EC",
            "-groupname", "secp256r1", "-dname", "CN=" + name, "-ext", "SAN=IP:127.0.0.1", "-validity", "2",
            "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", password, "-keypass", password))
            .redirectErrorStream(true).start();
        process.getOutputStream().close();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0)
        {
            throw new IllegalStateException("keytool (the JDK's, " + keytool + ") failed: " + output);
        }
        try
        {
            final KeyStore keys = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(store))
            {
                keys.load(in, password.toCharArray());
            }
            final Certificate certificate = keys.getCertificate(name);
            final PrivateKey key = (PrivateKey)keys.getKey(name, password.toCharArray());
            final Path certificateFile = dir.resolve(name + ".crt");
            final Path keyFile = dir.resolve(name + ".key");
            Files.writeString(certificateFile, pem("CERTIFICATE", certificate.getEncoded()));
            Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
            return new SelfSignedPem(certificateFile, keyFile);
        }
        catch (final java.security.GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static String pem(final String type, final byte[] der)
    {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der) +
            "\n-----END " + type + "-----\n";
    }
}
