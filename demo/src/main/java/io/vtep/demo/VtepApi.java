package io.vtep.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.vtep.core.nativeio.NetworkNamespace;
import io.vtep.topology.Netns;

/**
 * GETs from vtep's HTTP API, which listens on loopback inside the vtep namespace: the client's
 * threads are made inside that namespace ({@link NetworkNamespace#call}). For polling, where a
 * {@code bin/vtep} command would start a JVM each time.
 */
final class VtepApi
{
    private final Netns ns;

    VtepApi(final Netns ns)
    {
        this.ns = ns;
    }

    /** The body of a 200 answer to {@code GET path}, or "" when vtep does not answer (yet). */
    String get(final String path)
    {
        try
        {
            return NetworkNamespace.call(ns.name(), () ->
            {
                try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(2)).build())
                {
                    final HttpResponse<String> response = client.send(
                        HttpRequest.newBuilder(URI.create(VtepConfig.API + path)).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                    return response.statusCode() == 200 ? response.body() : "";
                }
            });
        }
        catch (final Exception notYet)
        {
            return "";
        }
    }
}
