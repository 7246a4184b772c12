package org.spice.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * Our codec against the C one on a loaded machine: one JVM alternates quarter-second slices of ours and of C on the
 * same screen and codec as {@link VersusCBenchmark}, and prints the median and quartiles of the ratio of neighbouring
 * slices over the second half of the run (the first half warms both up). Load that comes and goes hits both sides
 * of a ratio alike, where JMH's separate iterations of ours and C may fall on a quiet and a busy second.
 *
 * <pre>java -cp org.spice.bench/target/benchmarks.jar org.spice.bench.VersusCAlternating SCREEN SECONDS CODEC...</pre>
 *
 * CODEC: quic, quicEncode, lz, lzEncode, lz4 (org.spice.video's liblz4 through JNI), lz4Java (the display's own
 * decoder), jpeg (ImageIO), jpegTurbo (org.spice.video's libjpeg-turbo through JNI), glz (all of them when none is
 * given). quic, lz, lz4, lz4Java and jpegTurbo decode into an array reused image after image, as C does; quicNew,
 * lzNew, lz4New, lz4JavaNew and jpegTurboNew into a new array an image, as the client does.
 */
public final class VersusCAlternating {
    private static final long SLICE_NANOS = 250_000_000L;

    private VersusCAlternating() {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: VersusCAlternating SCREEN SECONDS [CODEC...]");
            System.exit(2);
        }
        VersusCBenchmark b = new VersusCBenchmark();
        b.screen = args[0];
        b.load();
        int seconds = Integer.parseInt(args[1]);
        Map<String, IntSupplier[]> all = new LinkedHashMap<>();
        all.put("quic", pair(() -> b.quicOurs().width(), b::quicC));
        all.put("quicNew", pair(() -> b.quicOursNew().width(), b::quicC));
        all.put("quicEncode", pair(() -> b.quicEncodeOurs().length, b::quicEncodeC));
        all.put("lz", pair(() -> b.lzOurs().width(), b::lzC));
        all.put("lzNew", pair(() -> b.lzOursNew().width(), b::lzC));
        all.put("lzEncode", pair(() -> b.lzEncodeOurs().length, b::lzEncodeC));
        all.put("lz4", pair(() -> b.lz4Ours().width(), b::lz4C));
        all.put("lz4New", pair(() -> b.lz4OursNew().width(), b::lz4C));
        all.put("lz4Java", pair(() -> b.lz4Java().width(), b::lz4C));
        all.put("lz4JavaNew", pair(() -> b.lz4JavaNew().width(), b::lz4C));
        all.put("jpeg", pair(() -> b.jpegOurs().width(), b::jpegC));
        all.put("jpegTurbo", pair(() -> b.jpegTurboOurs().width(), b::jpegC));
        all.put("jpegTurboNew", pair(() -> b.jpegTurboOursNew().width(), b::jpegC));
        all.put("glz", pair(() -> b.glzOurs().width(), b::glzC));
        List<String> codecs = args.length > 2 ? Arrays.asList(args).subList(2, args.length) : List.copyOf(all.keySet());
        for (String codec : codecs) {
            if (!all.containsKey(codec)) {
                throw new IllegalArgumentException("no codec " + codec + "; one of " + all.keySet());
            }
        }
        Map<String, List<double[]>> kept = new LinkedHashMap<>();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            boolean measured = System.nanoTime() - start > (end - start) / 2;
            for (String codec : codecs) {
                IntSupplier[] p = all.get(codec);
                double ours = opsPerSecond(p[0]);
                double c = opsPerSecond(p[1]);
                if (measured) {
                    kept.computeIfAbsent(codec, k -> new ArrayList<>()).add(new double[] { ours, c, ours / c });
                }
            }
        }
        for (Map.Entry<String, List<double[]>> e : kept.entrySet()) {
            List<double[]> rows = e.getValue();
            System.out.printf("%s %s: ours/C median %.2f (quartiles %.2f to %.2f, %d slice pairs);"
                    + " ops/s median ours %.4g, C %.4g%n", b.screen, e.getKey(), quantile(rows, 2, 2),
                    quantile(rows, 2, 1), quantile(rows, 2, 3), rows.size(), quantile(rows, 0, 2),
                    quantile(rows, 1, 2));
        }
    }

    private static IntSupplier[] pair(IntSupplier ours, IntSupplier c) {
        return new IntSupplier[] { ours, c };
    }

    private static int sink;

    static double opsPerSecond(IntSupplier op) {
        long t0 = System.nanoTime();
        long t;
        int n = 0;
        do {
            sink += op.getAsInt();
            n++;
            t = System.nanoTime();
        } while (t - t0 < SLICE_NANOS);
        return n * 1e9 / (t - t0);
    }

    /** The {@code quarter}-th quartile (2: the median) of column {@code column}. */
    static double quantile(List<double[]> rows, int column, int quarter) {
        double[] v = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return v[Math.min(v.length - 1, v.length * quarter / 4)];
    }
}
