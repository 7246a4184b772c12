package org.spice.client.swing.internal;

import static java.awt.event.KeyEvent.*;

/**
 * The PC AT set-1 scancode of the physical key behind a key event, from the code the platform gives for the key
 * itself, whatever the local layout makes it type; as spice-gtk and remote-viewer send keys. Scancodes are numbered
 * as {@link org.spice.inputs.api.ClientInput} numbers them ({@code 0x100 | byte} after an 0xE0 prefix); -1 means
 * the key has none. The numbers are keycodemapdb's (the key code database spice-gtk, QEMU and GTK-VNC generate
 * their tables from): Linux input codes and macOS virtual key codes to its "AT set1" column.
 */
final class PhysicalKeys {
    /** Set-1 scancodes of Linux input key codes 84 and up; codes 1..83 are their own scancodes. */
    private static final int[] LINUX_FROM_84 = {
        0x054, 0x076, 0x056, 0x057, 0x058, 0x073, 0x078, 0x077, // 84..91
        0x079, 0x070, 0x07b, 0x05c, 0x11c, 0x11d, 0x135, 0x054, // 92..99
        0x138, 0x05b, 0x147, 0x148, 0x149, 0x14b, 0x14d, 0x14f, // 100..107
        0x150, 0x151, 0x152, 0x153, 0x16f, 0x120, 0x12e, 0x130, // 108..115
        0x15e, 0x059, 0x14e, 0x146, 0x10b, 0x07e, 0x000, 0x000, // 116..123
        0x07d, 0x15b, 0x15c, 0x15d, 0x168, 0x105, 0x106, 0x107, // 124..131
        0x10c, 0x178, 0x064, 0x065, 0x141, 0x13c, 0x175, 0x11e, // 132..139
        0x121, 0x066, 0x15f, 0x163, 0x067, 0x068, 0x069, 0x113, // 140..147
        0x11f, 0x117, 0x102, 0x06a, 0x112, 0x06b, 0x126, 0x16c, // 148..155
        0x166, 0x16b, 0x16a, 0x169, 0x123, 0x06c, 0x17d, 0x119, // 156..163
        0x122, 0x110, 0x124, 0x131, 0x118, 0x063, 0x000, 0x101, // 164..171
        0x132, 0x167, 0x000, 0x000, 0x108, 0x075, 0x10f, 0x176, // 172..179
        0x17b, 0x109, 0x10a, 0x05d, 0x05e, 0x05f, 0x055, 0x103, // 180..187
        0x177, 0x104, 0x05a, 0x074, 0x179, 0x06d, 0x06f, 0x115, // 188..195
        0x116, 0x11a, 0x11b, 0x127, 0x128, 0x129, 0x12b, 0x12c, // 196..203
        0x12d, 0x125, 0x12f, 0x133, 0x134, 0x136, 0x139, 0x13a, // 204..211
        0x13b, 0x13d, 0x13e, 0x13f, 0x140, 0x165, 0x142, 0x143, // 212..219
        0x144, 0x145, 0x114, 0x14a, 0x14c, 0x154, 0x16d, 0x156, // 220..227
        0x157, 0x158, 0x159, 0x15a, 0x164, 0x10e, 0x155, 0x170, // 228..235
        0x171, 0x172, 0x173, 0x174, // 236..239
    };

    /** Set-1 scancodes of macOS virtual key codes (kVK_*), from 0. */
    private static final int[] MAC = {
        0x01e, 0x01f, 0x020, 0x021, 0x023, 0x022, 0x02c, 0x02d, // 0x00..0x07
        0x02e, 0x02f, 0x056, 0x030, 0x010, 0x011, 0x012, 0x013, // 0x08..0x0f
        0x015, 0x014, 0x002, 0x003, 0x004, 0x005, 0x007, 0x006, // 0x10..0x17
        0x00d, 0x00a, 0x008, 0x00c, 0x009, 0x00b, 0x01b, 0x018, // 0x18..0x1f
        0x016, 0x01a, 0x017, 0x019, 0x01c, 0x026, 0x024, 0x028, // 0x20..0x27
        0x025, 0x027, 0x02b, 0x033, 0x035, 0x031, 0x032, 0x034, // 0x28..0x2f
        0x00f, 0x039, 0x029, 0x00e, 0x000, 0x001, 0x15c, 0x15b, // 0x30..0x37
        0x02a, 0x03a, 0x038, 0x01d, 0x036, 0x138, 0x11d, 0x000, // 0x38..0x3f
        0x103, 0x053, 0x000, 0x037, 0x000, 0x04e, 0x000, 0x045, // 0x40..0x47
        0x130, 0x12e, 0x120, 0x135, 0x11c, 0x000, 0x04a, 0x177, // 0x48..0x4f
        0x104, 0x059, 0x052, 0x04f, 0x050, 0x051, 0x04b, 0x04c, // 0x50..0x57
        0x04d, 0x047, 0x05a, 0x048, 0x049, 0x07d, 0x073, 0x05c, // 0x58..0x5f
        0x03f, 0x040, 0x041, 0x03d, 0x042, 0x043, 0x000, 0x057, // 0x60..0x67
        0x000, 0x05d, 0x055, 0x05e, 0x000, 0x044, 0x15d, 0x058, // 0x68..0x6f
        0x000, 0x05f, 0x175, 0x147, 0x149, 0x153, 0x03e, 0x14f, // 0x70..0x77
        0x03c, 0x151, 0x03b, 0x14b, 0x14d, 0x150, 0x148, // 0x78..0x7e
    };

