package org.spice.display.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.spice.display.api.DisplaySettings;

/**
 * The display settings are defined once, in {@link DisplaySettings}: the metatype bnd generates from
 * {@link DisplayConfig} (what Felix's web console and Karaf offer) and the encoder's {@link ImageCompression} must
 * list the same values and defaults.
 */
class DisplaySettingsTest {
    private static String metatype() throws IOException {
        try (InputStream in = DisplaySettingsTest.class.getResourceAsStream(
                "/OSGI-INF/metatype/" + DisplayConfig.class.getName() + ".xml")) {
            assertNotNull(in, "bnd's metatype of DisplayConfig (generated at process-classes)");
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** The option values and the default of one attribute of the metatype. */
    private static List<String> options(String xml, String id) {
        Matcher ad = Pattern.compile("(?s)<AD id=\"" + Pattern.quote(id) + "\"[^>]*default=\"([^\"]*)\"[^/]*?>(.*?)</AD>")
                .matcher(xml);
        if (!ad.find()) {
            throw new AssertionError("no attribute " + id + " with options in the metatype");
        }
        List<String> out = new ArrayList<>(List.of("default=" + ad.group(1)));
        Matcher o = Pattern.compile("<Option[^>]*value=\"([^\"]*)\"").matcher(ad.group(2));
        while (o.find()) {
            out.add(o.group(1));
        }
        return out;
    }

    private static List<String> expected(String def, List<String> values) {
        List<String> out = new ArrayList<>(List.of("default=" + def));
        out.addAll(values);
        return out;
    }

    @Test
    void theMetatypeOffersTheSettingsValues() throws IOException {
        String xml = metatype();
        assertEquals(expected(DisplaySettings.IMAGE_COMPRESSION_DEFAULT, DisplaySettings.IMAGE_COMPRESSIONS),
                options(xml, "image.compression"));
        assertEquals(expected(DisplaySettings.JPEG_COMPRESSION_DEFAULT, DisplaySettings.JPEG_COMPRESSIONS),
                options(xml, "jpeg.compression"));
        assertEquals(expected(DisplaySettings.STREAMING_VIDEO_DEFAULT, DisplaySettings.STREAMING_VIDEO),
                options(xml, "streaming.video"));
        assertEquals(DisplaySettings.PID, DisplayConfig.PID);
    }

    @Test
    void theEncoderKnowsEveryImageCompressionByItsName() {
        assertEquals(DisplaySettings.IMAGE_COMPRESSIONS.stream().sorted().toList(),
                Arrays.stream(ImageCompression.values()).map(ImageCompression::configName).sorted().toList());
        for (String name : DisplaySettings.IMAGE_COMPRESSIONS) {
            assertEquals(name, ImageCompression.parse(name).configName());
        }
    }
}
