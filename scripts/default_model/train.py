#!/usr/bin/python3
"""Trains the default model's image tower into the space of a frozen text tower (all-MiniLM-L6-v2).

    /usr/bin/python3 scripts/default_model/train.py export-untrained --out DIR
    /usr/bin/python3 scripts/default_model/train.py train --dataset target/dataset \
        --text-vectors FILE.f32 --out models/default [--epochs N]

The text vectors are computed by clipstream itself (`clipstream embed-texts`), one row per line of
captions.tsv, so the tower is trained against exactly the vectors the service produces.

Only items whose split is 'train' (split.tsv) are used; the held-out 'test' items are read for a
progress line per epoch and never for gradients or for choosing anything.
"""
import argparse
import hashlib
import json
import math
import os
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

torch.set_num_threads(2)

INPUT = 96          # the tower's input: shortestEdge and crop in the manifest
EXPLAIN_SCALE = 3   # match localisation runs the tower at 3x INPUT (a 9x9 grid); docs/BENCHMARKS.md, issue 8
STORE = 108         # training images are kept at this size and randomly cropped down to INPUT
DIM = 384           # all-MiniLM-L6-v2's embedding size
MEAN = (0.48145466, 0.4578275, 0.40821073)
STD = (0.26862954, 0.26130258, 0.27577711)
MODEL_ID = "clipstream-default-v3"
# Words after which a mirror image would contradict the caption.
NO_FLIP_WORDS = ("left", "right", "arrow", "letter", "text", "word", "flag", "sign", "number", "digit", "clock", "map")


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.skip = None
        if stride != 1 or cin != cout:
            self.skip = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + (x if self.skip is None else self.skip(x)))


class ImageTower(nn.Module):
    """A small ResNet: 96x96 in, a 3x3 grid of DIM-d patch vectors (stride 32), their mean as the image vector.

    Sized for CPU training on two cores: the first stage halves the 96 px input before the widths
    grow, so it costs about 50 M multiply-adds per image, twice v2's 48 px tower, for four times
    the pixels."""

    def __init__(self, width=(24, 32, 64, 128, 320)):
        super().__init__()
        w0, w1, w2, w3, w4 = width
        self.stem = nn.Sequential(nn.Conv2d(3, w0, 3, 2, 1, bias=False), nn.BatchNorm2d(w0), nn.ReLU(inplace=True))  # 48x48
        self.stages = nn.Sequential(
            Block(w0, w1, 2),                        # 24x24
            Block(w1, w2, 2),                        # 12x12
            Block(w2, w3, 2),                        # 6x6
            Block(w3, w4, 2), Block(w4, w4, 1),      # 3x3
        )
        self.project = nn.Conv2d(w4, DIM, 1)

    def forward(self, pixels):
        patches = self.project(self.stages(self.stem(pixels)))      # [B, DIM, 3, 3]
        # A 1x1 projection commutes with the mean, so the image vector is the mean patch vector:
        # patch_embeds live in the same space and can be compared with text vectors too.
        return patches.mean(dim=(2, 3)), patches.permute(0, 2, 3, 1)


class Exported(nn.Module):
    def __init__(self, tower):
        super().__init__()
        self.tower = tower

    def forward(self, pixel_values):
        image, patches = self.tower(pixel_values)
        return image, patches


def export(tower, out_dir):
    out_dir.mkdir(parents=True, exist_ok=True)
    tower.eval()
    dummy = torch.zeros(2, 3, INPUT, INPUT)
    torch.onnx.export(Exported(tower), dummy, str(out_dir / "image.onnx"), opset_version=17,
                      input_names=["pixel_values"], output_names=["image_embeds", "patch_embeds"],
                      # The tower is fully convolutional: spatial dims stay free so match localisation can
                      # run it larger (image.explainScale); same names as dynamic_spatial.py.
                      dynamic_axes={"pixel_values": {0: "batch", 2: "height", 3: "width"}, "image_embeds": {0: "batch"},
                                    "patch_embeds": {0: "batch", 1: "grid_rows", 2: "grid_cols"}},
                      do_constant_folding=True)
    manifest = {
        "format": "clipstream-model/1",
        "id": MODEL_ID if out_dir.name == "default" else MODEL_ID + "-" + out_dir.name,
        "dimension": DIM,
        "text": {
            "onnx": "classpath:/all-minilm-l6-v2.onnx",
            "tokenizer": "classpath:/all-minilm-l6-v2-tokenizer.json",
            "maxLength": 128,
            "padId": 0,
            "inputIds": "input_ids",
            "attentionMask": "attention_mask",
            "tokenTypeIds": "token_type_ids",
            "output": "last_hidden_state",
            "pooling": "mean",
        },
        "image": {
            "onnx": "image.onnx",
            "input": "pixel_values",
            "output": "image_embeds",
            "patchOutput": "patch_embeds",
            "explainScale": EXPLAIN_SCALE,
            "shortestEdge": INPUT,
            "cropSize": [INPUT, INPUT],
            "mean": list(MEAN),
            "std": list(STD),
            "resample": "bicubic",
        },
    }
    (out_dir / "clipstream-model.json").write_text(json.dumps(manifest, indent=2) + "\n")


