package org.spice.gateway.internal;

import java.lang.System.Logger.Level;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Which viewer's microphone the VM hears: the gateway's {@code record.floor} rule. At most one viewer holds the
 * floor, and only while it is recording, i.e. it sent audio within the last {@code idleNanos}. Time is given by the
 * caller, so the rule is a pure function of the calls made. Each change of the holder is logged once, and so is a
 * viewer that records without the floor.
 */
final class RecordFloor {
    private static final System.Logger LOG = System.getLogger("org.spice.gateway");
    static final long NONE_HOLDS = -1;

    /** The {@code record.floor} setting. */
    enum Rule {
        /** The viewer whose input controls the VM ({@code control first}) holds the floor while it records. */
        CONTROLLER,
        /** The first viewer that starts recording holds it until it stops or leaves; then the next one recording. */
        FIRST,
        /** Nobody: no viewer is heard. */
        NONE;

        static Rule parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("record.floor must be controller, first or none, not '" + s + "'");
            }
        }

        /** The rule for an empty setting: the controller speaks when there is one, else the first recording. */
        static Rule forControl(String setting, Control control) {
            if (setting.isBlank()) {
                return control == Control.FIRST ? CONTROLLER : control == Control.ALL ? FIRST : NONE;
            }
            Rule r = parse(setting);
            if (r == CONTROLLER && control != Control.FIRST) {
                throw new IllegalArgumentException("record.floor controller needs control first (with control "
                        + control.configName() + " no one viewer controls)");
            }
            return r;
        }

        String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Rule rule;
    private final LongSupplier controller;
    private final long idleNanos;
    /** Viewers recording now, by when they started (in that order) and when they last sent: {start, last}. */
    private final Map<Long, long[]> recording = new LinkedHashMap<>();
    private final Set<Long> toldWithout = new HashSet<>();
    private long holder = NONE_HOLDS;

    /**
     * @param controller the controlling viewer's connection id, or {@value #NONE_HOLDS}; asked only under
     *        {@link Rule#CONTROLLER}
     */
    RecordFloor(Rule rule, LongSupplier controller, long idleNanos) {
        this.rule = rule;
        this.controller = controller;
        this.idleNanos = idleNanos;
    }

    Rule rule() {
        return rule;
    }

    /** Viewer {@code viewer} sent audio at {@code now}: whether it goes to the VM. */
    synchronized boolean heard(long viewer, long now) {
        long[] times = recording.get(viewer);
        if (times == null || now - times[1] > idleNanos) {
            recording.remove(viewer);
            recording.put(viewer, new long[] {now, now});
        } else {
            times[1] = now;
        }
        update(now);
        boolean holds = viewer == holder;
        if (holds) {
            toldWithout.remove(viewer);
        } else if (toldWithout.add(viewer)) {
            LOG.log(Level.INFO, "gateway: viewer " + hex(viewer) + " records without the floor (rule "
                    + rule.configName() + (holder == NONE_HOLDS ? "" : ": viewer " + hex(holder) + " has it")
                    + "); its audio is not sent to the VM");
        }
        return holds;
    }

    /** Viewer {@code viewer} stopped recording or left: the floor is free if it held it. */
    synchronized void left(long viewer, long now) {
        recording.remove(viewer);
        toldWithout.remove(viewer);
        if (holder == viewer) {
            holder = NONE_HOLDS;
            LOG.log(Level.INFO, "gateway: viewer " + hex(viewer) + " left; it no longer has the record floor");
            update(now);
        }
    }

    /** The viewer holding the floor as of the last call, or {@value #NONE_HOLDS}. */
    synchronized long holder() {
        return holder;
    }

    private void update(long now) {
        for (Iterator<Map.Entry<Long, long[]>> i = recording.entrySet().iterator(); i.hasNext(); ) {
            Map.Entry<Long, long[]> e = i.next();
            if (now - e.getValue()[1] > idleNanos) {
                i.remove();
                if (e.getKey() == holder) {
                    holder = NONE_HOLDS;
                    LOG.log(Level.INFO, "gateway: viewer " + hex(e.getKey()) + " stopped recording (nothing for "
                            + idleNanos / 1_000_000 + " ms); it no longer has the record floor");
                }
            }
        }
        long next = switch (rule) {
            case NONE -> NONE_HOLDS;
            case CONTROLLER -> {
                long c = controller.getAsLong();
                yield recording.containsKey(c) ? c : NONE_HOLDS;
            }
            case FIRST -> recording.containsKey(holder) ? holder
                    : recording.keySet().stream().findFirst().orElse(NONE_HOLDS);
        };
        if (next == holder) {
            return;
        }
        long was = holder;
        holder = next;
        // The holder's loss is logged also when the floor passes straight to another: under the controller rule
        // control can move (the holder's main channel closed) before the holder's record channel says it left.
        if (was != NONE_HOLDS) {
            LOG.log(Level.INFO, "gateway: viewer " + hex(was) + " no longer has the record floor (rule "
                    + rule.configName() + (next == NONE_HOLDS ? "" : ": viewer " + hex(next) + " has it") + ")");
        }
        if (next != NONE_HOLDS) {
            toldWithout.remove(next);
            LOG.log(Level.INFO, "gateway: viewer " + hex(next) + " has the record floor (rule " + rule.configName()
                    + ")");
        }
    }

    private static String hex(long id) {
        return "0x" + Long.toHexString(id);
    }
}
