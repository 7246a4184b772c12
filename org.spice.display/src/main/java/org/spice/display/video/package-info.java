/**
 * Video streams of the display channel: the {@link org.spice.display.video.VideoCodec}s SPICE defines and the
 * SPI through which an optional bundle adds decoders (client role) and encoders (server role) for them. MJPEG is
 * built into the display bundle; without another bundle a client announces MJPEG only. A {@link
 * org.spice.display.video.JpegDecoderService} replaces the display's own JPEG decoder (the JDK's ImageIO) for JPEG
 * images and MJPEG frames where a bundle registers one, and a {@link org.spice.display.video.Lz4DecoderService}
 * the display's own LZ4 decoder for the blocks of 32-bit LZ4 images.
 */
@Export
@Version("1.4.0")
package org.spice.display.video;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
