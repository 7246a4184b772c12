#!/usr/bin/env python3
"""Writes what the test guest shows and plays into DIR (the guest's /share, also published for the tests):

frame.raw      1024x768 XRGB8888 (bytes B, G, R, 0 per pixel, 4096 bytes a line): gradients, noise, flat areas and
               one-pixel stripes, written to /dev/fb0 in one write()
band-0.raw ... band-3.raw  1024x64 pieces of smooth waves the guest writes over lines 192..255 in turn to animate
               the screen
tone.wav       1000 Hz sine, 48 kHz stereo 16-bit, peak 0.5 of full scale (-9.03 dBFS rms), 2 s
"""
import math
import random
import struct
import sys
import wave
from pathlib import Path

W, H = 1024, 768
BAND_TOP, BAND_LINES = 192, 64


def pixel(x, y, rnd):
    if y < 384 and x < 512:
        return (x * 255 // 511, y * 255 // 383, (x + y) & 0xFF)
    if y < 384:
        n = rnd.randrange(32)
        return (120 + int(60 * math.sin(x / 40.0)) + n, 100 + n, 90 + y % 64)
    if x < 512:
        return (0x20, 0x50, 0xA0) if (x // 64 + y // 64) % 2 == 0 else (0xF0, 0xC0, 0x40)
    return (255, 255, 255) if (x % 2 == 0) ^ (y % 3 == 0) else (0, 0, 0)


def xrgb(rows):
    return b"".join(bytes((b, g, r, 0)) for row in rows for (r, g, b) in row)


def main(out):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(3)
    (out / "frame.raw").write_bytes(xrgb([[pixel(x, y, rnd) for x in range(W)] for y in range(H)]))
    for i in range(4):
        rows = []
        for y in range(BAND_LINES):
            # smooth waves, no sharp edge: video codecs keep such content close to the original (the tests
            # compare two clients' decodes of the same lossy frame)
            rows.append([(128 + int(90 * math.sin(2 * math.pi * (x / 256.0 + i / 4.0))),
                          128 + int(90 * math.sin(2 * math.pi * (y / 128.0 + i / 8.0))),
                          128 + int(100 * math.sin((x + y + i * 50) / 30.0))) for x in range(W)])
        (out / ("band-%d.raw" % i)).write_bytes(xrgb(rows))
    rate, seconds, freq, peak = 48000, 2, 1000.0, 0.5
    frames = bytearray()
    for n in range(rate * seconds):
        s = int(round(peak * 32767 * math.sin(2 * math.pi * freq * n / rate)))
        frames += struct.pack("<hh", s, s)
    with wave.open(str(out / "tone.wav"), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(bytes(frames))


if __name__ == "__main__":
    main(sys.argv[1])
