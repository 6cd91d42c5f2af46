"""Draw the Teams app icons, color.png (192×192) and outline.png (32×32), reproducibly: `python make_icons.py`.

Pure Python (zlib + struct): Pillow is not a dependency. The mark is a white "C" ring with a dot — Coordinator —
on the accent color (color.png), or alone on transparency (outline.png: Teams wants white on transparent).
Edges are anti-aliased by 4×4 supersampling. Rerunning writes the same bytes.
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ACCENT = (0x2B, 0x57, 0x9A)  # the manifest's accentColor
WHITE = (255, 255, 255)
SAMPLES = 4


def coverage(x: float, y: float) -> bool:
    """The mark in unit coordinates (0..1 both ways): a ring open to the right, and a dot in its opening."""
    dx, dy = x - 0.5, y - 0.5
    radius = math.hypot(dx, dy)
    angle = math.degrees(math.atan2(-dy, dx))  # 0° points right, counter-clockwise
    ring = 0.26 <= radius <= 0.40 and not -40 <= angle <= 40
    dot = math.hypot(x - 0.74, y - 0.5) <= 0.07
    return ring or dot


def alpha(px: int, py: int, size: int, inset: float) -> float:
    """The share of the pixel the mark covers; `inset` shrinks the mark toward the centre."""
    hits = 0
    for sy in range(SAMPLES):
        for sx in range(SAMPLES):
            x = ((px + (sx + 0.5) / SAMPLES) / size - inset) / (1 - 2 * inset)
            y = ((py + (sy + 0.5) / SAMPLES) / size - inset) / (1 - 2 * inset)
            hits += coverage(x, y)
    return hits / SAMPLES**2


def png(width: int, height: int, rows: list[bytes]) -> bytes:
    """An 8-bit RGBA PNG (color type 6), filter 0 on every row."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    raw = b"".join(b"\x00" + row for row in rows)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def color_icon(size: int = 192) -> bytes:
    """White mark on the accent color, inside the central area Teams keeps clear of its own rounding."""
    rows = []
    for py in range(size):
        row = bytearray()
        for px in range(size):
            a = alpha(px, py, size, inset=0.12)
            row += bytes(round(c * (1 - a) + w * a) for c, w in zip(ACCENT, WHITE, strict=True)) + b"\xff"
        rows.append(bytes(row))
    return png(size, size, rows)


def outline_icon(size: int = 32) -> bytes:
    """White mark on full transparency: the only colours are white at varying alpha."""
    rows = []
    for py in range(size):
        row = bytearray()
        for px in range(size):
            row += bytes(WHITE) + bytes([round(255 * alpha(px, py, size, inset=0.0))])
        rows.append(bytes(row))
    return png(size, size, rows)


if __name__ == "__main__":
    (HERE / "color.png").write_bytes(color_icon())
    (HERE / "outline.png").write_bytes(outline_icon())
    print(f"wrote {HERE / 'color.png'} and {HERE / 'outline.png'}")
