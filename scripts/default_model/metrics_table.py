#!/usr/bin/python3
"""Prints the markdown tables of train.sh's evaluation results (DIR/<model>-<set>.json)."""
import json
import sys
from pathlib import Path

d = Path(sys.argv[1] if len(sys.argv) > 1 else "target/default-work/eval")
MODELS = (("v3 (trained)", "default"), ("v2", "v2"), ("untrained tower", "untrained"))


def load(model, name):
    return json.loads((d / f"{model}-{name}.json").read_text())


print("| gallery | images | model | t→i R@1 | t→i R@5 | t→i R@10 | t→i median rank | i→t R@1 | i→t R@5 | i→t R@10 | i→t median rank |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for s in ("openclipart", "tuxpaint", "emoji", "all"):
    rows = [(label, load(model, s), "") for label, model in MODELS] + [("random (expected)", load("default", s), "random.")]
    for label, m, prefix in rows:
        cells = [f"{m[prefix + 'text_to_image.recall@' + str(k)]:.3f}" for k in (1, 5, 10)]
        cells.append(f"{m[prefix + 'text_to_image.median_rank']:.0f}")
        cells += [f"{m[prefix + 'image_to_text.recall@' + str(k)]:.3f}" for k in (1, 5, 10)]
        cells.append(f"{m[prefix + 'image_to_text.median_rank']:.0f}")
        print(f"| {s} held out | {m['images']} | {label} | " + " | ".join(cells) + " |")
print()
print("| paraphrase queries | gallery | images | queries | model | R@1 | R@5 | R@10 | median rank |")
print("|---|---|---|---|---|---|---|---|---|")
for name, queries, gallery in (("whole-tuxpaint", "Tux Paint", "whole Tux Paint"),
                               ("whole-openclipart", "openclipart", "whole openclipart"),
                               ("whole-all-tuxpaint", "Tux Paint", "all three sources"),
                               ("whole-all-openclipart", "openclipart", "all three sources")):
    rows = [(label, load(model, name), "") for label, model in MODELS] + [("random (expected)", load("default", name), "random.")]
    for label, m, prefix in rows:
        print(f"| {queries} | {gallery} | {m['images']} | {m['queries']} | {label} | "
              + " | ".join(f"{m[prefix + 'queries.recall@' + str(k)]:.3f}" for k in (1, 5, 10))
              + f" | {m[prefix + 'queries.median_rank']:.1f} |")
