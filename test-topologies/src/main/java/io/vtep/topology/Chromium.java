package io.vtep.topology;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;

import io.vtep.core.api.JsonWriter;
import io.vtep.core.nativeio.NetworkNamespace;

/**
 * Debian's headless Chromium in a namespace, driven through the Chrome DevTools Protocol over a
 * WebSocket (the JDK's {@link HttpClient}; no library): load a page, evaluate JavaScript in it,
 * take a screenshot, and collect what the page logged as an error (a script exception, a request
 * the Content-Security-Policy refused, a failed load), so a test sees a page as a user would.
 *
 * <p>Chromium runs as root here, so with {@code --no-sandbox}; its DevTools endpoint listens on
 * 127.0.0.1 inside the namespace (a port Chromium picks), and every socket of the client is
 * created on a thread inside the namespace ({@link NetworkNamespace}): nothing touches the
 * machine's own network.
 */
public final class Chromium implements AutoCloseable
{

    public static final String TOOL = "chromium";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final ManagedProcess process;
    private final ExecutorService executor;
    private final HttpClient client;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Long, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final List<String> problems = new ArrayList<>();

    private Chromium(Netns ns, Path profile, int width, int height) throws Exception
    {
        process = ns.spawn("chromium in " + ns.name(), List.of(TOOL, "--headless=new", "--no-sandbox", "--disable-gpu",
            "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--hide-scrollbars", "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0", "--window-size=" + width + "," + height, "about:blank"));
        Matcher listening = process.awaitOutputMatch("DevTools listening on ws://127\\.0\\.0\\.1:(\\d+)/", START_TIMEOUT);
        int port = Integer.parseInt(listening.group(1));
        executor = Executors.newCachedThreadPool(NetworkNamespace.threadFactory(ns.name(), "cdp-" + ns.name()));
        client = NetworkNamespace.call(ns.name(), () -> HttpClient.newBuilder().executor(executor)
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build());
        String page = NetworkNamespace.call(ns.name(), () -> pageEndpoint(port));
        socket = NetworkNamespace.call(ns.name(), () -> client.newWebSocketBuilder()
            .buildAsync(URI.create(page), new Listener()).get(30, TimeUnit.SECONDS));
        send("Runtime.enable", null);
        send("Log.enable", null);
        send("Page.enable", null);
    }

    /**
     * Starts Chromium in {@code ns} with a window of {@code width} x {@code height} CSS pixels.
     * Fails saying what is missing when chromium is not installed.
     */
    public static Chromium start(Netns ns, int width, int height)
    {
        Requirements.requireTools(TOOL);
        try
        {
            Path profile = Files.createDirectories(ns.topology().workDir().resolve("chromium-" + ns.role()));
            Chromium chromium = new Chromium(ns, profile, width, height);
            ns.topology().onClose("chromium in " + ns.name(), chromium::close);
            return chromium;
        }
        catch (RuntimeException e)
        {
            throw e;
        }
        catch (Exception e)
        {
            throw new IllegalStateException("starting chromium in " + ns.name() + ": " + e, e);
        }
    }

    /** The WebSocket URL of the first page target (the about:blank tab Chromium opened). */
    private String pageEndpoint(int port) throws Exception
    {
        HttpResponse<String> list = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        for (Object target : (List<?>)Json.parse(list.body()))
        {
            if ("page".equals(Json.string(target, "type")))
            {
                return Json.string(target, "webSocketDebuggerUrl");
            }
        }
        throw new IllegalStateException("chromium has no page target: " + list.body());
    }

    /** Loads {@code url} and waits until its load event (scripts with {@code defer} have run). */
    public void navigate(String url)
    {
        send("Page.navigate", new JsonWriter().beginObject().field("url", url).endObject().toString());
        Wait.until(Duration.ofSeconds(30), () -> "complete".equals(evaluate("document.readyState")),
            "page " + url + " loaded");
    }

