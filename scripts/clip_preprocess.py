"""Reference image preprocessing for CLIP-style models: the behaviour the Java side must match.

    load_rgb(path)                     decode the first frame, apply the EXIF orientation, put any
                                       transparency on white, and return an RGB image
    resize_and_crop(im, edge, h, w)    Hugging Face CLIPImageProcessor: bicubic resize so the
                                       shortest side is `edge`, then centre crop to h x w
    to_tensor(im, mean, std)           float32 [3, H, W]: scale to [0, 1], normalise per channel
    preprocess(path, ...)              the three in a row

A library module for make_fixture_model.py; run it directly to print the tensor statistics of
some images:

    /usr/bin/python3 scripts/clip_preprocess.py IMAGE...
"""
import sys

import numpy as np
from PIL import Image, ImageOps

CLIP_MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
CLIP_STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)


def load_rgb(path):
    im = Image.open(path)
    im.seek(0)  # first frame of animations
    im = ImageOps.exif_transpose(im)
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        # Transparent pixels have arbitrary colour underneath; white is what a viewer shows.
        im = im.convert("RGBA")
        im = Image.alpha_composite(Image.new("RGBA", im.size, (255, 255, 255, 255)), im)
    return im.convert("RGB")


def resize_and_crop(im, shortest_edge, crop_h, crop_w):
    """Hugging Face CLIPImageProcessor rules: the long side is truncated, not rounded."""
    w, h = im.size
    short, long = (w, h) if w <= h else (h, w)
    new_short, new_long = shortest_edge, int(shortest_edge * long / short)
    new_w, new_h = (new_short, new_long) if w <= h else (new_long, new_short)
    im = im.resize((new_w, new_h), Image.Resampling.BICUBIC)  # PIL's antialiased bicubic, reducing_gap None
    top, left = (new_h - crop_h) // 2, (new_w - crop_w) // 2
    return im.crop((left, top, left + crop_w, top + crop_h))


def to_tensor(im, mean=CLIP_MEAN, std=CLIP_STD):
    """float32 [3, H, W]; the arithmetic stays in float32 as in CLIPImageProcessor."""
    mean = np.asarray(mean, dtype=np.float32)
    std = np.asarray(std, dtype=np.float32)
    x = np.asarray(im, dtype=np.float32) / np.float32(255.0)
    return ((x - mean) / std).transpose(2, 0, 1)


def preprocess(path, shortest_edge=224, crop_h=224, crop_w=224, mean=CLIP_MEAN, std=CLIP_STD):
    return to_tensor(resize_and_crop(load_rgb(path), shortest_edge, crop_h, crop_w), mean, std)


if __name__ == "__main__":
    for image_path in sys.argv[1:]:
        t = preprocess(image_path)
        print(f"{image_path}: shape {t.shape}, mean {t.mean():.6f}, min {t.min():.6f}, max {t.max():.6f}")
