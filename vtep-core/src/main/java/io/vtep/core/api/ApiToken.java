package io.vtep.core.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.Set;

import io.vtep.core.config.ConfigException;

/**
 * The bearer token of {@code api.token-file} that the mutating endpoints ask for (RFC 6750 §2.1:
 * {@code Authorization: Bearer TOKEN}). The file holds the token on its first line; it must not be
 * readable or writable by others than its owner and group, and not writable by the group: a token
 * anyone on the machine can read protects nothing, so vtep refuses to start rather than run with
 * one (as OpenSSH refuses a private key that others can read).
 *
 * <p>The comparison takes the same time whatever the first differing byte
 * ({@link MessageDigest#isEqual}), so a client cannot find the token a byte at a time by timing
 * refusals.
 */
public final class ApiToken
{
    /** Shorter tokens are refused: a token must not be guessable by trying. */
    static final int MIN_LENGTH = 16;
    private static final String KEY = "api.token-file";
    private static final String BEARER = "Bearer ";

    private final byte[] token;

    private ApiToken(final String token)
    {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    /** A token given directly (tests). */
    public static ApiToken of(final String token)
    {
        if (token.length() < MIN_LENGTH)
        {
            throw new IllegalArgumentException("a token has at least " + MIN_LENGTH + " characters");
        }
        return new ApiToken(token);
    }

    /**
     * Reads and checks the token file.
     *
     * @throws ConfigException naming {@code api.token-file} when the file is missing, unreadable,
     *                         readable by others, or holds no token of at least {@value #MIN_LENGTH} characters
     */
    public static ApiToken load(final Path file) throws ConfigException
    {
        final String line;
        try
        {
            final Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            if (permissions.contains(PosixFilePermission.OTHERS_READ) || permissions.contains(PosixFilePermission.OTHERS_WRITE) ||
                permissions.contains(PosixFilePermission.GROUP_WRITE))
            {
                throw new ConfigException(KEY, file + " is readable or writable by others (mode " +
                    java.nio.file.attribute.PosixFilePermissions.toString(permissions) + "); run: chmod 600 " + file);
            }
            final String text = Files.readString(file, StandardCharsets.UTF_8);
            line = text.lines().findFirst().orElse("").strip();
        }
        catch (final IOException ex)
        {
            throw new ConfigException(KEY, "cannot read " + file + ": " + ex.getMessage());
        }
        if (line.length() < MIN_LENGTH || !line.chars().allMatch(c -> c > ' ' && c < 0x7F))
        {
            throw new ConfigException(KEY, file + " must hold a token of at least " + MIN_LENGTH +
                " printable characters without spaces on its first line (for example: openssl rand -hex 32)");
        }
        return new ApiToken(line);
    }

    /**
     * @param authorizationOrNull the request's {@code Authorization} header
     * @return null when it carries this token; else the refusal: 401 with {@code WWW-Authenticate}
     * when no bearer token was given (RFC 6750 §3), 403 when a wrong one was
     */
    ApiResponse refusal(final String authorizationOrNull)
    {
        return refusal(authorizationOrNull, "changes vtep");
    }

    /**
     * @param why what the endpoint does that needs the token, for the 401's message ("changes vtep")
     */
    ApiResponse refusal(final String authorizationOrNull, final String why)
    {
        if (authorizationOrNull == null || !authorizationOrNull.regionMatches(true, 0, BEARER, 0, BEARER.length()))
        {
            return ApiResponse.jsonError(401, "this endpoint " + why + ": send Authorization: Bearer TOKEN " +
                "(the token of api.token-file; bin/vtep reads it from --token-file or VTEP_API_TOKEN_FILE)")
                .withHeader("WWW-Authenticate", "Bearer realm=\"vtep\"");
        }
        final byte[] given = authorizationOrNull.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(token, given))
        {
            return ApiResponse.jsonError(403, "wrong token: it is not the one in api.token-file");
        }
        return null;
    }
}
