package org.spice.display.internal.codec;

/** Checks on what a decoder accepted: a picture it returns is whole. */
final class FuzzChecks {
    private FuzzChecks() {
    }

    static void consistent(Pixels p) {
        if (p.width() <= 0 || p.height() <= 0 || p.argb().length != p.width() * p.height()) {
            throw new AssertionError("decoded " + p.width() + "x" + p.height() + " with " + p.argb().length
                    + " pixels");
        }
    }
}
