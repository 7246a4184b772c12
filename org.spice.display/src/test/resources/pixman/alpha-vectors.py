#!/usr/bin/env python3
"""Writes alpha-vectors.txt: what pixman (the library spice-gtk's canvas composites with) makes of random pixels for
every Render operator with an alpha-only picture: an a8 destination (without a mask and through an a8 mask), an a1
destination, and an a8 source on an a8r8g8b8 destination. Run with the libpixman-1 that Debian 12 ships (0.42.2), on
x86-64:

    python3 alpha-vectors.py > alpha-vectors.txt

Line format: op case | src pixels | mask pixels | dest pixels | result pixels (hex 0xAARRGGBB; alpha-only pixels are
given as 0xAA000000, a1 ones as 0xff000000 or 0; mask pixels are empty without a mask).
"""
import ctypes
import random

px = ctypes.CDLL("libpixman-1.so.0")
px.pixman_version_string.restype = ctypes.c_char_p
px.pixman_image_create_bits.restype = ctypes.c_void_p
px.pixman_image_create_bits.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
px.pixman_image_composite32.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p] + [ctypes.c_int32] * 8
px.pixman_image_unref.argtypes = [ctypes.c_void_p]

A8R8G8B8 = (32 << 24) | (2 << 16) | (8 << 12) | (8 << 8) | (8 << 4) | 8
A8 = (8 << 24) | (1 << 16) | (8 << 12)
A1 = (1 << 24) | (1 << 16) | (1 << 12)

OPS = list(range(0x00, 0x0e)) + list(range(0x10, 0x1c)) + list(range(0x20, 0x2c)) + list(range(0x30, 0x3f))
rnd = random.Random(20261206)
N = 40


def pixel():
    a = rnd.choice([0, 255]) if rnd.random() < 0.15 else rnd.randrange(256)
    return a << 24 | rnd.randrange(a + 1) << 16 | rnd.randrange(a + 1) << 8 | rnd.randrange(a + 1)


def alpha():
    return (rnd.choice([0, 255]) if rnd.random() < 0.15 else rnd.randrange(256)) << 24


class Image:
    """A one-row pixman image of fmt holding values (0xAARRGGBB; alpha only for A8 and A1)."""

    def __init__(self, fmt, values):
        self.fmt, self.n = fmt, len(values)
        if fmt == A8R8G8B8:
            self.buf = (ctypes.c_uint32 * self.n)(*values)
            stride = 4 * self.n
        else:
            stride = (self.n + 31) // 32 * 4 if fmt == A1 else (self.n + 3) // 4 * 4
            self.buf = (ctypes.c_uint8 * stride)()
            for i, v in enumerate(values):
                if fmt == A8:
                    self.buf[i] = v >> 24
                elif v >> 31:
                    self.buf[i // 8] |= 1 << (i % 8)  # little-endian a1: pixel x is bit x of its 32-bit word
        self.img = px.pixman_image_create_bits(fmt, self.n, 1, ctypes.cast(self.buf, ctypes.c_void_p), stride)

    def values(self):
        if self.fmt == A8R8G8B8:
            return list(self.buf)
        if self.fmt == A8:
            return [self.buf[i] << 24 for i in range(self.n)]
        return [0xff000000 if self.buf[i // 8] >> (i % 8) & 1 else 0 for i in range(self.n)]


def composite(op, src, mask, dest):
    px.pixman_image_composite32(op, src.img, mask.img if mask else None, dest.img, 0, 0, 0, 0, 0, 0, N, 1)
    out = dest.values()
    for image in (src, mask, dest):
        if image:
            px.pixman_image_unref(image.img)
    return out


def hexes(values):
    return " ".join("%08x" % v for v in values)


print("# pixman %s" % px.pixman_version_string().decode())
for op in OPS:
    for case in ("a8dest", "a8dest-a8mask", "a1dest", "a8src"):
        src = [alpha() for _ in range(N)] if case == "a8src" else [pixel() for _ in range(N)]
        mask = [alpha() for _ in range(N)] if case == "a8dest-a8mask" else None
        dest = [pixel() for _ in range(N)] if case == "a8src" else [alpha() for _ in range(N)]
        if case == "a1dest":
            dest = [0xff000000 if d >> 31 else 0 for d in dest]
        d = Image(A1 if case == "a1dest" else A8R8G8B8 if case == "a8src" else A8, dest)
        out = composite(op, Image(A8 if case == "a8src" else A8R8G8B8, src), Image(A8, mask) if mask else None, d)
        print("%02x %s | %s | %s | %s | %s" % (op, case, hexes(src), hexes(mask or []), hexes(dest), hexes(out)))
