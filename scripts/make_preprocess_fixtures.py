#!/usr/bin/python3
"""Writes the image-preprocessing parity fixtures used by the Java tests.

For every synthetic input image in src/test/resources/fixtures/preprocess/images/ it stores:
  decoded/<name>.png   PIL's decoded full-size RGB (after EXIF transpose and alpha compositing),
                       so a test can check the Java decoder and the Java resampler separately;
  expected/<name>.png  PIL's output of the CLIP pipeline at 224 (resize shortest edge to 224 with
                       BICUBIC, centre crop 224x224), uint8 RGB, lossless.

Normalisation ((x/255 - mean) / std) is exact arithmetic and is done on both sides in the test,
so the fixtures stop at uint8.

Two inputs Pillow cannot write are committed under static/ and copied into images/: a 4:4:0
JPEG (luma sampled 1x2) and an Adobe YCCK JPEG. They were written once with libjpeg-turbo 2.1:
jpeg_set_defaults(), then for jpeg_440.jpg comp_info[0].h_samp_factor = 1, v_samp_factor = 2
(quality 85, from rgb(240, 181, 30)), and for jpeg_ycck.jpg in_color_space = JCS_CMYK with
jpeg_set_colorspace(JCS_YCCK) (quality 90, CMYK from scene(200, 150, 31) with a K ramp 20..140).

Deterministic: a fixed seed and a fixed Pillow build produce the same bytes. Run with the system
Python that has Pillow (the one the fixtures were generated with is printed into manifest.txt):
    /usr/bin/python3 scripts/make_preprocess_fixtures.py
"""
import os
import shutil
import struct
import sys
import zlib

import numpy as np
import PIL
from PIL import Image, ImageDraw, ImageOps

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                    "src", "test", "resources", "fixtures", "preprocess")
SIZE = 224


# The reference pipeline is the one the model fixtures use too, so the two parity tests hold Java
# to a single definition of CLIP preprocessing.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clip_preprocess import load_rgb, resize_and_crop  # noqa: E402


# --- synthetic content: smooth gradients + shapes + a little noise ---

