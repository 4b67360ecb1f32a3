"""Builds the tiny CLIP-like fixture model, in two layouts, and the golden embeddings the Java
encoders are tested against.

Run from the repository root (a few seconds):

    /usr/bin/python3 scripts/build_clip_tokenizer.py     # models/clip-tokenizer/tokenizer.json first
    /usr/bin/python3 scripts/make_fixture_model.py

It writes, deterministically (fixed seeds):

  models/fixture-tiny/          clipstream MANIFEST layout: clipstream-model.json, text.onnx, image.onnx
  models/fixture-tiny-hf/       the same weights in the Hugging Face CLIP export layout: config.json,
                                preprocessor_config.json, tokenizer*.json, special_tokens_map.json,
                                onnx/text_model.onnx, onnx/vision_model.onnx
  src/test/resources/fixtures/model-parity/
                                texts.txt, images/ (20 images in PNG, JPEG, GIF, BMP, WebP),
                                preprocessed/ (each image after load_rgb + resize_and_crop, as PNG),
                                golden.json (ids and L2-normalised embeddings computed by torch)

and finally checks itself (onnx.checker; an ONNX-vs-torch comparison when a Python ONNX runtime
or onnx.reference is installed) and prints a summary.

The clipstream manifest (clipstream-model.json) in brief:

  format      "clipstream-model/1"
  id          model id written on every vector; dimension: embedding size
  text        onnx (file), tokenizer (path of a Hugging Face tokenizer.json, relative to the
              manifest), maxLength (ids per text, start and end included), padId,
              inputIds / attentionMask / output (ONNX tensor names; ids and mask are int64 [B, T],
              mask 1 = real token, 0 = padding), pooling: how the output becomes one vector per text:
                output  the ONNX output already is the embedding [B, D]
                eos     token at the last position where mask == 1 (output [B, T, D])
                cls     token at position 0
                mean    mean over positions where mask == 1
  image       onnx, input (float32 [B, 3, H, W]), output ([B, D]), shortestEdge, cropSize [H, W],
              mean, std (per RGB channel, on pixel values scaled to [0, 1]), resample ("bicubic")

ONNX outputs are not normalised; the Java side L2-normalises every embedding.

The token embedding table (49408 x 32) is stored in float16 in the ONNX files (Gather, then Cast
to float32) so that both text models together stay near 6 MB. The torch model uses the same
float16-rounded table, so torch and ONNX compute the same float32 numbers.
"""
import json
import math
import os
import shutil
import sys

import numpy as np
import onnx
import torch
from PIL import Image, ImageDraw

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clip_bpe  # noqa: E402
import clip_preprocess  # noqa: E402

ROOT = clip_bpe.REPO_ROOT
MODEL_DIR = os.path.join(ROOT, "models", "fixture-tiny")
HF_DIR = os.path.join(ROOT, "models", "fixture-tiny-hf")
TOKENIZER_JSON = os.path.join(ROOT, "models", "clip-tokenizer", "tokenizer.json")
FIXTURE_DIR = os.path.join(ROOT, "src", "test", "resources", "fixtures", "model-parity")

