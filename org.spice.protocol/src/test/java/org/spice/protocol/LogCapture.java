package org.spice.protocol;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects what the code under test logs (System.Logger goes to java.util.logging here). */
public final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    public LogCapture(String loggerName) {
        logger = Logger.getLogger(loggerName);
        logger.addHandler(this);
        setLevel(Level.ALL);
    }

    @Override
    public void publish(LogRecord r) {
        lines.add(r.getLevel() + " " + r.getMessage());
    }

    public List<String> lines() {
        return lines;
    }

    /** Waits up to two seconds for a line containing {@code text}. */
    public String await(String text) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            for (String l : lines) {
                if (l.contains(text)) {
                    return l;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no log line contains '" + text + "'; got " + lines);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