    private PhysicalKeys() {
    }

    /**
     * The scancode of X keycode {@code keycode} of an X server with evdev keycodes (every Xorg, Xwayland and
     * Xvfb with the evdev rules): the keycode is the Linux input code plus 8.
     */
    static int fromXKeycode(int keycode) {
        return fromLinux(keycode - 8);
    }

    /** The scancode of Linux input key code {@code code} (KEY_*). */
    static int fromLinux(int code) {
        if (code >= 1 && code < 84) {
            return code;
        }
        int i = code - 84;
        return i >= 0 && i < LINUX_FROM_84.length && LINUX_FROM_84[i] != 0 ? LINUX_FROM_84[i] : -1;
    }

    /** The scancode of macOS virtual key code {@code code} (the NSEvent keyCode). */
    static int fromMac(int code) {
        return code >= 0 && code < MAC.length && MAC[code] != 0 ? MAC[code] : -1;
    }

    /**
     * The scancode of a Windows key: the hardware scancode byte Windows reports (bits 16..23 of the key message), and
     * whether the key is an extended one (bit 24), which for the keys of a PC keyboard means the 0xE0 prefix.
     */
    static int fromWindows(int scancode, boolean extended) {
        int b = scancode & 0xff;
        if (b == 0 || b > 0x7f) {
            return -1;
        }
        return extended ? 0x100 | b : b;
    }

    /**
     * Whether Windows marks the key of AWT key code {@code keyCode} at {@code location} as extended: AWT keeps the
     * scancode byte but not that flag. These are the keys a PC keyboard sends after 0xE0.
     */
    static boolean windowsExtended(int keyCode, int location) {
        return switch (keyCode) {
            case VK_CONTROL, VK_ALT, VK_ALT_GRAPH -> location == KEY_LOCATION_RIGHT || keyCode == VK_ALT_GRAPH;
            case VK_ENTER -> location == KEY_LOCATION_NUMPAD;
            case VK_INSERT, VK_DELETE, VK_HOME, VK_END, VK_PAGE_UP, VK_PAGE_DOWN, VK_UP, VK_DOWN, VK_LEFT, VK_RIGHT ->
                location != KEY_LOCATION_NUMPAD;
            case VK_DIVIDE, VK_WINDOWS, VK_CONTEXT_MENU, VK_PRINTSCREEN -> true;
            default -> false;
        };
    }

    /** Where a key event comes from: each has its own raw key codes. */
    enum Platform {
        X11, WINDOWS, MAC, OTHER;

        /** This JVM's windowing system. */
        static Platform current() {
            String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
            if (os.startsWith("windows")) {
                return WINDOWS;
            }
            if (os.startsWith("mac")) {
                return MAC;
            }
            return java.awt.GraphicsEnvironment.isHeadless() ? OTHER : X11;
        }
    }

    /**
     * The scancode of a key event from its raw codes as AWT keeps them ({@code rawCode}: the X keycode on X11, the
     * virtual key code on macOS; {@code scancode}: the hardware scancode on Windows), or -1 when they do not name a
     * key (0, or a platform without them): the caller then falls back to a layout table.
     */
    static int scancode(Platform platform, long rawCode, long scancode, int keyCode, int location) {
        return switch (platform) {
            case X11 -> rawCode > 8 && rawCode < 256 ? fromXKeycode((int) rawCode) : -1;
            case WINDOWS -> scancode > 0 ? fromWindows((int) scancode, (scancode & 0x100) != 0
                    || windowsExtended(keyCode, location)) : -1;
            case MAC -> rawCode > 0 && rawCode < 256 ? fromMac((int) rawCode) : -1;
            case OTHER -> -1;
        };
    }
}
