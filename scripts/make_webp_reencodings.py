"""Re-encodes the repository's real test images as lossy WebP for the decoder comparison of issue 19
(WebpDecoderComparison: the libwebp port against TwelveMonkeys' reader, compared by embedding).

    /usr/bin/python3 scripts/make_webp_reencodings.py [OUT_DIR]   # default target/webp-reencodings

Deterministic, a few seconds; the output is never committed. Every source image gives two files:

  NAME-qQ.webp              full size, RGB, quality Q cycling 50 / 75 / 90
  NAME-WxH-qQ[-alpha].webp  resized to odd width and height (the half-resolution chroma edge case),
                            another quality; every other one with an alpha channel cut out of the
                            near-white background with a soft edge, as a sticker or clip art would be
                            (libwebp drops the alpha where it comes out fully opaque: 99 keep it)

Sources: the eval gallery, the demo corpus, and the non-WebP preprocessing and model-parity
fixtures (the committed WebP fixtures are compared as they are, not re-encoded).
"""

import pathlib
import sys

from PIL import Image, ImageFilter, features

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCES = [
    "src/test/resources/eval-gallery/images",
    "src/main/resources/demo/corpus/images",
    "src/test/resources/fixtures/preprocess/images",
    "src/test/resources/fixtures/model-parity/images",
]
QUALITIES = (50, 75, 90)
SCALES = (0.37, 0.61, 0.83)


def sources():
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix.lower() in (".png", ".jpg", ".jpeg", ".gif", ".bmp"):
                yield path


def rgb(path):
    with Image.open(path) as im:
        im.seek(0)
        if im.mode in ("RGBA", "LA", "P", "PA") or "transparency" in im.info:
            im = im.convert("RGBA")
            white = Image.new("RGBA", im.size, (255, 255, 255, 255))
            return Image.alpha_composite(white, im).convert("RGB")
        return im.convert("RGB")


def odd(n):
    return max(1, n) | 1


def cutout(im):
    """Alpha 0 on the near-white background, 255 on the subject, blurred in between."""
    grey = im.convert("L")
    mask = grey.point(lambda v: 0 if v >= 245 else 255).filter(ImageFilter.GaussianBlur(1.5))
    out = im.convert("RGBA")
    out.putalpha(mask)
    return out


def main():
    if not features.check("webp"):
        sys.exit("this Pillow has no WebP support; use /usr/bin/python3")
    out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "target/webp-reencodings"
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for i, path in enumerate(sources()):
        im = rgb(path)
        stem = f"{i:03d}-{path.stem}"
        q = QUALITIES[i % 3]
        im.save(out / f"{stem}-q{q}.webp", "WEBP", quality=q)
        scale = SCALES[(i // 3) % 3]
        size = (odd(round(im.width * scale)), odd(round(im.height * scale)))
        small = im.resize(size, Image.BICUBIC)
        q = QUALITIES[(i + 1) % 3]
        if i % 2 == 0:
            cutout(small).save(out / f"{stem}-{size[0]}x{size[1]}-q{q}-alpha.webp", "WEBP", quality=q)
        else:
            small.save(out / f"{stem}-{size[0]}x{size[1]}-q{q}.webp", "WEBP", quality=q)
        count += 2
    print(f"{count} WebP files in {out} (Pillow {Image.__version__}, libwebp {features.version('webp')})")


if __name__ == "__main__":
    main()
