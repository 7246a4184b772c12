package org.spice.client.swing.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The key combinations a viewer keeps for itself, written as remote-viewer's {@code --hotkeys}:
 * {@code release-cursor=ctrl+alt,toggle-fullscreen=shift+f11}. Each action has one combination of modifiers
 * (ctrl, alt, shift, super) and at most one other key (a letter, a digit, f1..f12); an action left out keeps its
 * default, and an empty combination turns it off.
 *
 * @param combos the combination of each action (lower-case key names in the order given), empty when off
 */
public record Hotkeys(Map<String, List<String>> combos) {
    /** Releases a grabbed keyboard and pointer. */
    public static final String RELEASE_CURSOR = "release-cursor";
    /** Switches full screen on and off. */
    public static final String TOGGLE_FULLSCREEN = "toggle-fullscreen";
    /** Presses Ctrl+Alt+Del in the guest. */
    public static final String SECURE_ATTENTION = "secure-attention";

    private static final Set<String> ACTIONS = Set.of(RELEASE_CURSOR, TOGGLE_FULLSCREEN, SECURE_ATTENTION);
    private static final Set<String> MODIFIERS = Set.of("ctrl", "alt", "shift", "super");

    /** remote-viewer's defaults: Ctrl+Alt releases, Shift+F11 toggles full screen, Ctrl+Alt+End sends Ctrl+Alt+Del. */
    public static final Hotkeys DEFAULT = new Hotkeys(Map.of(RELEASE_CURSOR, List.of("ctrl", "alt"),
            TOGGLE_FULLSCREEN, List.of("shift", "f11"), SECURE_ATTENTION, List.of("ctrl", "alt", "end")));

    public Hotkeys {
        combos = Map.copyOf(combos);
    }

    /**
     * The defaults with the actions {@code spec} names set to its combinations.
     *
     * @throws IllegalArgumentException naming what is wrong: an unknown action or key, an entry without '='
     */
    public static Hotkeys parse(String spec) {
        Map<String, List<String>> out = new LinkedHashMap<>(DEFAULT.combos);
        if (spec == null || spec.isBlank()) {
            return DEFAULT;
        }
        for (String entry : spec.split(",")) {
            int eq = entry.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("hotkey '" + entry.strip() + "' is not ACTION=KEYS (e.g. "
                        + RELEASE_CURSOR + "=ctrl+alt)");
            }
            String action = entry.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            if (!ACTIONS.contains(action)) {
                throw new IllegalArgumentException("unknown hotkey action '" + action + "'; known: "
                        + String.join(", ", ACTIONS.stream().sorted().toList()));
            }
            List<String> keys = new ArrayList<>();
            String combo = entry.substring(eq + 1).strip().toLowerCase(Locale.ROOT);
            int others = 0;
            for (String k : combo.isEmpty() ? new String[0] : combo.split("\\+")) {
                String key = k.strip();
                if (!MODIFIERS.contains(key)) {
                    if (!key.matches("[a-z0-9]|f([1-9]|1[0-2])|end|delete|home|insert|escape")) {
                        throw new IllegalArgumentException("unknown key '" + key + "' in hotkey " + action
                                + "; keys: ctrl, alt, shift, super, a letter, a digit, f1..f12, end, delete, home,"
                                + " insert, escape");
                    }
                    others++;
                }
                keys.add(key);
            }
            if (others > 1) {
                throw new IllegalArgumentException("hotkey " + action + " has more than one key besides ctrl, alt,"
                        + " shift and super: " + combo);
            }
            out.put(action, List.copyOf(keys));
        }
        return new Hotkeys(out);
    }

    /** The combination of {@code action}, empty when it is off. */
    public List<String> of(String action) {
        return combos.getOrDefault(action, List.of());
    }

    /** The combination for menus and titles, e.g. "Ctrl+Alt"; "" when off. */
    public String label(String action) {
        List<String> out = new ArrayList<>();
        for (String k : of(action)) {
            out.add(k.length() <= 1 || k.matches("f\\d+") ? k.toUpperCase(Locale.ROOT)
                    : Character.toUpperCase(k.charAt(0)) + k.substring(1));
        }
        return String.join("+", out);
    }
}
