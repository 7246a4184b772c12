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
CODECS = [("quic", "QUIC decode"), ("lz", "LZ decode"), ("lz4", "LZ4 decode"), ("jpeg", "JPEG decode (ImageIO)"),
          ("jpegTurbo", "JPEG decode (TurboJpeg)", "jpeg"), ("quicEncode", "QUIC encode"), ("lzEncode", "LZ encode")]


def main(path):
    scores = {}
    for r in json.load(open(path)):
        name = r["benchmark"].rsplit(".", 1)[1]
        m = r["primaryMetric"]
        scores[(name, r["params"]["screen"])] = (m["score"], m["scoreError"])
    print("| codec | screen | ours ops/s (± error) | C ops/s (± error) | ours MB/s | C MB/s | ours / C |")
    print("|---|---|---|---|---|---|---|")
    for key, label, *c_key in CODECS:
        for screen, pixels in PIXELS.items():
            ours, c = scores.get((key + "Ours", screen)), scores.get(((c_key or [key])[0] + "C", screen))
            if not ours or not c:
                continue
            mb = pixels * 4 / 1e6
            print(f"| {label} | {screen} | {fmt(ours[0])} ± {fmt(ours[1])} | {fmt(c[0])} ± {fmt(c[1])} "
                  f"| {ours[0] * mb:.0f} | {c[0] * mb:.0f} | {ours[0] / c[0]:.2f} |")


def fmt(x):
    return f"{x:.3g}" if x < 100 else f"{x:.0f}"


if __name__ == "__main__":
    main(sys.argv[1])
