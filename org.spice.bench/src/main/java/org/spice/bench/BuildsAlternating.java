package org.spice.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntSupplier;

import org.spice.display.internal.codec.Pixels;

/**
 * Two builds of one of our codecs against each other, for tuning it: one JVM loads the codec twice, from two class
 * paths in two class loaders, and alternates quarter-second slices of each on the same stream (or pixels), printing
 * the median and quartiles of B's speed over A's over the second half of the run, as {@link VersusCAlternating} does
 * for ours against C. Separate JVMs of one build differ by several per cent here (docs/codec-bench.md); in one JVM
 * the machine's drift hits both builds alike. The JIT still treats the two loaders' copies differently: the same build
 * as A and B read 0.95 to 1.04, so run both orders (A, B and B, A) and take the mean of B's ratios and of the inverse
 * of A's.
 *
 * <pre>
 * java -cp org.spice.bench/target/benchmarks.jar org.spice.bench.BuildsAlternating \
 *     SECONDS PATH_A PATH_B CODEC [SCREEN...]
 * </pre>
 *
 * PATH_A, PATH_B: class paths (':' between entries), each ending in a benchmarks.jar for what the entries before it
 * lack, e.g. {@code /tmp/changed-classes:org.spice.bench/target/benchmarks.jar} against a copy of the jar built before
 * the change. CODEC: quic, quicEncode, lz, lzEncode, lz4 (liblz4's streams but the text screen's: the C harness must
 * be built), glz. SCREEN: VersusCBenchmark's, text720x400, splash1024x768, desktop1920x1080 and photo1920x1080 (the
 * last two when none is given). The decoders' streams are made by build A's encoder, but for QEMU's QUIC and LZ4
 * streams where it sent them; the builds must decode them to the same pixels, and encoders that write different
 * bytes are reported, since then they do different work.
 */
public final class BuildsAlternating {
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.publicLookup();
    private static final String CODEC_PACKAGE = "org.spice.display.internal.codec.";
    /** Keeps every result reachable, so that no slice's work can be left out. */
    private static volatile Object kept;

