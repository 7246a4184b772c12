package org.spice.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leak check can fail: a class that drops a buffer without releasing it fails, one that releases it passes.
 * Each runs in a JVM of its own (the test JVM's own LeakCheck would otherwise see the deliberate leak).
 */
class LeakCheckTest {
    @TempDir
    Path tmp;

    /** A test class's life under LeakCheck: beforeAll, a buffer leaked or released, afterAll. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            LeakCheck check = new LeakCheck();
            check.beforeAll(null);
            allocate(args[0].equals("leak"));
            try {
                check.afterAll(null);
            } catch (AssertionError e) {
                System.out.println("leak check failed: " + e.getMessage());
                System.exit(1);
            }
            System.out.println("leak check passed");
        }

        private static void allocate(boolean leak) {
            ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer(64).writeLong(42);
            if (!leak) {
                b.release();
            }
        }
    }

    private Result probe(String mode) throws Exception {
        Path out = tmp.resolve(mode + ".out");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx64m", Probe.class.getName(), mode)
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the probe JVM did not end within 60 s");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    private record Result(int exit, String output) {
    }

    @Test
    void aLeakedBufferFailsTheClass() throws Exception {
        Result r = probe("leak");
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.output().contains("leak check failed: Netty buffers leaked"), r.output());
        assertTrue(r.output().contains("LEAK: ByteBuf.release() was not called"), r.output());
    }

    @Test
    void aReleasedBufferPasses() throws Exception {
        Result r = probe("release");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("leak check passed"), r.output());
    }
}
