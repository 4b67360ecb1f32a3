#!/usr/bin/python3
"""Renders the default model's held-out openclipart items into category folders for `clipstream evaluate-tags`.

    /usr/bin/python3 scripts/default_model/tagging_heldout.py [--out target/tagging-heldout] [--size 96]

Needs openclipart-svg and librsvg2-bin (apt-get install openclipart-svg librsvg2-bin). Takes the
items of the held-out ('test') split exactly as build_dataset.py defines it (sha1("openclipart:<id>")
mod 10 == 0, the id being the SVG's path under /usr/share/openclipart/svg without .svg), renders each
the same way as the training images (SIZE px square over white), and writes OUT/images/<id>.png, so
that the folders of the path are the item's category (animals/birds/...). Items that fail to render
are left out, as in the training set. openclipart is public domain.
"""
import argparse
import sys
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_dataset import OPENCLIPART, render_svg, split_of  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="target/tagging-heldout")
    parser.add_argument("--size", type=int, default=96)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not OPENCLIPART.exists():
        sys.exit(f"missing {OPENCLIPART}: run apt-get install openclipart-svg librsvg2-bin")
    out = Path(args.out) / "images"
    jobs = []
    for svg in sorted(OPENCLIPART.rglob("*.svg")):
        item_id = svg.relative_to(OPENCLIPART).with_suffix("").as_posix()
        if split_of("openclipart", item_id) == "test":
            jobs.append((svg, out / (item_id + ".png"), args.size))
    with Pool(args.workers) as pool:
        rendered = pool.map(render_svg, jobs, chunksize=8)
    print(f"held-out openclipart items: {len(jobs)}, rendered {sum(rendered)}, failed {len(jobs) - sum(rendered)} -> {out}")


if __name__ == "__main__":
    main()
