package org.spice.runtime.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stops of a JVM (safepoints: all its Java threads standing still, for a collection's pause or another VM
 * operation) in a log of {@code -Xlog:safepoint} (or {@code jcmd PID VM.log what=safepoint}), each taken from the
 * moment the JVM asked its threads to stop to the moment they went on ({@code Total}): what a client of a bench (or
 * a server) waits when its JVM pauses, whatever the collector.
 *
 * @param count the stops
 * @param totalNanos their time in all
 * @param longestNanos the longest one
 * @param atLeast10ms how many took 10 ms or more
 */
record SafepointStops(int count, long totalNanos, long longestNanos, int atLeast10ms) {
    private static final Pattern TOTAL = Pattern.compile("\\bSafepoint \".*\\bTotal: (\\d+) ns");

    /** The stops of a safepoint log's lines; other lines are skipped. */
    static SafepointStops parse(String log) {
        int count = 0;
        long total = 0;
        long longest = 0;
        int long10 = 0;
        Matcher m = TOTAL.matcher(log);
        while (m.find()) {
            long ns = Long.parseLong(m.group(1));
            count++;
            total += ns;
            longest = Math.max(longest, ns);
            if (ns >= 10_000_000) {
                long10++;
            }
        }
        return new SafepointStops(count, total, longest, long10);
    }

    /** E.g. "12 stops, 80.5 ms in all, longest 21.0 ms, 2 of 10 ms or more". */
    String describe() {
        return String.format("%d stops, %.1f ms in all, longest %.1f ms, %d of 10 ms or more", count,
                totalNanos / 1e6, longestNanos / 1e6, atLeast10ms);
    }
}
