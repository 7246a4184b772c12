package org.spice.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What bench soak reads out of jcmd's answers (lines as a server JVM of the runtime gave them, 2026-12-06). */
class BenchSoakCommandTest {
    private static final String HISTOGRAM = """
             num     #instances         #bytes  class name (module)
            -------------------------------------------------------
               1:         47878        1915120  org.spice.display.internal.codec.GlzEncoder$Image
             121:             8           4672  io.netty.util.internal.shaded.org.jctools.queues.MpscChunkedArrayQueue
             175:            64           3072  [Lio.netty.buffer.AdaptivePoolingAllocator$SizeClassedChunk;
             176:            96           3072  io.netty.buffer.AdaptivePoolingAllocator$SizeClassChunkController
             177:            64           3072  io.netty.buffer.AdaptivePoolingAllocator$ThreadLocalSizeClassedChunkCache
             196:            32           2816  io.netty.buffer.AdaptivePoolingAllocator$SizeClassedChunk
             659:             3            168  io.netty.buffer.AdaptivePoolingAllocator$BuddyChunk
             911:             3             72  io.netty.buffer.AdaptivePoolingAllocator$BuddyChunkController
            1067:             1             48  io.netty.buffer.AllocateChunkEvent
            1164:             1             40  io.netty.buffer.AdaptivePoolingAllocator$Chunk
            1200:             5            400  io.netty.buffer.PoolChunk
            1799:             1             16  jdk.jfr.internal.JVM$ChunkRotationMonitor (jdk.jfr@17.0.15)
            Total       1234567      123456789
            """;

    @Test
    void countsTheChunksOfBothNettyAllocatorsAndNothingNamedLikeThem() {
        assertEquals(32 + 3 + 1 + 5, BenchSoakCommand.pooledChunks(HISTOGRAM));
        assertEquals(0, BenchSoakCommand.pooledChunks("Total 1 2\n"));
    }

    @Test
    void readsNativeMemoryOtherOrNoneWhenNotTracked() throws Exception {
        String nmt = """
                -                    Thread (reserved=45KB, committed=45KB)
                -                     Other (reserved=18105KB, committed=18105KB)
                                            (malloc=18105KB #50) (at peak)
                -                    Symbol (reserved=4918KB, committed=4918KB)
                """;
        assertEquals(18105, ServerProcess.nativeOtherKiB(nmt));
        assertEquals(-1, ServerProcess.nativeOtherKiB("12345:\nNative memory tracking is not enabled\n"));
        assertEquals(123456789 / 1024, ServerProcess.liveKiB(HISTOGRAM));
    }
}