    /**
     * Evaluates {@code expression} in the page (awaiting a promise) and returns its value as JSON
     * values ({@link Json}): String, Long, Double, Boolean, List, Map or null.
     *
     * @throws IllegalStateException when the expression throws in the page
     */
    public Object evaluate(String expression)
    {
        Map<String, Object> result = send("Runtime.evaluate", new JsonWriter().beginObject()
            .field("expression", expression).field("returnByValue", true).field("awaitPromise", true)
            .endObject().toString());
        if (result.get("exceptionDetails") != null)
        {
            throw new IllegalStateException("page threw evaluating " + expression + ": " + result.get("exceptionDetails"));
        }
        return Json.at(result, "result", "value");
    }

    /**
     * Saves a PNG of the whole page (not only the window) in {@code file}: the viewport is made as
     * tall as the document for the capture.
     */
    public Path screenshot(Path file)
    {
        Object size = evaluate("({w: document.documentElement.clientWidth, h: document.documentElement.scrollHeight})");
        long width = (long)Json.number(size, "w");
        long height = (long)Json.number(size, "h");
        send("Emulation.setDeviceMetricsOverride", new JsonWriter().beginObject().field("width", width)
            .field("height", height).field("deviceScaleFactor", 1).field("mobile", false).endObject().toString());
        try
        {
            Map<String, Object> shot = send("Page.captureScreenshot",
                new JsonWriter().beginObject().field("format", "png").endObject().toString());
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, Base64.getDecoder().decode((String)shot.get("data")));
            return file;
        }
        catch (java.io.IOException e)
        {
            throw new java.io.UncheckedIOException("writing " + file, e);
        }
        finally
        {
            send("Emulation.clearDeviceMetricsOverride", null);
        }
    }

    /** What the page reported as errors so far: exceptions, console errors, refused or failed loads. */
    public List<String> problems()
    {
        synchronized (problems)
        {
            return List.copyOf(problems);
        }
    }

    /** Sends a command and waits for its result object. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> send(String method, String paramsOrNull)
    {
        long id = ids.incrementAndGet();
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        pending.put(id, answer);
        String message = "{\"id\":" + id + ",\"method\":" + new JsonWriter().value(method) + (paramsOrNull == null ? "" : ",\"params\":" +
            paramsOrNull) + "}";
        try
        {
            socket.sendText(message, true).get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            Map<String, Object> reply = answer.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (reply.get("error") != null)
            {
                throw new IllegalStateException("DevTools " + method + " failed: " + reply.get("error"));
            }
            Object result = reply.get("result");
            return result instanceof Map<?, ?> map ? (Map<String, Object>)map : Map.of();
        }
        catch (RuntimeException e)
        {
            throw e;
        }
        catch (Exception e)
        {
            throw new IllegalStateException("DevTools " + method + ": " + e + "\nchromium output:\n" + process.output(), e);
        }
        finally
        {
            pending.remove(id);
        }
    }

    @SuppressWarnings("unchecked")
    private void received(String text)
    {
        Map<String, Object> message = (Map<String, Object>)Json.parse(text);
        if (message.get("id") instanceof Long id)
        {
            CompletableFuture<Map<String, Object>> answer = pending.get(id);
            if (answer != null)
            {
                answer.complete(message);
            }
            return;
        }
        String event = String.valueOf(message.get("method"));
        String problem = switch (event)
        {
            case "Runtime.exceptionThrown" -> "exception: " + Json.at(message, "params", "exceptionDetails");
            case "Runtime.consoleAPICalled" -> "error".equals(Json.string(message, "params", "type")) ? "console.error: " + Json.at(message, "params",
                "args") : null;
            case "Log.entryAdded" -> "error".equals(Json.string(message, "params", "entry", "level")) ? "log: " + Json.string(message, "params",
                "entry", "text") + " (" + Json.string(message, "params", "entry", "url") + ")" : null;
            default -> null;
        };
        if (problem != null)
        {
            synchronized (problems)
            {
                problems.add(problem);
            }
        }
    }

    /** Reassembles text frames into messages (a screenshot's reply spans many frames). */
    private final class Listener implements WebSocket.Listener
    {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last)
        {
            partial.append(data);
            if (last)
            {
                String text = partial.toString();
                partial.setLength(0);
                received(text);
            }
            webSocket.request(1);
            return null;
        }
    }

    @Override
    public void close()
    {
        try
        {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        }
        catch (Exception e)
        {
            // chromium is stopped next anyway
        }
        process.stop();
        client.close();
        executor.shutdownNow();
    }
}