def seed_all(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        return [dict(zip(header, line.rstrip("\n").split("\t"))) for line in f]


def load_images(dataset, rows, size):
    out = np.empty((len(rows), size, size, 3), dtype=np.uint8)
    for i, row in enumerate(rows):
        with Image.open(dataset / row["image"]) as img:
            out[i] = np.asarray(img.convert("RGB").resize((size, size), Image.BICUBIC))
    return torch.from_numpy(out).permute(0, 3, 1, 2).contiguous()


def picture_key(dataset, row):
    """The rendered picture's pixels as a digest: equal for the same drawing filed under two names."""
    with Image.open(dataset / row["image"]) as img:
        return hashlib.sha1(img.convert("RGB").tobytes()).hexdigest()


def normalise(u8):
    x = u8.float() / 255.0
    mean = torch.tensor(MEAN).view(1, 3, 1, 1)
    std = torch.tensor(STD).view(1, 3, 1, 1)
    return (x - mean) / std


def augment(u8, flippable, generator):
    """Random resized crop (area 55-100%, aspect 3:4-4:3), mirror where allowed, light colour jitter."""
    b = u8.shape[0]
    x = u8.float() / 255.0
    area = torch.empty(b).uniform_(0.55, 1.0, generator=generator)
    log_ratio = torch.empty(b).uniform_(math.log(3 / 4), math.log(4 / 3), generator=generator)
    ratio = torch.exp(log_ratio)
    sx = torch.sqrt(area * ratio).clamp(max=1.0)
    sy = torch.sqrt(area / ratio).clamp(max=1.0)
    tx = (torch.rand(b, generator=generator) * 2 - 1) * (1 - sx)
    ty = (torch.rand(b, generator=generator) * 2 - 1) * (1 - sy)
    flip = (torch.rand(b, generator=generator) < 0.5) & flippable
    sx_signed = torch.where(flip, -sx, sx)
    theta = torch.zeros(b, 2, 3)
    theta[:, 0, 0] = sx_signed
    theta[:, 0, 2] = tx
    theta[:, 1, 1] = sy
    theta[:, 1, 2] = ty
    grid = F.affine_grid(theta, (b, 3, INPUT, INPUT), align_corners=False)
    # Outside the picture is white, like the background every source is drawn over.
    x = F.grid_sample(x - 1.0, grid, mode="bilinear", padding_mode="zeros", align_corners=False) + 1.0
    brightness = 1 + (torch.rand(b, 1, 1, 1, generator=generator) * 2 - 1) * 0.15
    contrast = 1 + (torch.rand(b, 1, 1, 1, generator=generator) * 2 - 1) * 0.15
    saturation = 1 + (torch.rand(b, 1, 1, 1, generator=generator) * 2 - 1) * 0.15
    x = x * brightness
    grey_mean = x.mean(dim=(1, 2, 3), keepdim=True)
    x = (x - grey_mean) * contrast + grey_mean
    grey = (0.299 * x[:, 0:1] + 0.587 * x[:, 1:2] + 0.114 * x[:, 2:3])
    x = (x - grey) * saturation + grey
    x = x.clamp(0, 1)
    mean = torch.tensor(MEAN).view(1, 3, 1, 1)
    std = torch.tensor(STD).view(1, 3, 1, 1)
    return (x - mean) / std


@torch.no_grad()
def embed_all(tower, pixels, batch=256):
    tower.eval()
    out = []
    for i in range(0, pixels.shape[0], batch):
        out.append(F.normalize(tower(normalise(pixels[i:i + batch]))[0], dim=-1))
    return torch.cat(out)


@torch.no_grad()
def recall_at_10(image_vectors, text_vectors):
    sims = text_vectors @ image_vectors.T
    n = sims.shape[0]
    correct = sims[torch.arange(n), torch.arange(n)].unsqueeze(1)
    t2i = ((sims > correct).sum(1) < 10).float().mean().item()
    i2t = ((sims.T > correct).sum(1) < 10).float().mean().item()
    return t2i, i2t


def train(args):
    seed_all(args.seed)
    dataset = Path(args.dataset)
    captions = read_tsv(dataset / "captions.tsv")
    split = {(r["source"], r["id"]): r["split"] for r in read_tsv(dataset / "split.tsv")}
    vectors = np.fromfile(args.text_vectors, dtype="<f4").reshape(-1, DIM)
    if vectors.shape[0] != len(captions):
        sys.exit(f"{args.text_vectors} has {vectors.shape[0]} rows but captions.tsv has {len(captions)} items")
    train_idx = [i for i, r in enumerate(captions) if split[(r["source"], r["id"])] == "train"]
    test_idx = [i for i, r in enumerate(captions) if split[(r["source"], r["id"])] == "test"]
    started = time.time()
    train_pixels = load_images(dataset, [captions[i] for i in train_idx], STORE)
    test_pixels = load_images(dataset, [captions[i] for i in test_idx], INPUT)
    # openclipart files one drawing under several folders: a training item whose picture is a
    # held-out item's would leak it (v2 trained on 198 such twins), so it is left out.
    held_out_pictures = {picture_key(dataset, captions[i]) for i in test_idx}
    keep = [k for k, i in enumerate(train_idx) if picture_key(dataset, captions[i]) not in held_out_pictures]
    print(f"train {len(keep)} ({len(train_idx) - len(keep)} left out: the same picture as a held-out item), "
          f"held out {len(test_idx)}; images loaded in {time.time() - started:.0f} s", flush=True)
    train_idx = [train_idx[k] for k in keep]
    train_pixels = train_pixels[keep]
    train_rows = [captions[i] for i in train_idx]
    text = torch.from_numpy(vectors)
    train_text = text[train_idx]
    test_text = text[test_idx]
    # Identical captions (e.g. two Tux Paint stamps both "A frog.") are both right answers.
    unique = {}
    caption_class = torch.tensor([unique.setdefault(r["caption"], len(unique)) for r in train_rows])
    bank = torch.zeros(len(unique), DIM)
    bank[caption_class] = train_text
    flippable = torch.tensor([r["source"] != "emoji" and not any(w in r["caption"].lower() for w in NO_FLIP_WORDS)
                              for r in train_rows])

    tower = ImageTower()
    print(f"parameters: {sum(p.numel() for p in tower.parameters()) / 1e6:.2f} M", flush=True)
    logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))
    optimiser = torch.optim.AdamW([{"params": tower.parameters(), "weight_decay": args.weight_decay},
                                   {"params": [logit_scale], "weight_decay": 0.0}], lr=args.lr)
    steps_per_epoch = len(train_idx) // args.batch
    total_steps = steps_per_epoch * args.epochs
    warmup = steps_per_epoch
    generator = torch.Generator().manual_seed(args.seed)
    step = 0
    for epoch in range(args.epochs):
        tower.train()
        order = torch.randperm(len(train_idx), generator=generator)
        epoch_loss, epoch_started = 0.0, time.time()
        for b in range(steps_per_epoch):
            idx = order[b * args.batch:(b + 1) * args.batch]
            lr = args.lr * min(1.0, (step + 1) / warmup) * 0.5 * (1 + math.cos(math.pi * step / total_steps))
            for group in optimiser.param_groups:
                group["lr"] = lr
            pixels = augment(train_pixels[idx], flippable[idx], generator)
            image = F.normalize(tower(pixels)[0], dim=-1)
            targets_text = train_text[idx]
            scale = logit_scale.exp().clamp(max=100)
            classes = caption_class[idx]
            same = (classes.unsqueeze(0) == classes.unsqueeze(1)).float()
            same = same / same.sum(1, keepdim=True)
            logits = scale * image @ targets_text.T
            # Symmetric InfoNCE over the batch ...
            in_batch = 0.5 * (torch.sum(-same * F.log_softmax(logits, 1), 1).mean()
                              + torch.sum(-same * F.log_softmax(logits.T, 1), 1).mean())
            # ... plus image-to-text against every training caption: the text side is frozen, so the
            # whole bank of caption vectors is a free, much harder set of negatives.
            whole_bank = F.cross_entropy(scale * image @ bank.T, classes)
            loss = 0.5 * in_batch + 0.5 * whole_bank
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            optimiser.step()
            epoch_loss += loss.item()
            step += 1
            if args.max_steps and step >= args.max_steps:
                print(f"stopping after {step} steps ({time.time() - epoch_started:.1f} s)", flush=True)
                return
        t2i, i2t = recall_at_10(embed_all(tower, test_pixels), test_text)
        print(f"epoch {epoch + 1}/{args.epochs} loss {epoch_loss / steps_per_epoch:.3f} scale {logit_scale.exp().item():.1f} "
              f"held-out R@10 t2i {t2i:.3f} i2t {i2t:.3f} ({time.time() - epoch_started:.0f} s, "
              f"{time.time() - started:.0f} s total)", flush=True)
    export(tower, Path(args.out))
    print(f"exported to {args.out} after {time.time() - started:.0f} s", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    untrained = sub.add_parser("export-untrained", help="export the tower at its random initialisation (a baseline)")
    untrained.add_argument("--out", required=True)
    untrained.add_argument("--seed", type=int, default=4)
    t = sub.add_parser("train")
    t.add_argument("--dataset", default="target/dataset")
    t.add_argument("--text-vectors", required=True)
    t.add_argument("--out", default="models/default")
    t.add_argument("--epochs", type=int, default=20)
    t.add_argument("--batch", type=int, default=256)
    t.add_argument("--lr", type=float, default=2e-3)
    t.add_argument("--weight-decay", type=float, default=0.05)
    t.add_argument("--seed", type=int, default=4)
    t.add_argument("--max-steps", type=int, default=0, help="stop early (timing runs); nothing is exported")
    args = parser.parse_args()
    if args.command == "export-untrained":
        seed_all(args.seed)
        export(ImageTower(), Path(args.out))
        print(f"untrained tower exported to {args.out}")
    else:
        train(args)


if __name__ == "__main__":
    main()