def scene(w, h, seed, noise=3):
    """An RGB uint8 array: two-axis colour gradients, a few filled shapes, mild noise."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    fx, fy = x / max(w - 1, 1), y / max(h - 1, 1)
    phase = rng.uniform(0, 2 * np.pi, 3)
    r = 255 * fx
    g = 255 * fy
    b = 127.5 + 127.5 * np.sin(2 * np.pi * (fx + fy) + phase[2])
    arr = np.stack([r, g, b], axis=-1)
    im = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(im)
    for _ in range(4):
        x0, x1 = sorted(rng.integers(0, w, 2))
        y0, y1 = sorted(rng.integers(0, h, 2))
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        if rng.random() < 0.5:
            draw.ellipse([x0, y0, x1, y1], fill=colour)
        else:
            draw.rectangle([x0, y0, x1, y1], fill=colour)
    arr = np.asarray(im).astype(np.int16)
    if noise:
        arr = arr + rng.integers(-noise, noise + 1, arr.shape)
    return np.clip(arr, 0, 255).astype(np.uint8)


def rgb(w, h, seed, noise=3):
    return Image.fromarray(scene(w, h, seed, noise), "RGB")


def alpha_ramp(w, h, seed):
    """Alpha with fully transparent, fully opaque and partial regions."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    a = 255 * (x / max(w - 1, 1))
    a[: h // 4, :] = 0
    a[h // 4: h // 2, : w // 3] = 255
    cx, cy = rng.integers(w // 4, 3 * w // 4), rng.integers(h // 2, h)
    a[(x - cx) ** 2 + (y - cy) ** 2 < (min(w, h) // 6) ** 2] = 0
    return np.clip(a, 0, 255).astype(np.uint8)


def png16_rgb(path, w, h, seed):
    """16-bit RGB PNG written by hand: Pillow cannot save one."""
    rng = np.random.default_rng(seed)
    base = scene(w, h, seed, noise=0).astype(np.uint16) * 257
    base = base + rng.integers(0, 200, base.shape).astype(np.uint16)  # low bytes carry noise
    raw = b"".join(b"\x00" + base[row].astype(">u2").tobytes() for row in range(h))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    ihdr = struct.pack(">IIBBBBB", w, h, 16, 2, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9))
                + chunk(b"IEND", b""))


def exif_little_endian(orientation):
    """An APP1 Exif payload in Intel (II) byte order; Pillow itself writes Motorola (MM)."""
    tiff = b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", 1)
    tiff += struct.pack("<HHIHH", 0x0112, 3, 1, orientation, 0) + struct.pack("<I", 0)
    return b"Exif\x00\x00" + tiff


def exif_big_endian(orientation):
    exif = Image.Exif()
    exif[0x0112] = orientation
    return exif.tobytes()


def make_images(out):
    os.makedirs(out, exist_ok=True)
    files = []

    def save(name, im, **kw):
        path = os.path.join(out, name)
        im.save(path, **kw)
        files.append(name)

    save("png_rgb.png", rgb(512, 384, 1))
    rgba = np.dstack([scene(500, 360, 2), alpha_ramp(500, 360, 2)])
    save("png_rgba.png", Image.fromarray(rgba, "RGBA"))
    la = np.dstack([scene(260, 300, 3)[..., 1], alpha_ramp(260, 300, 3)])
    save("png_gray_alpha.png", Image.fromarray(la, "LA"))
    pal = rgb(330, 250, 4, noise=0).quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    save("png_palette_trns.png", pal, transparency=int(np.asarray(pal)[0, 0]))
    # Truecolour and greyscale PNGs with a tRNS colour key: Pillow's load_rgb keeps their colour.
    keyed = rgb(150, 110, 24, noise=0)
    save("png_rgb_trns.png", keyed, transparency=keyed.getpixel((0, 0)))
    keyed_grey = keyed.convert("L")
    save("png_gray_trns.png", keyed_grey, transparency=keyed_grey.getpixel((0, 0)))
    save("gif_palette.gif", rgb(300, 400, 5).convert("P", palette=Image.Palette.ADAPTIVE, colors=256))
    frames = []
    for i, colour in enumerate([(220, 30, 30), (30, 200, 40), (40, 60, 230)]):
        f = Image.new("RGB", (256, 200), colour)
        ImageDraw.Draw(f).ellipse([40 + 20 * i, 30, 200, 170], fill=(250, 250, 250 - 80 * i))
        frames.append(f.convert("P", palette=Image.Palette.ADAPTIVE, colors=16))
    path = os.path.join(out, "gif_animated.gif")
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=100, loop=0)
    files.append("gif_animated.gif")
    save("bmp_rgb.bmp", rgb(253, 180, 6))
    save("jpeg_420.jpg", rgb(800, 600, 7), quality=90, subsampling=2)
    save("jpeg_444.jpg", rgb(400, 533, 8), quality=92, subsampling=0)
    save("jpeg_gray.jpg", Image.fromarray(scene(350, 350, 9)[..., 0], "L"), quality=90)
    cmyk = scene(320, 240, 10).astype(np.int16)
    k = np.clip(np.linspace(0, 160, 320)[None, :].repeat(240, 0), 0, 255)
    cmyk = np.dstack([255 - cmyk, k]).astype(np.uint8)
    save("jpeg_cmyk.jpg", Image.fromarray(cmyk, "CMYK"), quality=92)
    save("jpeg_exif6.jpg", rgb(480, 320, 11), quality=90, exif=exif_big_endian(6))
    save("jpeg_exif3.jpg", rgb(300, 260, 12), quality=90, exif=exif_little_endian(3))
    save("jpeg_exif8.jpg", rgb(260, 380, 13), quality=90, exif=exif_little_endian(8))
    save("webp_lossy.webp", rgb(420, 300, 14), quality=80)
    save("webp_lossless.webp", rgb(300, 420, 15), lossless=True)
    alpha_webp = np.dstack([scene(280, 240, 16), alpha_ramp(280, 240, 16)])
    save("webp_alpha.webp", Image.fromarray(alpha_webp, "RGBA"), lossless=True)
    lossy_alpha = np.dstack([scene(300, 220, 22), alpha_ramp(300, 220, 22)])
    save("webp_lossy_alpha.webp", Image.fromarray(lossy_alpha, "RGBA"), quality=75)
    # Animated lossy WebP whose frame 0 covers only part of the canvas (transparent borders are
    # trimmed by the encoder), so the decoder must place it on the canvas like libwebp does.
    frames = []
    for i, colour in enumerate([(230, 60, 40, 255), (40, 180, 60, 200), (50, 70, 220, 255)]):
        f = Image.new("RGBA", (320, 240), (0, 0, 0, 0))
        inner = Image.fromarray(scene(200, 150, 23 + i), "RGB").convert("RGBA")
        f.paste(inner, (60 + 4 * i, 50))
        ImageDraw.Draw(f).ellipse([90, 70, 230, 180], fill=colour)
        frames.append(f)
    path = os.path.join(out, "webp_animated.webp")
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=80, loop=0, quality=80)
    files.append("webp_animated.webp")
    png16_rgb(os.path.join(out, "png16_rgb.png"), 256, 192, 17)
    files.append("png16_rgb.png")
    save("tiny_7x5.png", rgb(7, 5, 18, noise=0))
    save("big_1000x300.png", rgb(1000, 300, 19))
    save("extreme_900x60.png", rgb(900, 60, 20))
    save("tall_150x700.jpg", rgb(150, 700, 21), quality=85)
    static = os.path.join(ROOT, "static")
    for name in sorted(os.listdir(static)):
        shutil.copyfile(os.path.join(static, name), os.path.join(out, name))
        files.append(name)
    return files


def main():
    images = os.path.join(ROOT, "images")
    decoded = os.path.join(ROOT, "decoded")
    expected = os.path.join(ROOT, "expected")
    for d in (decoded, expected):
        os.makedirs(d, exist_ok=True)
    files = make_images(images)
    lines = ["# generated by scripts/make_preprocess_fixtures.py with Pillow " + PIL.__version__
             + ", numpy " + np.__version__,
             "# name\tsource size\tdecoded size (after EXIF transpose)"]
    for name in files:
        stem = os.path.splitext(name)[0]
        src = Image.open(os.path.join(images, name))
        im = load_rgb(os.path.join(images, name))
        im.save(os.path.join(decoded, stem + ".png"), optimize=True)
        w, h = im.size
        out = resize_and_crop(im, SIZE, SIZE, SIZE)
        assert out.size == (SIZE, SIZE) and out.mode == "RGB", (name, out.size, out.mode)
        out.save(os.path.join(expected, stem + ".png"), optimize=True)
        lines.append("%s\t%dx%d\t%dx%d" % (name, src.size[0], src.size[1], w, h))
    with open(os.path.join(ROOT, "manifest.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
