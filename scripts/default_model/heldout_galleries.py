#!/usr/bin/python3
"""Lays out the held-out split as galleries for `clipstream evaluate`.

    /usr/bin/python3 scripts/default_model/heldout_galleries.py [--dataset target/dataset]

Writes DATASET/heldout/images/<source>/<id>.png (hard links to the dataset's images) and the
captions files DATASET/heldout/<source>.tsv (ids relative to images/<source>) and
DATASET/heldout/all.tsv (ids relative to images/, so '<source>/<id>'): 'image_id<TAB>caption'.
"""
import argparse
import os
from pathlib import Path


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        return [dict(zip(header, line.rstrip("\n").split("\t"))) for line in f]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", default="target/dataset")
    args = parser.parse_args()
    dataset = Path(args.dataset)
    split = {(r["source"], r["id"]): r["split"] for r in read_tsv(dataset / "split.tsv")}
    out = dataset / "heldout"
    lines = {}
    for row in read_tsv(dataset / "captions.tsv"):
        if split[(row["source"], row["id"])] != "test":
            continue
        target = out / "images" / row["source"] / (row["id"] + ".png")
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            os.link(dataset / row["image"], target)
        lines.setdefault(row["source"], []).append(f"{row['id']}\t{row['caption']}\n")
        lines.setdefault("all", []).append(f"{row['source']}/{row['id']}\t{row['caption']}\n")
    for name, rows in lines.items():
        with open(out / f"{name}.tsv", "w", encoding="utf-8") as f:
            f.write(f"# held-out split of {name}: image_id<TAB>caption\n")
            f.writelines(rows)
        print(f"{name}: {len(rows)} held-out images")


if __name__ == "__main__":
    main()
