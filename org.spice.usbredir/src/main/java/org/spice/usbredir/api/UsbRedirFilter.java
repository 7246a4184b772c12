package org.spice.usbredir.api;

import java.util.ArrayList;
import java.util.List;

/**
 * USB redirect filter rules as usbredir and spice-gtk write them ({@code --spice-usbredir-auto-redirect-filter},
 * QEMU's usb-redir {@code filter}): rules separated by {@code |}, each {@code class,vendor,product,version,allow}
 * where -1 matches anything, numbers are read as C's strtol with base 0 reads them (0x hex, leading-0 octal,
 * decimal), and allow is 0 (block) or anything else (allow). Empty rules are skipped. The first matching rule
 * decides; {@link #check} applies it to the device class (unless 0x00 or 0xef, which defer to the interfaces) and to
 * every interface class, and a device passes only when every one of them is allowed. Immutable.
 */
public final class UsbRedirFilter {
    /** When no rule matches, allow instead of {@link Verdict#NO_MATCH}. */
    public static final int DEFAULT_ALLOW = 0x01;
    /**
     * Check non-boot HID interfaces (class 3, subclass 0, protocol 0) of multi-interface devices too; without it they
     * are skipped unless every interface is one.
     */
    public static final int DONT_SKIP_NON_BOOT_HID = 0x02;

    /** An empty filter: nothing matches. */
    public static final UsbRedirFilter NONE = new UsbRedirFilter(List.of());

    private final List<Rule> rules;

