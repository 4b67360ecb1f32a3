#!/usr/bin/python3
"""Prints the markdown table of train.sh's evaluation results (DIR/<model>-<set>.json)."""
import json
import sys
from pathlib import Path

d = Path(sys.argv[1] if len(sys.argv) > 1 else "target/default-work/eval")
print("| gallery | images | model | t→i R@1 | t→i R@5 | t→i R@10 | t→i median rank | i→t R@1 | i→t R@5 | i→t R@10 | i→t median rank |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for s in ("openclipart", "tuxpaint", "emoji", "all"):
    trained = json.loads((d / f"default-{s}.json").read_text())
    untrained = json.loads((d / f"untrained-{s}.json").read_text())
    for label, m, prefix in (("trained", trained, ""), ("untrained tower", untrained, ""), ("random (expected)", trained, "random.")):
        cells = [f"{m[prefix + 'text_to_image.recall@' + str(k)]:.3f}" for k in (1, 5, 10)]
        cells.append(f"{m[prefix + 'text_to_image.median_rank']:.0f}")
        cells += [f"{m[prefix + 'image_to_text.recall@' + str(k)]:.3f}" for k in (1, 5, 10)]
        cells.append(f"{m[prefix + 'image_to_text.median_rank']:.0f}")
        print(f"| {s} | {m['images']} | {label} | " + " | ".join(cells) + " |")
print()
print("| paraphrase queries (Tux Paint held-out) | queries | R@1 | R@5 | R@10 | median rank |")
print("|---|---|---|---|---|---|")
for label, name, prefix in (("trained", "default", ""), ("untrained tower", "untrained", ""), ("random (expected)", "default", "random.")):
    m = json.loads((d / f"{name}-paraphrases.json").read_text())
    print(f"| {label} | {m['queries']} | " + " | ".join(f"{m[prefix + 'queries.recall@' + str(k)]:.3f}" for k in (1, 5, 10))
          + f" | {m[prefix + 'queries.median_rank']:.1f} |")
