package org.spice.record.internal.sink;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.spice.playback.audio.Wav;
import org.spice.record.api.AudioSink;

/**
 * The default sink: one WAV file per recording, {@code record-<connection id>-<time>.wav}, in a directory
 * (default {@code java.io.tmpdir/spice-record}). Ranked below any other sink.
 */
@Component(configurationPid = WavSink.Config.PID, property = "service.ranking:Integer=-100")
@Designate(ocd = WavSink.Config.class)
public final class WavSink implements AudioSink {
    private static final System.Logger LOG = System.getLogger("org.spice.record");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    @ObjectClassDefinition(name = "SPICE record WAV sink", description = "Where recordings are written.")
    public @interface Config {
        String PID = "org.spice.record.sink";

        @AttributeDefinition(description = "Directory for the WAV files; empty: java.io.tmpdir/spice-record.")
        String directory() default "";
    }

    private final Path dir;

    @Activate
    public WavSink(Config config) {
        this(config.directory().isEmpty() ? defaultDirectory() : Path.of(config.directory()));
    }

    /** Outside a framework: a sink writing into {@code dir}. */
    public static WavSink in(Path dir) {
        return new WavSink(dir);
    }

    private WavSink(Path dir) {
        this.dir = dir;
    }

    public static Path defaultDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"), "spice-record");
    }

    @Override
    public Recording open(long connectionId, int rate, int channels) throws IOException {
        Path f = dir.resolve("record-" + Long.toHexString(connectionId) + "-" + TIME.format(LocalDateTime.now())
                + ".wav");
        Wav.Writer w = new Wav.Writer(f, rate, channels);
        LOG.log(Level.INFO, "recording client 0x" + Long.toHexString(connectionId) + " to " + f);
        return new Recording() {
            private int unflushed;

            @Override
            public void write(short[] samples) throws IOException {
                w.write(samples, 0, samples.length);
                if (++unflushed >= 50) {
                    w.flush();
                    unflushed = 0;
                }
            }

            @Override
            public void close() throws IOException {
                w.close();
                LOG.log(Level.INFO, "recorded " + w.frames() / (double) rate + " s to " + f);
            }
        };
    }
}
