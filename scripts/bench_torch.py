"""Times the torch twin of a clipstream benchmark model on the inputs that `clipstream bench embed`
measured, so that the two figures come from the same network, the same token ids and the same
preprocessed pixels.

    /usr/bin/python3 scripts/bench_torch.py --model-kind clip-vit-b-32 \
        --model-dir target/bench-models/clip-vit-b-32 --inputs FILE --batches 1,8,32 --seconds 5

--model-kind
  clip-vit-b-32  scripts/bench_models.py's network, weights from MODEL_DIR/torch_weights.pt
  fixture        scripts/make_fixture_model.py's tiny network, rebuilt by repeating its seeded
                 construction; every weight is then checked against MODEL_DIR's ONNX initializers,
                 so a change to that script cannot silently make this a different network

--inputs (written by the Java side; all little-endian):
  8 bytes  magic "CSBENCH1"
  int32    pad id
  int32    number of texts; per text: int32 n, then n int64 token ids (start and end included)
  int32    number of images, int32 channels, int32 height, int32 width,
           then that many float32 CHW tensors, already preprocessed

Batch k of size b holds texts (k*b + j) mod count, j < b, padded with the pad id to the longest of
them (the mask marks real tokens), exactly as the Java side builds its batches; images likewise.

Measured: the model forward on ready tensors, plus the pooling (where the model leaves it to the
caller) and L2 normalisation that the Java "model" figure also includes. Warm-up runs calls until
20% of the budget has passed (at least one call); then calls run until the budget has passed (at
least one call), and items/s is items over elapsed time. One JSON line per (modality, batch).

BLAS: Debian's torch does its matrix products through whatever libblas.so.3 the dynamic linker
finds. Debian's default is the reference BLAS (netlib), single-threaded and unoptimised; to time
torch with OpenBLAS without changing the system's alternatives, put the directory of OpenBLAS's
libblas.so.3 first on LD_LIBRARY_PATH (`clipstream bench embed --torch-library-path DIR` does).
Each JSON line says which BLAS library the process actually loaded. OPENBLAS_NUM_THREADS is set to
--threads before torch loads, because torch.set_num_threads does not reach a BLAS it was not built
against.
"""
import argparse
import json
import math
import os
import struct
import sys
import time

import numpy as np

torch = None  # imported in main(), after the BLAS thread count is in the environment

SCRIPTS = os.path.dirname(os.path.abspath(__file__))
MAGIC = b"CSBENCH1"
WARMUP_FRACTION = 0.2


