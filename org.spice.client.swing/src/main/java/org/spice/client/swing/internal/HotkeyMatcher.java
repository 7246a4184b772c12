package org.spice.client.swing.internal;

import static java.awt.event.KeyEvent.*;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.spice.client.swing.api.Hotkeys;

/**
 * Finds the viewer's hotkeys in the keys pressed and released, as remote-viewer does: a combination of modifiers
 * only (Ctrl+Alt) fires when its last key is released after those keys alone were held, so that Ctrl+Alt+Del still
 * reaches the guest; a combination with another key (Shift+F11) fires when that key is pressed with exactly its
 * modifiers held. Keys are named as in {@link Hotkeys}.
 */
final class HotkeyMatcher {
    private static final Set<String> MODIFIERS = Set.of("ctrl", "alt", "shift", "super");

    private final Hotkeys hotkeys;
    private final Set<String> held = new HashSet<>();
    /** The modifier-only action whose keys are held now, with nothing else pressed in between; or null. */
    private String armed;

    HotkeyMatcher(Hotkeys hotkeys) {
        this.hotkeys = hotkeys;
    }

    /** The hotkey name of an AWT key, or null for a key no hotkey can name. */
    static String name(int keyCode) {
        if (keyCode >= VK_A && keyCode <= VK_Z || keyCode >= VK_0 && keyCode <= VK_9) {
            return String.valueOf((char) Character.toLowerCase(keyCode));
        }
        if (keyCode >= VK_F1 && keyCode <= VK_F12) {
            return "f" + (keyCode - VK_F1 + 1);
        }
        return switch (keyCode) {
            case VK_CONTROL -> "ctrl";
            case VK_ALT -> "alt";
            case VK_SHIFT -> "shift";
            case VK_WINDOWS, VK_META -> "super";
            case VK_END -> "end";
            case VK_DELETE -> "delete";
            case VK_HOME -> "home";
            case VK_INSERT -> "insert";
            case VK_ESCAPE -> "escape";
            default -> null;
        };
    }

    /** A key went down; returns the action it fires (the key is then the viewer's, not the guest's), or null. */
    String pressed(String key) {
        if (key == null) {
            armed = null;
            return null;
        }
        boolean modifier = MODIFIERS.contains(key);
        if (!modifier) {
            armed = null;
            for (Map.Entry<String, List<String>> e : hotkeys.combos().entrySet()) {
                List<String> combo = e.getValue();
                if (combo.contains(key) && held.equals(modifiersOf(combo))) {
                    return e.getKey();
                }
            }
            held.add(key);
            return null;
        }
        held.add(key);
        armed = null;
        for (Map.Entry<String, List<String>> e : hotkeys.combos().entrySet()) {
            List<String> combo = e.getValue();
            if (!combo.isEmpty() && MODIFIERS.containsAll(combo) && held.equals(Set.copyOf(combo))) {
                armed = e.getKey();
            }
        }
        return null;
    }

    /** A key went up; returns the modifier-only action this release completes, or null. */
    String released(String key) {
        String fired = key != null && MODIFIERS.contains(key) ? armed : null;
        armed = null;
        if (key != null) {
            held.remove(key);
        }
        return fired;
    }

    /** Forgets the keys held (the window lost the focus). */
    void reset() {
        held.clear();
        armed = null;
    }

    private static Set<String> modifiersOf(List<String> combo) {
        Set<String> out = new HashSet<>();
        for (String k : combo) {
            if (MODIFIERS.contains(k.toLowerCase(Locale.ROOT))) {
                out.add(k);
            }
        }
        return out;
    }
}
