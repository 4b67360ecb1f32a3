"""Builds a tiny dual encoder with 512-dimensional embeddings, for `clipstream bench pipeline`.

    /usr/bin/python3 scripts/make_bench_tiny512.py [OUT_DIR]    # default target/bench-models/tiny-512

The pipeline benchmark needs vectors of CLIP's size (512) in the index, and a query encoder so cheap
that the REST search latency it reports is the search path's, not the model's. This is the fixture
model's recipe (scripts/make_fixture_model.py: one pre-LN causal transformer layer of width 32 over
a float16 token table, "eos" pooling; two strided convolutions over a 64 x 64 image) with the
projections widened to 512. Weights are random (seeded): the embeddings mean nothing.

OUT_DIR gets the clipstream manifest layout: clipstream-model.json, text.onnx, image.onnx, and a copy
of models/clip-tokenizer/tokenizer.json (so the directory works wherever it is moved). About 5 MB;
it is built, never committed (target/ is ignored).
"""
import json
import math
import os
import shutil
import sys

import onnx
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clip_bpe  # noqa: E402

ROOT = clip_bpe.REPO_ROOT
DEFAULT_OUT = os.path.join(ROOT, "target", "bench-models", "tiny-512")
TOKENIZER_JSON = os.path.join(ROOT, "models", "clip-tokenizer", "tokenizer.json")

MODEL_ID = "bench-tiny-512"
VOCAB = 49408
CONTEXT = 77
WIDTH = 32
HEADS = 2
FF = 64
DIM = 512
IMAGE_SIZE = 64
OPSET = 17
SEED = 512
# As in make_fixture_model.py: finite, so a fully masked padding row gives a uniform softmax, not NaN.
MASKED_SCORE = -1e9


class CausalSelfAttention(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.qkv = torch.nn.Linear(WIDTH, 3 * WIDTH)
        self.out = torch.nn.Linear(WIDTH, WIDTH)

    def forward(self, x, allowed):
        batch, length = x.shape[0], x.shape[1]
        head_dim = WIDTH // HEADS
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        q, k, v = (t.reshape(batch, length, HEADS, head_dim).transpose(1, 2) for t in (q, k, v))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(head_dim)
        scores = scores.masked_fill(~allowed, MASKED_SCORE)
        y = torch.matmul(torch.softmax(scores, dim=-1), v)
        return self.out(y.transpose(1, 2).reshape(batch, length, WIDTH))


class TextTower(torch.nn.Module):
    """Per-token states [B, T, DIM]; the Java side pools at the end token ("eos")."""

    def __init__(self):
        super().__init__()
        # float16 keeps the 49408-row table at 3 MB; the Gather + Cast is as cheap as a float32 lookup.
        self.register_buffer("token_embedding", torch.randn(VOCAB, WIDTH).half())
        self.position_embedding = torch.nn.Parameter(torch.randn(CONTEXT, WIDTH) * 0.5)
        self.ln_1 = torch.nn.LayerNorm(WIDTH)
        self.attn = CausalSelfAttention()
        self.ln_2 = torch.nn.LayerNorm(WIDTH)
        self.mlp = torch.nn.Sequential(torch.nn.Linear(WIDTH, FF), torch.nn.GELU(), torch.nn.Linear(FF, WIDTH))
        self.ln_final = torch.nn.LayerNorm(WIDTH)
        self.projection = torch.nn.Linear(WIDTH, DIM, bias=False)

    def forward(self, ids, mask):
        length = ids.shape[1]
        x = torch.nn.functional.embedding(ids, self.token_embedding).float()
        x = x + self.position_embedding[:length]
        positions = torch.arange(length, device=ids.device)
        causal = positions[None, :] <= positions[:, None]
        allowed = causal[None, None, :, :] & (mask[:, None, None, :] != 0)
        x = x + self.attn(self.ln_1(x), allowed)
        x = x + self.mlp(self.ln_2(x))
        return self.projection(self.ln_final(x))


class ImageTower(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(3, 16, kernel_size=4, stride=4)
        self.conv2 = torch.nn.Conv2d(16, 32, kernel_size=3, stride=2, padding=1)
        self.gelu = torch.nn.GELU()
        self.projection = torch.nn.Linear(32, DIM)

    def forward(self, pixels):
        x = self.gelu(self.conv1(pixels))
        x = self.gelu(self.conv2(x))
        return self.projection(x.mean(dim=(2, 3)))


def manifest():
    return {
        "format": "clipstream-model/1",
        "id": MODEL_ID,
        "dimension": DIM,
        "text": {"onnx": "text.onnx", "tokenizer": "tokenizer.json", "maxLength": CONTEXT,
                 "padId": clip_bpe.END_ID, "inputIds": "ids", "attentionMask": "mask", "output": "tokens",
                 "pooling": "eos"},
        "image": {"onnx": "image.onnx", "input": "pixels", "output": "embedding", "shortestEdge": IMAGE_SIZE,
                  "cropSize": [IMAGE_SIZE, IMAGE_SIZE], "mean": [0.48145466, 0.4578275, 0.40821073],
                  "std": [0.26862954, 0.26130258, 0.27577711], "resample": "bicubic"},
    }


def export(module, args, path, input_names, output_names, dynamic_axes):
    torch.onnx.export(module, args, path, input_names=input_names, output_names=output_names,
                      dynamic_axes=dynamic_axes, opset_version=OPSET, do_constant_folding=True)
    onnx.checker.check_model(path, full_check=True)


def main():
    out = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    if not os.path.isfile(TOKENIZER_JSON):
        sys.exit(f"{TOKENIZER_JSON} is missing: run scripts/build_clip_tokenizer.py first")
    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    text, image = TextTower().eval(), ImageTower().eval()
    # Tracing inputs: batch 2 and a length that is not 77, so neither gets fixed in the graph.
    ids = torch.full((2, 7), clip_bpe.END_ID, dtype=torch.int64)
    ids[:, 0] = clip_bpe.START_ID
    mask = torch.ones_like(ids)
    pixels = torch.randn(2, 3, IMAGE_SIZE, IMAGE_SIZE)

    # Write into a sibling directory and rename, so a half-written model is never mistaken for one.
    partial = out + ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    os.makedirs(partial)
    with torch.no_grad():
        export(text, (ids, mask), os.path.join(partial, "text.onnx"), ["ids", "mask"], ["tokens"],
               {"ids": {0: "batch", 1: "sequence"}, "mask": {0: "batch", 1: "sequence"},
                "tokens": {0: "batch", 1: "sequence"}})
        export(image, (pixels,), os.path.join(partial, "image.onnx"), ["pixels"], ["embedding"],
               {"pixels": {0: "batch"}, "embedding": {0: "batch"}})
    shutil.copyfile(TOKENIZER_JSON, os.path.join(partial, "tokenizer.json"))
    with open(os.path.join(partial, "clipstream-model.json"), "w", encoding="utf-8") as f:
        json.dump(manifest(), f, indent=2)
        f.write("\n")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    os.rename(partial, out)
    sizes = {name: os.path.getsize(os.path.join(out, name)) for name in sorted(os.listdir(out))}
    print(f"{MODEL_ID} (dimension {DIM}) written to {out}: {sizes}")


if __name__ == "__main__":
    main()
