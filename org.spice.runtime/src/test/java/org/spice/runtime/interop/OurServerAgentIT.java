package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Our client's agent against our server's, as processes: {@code ./spice send-file} sends two files to
 * {@code ./spice server}, which saves them (java.io.tmpdir/spice-files, here the test's directory) byte for byte
 * and under a free name when the name is taken.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OurServerAgentIT {

    @Test
    void sendFileArrivesByteForByte() throws IOException {
        Path dir = Peers.workDir(getClass(), "send-file");
        int port = Peers.freePort();
        String uri = "spice://127.0.0.1:" + port;
        Path tmp = Files.createDirectories(dir.resolve("server-tmp"));
        byte[] bytes = new byte[3_000_000];
        new Random(9).nextBytes(bytes);
        Path file = Files.write(dir.resolve("payload.bin"), bytes);
        try (Proc server = Spice.startServer(dir, Map.of("SPICE_JAVA_OPTS", "-Djava.io.tmpdir=" + tmp),
                "--listen", "127.0.0.1:" + port)) {
            for (String expected : List.of("payload.bin", "payload (1).bin")) {
                Proc.Result r = Spice.command(List.of(), "send-file", uri, file.toString())
                        .run(dir, "send-file-" + expected.replaceAll("\\W", "_"), Duration.ofSeconds(120));
                assertEquals(0, r.exitCode(), r::describe);
                assertTrue(r.stdout().contains("sent payload.bin (3000000 bytes)"), r::describe);
                Matcher m = server.awaitStderr("file received: payload\\.bin \\(3000000 bytes\\) saved as (.*"
                        + java.util.regex.Pattern.quote(expected) + ")$", Duration.ofSeconds(30));
                Path saved = Path.of(m.group(1));
                assertEquals(tmp.resolve("spice-files").resolve(expected), saved);
                assertArrayEquals(bytes, Files.readAllBytes(saved));
            }
            Spice.assertRunning(server);
        }
    }
}
