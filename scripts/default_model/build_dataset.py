#!/usr/bin/python3
"""Builds the default model's image-caption dataset from three Debian packages.

    /usr/bin/python3 scripts/default_model/build_dataset.py [--out target/dataset] [--size 96]

Sources (installed with apt-get by train.sh; nothing is downloaded from anywhere else):
  openclipart  openclipart-svg          /usr/share/openclipart/svg/**.svg   public domain
  tuxpaint     tuxpaint-stamps-default  /usr/share/tuxpaint/stamps/**       GPL-2
  emoji        fonts-noto-color-emoji   NotoColorEmoji.ttf                  OFL-1.1
               unicode-cldr-core        annotations/en.xml (names, keywords) Unicode licence

Writes OUT/images/<source>/<item id>.png (square, SIZE px, the drawing centred over white),
OUT/captions.tsv (source, id, image path, caption) and OUT/split.tsv (source, id, split).

The split is fixed by the item alone: sha1("<source>:<id>") as an integer, mod 10 == 0 is
'test' (held out, never trained on), otherwise 'train'. It needs no seed and does not change
when other items are added or removed.
"""
import argparse
import hashlib
import html
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from multiprocessing import Pool
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

OPENCLIPART = Path("/usr/share/openclipart/svg")
TUXPAINT = Path("/usr/share/tuxpaint/stamps")
EMOJI_FONT = Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf")
CLDR_EN = Path("/usr/share/unicode/cldr/common/annotations/en.xml")
# Skin tones, flags and other sequences: same format, names such as "waving hand: dark skin tone".
CLDR_EN_DERIVED = Path("/usr/share/unicode/cldr/common/annotationsDerived/en.xml")
PACKAGES = ["openclipart-svg", "tuxpaint-stamps-default", "fonts-noto-color-emoji", "unicode-cldr-core", "librsvg2-bin"]

DC = "{http://purl.org/dc/elements/1.1/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"

# Keywords that say nothing about what is drawn.
STOP_KEYWORDS = {
    "unsorted", "clip art", "clipart", "image", "media", "png", "svg", "public domain", "externalsource",
    "openclipart", "open clip art", "illustration", "drawing", "icon", "remix", "colour", "color", "inkscape",
    "architetto francesco rollandin", "pd", "cc0", "art", "graphic", "graphics", "picture", "simple", "hash",
    "application", "appicon", "theme", "various", "nicu buculei", "symbol", "cartoon",
}
# Titles that name a collection or an author rather than the drawing: the file name says more.
GENERIC_TITLE = re.compile(r"collection|cliparts?\b|^clip ?art by|\bicons?$|^map symbols$|^various|@", re.I)
PLACEHOLDER_TITLE = re.compile(r"^(untitled|no title|title|image|drawing|svg|new document|layer ?\d*|[\d\W_]*)$", re.I)


def split_of(source, item_id):
    digest = hashlib.sha1(f"{source}:{item_id}".encode("utf-8")).hexdigest()
    return "test" if int(digest, 16) % 10 == 0 else "train"


def clean(text):
    text = html.unescape(text or "")
    text = re.sub(r"\s+", " ", text).strip()
    return text


def words_of_path(parts):
    return [p.replace("_", " ").replace("-", " ") for p in parts if p]


