package org.spice.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What bench server reads of a JVM's safepoint log (lines as JDK 17 writes them) and of the spice script's options. */
class SafepointStopsTest {
    private static final String LOG = """
            [26.771s] Safepoint "Cleanup", Time since last: 1000812074 ns, Reaching safepoint: 27917736 ns, Cleanup: 63033 ns, At safepoint: 61181 ns, Total: 28041950 ns
            [40.129s] Safepoint "ShenandoahInitMark", Time since last: 667537455 ns, Reaching safepoint: 662402 ns, Cleanup: 19719 ns, At safepoint: 15904779 ns, Total: 16586900 ns
            [42.716s] Safepoint "G1CollectForAllocation", Time since last: 514334082 ns, Reaching safepoint: 4096 ns, Cleanup: 8282 ns, At safepoint: 2860266 ns, Total: 2872644 ns
            [43.335s] Safepoint "ZMarkStart", Time since last: 142054577 ns, Reaching safepoint: 11816 ns, Cleanup: 28732 ns, At safepoint: 7445053 ns, Total: 9999999 ns
            [43.3""";

    @Test
    void countsEveryStopFromAskingToGoingOn() {
        SafepointStops s = SafepointStops.parse(LOG);
        assertEquals(new SafepointStops(4, 28041950L + 16586900 + 2872644 + 9999999, 28041950, 2), s);
        assertEquals("4 stops, 57.5 ms in all, longest 28.0 ms, 2 of 10 ms or more", s.describe());
    }

    @Test
    void aLogWithoutStopsHasNone() {
        assertEquals(new SafepointStops(0, 0, 0, 0), SafepointStops.parse("[1.0s] Safepoint \"Cleanup\", Time since"));
        assertEquals("0 stops, 0.0 ms in all, longest 0.0 ms, 0 of 10 ms or more", SafepointStops.parse("").describe());
    }

    @Test
    void theServersJvmOptionsComeFromTheScriptsProperty() {
        assertEquals(List.of(), ServerProcess.serverJvmOptions(null));
        assertEquals(List.of(), ServerProcess.serverJvmOptions(" "));
        assertEquals(List.of("-XX:+UseG1GC", "-XX:MaxGCPauseMillis=10"),
                ServerProcess.serverJvmOptions(" -XX:+UseG1GC  -XX:MaxGCPauseMillis=10 "));
    }
}
