package org.spice.runtime.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.spice.cli.ClientSettings;
import org.spice.cli.ExitCodes;
import org.spice.display.video.VideoCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spice client-settings}: shows and saves the defaults client commands take ({@link ClientSettings}). */
@Command(name = "client-settings", mixinStandardHelpOptions = true,
        description = "Show or save the client settings kept between runs (CA file, host subject, timeout, preferred"
                + " image compression).")
final class ClientSettingsCommand implements Callable<Integer> {
    private final Runtime rt;

    @Option(names = "--ca-file", description = "Default PEM file of the CA that signs servers' certificates.")
    Path caFile;

    @Option(names = "--host-subject", description = "Default expected server certificate subject.")
    String hostSubject;

    @Option(names = "--timeout", description = "Default seconds to wait for each step.")
    Integer timeout;

    @Option(names = "--preferred-compression", paramLabel = "NAME", description = "Image compression our client"
            + " asks servers to prefer (off, auto-glz, auto-lz, quic, glz, lz, lz4; 'none' forgets it).")
    String preferredCompression;

    @Option(names = "--preferred-video-codec", paramLabel = "LIST", description = "Video codecs our client asks"
            + " servers to stream in, most wanted first (e.g. h264,vp8,mjpeg; 'none' forgets them).")
    String preferredVideoCodecs;

    ClientSettingsCommand(Runtime rt) {
        this.rt = rt;
    }

    @Override
    public Integer call() throws IOException {
        ClientSettings s = ClientSettings.load();
        String compression = s.preferredCompression();
        if (preferredCompression != null) {
            compression = ScreenshotCommand.compressionName(preferredCompression);
            if (compression == null && !"none".equals(preferredCompression)) {
                rt.err().println("error: unknown image compression '" + preferredCompression + "' (one of "
                        + String.join(", ", ScreenshotCommand.COMPRESSIONS) + ", or none)");
                return ExitCodes.USAGE;
            }
        }
        String videoCodecs = s.preferredVideoCodecs();
        if (preferredVideoCodecs != null) {
            try {
                videoCodecs = "none".equals(preferredVideoCodecs) ? null
                        : VideoCodec.canonicalList(preferredVideoCodecs);
            } catch (IllegalArgumentException e) {
                rt.err().println("error: " + e.getMessage());
                return ExitCodes.USAGE;
            }
        }
        if (caFile != null || hostSubject != null || timeout != null || preferredCompression != null
                || preferredVideoCodecs != null) {
            s = new ClientSettings(caFile != null ? caFile : s.caFile(),
                    hostSubject != null ? hostSubject : s.hostSubject(), timeout != null ? timeout : s.timeoutSeconds(),
                    compression, videoCodecs);
            s.save();
            rt.out().println("saved " + ClientSettings.file());
        }
        rt.out().println("ca-file: " + (s.caFile() == null ? "(none: the JDK's trust store)" : s.caFile()));
        rt.out().println("host-subject: " + (s.hostSubject() == null ? "(none: the host name is checked)"
                : s.hostSubject()));
        rt.out().println("timeout: " + (s.timeoutSeconds() == null ? "10 (default)" : s.timeoutSeconds()) + " s");
        rt.out().println("preferred-compression: " + (s.preferredCompression() == null
                ? "(none: the server chooses)" : s.preferredCompression()));
        rt.out().println("preferred-video-codec: " + (s.preferredVideoCodecs() == null
                ? "(none: the server chooses)" : s.preferredVideoCodecs()));
        return 0;
    }
}