def openclipart_caption(svg, category_parts):
    title, description, keywords = "", "", []
    try:
        # Metadata sits near the top; parsing the whole drawing is slow for big files.
        root = ET.parse(svg).getroot()
        work = root.find(f".//{{http://web.resource.org/cc/}}Work")
        if work is None:
            work = root.find(".//{http://creativecommons.org/ns#}Work")
        if work is not None:
            title = clean(work.findtext(f"{DC}title"))
            description = clean(work.findtext(f"{DC}description"))
            for li in work.iter(f"{RDF}li"):
                if li.text:
                    keywords.append(clean(li.text).lower().replace("_", " "))
    except ET.ParseError:
        pass
    if PLACEHOLDER_TITLE.match(title) or title.lower() in STOP_KEYWORDS or GENERIC_TITLE.search(title):
        title = ""
    if not title:
        # The file name is usually the title with an author suffix: "ragno_figo_architetto_fr_01".
        stem = re.sub(r"_?(\d+)$", "", svg.stem)
        stem = re.sub(r"_(architetto|archi|arch|ar|arc).*$", "", stem)
        title = stem.replace("_", " ").strip()
    seen, kept = {title.lower()}, []
    for k in keywords:
        if k and k not in STOP_KEYWORDS and k not in seen and not k.isdigit() and len(k) < 40:
            seen.add(k)
            kept.append(k)
    category = [w for w in words_of_path(category_parts) if w not in ("unsorted", "special")]
    seen.update(category)
    parts = [title]
    if (description and len(description) <= 120 and description.lower() != title.lower()
            and not re.search(r"@|https?:|www\.|\d{4}", description)):
        parts.append(description.rstrip("."))
    if kept:
        parts.append(", ".join(kept[:6]))
    if category:
        parts.append(" ".join(reversed(category)))
    return ". ".join(p for p in parts if p)


