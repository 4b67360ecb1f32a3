"""Writes the bundled demo corpus: simple clip-art images of coloured shapes, each with a caption.

Run with Debian's Python (PIL): /usr/bin/python3 scripts/make_demo_corpus.py
Output: src/main/resources/demo/corpus/{index.tsv,images/*.png}. index.tsv lines are
`id<TAB>image file<TAB>category<TAB>caption`. Deterministic (seeded). This small corpus stands in
until the default model's clip-art corpus (issue 4) replaces it.
"""
import os
import random

from PIL import Image, ImageDraw

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "main", "resources", "demo", "corpus")
COLOURS = {"red": (220, 40, 40), "green": (40, 170, 60), "blue": (40, 80, 220), "yellow": (240, 210, 40),
           "purple": (140, 60, 180), "orange": (245, 140, 30)}
SHAPES = ["circle", "square", "triangle", "star"]


def draw_shape(draw, shape, box, colour):
    x0, y0, x1, y1 = box
    if shape == "circle":
        draw.ellipse(box, fill=colour)
    elif shape == "square":
        draw.rectangle(box, fill=colour)
    elif shape == "triangle":
        draw.polygon([((x0 + x1) / 2, y0), (x1, y1), (x0, y1)], fill=colour)
    else:
        cx, cy, r = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2
        import math
        points = []
        for i in range(10):
            radius = r if i % 2 == 0 else r * 0.45
            angle = math.pi / 2 + i * math.pi / 5
            points.append((cx + radius * math.cos(angle), cy - radius * math.sin(angle)))
        draw.polygon(points, fill=colour)


def main():
    rng = random.Random(7)
    os.makedirs(os.path.join(OUT, "images"), exist_ok=True)
    lines = []
    for shape in SHAPES:
        for name, colour in COLOURS.items():
            item = f"{name}-{shape}"
            size = rng.choice([(160, 160), (200, 150), (150, 200)])
            background = tuple(rng.randint(235, 255) for _ in range(3))
            image = Image.new("RGB", size, background)
            draw = ImageDraw.Draw(image)
            margin = 25
            draw_shape(draw, shape, (margin, margin, size[0] - margin, size[1] - margin), colour)
            image.save(os.path.join(OUT, "images", item + ".png"), optimize=True)
            lines.append(f"{item}\timages/{item}.png\tshapes/{shape}\ta {name} {shape}")
    with open(os.path.join(OUT, "index.tsv"), "w", encoding="utf-8") as out:
        out.write("# id\timage\tcategory\tcaption\n")
        out.write("\n".join(lines) + "\n")
    print(f"wrote {len(lines)} items to {OUT}")


if __name__ == "__main__":
    main()
