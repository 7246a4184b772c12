#!/usr/bin/env python3
"""Prints the X server's current cursor image (XFixesGetCursorImage) for the interop tests.

Output: a line "cursor WIDTHxHEIGHT hot X,Y serial S name N", then one line per row of 0xAARRGGBB pixels
(premultiplied, as XFixes gives them) in hex separated by spaces. Test tooling only: it talks to DISPLAY
through libX11/libXfixes with ctypes.
"""
import ctypes
import ctypes.util
import sys


class XFixesCursorImage(ctypes.Structure):
    _fields_ = [
        ("x", ctypes.c_short), ("y", ctypes.c_short),
        ("width", ctypes.c_ushort), ("height", ctypes.c_ushort),
        ("xhot", ctypes.c_ushort), ("yhot", ctypes.c_ushort),
        ("cursor_serial", ctypes.c_ulong),
        ("pixels", ctypes.POINTER(ctypes.c_ulong)),
        ("atom", ctypes.c_ulong),
        ("name", ctypes.c_char_p),
    ]


def main():
    x11 = ctypes.CDLL("libX11.so.6")
    xfixes = ctypes.CDLL("libXfixes.so.3")
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    x11.XFree.argtypes = [ctypes.c_void_p]
    xfixes.XFixesQueryExtension.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int),
                                            ctypes.POINTER(ctypes.c_int)]
    xfixes.XFixesGetCursorImage.restype = ctypes.POINTER(XFixesCursorImage)
    xfixes.XFixesGetCursorImage.argtypes = [ctypes.c_void_p]
    dpy = x11.XOpenDisplay(None)
    if not dpy:
        print("cannot open display", file=sys.stderr)
        return 2
    ev, err = ctypes.c_int(), ctypes.c_int()
    if not xfixes.XFixesQueryExtension(dpy, ctypes.byref(ev), ctypes.byref(err)):
        print("no XFIXES extension", file=sys.stderr)
        return 3
    img = xfixes.XFixesGetCursorImage(dpy)
    if not img:
        print("XFixesGetCursorImage failed", file=sys.stderr)
        return 4
    c = img.contents
    name = c.name.decode("latin-1") if c.name else ""
    print("cursor %dx%d hot %d,%d serial %d name %s" % (c.width, c.height, c.xhot, c.yhot, c.cursor_serial,
                                                       name or "-"))
    for y in range(c.height):
        print(" ".join("%08x" % (c.pixels[y * c.width + x] & 0xffffffff) for x in range(c.width)))
    x11.XFree(img)
    x11.XCloseDisplay(dpy)
    return 0


if __name__ == "__main__":
    sys.exit(main())
