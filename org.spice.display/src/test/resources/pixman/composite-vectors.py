#!/usr/bin/env python3
"""Writes composite-vectors.txt: what pixman (the library spice-gtk's canvas composites with) makes of random
pixels for every Render operator, without a mask, with an a8 mask, with a component-alpha mask, with an opaque source (x8r8g8b8)
and with a source sampled bilinearly through a transform. Run with the libpixman-1 that Debian 12 ships (0.42.2), on x86-64:

    python3 composite-vectors.py > composite-vectors.txt

Line format: op mask sampling srcW srcH | src pixels | mask pixels | dest pixels | result pixels (hex 0xAARRGGBB;
mask pixels are empty without a mask; a8 masks are given as 0xAA000000).
"""
import ctypes
import random

px = ctypes.CDLL("libpixman-1.so.0")
px.pixman_version_string.restype = ctypes.c_char_p
px.pixman_image_create_bits.restype = ctypes.c_void_p
px.pixman_image_create_bits.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
px.pixman_image_composite32.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p] + [ctypes.c_int32] * 8
px.pixman_image_set_component_alpha.argtypes = [ctypes.c_void_p, ctypes.c_int]
px.pixman_image_set_filter.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
px.pixman_image_set_repeat.argtypes = [ctypes.c_void_p, ctypes.c_int]
px.pixman_image_set_transform.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
px.pixman_image_unref.argtypes = [ctypes.c_void_p]

A8R8G8B8 = (32 << 24) | (2 << 16) | (8 << 12) | (8 << 8) | (8 << 4) | 8
X8R8G8B8 = (32 << 24) | (2 << 16) | (0 << 12) | (8 << 8) | (8 << 4) | 8
A8 = (8 << 24) | (1 << 16) | (8 << 12)
FILTER_BILINEAR = 4
REPEAT_NONE, REPEAT_PAD = 0, 2

OPS = list(range(0x00, 0x0e)) + list(range(0x10, 0x1c)) + list(range(0x20, 0x2c)) + list(range(0x30, 0x3f))
rnd = random.Random(20261125)


def pixel(premultiplied=True):
    kind = rnd.random()
    a = rnd.choice([0, 255]) if kind < 0.15 else rnd.randrange(256)
    if premultiplied:
        c = [rnd.randrange(a + 1) for _ in range(3)]
        if kind > 0.9:
            c = [a, a, rnd.randrange(a + 1)]
    else:  # colour beyond alpha, as a careless source may have
        c = [rnd.randrange(256) for _ in range(3)]
    return a << 24 | c[0] << 16 | c[1] << 8 | c[2]


def pixels(n, invalid=0):
    return [pixel() for _ in range(n - invalid)] + [pixel(False) for _ in range(invalid)]


def image(fmt, w, h, values):
    buf = (ctypes.c_uint32 * (w * h))(*values)
    stride = w * 4 if fmt == A8R8G8B8 else (w + 3) // 4 * 4
    if fmt == A8:
        raw = bytearray(stride * h)
        for i, v in enumerate(values):
            raw[(i // w) * stride + i % w] = v >> 24
        buf = (ctypes.c_uint8 * len(raw)).from_buffer(raw)
    img = px.pixman_image_create_bits(fmt, w, h, ctypes.cast(buf, ctypes.c_void_p), stride)
    return img, buf


def composite(op, src, sw, sh, mask, mask_kind, dest, transform=None, repeat=REPEAT_NONE, src_format=A8R8G8B8):
    n = len(dest)
    s_img, s_buf = image(src_format, sw, sh, src)
    m_img = None
    if mask is not None:
        m_img, m_buf = image(A8 if mask_kind == "a8" else A8R8G8B8, n, 1, mask)
        if mask_kind == "ca":
            px.pixman_image_set_component_alpha(m_img, 1)
    d_img, d_buf = image(A8R8G8B8, n, 1, dest)
    if transform is not None:
        matrix = (ctypes.c_int32 * 9)(*transform, 0, 0, 0x10000)
        px.pixman_image_set_transform(s_img, matrix)
        px.pixman_image_set_filter(s_img, FILTER_BILINEAR, None, 0)
        px.pixman_image_set_repeat(s_img, repeat)
    px.pixman_image_composite32(op, s_img, m_img, d_img, 0, 0, 0, 0, 0, 0, n, 1)
    out = list(d_buf)
    for img in (s_img, m_img, d_img):
        if img:
            px.pixman_image_unref(img)
    return out


def hexes(values):
    return " ".join("%08x" % v for v in values)


print("# pixman %s" % px.pixman_version_string().decode())
N = 40
for op in OPS:
    for mask_kind in ("none", "a8", "ca"):
        src = pixels(N, invalid=4)
        dest = pixels(N)
        mask = None if mask_kind == "none" else [pixel() for _ in range(N)]
        if mask_kind == "a8":
            mask = [m & 0xff000000 for m in mask]
        out = composite(op, src, N, 1, mask, mask_kind, dest)
        print("%02x %s plain %d 1 | %s | %s | %s | %s" % (op, mask_kind, N, hexes(src), hexes(mask or []),
                                                           hexes(dest), hexes(out)))
    # an opaque source (x8r8g8b8, as SOURCE_OPAQUE makes it) covering the area: pixman simplifies some operators
    src = pixels(N)
    dest = pixels(N)
    out = composite(op, src, N, 1, None, "none", dest, src_format=X8R8G8B8)
    print("%02x none opaque %d 1 | %s |  | %s | %s" % (op, N, hexes(src), hexes(dest), hexes(out)))
    # a 3x3 source scaled by 0.7 and shifted, bilinear, without and with padding
    for repeat, name in ((REPEAT_NONE, "bilinear-none"), (REPEAT_PAD, "bilinear-pad")):
        src = pixels(9)
        dest = pixels(N)
        transform = (0xb333, 0, -0x2000, 0, 0xb333, 0x1800)
        out = composite(op, src, 3, 3, None, "none", dest, transform, repeat)
        print("%02x none %s 3 3 | %s |  | %s | %s" % (op, name, hexes(src), hexes(dest), hexes(out)))
