#!/usr/bin/env python3
"""Turns a JMH JSON result of VersusCBenchmark (-rf json -rff FILE) into the Markdown table of docs/codec-bench.md:
per codec and screen, our ops/s and C's (each with JMH's 99.9% error), MB/s of pixels (4 bytes a pixel, 10^6 bytes a
MB) and our throughput relative to C's, both from the same run.

    scripts/bench/versus-c-table.py RESULT.json
"""
import json
import sys

PIXELS = {"text720x400": 720 * 400, "splash1024x768": 1024 * 768,
          "desktop1920x1080": 1920 * 1080, "photo1920x1080": 1920 * 1080}
# (our benchmark method, label, C's method): the decoders write into an array they reuse, as C does; the "new
# array" rows are the same decoders allocating the array of each image, as the client does.
CODECS = [("quicOurs", "QUIC decode", "quicC"), ("quicOursNew", "QUIC decode (new array)", "quicC"),
          ("lzOurs", "LZ decode", "lzC"), ("lzOursNew", "LZ decode (new array)", "lzC"),
          ("lz4Ours", "LZ4 decode", "lz4C"), ("lz4OursNew", "LZ4 decode (new array)", "lz4C"),
          ("jpegOurs", "JPEG decode (ImageIO)", "jpegC"), ("jpegTurboOurs", "JPEG decode (TurboJpeg)", "jpegC"),
          ("jpegTurboOursNew", "JPEG decode (TurboJpeg, new array)", "jpegC"),
          ("glzOurs", "GLZ decode", "glzC"), ("quicEncodeOurs", "QUIC encode", "quicEncodeC"),
          ("lzEncodeOurs", "LZ encode", "lzEncodeC")]


def main(path):
    scores = {}
    for r in json.load(open(path)):
        name = r["benchmark"].rsplit(".", 1)[1]
        m = r["primaryMetric"]
        scores[(name, r["params"]["screen"])] = (m["score"], m["scoreError"])
    print("| codec | screen | ours ops/s (± error) | C ops/s (± error) | ours MB/s | C MB/s | ours / C |")
    print("|---|---|---|---|---|---|---|")
    for ours_method, label, c_method in CODECS:
        for screen, pixels in PIXELS.items():
            ours, c = scores.get((ours_method, screen)), scores.get((c_method, screen))
            if not ours or not c:
                continue
            mb = pixels * 4 / 1e6
            print(f"| {label} | {screen} | {fmt(ours[0])} ± {fmt(ours[1])} | {fmt(c[0])} ± {fmt(c[1])} "
                  f"| {ours[0] * mb:.0f} | {c[0] * mb:.0f} | {ours[0] / c[0]:.2f} |")


def fmt(x):
    return f"{x:.3g}" if x < 100 else f"{x:.0f}"


if __name__ == "__main__":
    main(sys.argv[1])
