package org.spice.client.swing.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.spice.protocol.ChannelType;
import org.spice.protocol.client.LinkedChannel;

/** The text of a display window's status line: the channels linked, the round trip to the server, the video codec. */
final class StatusLine {
    private StatusLine() {
    }

    /**
     * For example {@code "main display inputs cursor playback | latency 1.2 ms | video: H264"}: the channels by
     * type and id (they link in any order; an id other than 0 after a colon), the round trip ({@code rttNanos}, -1
     * for unknown) and the codecs of the window's live video streams ({@code video: none} while none plays).
     */
    static String text(List<LinkedChannel> channels, long rttNanos, List<String> videoCodecs) {
        StringBuilder b = new StringBuilder();
        for (LinkedChannel c : channels.stream().sorted(Comparator.comparingInt(LinkedChannel::type)
                .thenComparingInt(LinkedChannel::id)).toList()) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(ChannelType.name(c.type()));
            if (c.id() != 0) {
                b.append(':').append(c.id());
            }
        }
        b.append(" | latency ").append(latency(rttNanos));
        b.append(" | video: ").append(videoCodecs.isEmpty() ? "none" : String.join(", ", videoCodecs));
        return b.toString();
    }

    /** A round trip in milliseconds, with a decimal below 10 ms; "?" when unknown. */
    static String latency(long rttNanos) {
        if (rttNanos < 0) {
            return "?";
        }
        double ms = rttNanos / 1e6;
        return ms < 10 ? String.format(Locale.ROOT, "%.1f ms", ms) : Math.round(ms) + " ms";
    }
}
