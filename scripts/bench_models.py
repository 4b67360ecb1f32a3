"""Builds a CLIP ViT-B/32-sized dual encoder with random (seeded) weights for throughput benchmarks,
and exports it in the clipstream manifest layout.

    /usr/bin/python3 scripts/bench_models.py [OUT_DIR]     # default target/bench-models/clip-vit-b-32

The network has the shape and operators of OpenAI's CLIP ViT-B/32, so that it costs what the real
model costs; its weights are random, so its embeddings mean nothing. It is never committed (about
600 MB of ONNX plus the same again as a torch state_dict).

  vision  ViT-B/32: 224 x 224 input, 32 x 32 patches, width 768, 12 pre-LN layers, 12 heads,
          class token, final LayerNorm on it, projection to 512 (no bias)
  text    CLIP's text transformer: vocabulary 49408, context 77, width 512, 12 pre-LN layers,
          8 heads, causal mask (combined with the padding mask, as Hugging Face's CLIPTextModel
          does), final LayerNorm, pooled at argmax(input_ids) (the end token, 49407 being the
          largest id), projection to 512 (no bias)
  both    QuickGELU (x * sigmoid(1.702 x)) in the MLPs, as OpenAI's checkpoints use

OUT_DIR gets clipstream-model.json, text.onnx (inputs input_ids, attention_mask; output text_embeds
[batch, 512], already pooled), image.onnx (input pixel_values; output image_embeds [batch, 512]),
and torch_weights.pt, the state_dict of the same module, so that scripts/bench_torch.py times the
very network that ONNX Runtime runs. ONNX: opset 17, float32, dynamic batch (and sequence) axes.
"""
import argparse
import json
import math
import os
import sys
import time

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(ROOT, "target", "bench-models", "clip-vit-b-32")
TOKENIZER_JSON = os.path.join(ROOT, "models", "clip-tokenizer", "tokenizer.json")

MODEL_ID = "bench-clip-vit-b-32"
EMBED_DIM = 512
OPSET = 17
SEED = 1234

VOCAB = 49408
CONTEXT = 77
TEXT_WIDTH = 512
TEXT_LAYERS = 12
TEXT_HEADS = 8
END_ID = 49407

IMAGE_SIZE = 224
PATCH = 32
VISION_WIDTH = 768
VISION_LAYERS = 12
VISION_HEADS = 12

CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
CLIP_STD = [0.26862954, 0.26130258, 0.27577711]
# Added to forbidden attention scores. Finite so that a fully masked row (a padding query) gives a
# uniform softmax rather than NaN.
MASKED_SCORE = -1e9


