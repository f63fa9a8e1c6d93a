#!/usr/bin/env python3
"""Write the web manifest's PNG icons (static/icons/icon-*.png) from the logo's shapes.

The logo (static/icons/favicon.svg) is four coloured pillars on a 32x32 grid; this draws the
same rectangles into PNGs without an image library (zlib + the PNG format by hand), so the
icons can be remade anywhere Python runs: `python3 scripts/icons.py`.
"""
import pathlib
import struct
import zlib

PILLARS = [(3, "c2410c"), (10, "1d4ed8"), (17, "047857"), (24, "a21caf")]


def png(size, background, pad):
    """`pad`: the share of the size kept free around the logo (maskable icons need ~10 %)."""
    inner = size * (1 - 2 * pad)
    scale = inner / 32
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            gx, gy = (x + 0.5 - size * pad) / scale, (y + 0.5 - size * pad) / scale
            colour = background
            if 4 <= gy < 28:
                for left, c in PILLARS:
                    if left <= gx < left + 5:
                        colour = bytes.fromhex(c) + b"\xff"
            row += colour
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


out = pathlib.Path(__file__).resolve().parent.parent / "static" / "icons"
white = b"\xff\xff\xff\xff"
(out / "icon-192.png").write_bytes(png(192, white, 0.06))
(out / "icon-512.png").write_bytes(png(512, white, 0.06))
(out / "icon-maskable-512.png").write_bytes(png(512, white, 0.16))
print("icons written to", out)
