#!/usr/bin/env python3
"""Checks that a PNG is not blank: decodes it with zlib (standard library only) and counts colours.

Usage: png_check.py FILE.png
Prints the size, the number of distinct colours and the share of the most common colour; exits 1 when the
image is blank (fewer than MIN_COLOURS colours, or one colour covers more than MAX_SHARE of the pixels).
"""
import struct
import sys
import zlib
from collections import Counter

MIN_COLOURS = 8
MAX_SHARE = 0.995


def decode(path):
    with open(path, "rb") as handle:
        data = handle.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    pos = 8
    idat = b""
    width = height = bit_depth = colour_type = interlace = None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, bit_depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        elif kind == b"IEND":
            break
    if width is None:
        raise ValueError("no IHDR chunk")
    if bit_depth != 8 or interlace != 0 or colour_type not in (0, 2, 4, 6):
        raise ValueError(f"unsupported PNG (bit depth {bit_depth}, colour type {colour_type}, interlace {interlace})")
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour_type]
    raw = zlib.decompress(idat)
    stride = width * channels
    rows = []
    previous = bytearray(stride)
    offset = 0
    for _ in range(height):
        kind = raw[offset]
        line = bytearray(raw[offset + 1:offset + 1 + stride])
        offset += 1 + stride
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            up_left = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + ((left + up) >> 1)) & 0xFF
            elif kind == 4:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                predictor = left if pa <= pb and pa <= pc else (up if pb <= pc else up_left)
                line[i] = (line[i] + predictor) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        width, height, channels, rows = decode(sys.argv[1])
    except (OSError, ValueError, zlib.error, struct.error) as error:
        print(f"png_check: cannot read {sys.argv[1]}: {error}", file=sys.stderr)
        return 1
    colours = Counter()
    for row in rows:
        for x in range(0, len(row), channels):
            colours[row[x:x + channels]] += 1
    total = width * height
    top_share = colours.most_common(1)[0][1] / total if total else 1.0
    print(f"png_check: {width}x{height}, {len(colours)} distinct colours, most common colour {top_share:.1%}")
    if len(colours) < MIN_COLOURS or top_share > MAX_SHARE:
        print("png_check: the image is blank or nearly blank", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
