package org.spice.itests;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Records what the SPICE bundles log (they use System.Logger, which the JDK routes to java.util.logging) while it
 * is open.
 */
final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger = Logger.getLogger("org.spice");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    LogCapture() {
        setLevel(Level.ALL);
        logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord r) {
        records.add(r);
    }

    List<String> atLeast(Level level) {
        return records.stream().filter(r -> r.getLevel().intValue() >= level.intValue())
                .map(r -> r.getLevel() + " [" + r.getLoggerName() + "] " + r.getMessage()
                        + (r.getThrown() == null ? "" : " " + r.getThrown()))
                .collect(Collectors.toList());
    }

    boolean any(String... parts) {
        return records.stream().anyMatch(r -> {
            for (String p : parts) {
                if (r.getMessage() == null || !r.getMessage().contains(p)) {
                    return false;
                }
            }
            return true;
        });
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
