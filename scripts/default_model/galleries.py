#!/usr/bin/python3
"""Lays out the dataset as galleries for `clipstream evaluate`.

    /usr/bin/python3 scripts/default_model/galleries.py [--dataset target/dataset]

Held-out split (never trained on), as in v1 and v2:
  DATASET/heldout/images/<source>/<id>.png and the captions files DATASET/heldout/<source>.tsv
  (ids relative to images/<source>) and DATASET/heldout/all.tsv (ids '<source>/<id>').
Whole sources, as a user's gallery would be (trained and held-out items mixed, about 9 in 10 of
them trained on; one file per item):
  DATASET/galleries/<source>/<id>.png and DATASET/galleries/all/<source>/<id>.png.
All files are hard links to the dataset's images. The paraphrase query files name ids of one
source; DATASET/galleries/<name>_all.tsv is each with its ids prefixed for the combined gallery.
"""
import argparse
import os
from pathlib import Path

QUERY_FILES = {"tuxpaint": "models/default/eval/tuxpaint_paraphrases.tsv",
               "openclipart": "models/default/eval/openclipart_paraphrases.tsv"}


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        return [dict(zip(header, line.rstrip("\n").split("\t"))) for line in f]


def link(source, target):
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        os.link(source, target)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", default="target/dataset")
    args = parser.parse_args()
    dataset = Path(args.dataset)
    split = {(r["source"], r["id"]): r["split"] for r in read_tsv(dataset / "split.tsv")}
    heldout, whole = dataset / "heldout", dataset / "galleries"
    lines, sizes = {}, {}
    for row in read_tsv(dataset / "captions.tsv"):
        image = dataset / row["image"]
        link(image, whole / row["source"] / (row["id"] + ".png"))
        link(image, whole / "all" / row["source"] / (row["id"] + ".png"))
        sizes[row["source"]] = sizes.get(row["source"], 0) + 1
        if split[(row["source"], row["id"])] != "test":
            continue
        link(image, heldout / "images" / row["source"] / (row["id"] + ".png"))
        lines.setdefault(row["source"], []).append(f"{row['id']}\t{row['caption']}\n")
        lines.setdefault("all", []).append(f"{row['source']}/{row['id']}\t{row['caption']}\n")
    for name, rows in lines.items():
        with open(heldout / f"{name}.tsv", "w", encoding="utf-8") as f:
            f.write(f"# held-out split of {name}: image_id<TAB>caption\n")
            f.writelines(rows)
        print(f"{name}: {len(rows)} held-out images")
    for source, path in QUERY_FILES.items():
        with open(path, encoding="utf-8") as f, open(whole / f"{source}_all.tsv", "w", encoding="utf-8") as out:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    query, ids = line.rstrip("\n").split("\t")
                    out.write(query + "\t" + ",".join(f"{source}/{i}" for i in ids.split(",")) + "\n")
    print("whole galleries:", sizes, "all:", sum(sizes.values()))


if __name__ == "__main__":
    main()
