package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The port and tunnel commands against our server, as processes: {@code spice port} on the echo port gets its
 * stdin back; {@code spice tunnel-share} shares an HTTP server, whose file is then fetched through the listener
 * our server logs.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OurServerTunnelIT {

    @Test
    void echoPortAndSharedHttpServer() throws Exception {
        Path dir = Peers.workDir(getClass(), "tunnel");
        int port = Peers.freePort();
        String uri = "spice://127.0.0.1:" + port;
        byte[] file = new byte[200_000];
        new Random(3).nextBytes(file);
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        http.createContext("/file.bin", ex -> {
            ex.sendResponseHeaders(200, file.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(file);
            }
        });
        http.start();
        try (Proc server = Spice.startServer(dir, "--listen", "127.0.0.1:" + port)) {
            List<String> channels = Spice.announcedChannels(server);
            assertTrue(channels.contains("port:0") && channels.contains("tunnel:0"), server::describe);

            Path in = Peers.write(dir.resolve("echo-in.txt"), "hello, port\n");
            Proc.Result echo = Spice.command(List.of(), "port", "--wait", "2", uri, "org.spice.echo").input(in)
                    .run(dir, "port-echo", Duration.ofSeconds(90));
            assertEquals(0, echo.exitCode(), echo::describe);
            assertEquals("hello, port\n", echo.stdout(), echo::describe);

            try (Proc share = Spice.command(List.of(), "tunnel-share", uri, "--service",
                    "web=127.0.0.1:" + http.getAddress().getPort()).start(dir, "tunnel-share")) {
                share.awaitStdout("^sharing web ", Duration.ofSeconds(60));
                Matcher m = server.awaitStderr("tunnel service web .* listens on 127\\.0\\.0\\.1:(\\d+)",
                        Duration.ofSeconds(30));
                int listener = Integer.parseInt(m.group(1));
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", listener), 10_000);
                    s.setSoTimeout(30_000);
                    s.getOutputStream().write("GET /file.bin HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    byte[] all = s.getInputStream().readAllBytes();
                    String text = new String(all, StandardCharsets.ISO_8859_1);
                    int body = text.indexOf("\r\n\r\n") + 4;
                    assertTrue(text.startsWith("HTTP/1.1 200"), () -> text.substring(0, Math.min(200, text.length())));
                    assertArrayEquals(file, Arrays.copyOfRange(all, body, all.length));
                }
            }
        } finally {
            http.stop(0);
        }
    }
}