MODEL_ID = "fixture-tiny"
VOCAB = 49408
CONTEXT = 77
WIDTH = 32
HEADS = 2
FF = 64
DIM = 32
IMAGE_SIZE = 64
OPSET = 17
# Added to the attention score of a forbidden (future or padding) key. Finite, not -inf, so that a
# row with every key forbidden gives a uniform softmax instead of NaN (0 * NaN would leak NaN from
# padding rows into real ones).
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
    """Token + learned position embeddings, one pre-LN causal transformer layer, final LayerNorm,
    per-token linear projection (no bias, like CLIP's text_projection)."""

    def __init__(self):
        super().__init__()
        table = torch.randn(VOCAB, WIDTH)
        self.register_buffer("token_embedding", table.half())  # see the module docstring
        self.position_embedding = torch.nn.Parameter(torch.randn(CONTEXT, WIDTH) * 0.5)
        self.ln_1 = torch.nn.LayerNorm(WIDTH)
        self.attn = CausalSelfAttention()
        self.ln_2 = torch.nn.LayerNorm(WIDTH)
        self.mlp = torch.nn.Sequential(torch.nn.Linear(WIDTH, FF), torch.nn.GELU(), torch.nn.Linear(FF, WIDTH))
        self.ln_final = torch.nn.LayerNorm(WIDTH)
        self.projection = torch.nn.Linear(WIDTH, DIM, bias=False)
        # With default init the residual stream is dominated by the end token's own embedding, so
        # short texts all came out at cosine ~0.99. Larger attention/MLP weights let the context
        # move the pooled state: pairwise cosines now spread from about -0.2 to 0.86.
        with torch.no_grad():
            self.attn.qkv.weight.mul_(2.0)
            self.attn.out.weight.mul_(4.0)
            self.mlp[2].weight.mul_(4.0)

    def hidden(self, ids, mask):
        """Final-LayerNorm states [B, T, WIDTH] (Hugging Face's last_hidden_state)."""
        length = ids.shape[1]
        x = torch.nn.functional.embedding(ids, self.token_embedding).float()
        x = x + self.position_embedding[:length]
        positions = torch.arange(length, device=ids.device)
        causal = positions[None, :] <= positions[:, None]  # [query, key]: key not in the future
        allowed = causal[None, None, :, :] & (mask[:, None, None, :] != 0)
        x = x + self.attn(self.ln_1(x), allowed)
        x = x + self.mlp(self.ln_2(x))
        return self.ln_final(x)

    def forward(self, ids, mask):
        """Projected per-token states [B, T, DIM]: the manifest layout's `tokens` output."""
        return self.projection(self.hidden(ids, mask))


class HfTextModel(torch.nn.Module):
    """Hugging Face layout: pool at argmax(input_ids) (the first end token, 49407 being the largest
    id), then project, as CLIPTextModelWithProjection does."""

    def __init__(self, tower):
        super().__init__()
        self.tower = tower

    def forward(self, input_ids, attention_mask):
        hidden = self.tower.hidden(input_ids, attention_mask)
        eos = input_ids.argmax(dim=-1)
        pooled = hidden.gather(1, eos[:, None, None].expand(-1, 1, WIDTH)).squeeze(1)
        return self.tower.projection(pooled), hidden


