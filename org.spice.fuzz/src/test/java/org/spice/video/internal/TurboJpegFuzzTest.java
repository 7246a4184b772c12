package org.spice.video.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.spice.display.video.VideoCodecException;
import org.spice.display.video.VideoPicture;

/**
 * libjpeg-turbo behind TurboJpeg on the JPEG of a SPICE JPEG image or MJPEG frame, bytes from the network: through
 * the bundle's JNI library the library reads them where they lie and writes the picture straight into a Java array,
 * so a read or write past an array would hit the JVM's own heap. Input: the JPEG. Only VideoCodecException may
 * escape; a picture is within the limits given, has width * height pixels and is opaque. A fuzzing run that crashes
 * the JVM is a finding too.
 */
class TurboJpegFuzzTest {
    private static final TurboJpeg DECODER = new TurboJpeg();
    private static final int MAX_SIDE = 1024;
    private static final long MAX_PIXELS = 1 << 20;

    @FuzzTest(maxDuration = "10m")
    void jpeg(byte[] input) {
        if (TurboJpeg.loadFailure() != null || HeapArrayCalls.FAILURE != null) {
            throw new AssertionError("libjpeg-turbo: " + TurboJpeg.loadFailure() + "; the JNI library: "
                    + HeapArrayCalls.FAILURE);
        }
        if (input.length == 0) {
            return;
        }
        // the JPEG at an offset, as it lies in a message
        byte[] message = new byte[input.length + 3];
        System.arraycopy(input, 0, message, 3, input.length);
        VideoPicture p;
        try {
            p = DECODER.decode(message, 3, input.length, MAX_SIDE, MAX_PIXELS);
        } catch (VideoCodecException refused) {
            return;
        }
        if (p.width() > MAX_SIDE || p.height() > MAX_SIDE || (long) p.width() * p.height() > MAX_PIXELS
                || p.argb().length != p.width() * p.height()) {
            throw new AssertionError("a " + p.width() + "x" + p.height() + " picture of " + p.argb().length
                    + " pixels");
        }
        for (int px : p.argb()) {
            if (px >>> 24 != 0xff) {
                throw new AssertionError("a pixel of alpha " + (px >>> 24));
            }
        }
    }
}
