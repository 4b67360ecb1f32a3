#!/usr/bin/python3
"""Copies small sets of held-out items into the repository: the CI evaluation gallery and the demo corpus.

    /usr/bin/python3 scripts/default_model/make_bundled_sets.py [--dataset target/dataset]

Only held-out ('test') items, and only from the sources whose licences allow it without strings:
openclipart (public domain) and Noto Color Emoji (SIL OFL 1.1) with CLDR names (Unicode licence).
Tux Paint stamps are GPL-2 and are not copied. Items are picked by sha1 of a salt and the id, so
the choice is fixed and does not depend on the model.

  src/test/resources/eval-gallery/images/<source>/<id>.png  (64 px) + captions.tsv
  src/main/resources/demo/corpus/images/<name>.png (96 px) + index.tsv (id, image, category, caption)
"""
import argparse
import hashlib
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
GALLERY = ROOT / "src/test/resources/eval-gallery"
DEMO = ROOT / "src/main/resources/demo/corpus"
PICK = {"eval-gallery": {"openclipart": 80, "emoji": 40}, "demo": {"openclipart": 40, "emoji": 20}}


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        return [dict(zip(header, line.rstrip("\n").split("\t"))) for line in f]


def pick(rows, salt, counts):
    chosen = []
    for source, n in counts.items():
        pool = [r for r in rows if r["source"] == source]
        pool.sort(key=lambda r: hashlib.sha1(f"{salt}:{r['id']}".encode()).hexdigest())
        chosen += sorted(pool[:n], key=lambda r: r["id"])
    return chosen


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", default="target/dataset")
    args = parser.parse_args()
    dataset = Path(args.dataset)
    split = {(r["source"], r["id"]): r["split"] for r in read_tsv(dataset / "split.tsv")}
    held_out = [r for r in read_tsv(dataset / "captions.tsv") if split[(r["source"], r["id"])] == "test"]

    GALLERY.mkdir(parents=True, exist_ok=True)
    with open(GALLERY / "captions.tsv", "w", encoding="utf-8") as out:
        out.write("# Held-out items of the default model's dataset (scripts/default_model/make_bundled_sets.py).\n")
        out.write("# image_id<TAB>caption; images: openclipart (public domain), Noto Color Emoji (OFL-1.1), names from CLDR (Unicode licence)\n")
        for r in pick(held_out, "eval-gallery", PICK["eval-gallery"]):
            target = GALLERY / "images" / r["source"] / (r["id"] + ".png")
            target.parent.mkdir(parents=True, exist_ok=True)
            with Image.open(dataset / r["image"]) as img:
                img.convert("RGB").resize((64, 64), Image.BICUBIC).save(target, optimize=True)
            out.write(f"{r['source']}/{r['id']}\t{r['caption']}\n")

    (DEMO / "images").mkdir(parents=True, exist_ok=True)
    for old in (DEMO / "images").glob("*.png"):
        old.unlink()
    with open(DEMO / "index.tsv", "w", encoding="utf-8") as out:
        out.write("# id\timage\tcategory\tcaption\n")
        for r in pick(held_out, "demo", PICK["demo"]):
            name = (r["source"] + "-" + r["id"]).replace("/", "-")
            with Image.open(dataset / r["image"]) as img:
                img.convert("RGB").save(DEMO / "images" / (name + ".png"), optimize=True)
            category = r["source"] + ("/" + r["id"].split("/")[0] if r["source"] == "openclipart" else "")
            out.write(f"{name}\timages/{name}.png\t{category}\t{r['caption']}\n")
    print("written", GALLERY, DEMO)


if __name__ == "__main__":
    main()
