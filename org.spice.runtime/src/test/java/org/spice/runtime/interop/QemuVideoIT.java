package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Video streams from QEMU 7.2 (spice-server with GStreamer, streaming-video=all) in H.264, VP8 and VP9: the VM boots
 * a floppy made here from vga-animation.S, which animates the whole VGA screen; our client prefers one codec
 * (PREFERRED_VIDEO_CODEC_TYPE), QEMU streams the moving screen in it (tshark sees STREAM_CREATE with that codec and
 * no malformed frame) and our client decodes it with the org.spice.video bundle ({@code screenshot} prints it).
 *
 * <p>The animation starts 8 s after boot, once the client has linked: QEMU 7.2's spice-server crashes (SIGSEGV in
 * its worker thread) when a client's codec preference arrives while it already streams to that client.
 */
class QemuVideoIT {
    /** Assembles the boot sector and writes it to a 1.44 MB floppy image. */
    static Path floppy(Path dir) {
        Path src = Peers.root().resolve("org.spice.runtime/src/test/resources/interop/vga-animation.S");
        Peers.runOk(dir, "as", "as", "--32", "-o", "anim.o", src.toString());
        Peers.runOk(dir, "ld", "ld", "-m", "elf_i386", "-Ttext", "0x7c00", "-o", "anim.elf", "anim.o");
        Peers.runOk(dir, "objcopy", "objcopy", "-O", "binary", "-j", ".text", "anim.elf", "anim.bin");
        Path img = dir.resolve("floppy.img");
        try {
            byte[] boot = Files.readAllBytes(dir.resolve("anim.bin"));
            assertEquals(512, boot.length, "the boot sector must be 512 bytes");
            try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
                f.setLength(1474560);
                f.write(boot);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return img;
    }

    @ParameterizedTest
    @CsvSource({"h264, H264, 3", "vp8, VP8, 2", "vp9, VP9, 4"})
    void ourClientDecodesTheCodecItPrefers(String name, String codec, int wire) {
        Path dir = Peers.workDir(getClass(), name);
        Path img = floppy(dir);
        int port = Peers.freePort();
        try (Proc qemu = Qemu.start(dir, "qemu", "qxl",
                "port=" + port + ",addr=127.0.0.1,disable-ticketing=on,streaming-video=all",
                List.of("-drive", "if=floppy,format=raw,file=" + img, "-boot", "order=a,menu=off,splash-time=0"), port);
                Capture cap = Capture.start(dir, "wire", port)) {
            Proc.Result r = Spice.command(List.of(), "screenshot", "--wait-video", "--preferred-video-codec",
                    name + ",mjpeg", "spice://127.0.0.1:" + port, dir.resolve("screen.png").toString())
                    .run(dir, "ours", Duration.ofSeconds(90));
            cap.stop();
            assertEquals(0, r.exitCode(), r::describe);
            assertTrue(r.stdout().contains("streams: " + codec + " x"), () -> "no " + codec + " stream decoded\n"
                    + r.describe());
            assertTrue(qemu.isAlive(), qemu::describe);
            List<String> created = cap.frames("spice.display_stream_codec_type", "spice.display_stream_codec_type");
            assertTrue(created.stream().flatMap(l -> java.util.Arrays.stream(l.strip().split(",")))
                    .anyMatch(v -> v.equals(String.valueOf(wire))),
                    () -> "no STREAM_CREATE in " + codec + " on the wire: " + created);
            assertEquals(List.of(), Capture.attributable(cap.frames("_ws.malformed && tcp.srcport==" + port)),
                    "malformed SPICE frames");
        }
    }
}
