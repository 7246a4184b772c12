package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * {@code ./spice bench server}: client sessions of one runtime against our server in a second JVM it starts, typing
 * into the demo desktop. Asserts what the clients saw (video frames, bytes, keys answered by text-box updates) and
 * that the server was measured and stopped, never how fast.
 */
class BenchServerIT {
    private static final Duration LIMIT = Duration.ofSeconds(180);
    private static final Pattern ROW = Pattern.compile(
            "^\\s*(\\d+)\\s+(\\d+\\.\\d)\\s+(\\d+\\.\\d)\\s+(\\d+)\\s+(\\S+)\\s+(\\S+)$", Pattern.MULTILINE);
    private static final Pattern SERVER = Pattern.compile("^server: pid (\\d+), ", Pattern.MULTILINE);

    private record Row(int client, double fps, double kibs, int keys, String p50, String p99) {
    }

    private static List<Row> rows(String stdout) {
        List<Row> rows = new ArrayList<>();
        Matcher m = ROW.matcher(stdout);
        while (m.find()) {
            rows.add(new Row(Integer.parseInt(m.group(1)), Double.parseDouble(m.group(2)),
                    Double.parseDouble(m.group(3)), Integer.parseInt(m.group(4)), m.group(5), m.group(6)));
        }
        return rows;
    }

    private static void serverEnded(Proc.Result r) {
        Matcher m = SERVER.matcher(r.stdout());
        assertTrue(m.find(), r::describe);
        assertFalse(ProcessHandle.of(Long.parseLong(m.group(1))).map(ProcessHandle::isAlive).orElse(false),
                "the server the bench started still runs\n" + r.describe());
    }

    @Test
    void threeTypingClientsEachGetARowWithFramesBytesAndKeyLatency() {
        Path dir = Peers.workDir(getClass(), "typing");
        Proc.Result r = Spice.command(List.of(), "bench", "server", "--clients", "3", "--seconds", "2")
                .run(dir, "bench", LIMIT);
        assertEquals(0, r.exitCode(), r::describe);
        assertTrue(r.stdout().contains("clients decode every image but count video frames without decoding them"),
                r::describe);
        List<Row> rows = rows(r.stdout());
        assertEquals(List.of(1, 2, 3), rows.stream().map(Row::client).toList(), r::describe);
        for (Row row : rows) {
            assertTrue(row.fps() > 0 && row.kibs() > 0, "no video reached client " + row.client() + "\n"
                    + r.describe());
            assertTrue(row.keys() > 0, "no key answered at client " + row.client() + "\n" + r.describe());
            assertTrue(Double.parseDouble(row.p50()) > 0 && Double.parseDouble(row.p99()) >= Double.parseDouble(
                    row.p50()), r::describe);
        }
        // every client saw every key the bench sent (one at a time: each waits for all three)
        Matcher keys = Pattern.compile("over (\\d+) samples \\((\\d+) keys sent, (\\d+) updates missed\\)")
                .matcher(r.stdout());
        assertTrue(keys.find(), r::describe);
        assertEquals(Integer.parseInt(keys.group(2)) * 3, Integer.parseInt(keys.group(1)), r::describe);
        assertEquals("0", keys.group(3), r::describe);
        // both JVMs' stops, whatever their collectors (the bench turns each JVM's safepoint log on for the time)
        assertTrue(r.stdout().matches("(?sm).*^clients \\(this JVM\\): collector \\w+, \\d+ collections while measured; JVM"
                + " stops \\(safepoints\\) while measured: \\d+ stops, [\\d.]+ ms in all, longest [\\d.]+ ms, .*"),
                r::describe);
        assertTrue(r.stdout().matches("(?sm).*^server: collector \\w+; JVM stops \\(safepoints\\) while measured: \\d+ stops,"
                + " .*"), r::describe);
        assertTrue(r.stdout().matches("(?sm).*^server heap after GC \\(live objects\\): [\\d.]+ MiB with no client, [\\d.]+ MiB with 3"
                + " .*"), r::describe);
        serverEnded(r);
    }

    /** Idle clients that decode their video as viewers do: their frames are the video window's changes. */
    @Test
    void idleClientsWatchWithoutKeys() {
        Path dir = Peers.workDir(getClass(), "idle");
        // 3 s: a decoding client on a loaded machine shows its frames late, or holds them for their time
        Proc.Result r = Spice.command(List.of(), "bench", "server", "--clients", "2", "--seconds", "3", "--idle",
                "--decode-video").run(dir, "bench", LIMIT);
        assertEquals(0, r.exitCode(), r::describe);
        assertTrue(r.stdout().contains("clients decode every image and video frame"), r::describe);
        List<Row> rows = rows(r.stdout());
        assertEquals(List.of(1, 2), rows.stream().map(Row::client).toList(), r::describe);
        for (Row row : rows) {
            assertTrue(row.fps() > 0, r::describe);
            assertEquals(List.of(0, "-", "-"), List.of(row.keys(), row.p50(), row.p99()), r::describe);
        }
        serverEnded(r);
    }

    /** A still picture has no text box the keys draw into: no update answers a key, and the bench says so. */
    @Test
    void aServerThatDoesNotDrawTheKeysFailsTheBench() throws Exception {
        Path dir = Peers.workDir(getClass(), "still");
        Path still = dir.resolve("still.png");
        BufferedImage img = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        ImageIO.write(img, "png", still.toFile());
        Proc.Result r = Spice.command(List.of(), "bench", "server", "--clients", "1", "--seconds", "1",
                "--server-option=--source=image:" + still).run(dir, "bench", LIMIT);
        assertEquals(1, r.exitCode(), r::describe);
        assertTrue(r.stderr().contains("error: no client saw any key answered"), r::describe);
        serverEnded(r);
    }
}
