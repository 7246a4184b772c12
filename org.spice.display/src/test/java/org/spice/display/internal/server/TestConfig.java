package org.spice.display.internal.server;

import java.lang.annotation.Annotation;

/** A {@link DisplayConfig} for tests. */
public record TestConfig(String source, String image_compression, String jpeg_compression, String streaming_video)
        implements DisplayConfig {
    public TestConfig(String source, String image_compression, String streaming_video) {
        this(source, image_compression, "never", streaming_video);
    }

    @Override
    public int monitors() {
        return 1;
    }

    @Override
    public String video_codecs() {
        return "mjpeg";
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return DisplayConfig.class;
    }
}