def render_svg(job):
    svg, out, size = job
    if out.exists():
        return True
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp.png")
    try:
        subprocess.run(["rsvg-convert", "--keep-aspect-ratio", "-w", str(size), "-h", str(size),
                        "--background-color", "white", "-o", str(tmp), str(svg)],
                       check=True, timeout=20, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with Image.open(tmp) as img:
            square(img, size).save(out)
        return True
    except Exception:
        return False
    finally:
        if tmp.exists():
            tmp.unlink()


def square(img, size):
    """The drawing scaled to fit SIZE x SIZE, centred over white."""
    img = img.convert("RGBA")
    img.thumbnail((size, size), Image.BICUBIC) if max(img.size) > size else None
    canvas = Image.new("RGBA", (size, size), (255, 255, 255, 255))
    canvas.alpha_composite(img, ((size - img.width) // 2, (size - img.height) // 2))
    return canvas.convert("RGB")


def fit_png(job):
    src, out, size = job
    if out.exists():
        return True
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        with Image.open(src) as img:
            img = img.convert("RGBA")
            scale = size / max(img.size)
            img = img.resize((max(1, round(img.width * scale)), max(1, round(img.height * scale))), Image.BICUBIC)
            square(img, size).save(out)
        return True
    except Exception:
        return False


def collect_openclipart(out_dir, size):
    items, jobs = [], []
    for svg in sorted(OPENCLIPART.rglob("*.svg")):
        rel = svg.relative_to(OPENCLIPART).with_suffix("")
        item_id = rel.as_posix()
        caption = openclipart_caption(svg, list(rel.parts[:-1]))
        png = out_dir / "images" / "openclipart" / (item_id + ".png")
        items.append(("openclipart", item_id, png, caption))
        jobs.append((svg, png, size))
    return items, jobs, render_svg


def collect_tuxpaint(out_dir, size):
    items, png_jobs, svg_jobs = [], [], []
    for txt in sorted(TUXPAINT.rglob("*.txt")):
        stem = txt.with_suffix("")
        first = clean(txt.read_text(encoding="utf-8", errors="replace").splitlines()[0] if txt.stat().st_size else "")
        if not first:
            continue
        rel = stem.relative_to(TUXPAINT).as_posix()
        png = out_dir / "images" / "tuxpaint" / (rel + ".png")
        if stem.with_suffix(".svg").exists():
            svg_jobs.append((stem.with_suffix(".svg"), png, size))
        elif stem.with_suffix(".png").exists():
            png_jobs.append((stem.with_suffix(".png"), png, size))
        else:
            continue
        items.append(("tuxpaint", rel, png, first))
    return items, png_jobs, svg_jobs


def collect_emoji(out_dir, size):
    names, keywords = {}, {}
    annotations = [a for f in (CLDR_EN, CLDR_EN_DERIVED) if f.exists() for a in ET.parse(f).getroot().iter("annotation")]
    for a in annotations:
        cp = a.get("cp")
        if a.get("type") == "tts":
            names[cp] = clean(a.text)
        else:
            keywords[cp] = [clean(k) for k in (a.text or "").split("|") if clean(k)]
    font = ImageFont.truetype(str(EMOJI_FONT), 109)  # CBDT bitmaps exist at this size only
    items = []
    for cp in sorted(names):
        if not any(ord(c) >= 0x2190 for c in cp):
            continue  # ASCII and typographic symbols: not emoji, and not in the colour font
        item_id = "-".join(f"{ord(c):x}" for c in cp if ord(c) != 0xFE0F)
        png = out_dir / "images" / "emoji" / (item_id + ".png")
        if not png.exists():
            canvas = Image.new("RGBA", (160, 160), (255, 255, 255, 0))
            ImageDraw.Draw(canvas).text((80, 80), cp + ("\ufe0f" if len(cp) == 1 else ""), font=font,
                                        embedded_color=True, anchor="mm")
            box = canvas.getbbox()
            if box is None or canvas.crop(box).convert("L").getextrema() == (255, 255):
                continue  # the font has no glyph for it
            glyph = canvas.crop(box)
            png.parent.mkdir(parents=True, exist_ok=True)
            scale = size * 0.9 / max(glyph.size)
            glyph = glyph.resize((max(1, round(glyph.width * scale)), max(1, round(glyph.height * scale))), Image.BICUBIC)
            square(glyph, size).save(png)
        extra = [k for k in keywords.get(cp, []) if k.lower() != names[cp].lower()]
        caption = names[cp] + (". " + ", ".join(extra[:6]) if extra else "")
        items.append(("emoji", item_id, png, caption))
    return items


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="target/dataset")
    parser.add_argument("--size", type=int, default=96)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    missing = [p for p in (OPENCLIPART, TUXPAINT, EMOJI_FONT, CLDR_EN) if not p.exists()]
    if missing:
        sys.exit(f"missing {missing}: run apt-get install {' '.join(PACKAGES)}")
    out = Path(args.out)
    oc_items, oc_jobs, _ = collect_openclipart(out, args.size)
    tp_items, tp_png, tp_svg = collect_tuxpaint(out, args.size)
    print(f"openclipart {len(oc_items)}, tuxpaint {len(tp_items)}: rendering", flush=True)
    with Pool(args.workers) as pool:
        ok_svg = dict(zip([j[1] for j in oc_jobs + tp_svg], pool.map(render_svg, oc_jobs + tp_svg, chunksize=16)))
        ok_png = dict(zip([j[1] for j in tp_png], pool.map(fit_png, tp_png, chunksize=16)))
    ok = {**ok_svg, **ok_png}
    em_items = collect_emoji(out, args.size)
    items = [i for i in oc_items + tp_items if ok.get(i[2])] + em_items
    with open(out / "captions.tsv", "w", encoding="utf-8") as cap, open(out / "split.tsv", "w", encoding="utf-8") as spl:
        cap.write("source\tid\timage\tcaption\n")
        spl.write("source\tid\tsplit\n")
        for source, item_id, png, caption in items:
            caption = caption.replace("\t", " ")
            cap.write(f"{source}\t{item_id}\t{png.relative_to(out).as_posix()}\t{caption}\n")
            spl.write(f"{source}\t{item_id}\t{split_of(source, item_id)}\n")
    counts = {}
    for source, item_id, _, _ in items:
        key = (source, split_of(source, item_id))
        counts[key] = counts.get(key, 0) + 1
    print("items:", dict(sorted(counts.items())), "failed renders:", sum(1 for v in ok.values() if not v))


if __name__ == "__main__":
    main()
