"""Builds the lossy WebP fixtures that WebpPillowParityTest compares against PIL (libwebp).

Run from the repository root (about a second):

    /usr/bin/python3 scripts/make_webp_fixtures.py

It writes, deterministically (fixed seed), into src/test/resources/fixtures/webp/:

  NAME.webp          a lossy (VP8) WebP encoded by PIL, some with an alpha channel (VP8X + ALPH)
  NAME.pil.png       PIL's decode of NAME.webp (libwebp, default "fancy" chroma upsampling),
                     saved losslessly as PNG in mode RGB or RGBA: the reference the service's decode
                     must reproduce
  model-parity-19.pil.png, model-parity-20.pil.png
                     PIL's decode of the lossy images 19.webp and 20.webp of the model-parity
                     fixtures, so the test can check those too without duplicating the .webp files

The images are chosen to exercise the parts of libwebp's output path that are easy to get wrong:
sharp coloured edges (chroma upsampling), odd widths and heights (the last half-resolution chroma
column/row), images one pixel wide or high, several macroblock rows and columns (loop filter across
macroblock edges), strong quantisation (strong loop filtering) and alpha.
"""

import io
import pathlib
import random

from PIL import Image, ImageDraw, features

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "src/test/resources/fixtures/webp"
PARITY = ROOT / "src/test/resources/fixtures/model-parity/images"

SEED = 20240611


def sharp_shapes(rng, width, height):
    """Saturated shapes with hard edges on a contrasting background: the worst case for
    nearest-neighbour chroma upsampling."""
    im = Image.new("RGB", (width, height), (240, 240, 240))
    draw = ImageDraw.Draw(im)
    colours = [(255, 0, 0), (0, 200, 0), (0, 0, 255), (255, 220, 0), (200, 0, 200), (0, 200, 200), (20, 20, 20)]
    for i in range(24):
        x0, y0 = rng.randrange(-8, width), rng.randrange(-8, height)
        x1, y1 = x0 + rng.randrange(3, 30), y0 + rng.randrange(3, 30)
        colour = colours[i % len(colours)]
        if i % 3 == 0:
            draw.ellipse([x0, y0, x1, y1], fill=colour)
        elif i % 3 == 1:
            draw.rectangle([x0, y0, x1, y1], fill=colour)
        else:
            draw.line([x0, y0, x1, y1], fill=colour, width=rng.randrange(1, 4))
    return im


def gradient(width, height):
    """Smooth horizontal/vertical colour ramps: exercises the rounding of the upsampler and of the
    YUV->RGB conversion rather than edges."""
    im = Image.new("RGB", (width, height))
    px = im.load()
    for y in range(height):
        for x in range(width):
            px[x, y] = (
                (x * 255) // max(1, width - 1),
                (y * 255) // max(1, height - 1),
                ((x + y) * 255) // max(1, width + height - 2),
            )
    return im


def noise(rng, width, height):
    """Per-pixel random colours: every block carries coefficients, so the loop filter runs on all
    macroblock and sub-block edges."""
    im = Image.new("RGB", (width, height))
    im.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(width * height)])
    return im


def with_alpha(rng, width, height):
    """Sharp shapes plus an alpha channel with a gradient, a fully transparent hole and opaque parts."""
    rgb = sharp_shapes(rng, width, height)
    alpha = Image.new("L", (width, height))
    pa = alpha.load()
    for y in range(height):
        for x in range(width):
            pa[x, y] = 255 if x < width // 3 else (x * 255) // max(1, width - 1)
    ImageDraw.Draw(alpha).ellipse([width // 2, height // 4, width // 2 + 10, height // 4 + 10], fill=0)
    rgba = rgb.convert("RGBA")
    rgba.putalpha(alpha)
    return rgba


def encode(im, quality, method=4):
    buf = io.BytesIO()
    im.save(buf, format="WEBP", lossless=False, quality=quality, method=method)
    return buf.getvalue()


def pil_decode(data):
    im = Image.open(io.BytesIO(data))
    im.load()
    return im.convert("RGBA" if im.mode == "RGBA" else "RGB")


def main():
    if not features.check("webp"):
        raise SystemExit("this PIL has no WebP support; install Pillow built with libwebp")
    rng = random.Random(SEED)
    OUT.mkdir(parents=True, exist_ok=True)

    fixtures = [
        # name, image, quality
        ("sharp-64x200-q80", sharp_shapes(rng, 64, 200), 80),
        ("sharp-odd-77x45-q50", sharp_shapes(rng, 77, 45), 50),
        ("gradient-odd-33x17-q90", gradient(33, 17), 90),
        ("one-wide-1x37-q75", sharp_shapes(rng, 1, 37), 75),
        ("one-high-29x1-q75", sharp_shapes(rng, 29, 1), 75),
        ("noise-50x49-q10", noise(rng, 50, 49), 10),
        ("alpha-45x31-q70", with_alpha(rng, 45, 31), 70),
    ]
    for name, im, quality in fixtures:
        data = encode(im, quality)
        if data[12:16] not in (b"VP8 ", b"VP8X"):
            raise SystemExit(f"{name}: PIL did not write a lossy WebP (chunk {data[12:16]!r})")
        (OUT / f"{name}.webp").write_bytes(data)
        pil_decode(data).save(OUT / f"{name}.pil.png", format="PNG")
        print(f"{name}: {len(data)} bytes, mode {im.mode}, {im.size[0]}x{im.size[1]}")

    for number in (19, 20):
        data = (PARITY / f"{number}.webp").read_bytes()
        pil_decode(data).save(OUT / f"model-parity-{number}.pil.png", format="PNG")
        print(f"model-parity-{number}: PIL decode written")


if __name__ == "__main__":
    main()