    private BuildsAlternating() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length < 4) {
            System.err.println("usage: BuildsAlternating SECONDS PATH_A PATH_B CODEC [SCREEN...]");
            System.exit(2);
        }
        int seconds = Integer.parseInt(args[0]);
        ClassLoader a = loader(args[1]);
        ClassLoader b = loader(args[2]);
        String codec = args[3];
        List<String> screens = args.length > 4 ? Arrays.asList(args).subList(4, args.length)
                : List.of("desktop1920x1080", "photo1920x1080");
        for (String screen : screens) {
            byte[] qemuQuic = VersusCBenchmark.qemuStream(screen, "quic");
            Pixels pixels = VersusCBenchmark.screenPixels(screen, qemuQuic);
            byte[] stream = stream(a, codec, screen, pixels, qemuQuic);
            Build buildA = new Build(a, codec, stream, pixels);
            Build buildB = new Build(b, codec, stream, pixels);
            compare(screen, codec, buildA.result(), buildB.result());
            List<double[]> rows = new ArrayList<>();
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                boolean measured = System.nanoTime() - start > (end - start) / 2;
                double opsA = VersusCAlternating.opsPerSecond(buildA);
                double opsB = VersusCAlternating.opsPerSecond(buildB);
                if (measured) {
                    rows.add(new double[] { opsA, opsB, opsB / opsA });
                }
            }
            System.out.printf("%s %s: B/A median %.3f (quartiles %.3f to %.3f, %d slice pairs); ops/s median A %.4g,"
                    + " B %.4g%n", screen, codec, VersusCAlternating.quantile(rows, 2, 2),
                    VersusCAlternating.quantile(rows, 2, 1), VersusCAlternating.quantile(rows, 2, 3), rows.size(),
                    VersusCAlternating.quantile(rows, 0, 2), VersusCAlternating.quantile(rows, 1, 2));
        }
    }

    /** A class path's own loader: the platform's classes from the parent, everything else from the path. */
    private static ClassLoader loader(String classPath) throws MalformedURLException {
        String[] entries = classPath.split(":");
        URL[] urls = new URL[entries.length];
        for (int i = 0; i < entries.length; i++) {
            urls[i] = Path.of(entries[i]).toUri().toURL();
        }
        return new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
    }

    /**
     * What the decoders decode: build A's encoding of the screen, or QEMU's own QUIC ({@code qemuQuic}, read once for
     * the pixels too) and LZ4 streams of it.
     */
    private static byte[] stream(ClassLoader a, String codec, String screen, Pixels p, byte[] qemuQuic)
            throws Throwable {
        int w = p.width();
        byte[] qemu = codec.equals("quic") ? qemuQuic
                : codec.equals("lz4") ? VersusCBenchmark.qemuStream(screen, codec) : null;
        if (qemu != null) {
            return qemu;
        }
        return switch (codec) {
            case "quic" -> (byte[]) encoder(a, "QuicEncoder").invoke(w, p.height(), p.argb(), 0, w);
            case "lz" -> (byte[]) encoder(a, "LzEncoder").invoke(w, p.height(), p.argb(), 0, w);
            case "glz" -> (byte[]) glzEncoder(a).invoke(w, p.height(), p.argb(), 0, w);
            case "lz4" -> lz4(p);
            case "quicEncode", "lzEncode" -> null;
            default -> throw new IllegalArgumentException("no codec " + codec
                    + "; one of quic, quicEncode, lz, lzEncode, lz4, glz");
        };
    }

    /** liblz4's streaming compression of the screen, as spice-server's (through the C harness, which must be built). */
    private static byte[] lz4(Pixels p) {
        byte[] out = new byte[p.argb().length * 8 + 4096];
        return Arrays.copyOf(out, CReference.lz4Encode(p.argb(), p.width(), p.height(), out));
    }

    /** {@code NAME.encodeRgb32(width, height, pixels, offset, stride)} of a loader's build. */
    private static MethodHandle encoder(ClassLoader l, String name) throws ReflectiveOperationException {
        return LOOKUP.findStatic(l.loadClass(CODEC_PACKAGE + name), "encodeRgb32",
                MethodType.methodType(byte[].class, int.class, int.class, int[].class, int.class, int.class));
    }

    /** A new GLZ encoder's {@code encodeRgb32}, bound: the first image of a connection, as VersusCBenchmark's. */
    private static MethodHandle glzEncoder(ClassLoader l) throws Throwable {
        Class<?> type = l.loadClass(CODEC_PACKAGE + "GlzEncoder");
        Object encoder = LOOKUP.findConstructor(type, MethodType.methodType(void.class, long.class)).invoke(1L << 22);
        return LOOKUP.findVirtual(type, "encodeRgb32",
                MethodType.methodType(byte[].class, int.class, int.class, int[].class, int.class, int.class))
                .bindTo(encoder);
    }

    /** Decoded pixels must agree; encoded bytes that differ are reported, the two builds then doing different work. */
    private static void compare(String screen, String codec, Object a, Object b) {
        if (a instanceof byte[] bytesA) {
            byte[] bytesB = (byte[]) b;
            if (!Arrays.equals(bytesA, bytesB)) {
                System.out.printf("%s %s: the builds' streams differ (A %d bytes, B %d)%n", screen, codec,
                        bytesA.length, bytesB.length);
            }
        } else if (!Arrays.equals((int[]) a, (int[]) b)) {
            throw new IllegalStateException(screen + " " + codec + ": the builds decode different pixels");
        }
    }

    /** One build's codec on the screen, one operation a call; returns an image's width or a stream's length. */
    private static final class Build implements IntSupplier {
        private final String codec;
        private final byte[] stream;
        private final Pixels pixels;
        private final MethodHandle operation;
        private final MethodHandle argb;

        Build(ClassLoader l, String codec, byte[] stream, Pixels pixels) throws Throwable {
            this.codec = codec;
            this.stream = stream;
            this.pixels = pixels;
            Class<?> decoded = l.loadClass(CODEC_PACKAGE + "Pixels");
            argb = LOOKUP.findVirtual(decoded, "argb", MethodType.methodType(int[].class))
                    .asType(MethodType.methodType(int[].class, Object.class));
            MethodType decode = MethodType.methodType(decoded, byte[].class, int.class, int.class);
            operation = switch (codec) {
                case "quic" -> LOOKUP.findStatic(l.loadClass(CODEC_PACKAGE + "QuicDecoder"), "decode", decode);
                case "lz" -> MethodHandles.insertArguments(LOOKUP.findStatic(l.loadClass(CODEC_PACKAGE + "LzDecoder"),
                        "decode", decode.appendParameterTypes(int[].class)), 3, (Object) null);
                case "glz" -> glzDecode(l, decode);
                case "lz4" -> MethodHandles.insertArguments(LOOKUP.findStatic(l.loadClass(CODEC_PACKAGE + "Lz4Decoder"),
                        "decode", decode.appendParameterTypes(int.class, int.class)), 3, pixels.width(),
                        pixels.height());
                case "quicEncode" -> encoder(l, "QuicEncoder");
                case "lzEncode" -> encoder(l, "LzEncoder");
                default -> throw new IllegalArgumentException("no codec " + codec);
            };
        }

        /** {@code new GlzDecoder(new GlzWindow()).decode(data, offset, length, null)}: a new window an image. */
        private static MethodHandle glzDecode(ClassLoader l, MethodType decode) throws ReflectiveOperationException {
            Class<?> window = l.loadClass(CODEC_PACKAGE + "GlzWindow");
            Class<?> decoder = l.loadClass(CODEC_PACKAGE + "GlzDecoder");
            MethodHandle newWindow = LOOKUP.findConstructor(window, MethodType.methodType(void.class));
            MethodHandle newDecoder = MethodHandles.collectArguments(
                    LOOKUP.findConstructor(decoder, MethodType.methodType(void.class, window)), 0, newWindow);
            MethodHandle decodeOf = MethodHandles.insertArguments(LOOKUP.findVirtual(decoder, "decode",
                    decode.appendParameterTypes(int[].class)), 4, (Object) null);
            return MethodHandles.collectArguments(decodeOf, 0, newDecoder);
        }

        /** The operation's output: decoded pixels or encoded bytes. */
        Object result() throws Throwable {
            Object out = run();
            return out instanceof byte[] ? out : (int[]) argb.invoke(out);
        }

        private Object run() throws Throwable {
            Object out = codec.endsWith("Encode")
                    ? operation.invoke(pixels.width(), pixels.height(), pixels.argb(), 0, pixels.width())
                    : operation.invoke(stream, 0, stream.length);
            kept = out;
            return out;
        }

        @Override
        public int getAsInt() {
            try {
                Object out = run();
                return out instanceof byte[] bytes ? bytes.length : pixels.width();
            } catch (Throwable e) {
                throw new IllegalStateException(codec, e);
            }
        }
    }
}
