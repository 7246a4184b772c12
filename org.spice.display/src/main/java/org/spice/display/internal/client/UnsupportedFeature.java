package org.spice.display.internal.client;

/**
 * Well-formed input this client cannot render yet (an image type or raster operation): the draw is skipped,
 * logged once, and listed in {@link org.spice.display.api.ClientDisplay#unsupported()}; the channel stays up.
 */
final class UnsupportedFeature extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnsupportedFeature(String what) {
        super(what, null, false, false);
    }
}