class QuickGELU(torch.nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class Attention(torch.nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.qkv = torch.nn.Linear(width, 3 * width)
        self.out = torch.nn.Linear(width, width)

    def forward(self, x, bias):
        batch, length, width = x.shape
        head_dim = width // self.heads
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        q, k, v = (t.reshape(batch, length, self.heads, head_dim).transpose(1, 2) for t in (q, k, v))
        scores = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(head_dim))
        if bias is not None:
            scores = scores + bias
        y = torch.matmul(torch.softmax(scores, dim=-1), v)
        return self.out(y.transpose(1, 2).reshape(batch, length, width))


class Block(torch.nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.ln_1 = torch.nn.LayerNorm(width)
        self.attn = Attention(width, heads)
        self.ln_2 = torch.nn.LayerNorm(width)
        self.mlp = torch.nn.Sequential(torch.nn.Linear(width, 4 * width), QuickGELU(), torch.nn.Linear(4 * width, width))

    def forward(self, x, bias):
        x = x + self.attn(self.ln_1(x), bias)
        return x + self.mlp(self.ln_2(x))


class TextTower(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.token_embedding = torch.nn.Embedding(VOCAB, TEXT_WIDTH)
        self.position_embedding = torch.nn.Parameter(torch.empty(CONTEXT, TEXT_WIDTH))
        self.blocks = torch.nn.ModuleList([Block(TEXT_WIDTH, TEXT_HEADS) for _ in range(TEXT_LAYERS)])
        self.ln_final = torch.nn.LayerNorm(TEXT_WIDTH)
        self.projection = torch.nn.Linear(TEXT_WIDTH, EMBED_DIM, bias=False)

    def forward(self, input_ids, attention_mask):
        length = input_ids.shape[1]
        x = self.token_embedding(input_ids) + self.position_embedding[:length]
        positions = torch.arange(length, device=input_ids.device)
        allowed = (positions[None, :] <= positions[:, None])[None, None] & (attention_mask[:, None, None, :] != 0)
        bias = torch.zeros(allowed.shape, dtype=x.dtype).masked_fill(~allowed, MASKED_SCORE)
        for block in self.blocks:
            x = block(x, bias)
        x = self.ln_final(x)
        eos = input_ids.argmax(dim=-1)
        pooled = x.gather(1, eos[:, None, None].expand(-1, 1, TEXT_WIDTH)).squeeze(1)
        return self.projection(pooled)


class VisionTower(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(3, VISION_WIDTH, kernel_size=PATCH, stride=PATCH, bias=False)
        self.class_embedding = torch.nn.Parameter(torch.empty(VISION_WIDTH))
        self.position_embedding = torch.nn.Parameter(torch.empty((IMAGE_SIZE // PATCH) ** 2 + 1, VISION_WIDTH))
        self.ln_pre = torch.nn.LayerNorm(VISION_WIDTH)
        self.blocks = torch.nn.ModuleList([Block(VISION_WIDTH, VISION_HEADS) for _ in range(VISION_LAYERS)])
        self.ln_post = torch.nn.LayerNorm(VISION_WIDTH)
        self.projection = torch.nn.Linear(VISION_WIDTH, EMBED_DIM, bias=False)

    def forward(self, pixel_values):
        x = self.conv1(pixel_values)  # [B, W, 7, 7]
        x = x.flatten(2).transpose(1, 2)  # [B, 49, W]
        cls = self.class_embedding.expand(x.shape[0], 1, VISION_WIDTH)
        x = torch.cat([cls, x], dim=1) + self.position_embedding
        x = self.ln_pre(x)
        for block in self.blocks:
            x = block(x, None)
        return self.projection(self.ln_post(x[:, 0]))


class DualEncoder(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.text = TextTower()
        self.vision = VisionTower()


def init_like_clip(model):
    """OpenAI CLIP's initialisation scales; they keep activations in a normal float range through
    all 12 layers (torch's defaults would do too, but this is closer to a trained model's
    magnitudes, and denormals or overflow would distort the timing)."""
    for tower, width, layers in ((model.text, TEXT_WIDTH, TEXT_LAYERS), (model.vision, VISION_WIDTH, VISION_LAYERS)):
        proj_std = width ** -0.5 * (2 * layers) ** -0.5
        attn_std = width ** -0.5
        fc_std = (2 * width) ** -0.5
        for block in tower.blocks:
            torch.nn.init.normal_(block.attn.qkv.weight, std=attn_std)
            torch.nn.init.zeros_(block.attn.qkv.bias)
            torch.nn.init.normal_(block.attn.out.weight, std=proj_std)
            torch.nn.init.zeros_(block.attn.out.bias)
            torch.nn.init.normal_(block.mlp[0].weight, std=fc_std)
            torch.nn.init.normal_(block.mlp[2].weight, std=proj_std)
        torch.nn.init.normal_(tower.projection.weight, std=width ** -0.5)
    torch.nn.init.normal_(model.text.token_embedding.weight, std=0.02)
    torch.nn.init.normal_(model.text.position_embedding, std=0.01)
    scale = VISION_WIDTH ** -0.5
    torch.nn.init.normal_(model.vision.class_embedding, std=scale)
    torch.nn.init.normal_(model.vision.position_embedding, std=scale)


def build():
    """The seeded network; the same seed gives the same weights."""
    torch.manual_seed(SEED)
    model = DualEncoder()
    with torch.no_grad():
        init_like_clip(model)
    return model.eval()


def load(weights_path):
    """The network with the weights saved next to the ONNX files (what bench_torch.py runs)."""
    model = DualEncoder()
    model.load_state_dict(torch.load(weights_path, map_location="cpu"))
    return model.eval()


def manifest(tokenizer_path):
    return {
        "format": "clipstream-model/1",
        "id": MODEL_ID,
        "dimension": EMBED_DIM,
        "text": {"onnx": "text.onnx", "tokenizer": tokenizer_path, "maxLength": CONTEXT, "padId": END_ID,
                 "inputIds": "input_ids", "attentionMask": "attention_mask", "output": "text_embeds",
                 "pooling": "output"},
        "image": {"onnx": "image.onnx", "input": "pixel_values", "output": "image_embeds",
                  "shortestEdge": IMAGE_SIZE, "cropSize": [IMAGE_SIZE, IMAGE_SIZE], "mean": CLIP_MEAN,
                  "std": CLIP_STD, "resample": "bicubic"},
    }


def example_text_inputs():
    """Batch 2 of length 9 (not 77, so that nothing is fixed to the context length)."""
    ids = torch.full((2, 9), END_ID, dtype=torch.int64)
    mask = torch.zeros((2, 9), dtype=torch.int64)
    ids[0, :9] = torch.tensor([49406, 320, 1125, 539, 320, 2368, 530, 518, END_ID])
    mask[0, :9] = 1
    ids[1, :4] = torch.tensor([49406, 320, 1929, END_ID])
    mask[1, :4] = 1
    return ids, mask


def export(model, out_dir):
    ids, mask = example_text_inputs()
    pixels = torch.randn(2, 3, IMAGE_SIZE, IMAGE_SIZE)
    text_path = os.path.join(out_dir, "text.onnx")
    image_path = os.path.join(out_dir, "image.onnx")
    torch.onnx.export(model.text, (ids, mask), text_path, input_names=["input_ids", "attention_mask"],
                      output_names=["text_embeds"], opset_version=OPSET, do_constant_folding=True,
                      dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                                    "attention_mask": {0: "batch", 1: "sequence"},
                                    "text_embeds": {0: "batch"}})
    torch.onnx.export(model.vision, (pixels,), image_path, input_names=["pixel_values"],
                      output_names=["image_embeds"], opset_version=OPSET, do_constant_folding=True,
                      dynamic_axes={"pixel_values": {0: "batch"}, "image_embeds": {0: "batch"}})
    return (text_path, (ids, mask)), (image_path, (pixels,))


def check(model, exported):
    """The files load, keep both text inputs, and (where a runtime exists) match torch."""
    import onnx
    lines = []
    for path, args in exported:
        onnx.checker.check_model(path)
        graph = onnx.load(path, load_external_data=False).graph
        inputs = [i.name for i in graph.input]
        lines.append(f"{os.path.basename(path)}: {os.path.getsize(path) / 1e6:.0f} MB, inputs {inputs}, "
                     f"outputs {[o.name for o in graph.output]}")
        if path.endswith("text.onnx") and inputs != ["input_ids", "attention_mask"]:
            raise AssertionError(f"{path}: expected inputs input_ids and attention_mask, got {inputs}")
    with torch.no_grad():
        (text_path, text_args), (image_path, image_args) = exported
        t = model.text(*text_args)
        v = model.vision(*image_args)
    for name, out in (("text", t), ("image", v)):
        if not torch.isfinite(out).all():
            raise AssertionError(f"{name} tower gives non-finite outputs")
        lines.append(f"{name} embeddings: shape {list(out.shape)}, norm {out.norm(dim=-1).tolist()}")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir", nargs="?", default=DEFAULT_OUT)
    args = parser.parse_args()
    torch.set_num_threads(2)
    out_dir = os.path.abspath(args.out_dir)
    if not os.path.isfile(TOKENIZER_JSON):
        sys.exit(f"{TOKENIZER_JSON} is missing: run scripts/build_clip_tokenizer.py first")
    os.makedirs(out_dir, exist_ok=True)
    started = time.time()
    model = build()
    exported = export(model, out_dir)
    torch.save(model.state_dict(), os.path.join(out_dir, "torch_weights.pt"))
    with open(os.path.join(out_dir, "clipstream-model.json"), "w", encoding="utf-8") as f:
        json.dump(manifest(os.path.relpath(TOKENIZER_JSON, out_dir)), f, indent=2)
        f.write("\n")
    lines = check(model, exported)
    params = sum(p.numel() for p in model.parameters())
    print("\n".join(lines))
    print(f"{MODEL_ID}: {params / 1e6:.1f} M parameters written to {out_dir} in {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