class ImageTower(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(3, 16, kernel_size=4, stride=4)
        self.conv2 = torch.nn.Conv2d(16, 32, kernel_size=3, stride=2, padding=1)
        self.gelu = torch.nn.GELU()
        self.projection = torch.nn.Linear(32, DIM)
        # Default init leaves the pooled features close to the biases (mean pairwise cosine 0.87);
        # doubled convolution weights make the embedding depend more on the picture.
        with torch.no_grad():
            self.conv1.weight.mul_(2.0)
            self.conv2.weight.mul_(2.0)

    def forward(self, pixels):
        x = self.gelu(self.conv1(pixels))
        x = self.gelu(self.conv2(x))
        return self.projection(x.mean(dim=(2, 3)))


# ---------------------------------------------------------------------------------------------
# Fixture inputs

TEXTS = [
    "A photo of a cat.",
    "a dog running on the beach at sunset",
    "Two red apples and 3 green pears, on a table (2024)!",
    "Café crème brûlée à la française",
    "A diagram of the water cycle: evaporation, condensation, precipitation.",
    "A HAPPY PENGUIN WEARING A SCARF",
    "the   quick brown    fox jumps",
    "Straße in München im Winter",
    "東京の夜景",
    "🐱 a cat emoji next to a 🐶 dog emoji",
    "it's a bird, it's a plane -- no, it's a kite!",
    "price: $19.99 (was $25.00), 20% off until 31/12",
    "Привет, мир",
    "a black and white photograph of an old steam train",
    ("A very long caption that keeps going well past the seventy-seven token limit of the CLIP text "
     "encoder: a crowded market square at noon, with fruit stalls selling oranges, lemons, figs and "
     "pomegranates, a street musician playing an accordion next to a fountain, pigeons everywhere, "
     "children chasing a red balloon, tourists taking photographs of the old clock tower, a cyclist "
     "weaving between the stalls, and far in the background snow-capped mountains under a pale blue sky."),
    "x",
    "clip art of a smiling sun wearing sunglasses",
    "señor niño jalapeño",
    "Ångström, naïve façade, coöperate",
    "3D render of a robot (v2.0) #42",
]

# name, (width, height), how to save it. Sizes cover up- and down-scaling, portrait, landscape
# and square; 14.bmp is already 64 x 64.
IMAGES = [
    ("01.png", (320, 240), "png-rgb"),
    ("02.png", (200, 200), "png-rgba"),
    ("03.png", (48, 128), "png-gray"),
    ("04.png", (500, 150), "png-palette"),
    ("05.jpg", (640, 240), "jpeg-444"),
    ("06.jpg", (320, 180), "jpeg-exif6"),
    ("07.jpg", (120, 90), "jpeg-gray"),
    ("08.jpg", (257, 193), "jpeg-420-progressive"),
    ("09.gif", (160, 120), "gif"),
    ("10.gif", (100, 100), "gif-transparent"),
    ("11.gif", (150, 200), "gif-animated"),
    ("12.gif", (40, 30), "gif"),
    ("13.bmp", (300, 200), "bmp-rgb"),
    ("14.bmp", (64, 64), "bmp-rgb"),
    ("15.bmp", (90, 300), "bmp-palette"),
    ("16.bmp", (160, 400), "bmp-rgb"),
    ("17.webp", (256, 256), "webp-lossless"),
    ("18.webp", (200, 120), "webp-lossless-rgba"),
    ("19.webp", (333, 222), "webp-lossy"),
    ("20.webp", (64, 200), "webp-lossy"),
]


def synthetic_image(rng, size):
    """A smooth two-direction colour gradient with a few filled shapes: enough structure for the
    model to tell images apart, few sharp high-frequency details for lossy codecs to disturb."""
    w, h = size
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    channels = []
    for _ in range(3):
        a, b, c = rng.uniform(-1, 1, 3)
        channels.append(127.5 + 120 * np.sin(a * 3 * x / w + b * 3 * y / h + c * 3))
    im = Image.fromarray(np.clip(np.stack(channels, -1), 0, 255).round().astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(im)
    for _ in range(int(rng.integers(2, 5))):
        x0, x1 = sorted(rng.uniform(0, w, 2))
        y0, y1 = sorted(rng.uniform(0, h, 2))
        box = [x0, y0, max(x1, x0 + w / 8), max(y1, y0 + h / 8)]
        colour = tuple(int(v) for v in rng.integers(0, 256, 3))
        if rng.uniform() < 0.5:
            draw.ellipse(box, fill=colour)
        else:
            draw.rectangle(box, fill=colour)
    return im


def save_image(rng, path, size, kind):
    im = synthetic_image(rng, size)
    if kind == "png-rgb":
        im.save(path)
    elif kind == "png-rgba":
        w, h = size
        alpha = np.tile(np.linspace(0, 255, w), (h, 1))
        alpha[: h // 4, : w // 4] = 0  # a fully transparent corner
        im.putalpha(Image.fromarray(alpha.round().astype(np.uint8), "L"))
        im.save(path)
    elif kind == "png-gray":
        im.convert("L").save(path)
    elif kind == "png-palette":
        im.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path)
    elif kind == "jpeg-444":
        im.save(path, quality=92, subsampling=0)
    elif kind == "jpeg-exif6":
        # Stored landscape; orientation 6 says "rotate 90 degrees clockwise to display", so the
        # decoded image is portrait 180 x 320.
        exif = Image.Exif()
        exif[0x0112] = 6
        im.save(path, quality=92, subsampling=0, exif=exif.tobytes())
    elif kind == "jpeg-gray":
        im.convert("L").save(path, quality=90)
    elif kind == "jpeg-420-progressive":
        im.save(path, quality=88, subsampling=2, progressive=True)
    elif kind == "gif":
        im.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path)
    elif kind == "gif-transparent":
        # 127 colours for the picture, index 127 (green underneath) marks the transparent top third.
        quantized = im.quantize(colors=127, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        palette = quantized.getpalette()[: 127 * 3]
        pixels = np.array(quantized)
        pixels[: size[1] // 3, :] = 127
        p = Image.fromarray(pixels, "P")
        p.putpalette(palette + [0] * (127 * 3 - len(palette)) + [0, 255, 0])
        p.save(path, transparency=127)
    elif kind == "gif-animated":
        first = im.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        second = synthetic_image(rng, size).quantize(colors=128, method=Image.Quantize.MEDIANCUT,
                                                     dither=Image.Dither.NONE)
        first.save(path, save_all=True, append_images=[second], duration=200, loop=0)
    elif kind == "bmp-rgb":
        im.save(path)
    elif kind == "bmp-palette":
        im.quantize(colors=200, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path)
    elif kind == "webp-lossless":
        im.save(path, lossless=True)
    elif kind == "webp-lossless-rgba":
        w, h = size
        alpha = np.tile(np.linspace(255, 40, h)[:, None], (1, w))
        im.putalpha(Image.fromarray(alpha.round().astype(np.uint8), "L"))
        im.save(path, lossless=True)
    elif kind == "webp-lossy":
        im.save(path, quality=90, method=4)
    else:
        raise ValueError(f"unknown image kind {kind}")


# ---------------------------------------------------------------------------------------------
# Writing the two layouts

def export_onnx(module, args, path, input_names, output_names, dynamic_axes):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    torch.onnx.export(module, args, path, input_names=input_names, output_names=output_names,
                      dynamic_axes=dynamic_axes, opset_version=OPSET, do_constant_folding=True)
    # torch 1.13 cannot infer LayerNormalization's output shape at opset 17 and names the last
    # dimension of last_hidden_state after the node; it is WIDTH, so say so.
    model = onnx.load(path)
    changed = False
    for output in model.graph.output:
        for dim in output.type.tensor_type.shape.dim:
            if dim.dim_param.startswith("LayerNormalization"):
                dim.Clear()
                dim.dim_value = WIDTH
                changed = True
    if changed:
        onnx.save(model, path)


def write_json(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=2)
        f.write("\n")


MANIFEST = {
    "format": "clipstream-model/1",
    "id": MODEL_ID,
    "dimension": DIM,
    "text": {"onnx": "text.onnx", "tokenizer": "../clip-tokenizer/tokenizer.json", "maxLength": CONTEXT,
             "padId": clip_bpe.END_ID, "inputIds": "ids", "attentionMask": "mask", "output": "tokens",
             "pooling": "eos"},
    "image": {"onnx": "image.onnx", "input": "pixels", "output": "embedding", "shortestEdge": IMAGE_SIZE,
              "cropSize": [IMAGE_SIZE, IMAGE_SIZE], "mean": [0.48145466, 0.4578275, 0.40821073],
              "std": [0.26862954, 0.26130258, 0.27577711], "resample": "bicubic"},
}


def write_manifest_layout(text, image, example_ids, example_mask, example_pixels):
    os.makedirs(MODEL_DIR, exist_ok=True)
    write_json(os.path.join(MODEL_DIR, "clipstream-model.json"), MANIFEST)
    export_onnx(text, (example_ids, example_mask), os.path.join(MODEL_DIR, "text.onnx"),
                ["ids", "mask"], ["tokens"],
                {"ids": {0: "batch", 1: "sequence"}, "mask": {0: "batch", 1: "sequence"},
                 "tokens": {0: "batch", 1: "sequence"}})
    export_onnx(image, (example_pixels,), os.path.join(MODEL_DIR, "image.onnx"),
                ["pixels"], ["embedding"], {"pixels": {0: "batch"}, "embedding": {0: "batch"}})


def write_hf_layout(text, image, example_ids, example_mask, example_pixels):
    os.makedirs(HF_DIR, exist_ok=True)
    write_json(os.path.join(HF_DIR, "config.json"), {
        "architectures": ["CLIPModel"],
        "model_type": "clip",
        "projection_dim": DIM,
        "logit_scale_init_value": 2.6592,
        "text_config": {
            "model_type": "clip_text_model", "vocab_size": VOCAB, "hidden_size": WIDTH,
            "intermediate_size": FF, "num_attention_heads": HEADS, "num_hidden_layers": 1,
            "max_position_embeddings": CONTEXT, "hidden_act": "gelu", "projection_dim": DIM,
            "bos_token_id": clip_bpe.START_ID, "eos_token_id": clip_bpe.END_ID,
            "pad_token_id": clip_bpe.END_ID,
        },
        "vision_config": {
            "model_type": "clip_vision_model", "image_size": IMAGE_SIZE, "patch_size": 4,
            "hidden_size": WIDTH, "num_channels": 3, "projection_dim": DIM,
        },
    })
    write_json(os.path.join(HF_DIR, "preprocessor_config.json"), {
        "crop_size": {"height": IMAGE_SIZE, "width": IMAGE_SIZE},
        "do_center_crop": True,
        "do_convert_rgb": True,
        "do_normalize": True,
        "do_rescale": True,
        "do_resize": True,
        "image_mean": [0.48145466, 0.4578275, 0.40821073],
        "image_processor_type": "CLIPImageProcessor",
        "image_std": [0.26862954, 0.26130258, 0.27577711],
        "resample": 3,
        "rescale_factor": 0.00392156862745098,
        "size": {"shortest_edge": IMAGE_SIZE},
    })
    shutil.copyfile(TOKENIZER_JSON, os.path.join(HF_DIR, "tokenizer.json"))
    write_json(os.path.join(HF_DIR, "tokenizer_config.json"), {
        "add_prefix_space": False,
        "bos_token": clip_bpe.START_OF_TEXT,
        "clean_up_tokenization_spaces": True,
        "do_lower_case": True,
        "eos_token": clip_bpe.END_OF_TEXT,
        "errors": "replace",
        "model_max_length": CONTEXT,
        "pad_token": clip_bpe.END_OF_TEXT,
        "tokenizer_class": "CLIPTokenizer",
        "unk_token": clip_bpe.END_OF_TEXT,
    })
    special = {"content": None, "lstrip": False, "normalized": True, "rstrip": False, "single_word": False}
    write_json(os.path.join(HF_DIR, "special_tokens_map.json"), {
        "bos_token": dict(special, content=clip_bpe.START_OF_TEXT),
        "eos_token": dict(special, content=clip_bpe.END_OF_TEXT),
        "pad_token": clip_bpe.END_OF_TEXT,
        "unk_token": dict(special, content=clip_bpe.END_OF_TEXT),
    })
    export_onnx(HfTextModel(text), (example_ids, example_mask), os.path.join(HF_DIR, "onnx", "text_model.onnx"),
                ["input_ids", "attention_mask"], ["text_embeds", "last_hidden_state"],
                {"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"},
                 "text_embeds": {0: "batch"}, "last_hidden_state": {0: "batch", 1: "sequence"}})
    export_onnx(image, (example_pixels,), os.path.join(HF_DIR, "onnx", "vision_model.onnx"),
                ["pixel_values"], ["image_embeds"], {"pixel_values": {0: "batch"}, "image_embeds": {0: "batch"}})


# ---------------------------------------------------------------------------------------------
# Goldens

def l2_normalised(v):
    v = np.asarray(v, dtype=np.float64)
    return (v / np.linalg.norm(v)).astype(np.float32)


def embed_text(text_tower, ids):
    """Each text on its own, no padding: the end token is the last position."""
    with torch.no_grad():
        t = torch.tensor([ids], dtype=torch.int64)
        tokens = text_tower(t, torch.ones_like(t))
    return tokens[0, -1].numpy()


def embed_pixels(image_tower, pixels):
    with torch.no_grad():
        return image_tower(torch.from_numpy(pixels[None]))[0].numpy()


def floats(v):
    return [float(x) for x in v]


def make_fixtures(text_tower, image_tower):
    images_dir = os.path.join(FIXTURE_DIR, "images")
    preprocessed_dir = os.path.join(FIXTURE_DIR, "preprocessed")
    for d in (images_dir, preprocessed_dir):
        if os.path.isdir(d):
            shutil.rmtree(d)
        os.makedirs(d)
    with open(os.path.join(FIXTURE_DIR, "texts.txt"), "w", encoding="utf-8") as f:
        f.write("".join(t + "\n" for t in TEXTS))

    golden_texts = []
    for text in TEXTS:
        ids = clip_bpe.tokenize_for_model(text, CONTEXT)
        golden_texts.append({"text": text, "ids": ids, "embedding": floats(l2_normalised(embed_text(text_tower, ids)))})

    rng = np.random.default_rng(20240601)
    golden_images = []
    pixel_batch = []
    for name, size, kind in IMAGES:
        path = os.path.join(images_dir, name)
        save_image(rng, path, size, kind)
        cropped = clip_preprocess.resize_and_crop(clip_preprocess.load_rgb(path), IMAGE_SIZE, IMAGE_SIZE, IMAGE_SIZE)
        cropped.save(os.path.join(preprocessed_dir, os.path.splitext(name)[0] + ".png"))
        pixels = clip_preprocess.to_tensor(cropped, clip_preprocess.CLIP_MEAN, clip_preprocess.CLIP_STD)
        pixel_batch.append(pixels)
        golden_images.append({"file": "images/" + name,
                              "preprocessed": "preprocessed/" + os.path.splitext(name)[0] + ".png",
                              "embedding": floats(l2_normalised(embed_pixels(image_tower, pixels)))})

    write_json(os.path.join(FIXTURE_DIR, "golden.json"),
               {"modelId": MODEL_ID, "dimension": DIM, "texts": golden_texts, "images": golden_images})
    return golden_texts, golden_images, np.stack(pixel_batch)


# ---------------------------------------------------------------------------------------------
# Self-checks

def padded_batch(id_lists):
    length = max(len(ids) for ids in id_lists)
    ids = torch.full((len(id_lists), length), clip_bpe.END_ID, dtype=torch.int64)
    mask = torch.zeros((len(id_lists), length), dtype=torch.int64)
    for row, row_ids in enumerate(id_lists):
        ids[row, : len(row_ids)] = torch.tensor(row_ids)
        mask[row, : len(row_ids)] = 1
    return ids, mask


def max_abs(a, b):
    return float(np.max(np.abs(np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64))))


def check_torch(text_tower, hf_text, image_tower, golden_texts, golden_images, pixel_batch):
    """Padding and batching must not change an embedding, and both layouts must agree."""
    report = []
    id_lists = [g["ids"] for g in golden_texts]
    ids, mask = padded_batch(id_lists)
    with torch.no_grad():
        tokens = text_tower(ids, mask).numpy()
        hf_embeds, _ = hf_text(ids, mask)
        image_batch = image_tower(torch.from_numpy(pixel_batch)).numpy()
    eos = [len(x) - 1 for x in id_lists]
    manifest_pooled = np.stack([l2_normalised(tokens[i, eos[i]]) for i in range(len(id_lists))])
    hf_pooled = np.stack([l2_normalised(v) for v in hf_embeds.numpy()])
    golden = np.array([g["embedding"] for g in golden_texts])
    report.append(f"torch text, padded batch vs one at a time: max |diff| {max_abs(manifest_pooled, golden):.2e}")
    report.append(f"torch text, HF argmax pooling vs manifest eos pooling: max |diff| {max_abs(hf_pooled, manifest_pooled):.2e}")
    images = np.stack([l2_normalised(v) for v in image_batch])
    report.append(f"torch image, batch vs one at a time: max |diff| "
                  f"{max_abs(images, np.array([g['embedding'] for g in golden_images])):.2e}")
    for label, m in (("text", golden), ("image", images)):
        sims = m @ m.T
        off = sims[~np.eye(len(m), dtype=bool)]
        report.append(f"{label} embeddings: pairwise cosine min {off.min():.3f} mean {off.mean():.3f} max {off.max():.3f}")
    bad = max(max_abs(manifest_pooled, golden), max_abs(hf_pooled, manifest_pooled), max_abs(images, np.array(
        [g["embedding"] for g in golden_images])))
    if bad > 1e-5:
        raise AssertionError("torch self-check failed:\n" + "\n".join(report))
    return report


def describe_io(model):
    def shape(value):
        dims = value.type.tensor_type.shape.dim
        return "[" + ",".join(d.dim_param or str(d.dim_value) for d in dims) + "]"

    def kind(value):
        return onnx.TensorProto.DataType.Name(value.type.tensor_type.elem_type).lower()

    inputs = ", ".join(f"{v.name} {kind(v)}{shape(v)}" for v in model.graph.input)
    outputs = ", ".join(f"{v.name} {kind(v)}{shape(v)}" for v in model.graph.output)
    return f"in: {inputs}; out: {outputs}"


def check_onnx_files(torch_runs):
    """onnx.checker on every file; a numeric comparison with torch where a runtime exists."""
    report = []
    try:
        import onnxruntime  # noqa: F401
        runtime = "onnxruntime"
    except ImportError:
        try:
            from onnx.reference import ReferenceEvaluator  # noqa: F401
            runtime = "onnx.reference"
        except ImportError:
            runtime = None
    for path, feeds, expected in torch_runs:
        onnx.checker.check_model(path, full_check=True)
        model = onnx.load(path)
        line = (f"{os.path.relpath(path, ROOT)}: checker ok, opset {model.opset_import[0].version}, "
                f"{os.path.getsize(path)} bytes; {describe_io(model)}")
        if runtime == "onnxruntime":
            import onnxruntime
            session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
            actual = session.run(None, feeds)
            line += f"; onnxruntime vs torch max |diff| {max(max_abs(a, e) for a, e in zip(actual, expected)):.2e}"
        elif runtime == "onnx.reference":
            from onnx.reference import ReferenceEvaluator
            actual = ReferenceEvaluator(model).run(None, feeds)
            line += f"; onnx.reference vs torch max |diff| {max(max_abs(a, e) for a, e in zip(actual, expected)):.2e}"
        report.append(line)
    if runtime is None:
        report.append(f"NOTE: no Python ONNX runtime (onnxruntime not installed, onnx {onnx.__version__} has no "
                      "onnx.reference): ONNX-vs-torch numbers not compared here; the Java test "
                      "FixtureModelExportTest runs these files through ONNX Runtime against golden.json.")
    return report


def main():
    torch.manual_seed(0)
    np.random.seed(0)
    torch.set_num_threads(2)
    if not os.path.isfile(TOKENIZER_JSON):
        sys.exit(f"{TOKENIZER_JSON} is missing: run scripts/build_clip_tokenizer.py first")

    text_tower = TextTower().eval()
    image_tower = ImageTower().eval()
    hf_text = HfTextModel(text_tower).eval()

    # Example inputs for tracing: batch 2, a length that is not 77, so nothing gets fixed to it.
    example_ids, example_mask = padded_batch([clip_bpe.tokenize_for_model("a photo of a cat"),
                                              clip_bpe.tokenize_for_model("a dog")])
    example_pixels = torch.randn(2, 3, IMAGE_SIZE, IMAGE_SIZE)

    golden_texts, golden_images, pixel_batch = make_fixtures(text_tower, image_tower)
    write_manifest_layout(text_tower, image_tower, example_ids, example_mask, example_pixels)
    write_hf_layout(text_tower, image_tower, example_ids, example_mask, example_pixels)

    report = check_torch(text_tower, hf_text, image_tower, golden_texts, golden_images, pixel_batch)
    with torch.no_grad():
        feeds_text = {"ids": example_ids.numpy(), "mask": example_mask.numpy()}
        feeds_hf = {"input_ids": example_ids.numpy(), "attention_mask": example_mask.numpy()}
        hf_out = [t.numpy() for t in hf_text(example_ids, example_mask)]
        runs = [
            (os.path.join(MODEL_DIR, "text.onnx"), feeds_text, [text_tower(example_ids, example_mask).numpy()]),
            (os.path.join(MODEL_DIR, "image.onnx"), {"pixels": example_pixels.numpy()},
             [image_tower(example_pixels).numpy()]),
            (os.path.join(HF_DIR, "onnx", "text_model.onnx"), feeds_hf, hf_out),
            (os.path.join(HF_DIR, "onnx", "vision_model.onnx"), {"pixel_values": example_pixels.numpy()},
             [image_tower(example_pixels).numpy()]),
        ]
    report += check_onnx_files(runs)
    long_text = max(golden_texts, key=lambda g: len(clip_bpe.encode(g["text"])))
    report.append(f"fixtures: {len(golden_texts)} texts (longest has {len(clip_bpe.encode(long_text['text']))} "
                  f"BPE tokens, truncated to {len(long_text['ids'])} ids), {len(golden_images)} images")
    print("\n".join(report))


if __name__ == "__main__":
    main()