def read_inputs(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != MAGIC:
        sys.exit(f"{path}: not a clipstream bench input file (magic {data[:8]!r}, expected {MAGIC!r})")
    offset = 8

    def ints(count):
        nonlocal offset
        values = struct.unpack_from(f"<{count}i", data, offset)
        offset += 4 * count
        return values

    pad_id, text_count = ints(2)
    texts = []
    for _ in range(text_count):
        (n,) = ints(1)
        texts.append(np.frombuffer(data, dtype="<i8", count=n, offset=offset).copy())
        offset += 8 * n
    image_count, channels, height, width = ints(4)
    pixels = np.frombuffer(data, dtype="<f4", count=image_count * channels * height * width, offset=offset)
    images = pixels.reshape(image_count, channels, height, width).copy()
    return pad_id, texts, images


def text_batch(texts, pad_id, k, b):
    rows = [texts[(k * b + j) % len(texts)] for j in range(b)]
    length = max(len(r) for r in rows)
    ids = torch.full((b, length), pad_id, dtype=torch.int64)
    mask = torch.zeros((b, length), dtype=torch.int64)
    for i, r in enumerate(rows):
        ids[i, : len(r)] = torch.from_numpy(r)
        mask[i, : len(r)] = 1
    lengths = torch.tensor([len(r) for r in rows], dtype=torch.int64)
    return ids, mask, lengths


def image_batch(images, k, b):
    index = [(k * b + j) % len(images) for j in range(b)]
    return torch.from_numpy(np.ascontiguousarray(images[index]))


# ---------------------------------------------------------------------------------------------
# Models: each returns (text_fn(ids, mask, lengths), image_fn(pixels)) giving normalised vectors


def clip_vit_b_32(model_dir):
    sys.path.insert(0, SCRIPTS)
    import bench_models
    weights = os.path.join(model_dir, "torch_weights.pt")
    if not os.path.isfile(weights):
        sys.exit(f"{weights} is missing: run /usr/bin/python3 scripts/bench_models.py {model_dir}")
    model = bench_models.load(weights)

    def text(ids, mask, lengths):
        return torch.nn.functional.normalize(model.text(ids, mask), dim=-1)

    def image(pixels):
        return torch.nn.functional.normalize(model.vision(pixels), dim=-1)

    return text, image


def check_against_onnx(module, onnx_path):
    """Every weight of the rebuilt module must equal an initializer of the ONNX file (by name, or
    under any name transposed: the exporter stores Linear weights as MatMul operands)."""
    import onnx
    from onnx import numpy_helper
    names = {i.name: numpy_helper.to_array(i).astype(np.float32) for i in onnx.load(onnx_path).graph.initializer}
    inits = list(names.values())
    for name, tensor in module.state_dict().items():
        value = tensor.float().numpy()
        candidates = [names[name]] if name in names else []
        candidates += [a for a in inits if a.shape == value.T.shape]
        if not any(np.array_equal(c, value) or np.array_equal(c, value.T) for c in candidates):
            sys.exit(f"{onnx_path}: no initializer equals the rebuilt weight '{name}' {list(value.shape)}; "
                     "scripts/make_fixture_model.py no longer builds these weights the way bench_torch.py "
                     "repeats it (see fixture() there)")


def fixture(model_dir):
    sys.path.insert(0, SCRIPTS)
    import make_fixture_model as fixture_script
    # Repeats the seeded construction in make_fixture_model.main(): seed 0, then the text tower,
    # then the image tower.
    torch.manual_seed(0)
    np.random.seed(0)
    text_tower = fixture_script.TextTower().eval()
    image_tower = fixture_script.ImageTower().eval()
    check_against_onnx(text_tower, os.path.join(model_dir, "text.onnx"))
    check_against_onnx(image_tower, os.path.join(model_dir, "image.onnx"))

    def text(ids, mask, lengths):
        tokens = text_tower(ids, mask)  # [B, T, D]; the manifest says pooling "eos"
        pooled = tokens.gather(1, (lengths - 1)[:, None, None].expand(-1, 1, tokens.shape[-1])).squeeze(1)
        return torch.nn.functional.normalize(pooled, dim=-1)

    def image(pixels):
        return torch.nn.functional.normalize(image_tower(pixels), dim=-1)

    return text, image


MODELS = {"clip-vit-b-32": clip_vit_b_32, "fixture": fixture}


# ---------------------------------------------------------------------------------------------

def timed(call, batch_of, count, b, seconds):
    """Runs call(*batch_of(k)) for warm-up, then for `seconds`; returns (items, elapsed seconds).
    The distinct batches (the cycle repeats after count / gcd(count, b)) are built before the
    clock starts, so only the model is timed."""
    period = count // math.gcd(count, b)
    prepared = [batch_of(k) for k in range(period)]
    k = 0
    warm_until = time.perf_counter() + WARMUP_FRACTION * seconds
    while True:
        call(*prepared[k % period])
        k += 1
        if time.perf_counter() >= warm_until:
            break
    calls = 0
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        call(*prepared[k % period])
        k += 1
        calls += 1
        now = time.perf_counter()
        if now >= deadline:
            return calls * b, now - start


def loaded_blas():
    """Which BLAS this process mapped (after torch loaded it): a short label and the files."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            paths = sorted({line.split()[-1] for line in maps if "blas" in line.rsplit("/", 1)[-1].lower()})
    except OSError:
        return "unknown", []
    names = " ".join(os.path.basename(p) for p in paths)
    if "openblas" in names:
        label = "OpenBLAS " + next(os.path.basename(p) for p in paths if "openblas" in os.path.basename(p))
    elif "blis" in names:
        label = "BLIS"
    elif any("/blas/libblas.so" in p for p in paths):
        label = "reference BLAS (Debian's default libblas3)"
    else:
        label = names or "none found"
    return label, paths


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model-kind", required=True, choices=sorted(MODELS))
    parser.add_argument("--model-dir", "--weights", required=True)
    parser.add_argument("--inputs", required=True)
    parser.add_argument("--batches", default="1,8,32")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", str(args.threads))
    global torch
    import torch as torch_module
    torch = torch_module
    torch.set_num_threads(args.threads)
    blas, blas_files = loaded_blas()
    batches = [int(b) for b in args.batches.split(",")]
    pad_id, texts, images = read_inputs(args.inputs)
    text_fn, image_fn = MODELS[args.model_kind](args.model_dir)
    with torch.inference_mode():
        for modality, fn, count, make in (
                ("text", text_fn, len(texts), lambda k, b: text_batch(texts, pad_id, k, b)),
                ("image", image_fn, len(images), lambda k, b: (image_batch(images, k, b),))):
            for b in batches:
                items, elapsed = timed(fn, lambda k: make(k, b), count, b, args.seconds)
                print(json.dumps({"engine": "torch", "torch": torch.__version__, "threads": args.threads, "blas": blas, "blasFiles": blas_files,
                                  "model": args.model_kind, "modality": modality, "batch": b, "items": items,
                                  "seconds": round(elapsed, 4), "itemsPerSecond": items / elapsed}), flush=True)


if __name__ == "__main__":
    main()