    private UsbRedirFilter(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** One rule; -1 in the first four fields matches any value. */
    public record Rule(int deviceClass, int vendorId, int productId, int deviceVersionBcd, boolean allow) {
        public Rule {
            check("class", deviceClass, 255);
            check("vendor", vendorId, 65535);
            check("product", productId, 65535);
            check("version", deviceVersionBcd, 65535);
        }

        private static void check(String what, int v, int max) {
            if (v < -1 || v > max) {
                throw new IllegalArgumentException("filter rule " + what + " " + v + " is outside -1.." + max);
            }
        }

        boolean matches(int cls, UsbIdentity d) {
            return (deviceClass == -1 || deviceClass == cls) && (vendorId == -1 || vendorId == d.vendorId())
                    && (productId == -1 || productId == d.productId())
                    && (deviceVersionBcd == -1 || deviceVersionBcd == d.deviceVersionBcd());
        }
    }

    /** The outcome of a check. */
    public enum Verdict {
        /** Every class checked was allowed by a rule (or by {@link #DEFAULT_ALLOW}). */
        ALLOW,
        /** A rule blocks the device or one of its interfaces. */
        DENY,
        /** The device or one of its interfaces matched no rule. */
        NO_MATCH
    }

    /** Parses rules separated by {@code |} with fields separated by {@code ,}. */
    public static UsbRedirFilter parse(String rules) {
        return parse(rules, ",", "|");
    }

    /**
     * Parses {@code text} where any character of {@code ruleSeparators} ends a rule and any of
     * {@code fieldSeparators} ends a field; runs of separators count as one, as strtok reads them.
     *
     * @throws IllegalArgumentException naming the bad rule
     */
    public static UsbRedirFilter parse(String text, String fieldSeparators, String ruleSeparators) {
        if (fieldSeparators.isEmpty() || ruleSeparators.isEmpty()) {
            throw new IllegalArgumentException("empty filter separators");
        }
        List<Rule> rules = new ArrayList<>();
        for (String rule : tokens(text, ruleSeparators)) {
            List<String> fields = tokens(rule, fieldSeparators);
            if (fields.size() != 5) {
                throw new IllegalArgumentException("filter rule \"" + rule + "\" has " + fields.size()
                        + " fields, not class,vendor,product,version,allow");
            }
            int[] v = new int[5];
            for (int i = 0; i < 5; i++) {
                v[i] = strtol(fields.get(i), rule);
            }
            try {
                rules.add(new Rule(v[0], v[1], v[2], v[3], v[4] != 0));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("filter rule \"" + rule + "\": " + e.getMessage());
            }
        }
        return new UsbRedirFilter(rules);
    }

    /** The filter made of {@code rules}, in order. */
    public static UsbRedirFilter of(List<Rule> rules) {
        return new UsbRedirFilter(rules);
    }

    public List<Rule> rules() {
        return rules;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Whether {@code device} passes with {@code flags} ({@link #DEFAULT_ALLOW}, {@link #DONT_SKIP_NON_BOOT_HID}). */
    public boolean allows(UsbIdentity device, int flags) {
        return check(device, flags) == Verdict.ALLOW;
    }

    /** usbredirfilter_check: the device class, then each interface class, each by the first matching rule. */
    public Verdict check(UsbIdentity d, int flags) {
        if (d.deviceClass() != 0x00 && d.deviceClass() != 0xef) {
            Verdict v = first(d.deviceClass(), d, flags);
            if (v != Verdict.ALLOW) {
                return v;
            }
        }
        int skipped = 0;
        List<UsbIdentity.InterfaceClass> ifs = d.interfaces();
        for (UsbIdentity.InterfaceClass i : ifs) {
            if ((flags & DONT_SKIP_NON_BOOT_HID) == 0 && ifs.size() > 1 && i.interfaceClass() == 0x03
                    && i.subclass() == 0 && i.protocol() == 0) {
                skipped++;
                continue;
            }
            Verdict v = first(i.interfaceClass(), d, flags);
            if (v != Verdict.ALLOW) {
                return v;
            }
        }
        if (!ifs.isEmpty() && skipped == ifs.size()) {
            return check(d, flags | DONT_SKIP_NON_BOOT_HID);
        }
        return Verdict.ALLOW;
    }

    private Verdict first(int cls, UsbIdentity d, int flags) {
        for (Rule r : rules) {
            if (r.matches(cls, d)) {
                return r.allow() ? Verdict.ALLOW : Verdict.DENY;
            }
        }
        return (flags & DEFAULT_ALLOW) != 0 ? Verdict.ALLOW : Verdict.NO_MATCH;
    }

    /** The rules as usbredirfilter_rules_to_string writes them: hex ids, -1 wildcards, allow as 0 or 1. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (Rule r : rules) {
            if (!s.isEmpty()) {
                s.append('|');
            }
            s.append(r.deviceClass() == -1 ? "-1" : String.format("0x%02x", r.deviceClass())).append(',')
                    .append(r.vendorId() == -1 ? "-1" : String.format("0x%04x", r.vendorId())).append(',')
                    .append(r.productId() == -1 ? "-1" : String.format("0x%04x", r.productId())).append(',')
                    .append(r.deviceVersionBcd() == -1 ? "-1" : String.format("0x%04x", r.deviceVersionBcd()))
                    .append(',').append(r.allow() ? 1 : 0);
        }
        return s.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UsbRedirFilter f && f.rules.equals(rules);
    }

    @Override
    public int hashCode() {
        return rules.hashCode();
    }

    private static List<String> tokens(String s, String separators) {
        List<String> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= s.length(); i++) {
            boolean sep = i == s.length() || separators.indexOf(s.charAt(i)) >= 0;
            if (sep && start >= 0) {
                out.add(s.substring(start, i));
                start = -1;
            } else if (!sep && start < 0) {
                start = i;
            }
        }
        return out;
    }

    /**
     * A whole field read as strtol(field, &end, 0) with end at the field's end: leading white space, a sign, then
     * 0x hex, 0 octal or decimal; out-of-range values saturate to a 64-bit long and are then cut to an int, as C
     * stores strtol's result in the rule's int.
     */
    private static int strtol(String f, String rule) {
        int i = 0;
        while (i < f.length() && " \t\n\u000b\f\r".indexOf(f.charAt(i)) >= 0) {
            i++;
        }
        boolean negative = false;
        if (i < f.length() && (f.charAt(i) == '+' || f.charAt(i) == '-')) {
            negative = f.charAt(i) == '-';
            i++;
        }
        int radix = 10;
        if (f.startsWith("0x", i) || f.startsWith("0X", i)) {
            if (i + 2 < f.length() && Character.digit(f.charAt(i + 2), 16) >= 0) {
                radix = 16;
                i += 2;
            } else {
                radix = 8; // "0x" without hex digits: strtol reads the 0 and stops at the x
            }
        } else if (i < f.length() && f.charAt(i) == '0') {
            radix = 8;
        }
        int digits = 0;
        long v = 0;
        boolean saturated = false;
        for (; i < f.length() && Character.digit(f.charAt(i), radix) >= 0; i++, digits++) {
            int d = Character.digit(f.charAt(i), radix);
            if (v > (Long.MAX_VALUE - d) / radix) {
                saturated = true;
            } else {
                v = v * radix + d;
            }
        }
        if (digits == 0 || i != f.length()) {
            throw new IllegalArgumentException("filter rule \"" + rule + "\": \"" + f + "\" is not a number");
        }
        long r = saturated ? negative ? Long.MIN_VALUE : Long.MAX_VALUE : negative ? -v : v;
        return (int) r;
    }
}
