#!/usr/bin/env python3
"""Reference for `clipstream bench watchlist`: the same thresholded product with numpy (and torch when present).

For each dimension d and concept count C: a batch of B random unit vectors times a [C, d] matrix of random unit
concepts, then the indices of the scores at or above the threshold -- what the embedder's scorer does per batch.
Times are CPU time, so that waiting for a core on a shared machine is not counted.
Prints one JSON object per line: {"lib", "dim", "concepts", "batch", "us_per_image", "blas"}.
"""
import argparse
import json
import os
import time

import numpy as np


def blas_library():
    try:
        with open("/proc/self/maps") as maps:
            names = {line.split()[-1] for line in maps if "blas" in line.lower() and line.split()[-1].startswith("/")}
        return ",".join(sorted(os.path.basename(n) for n in names)) or "unknown"
    except OSError:
        return "unknown"


def unit_rows(rng, rows, dim):
    m = rng.standard_normal((rows, dim)).astype(np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def measure(call, seconds):
    """CPU seconds per call (process CPU time, one BLAS thread), like the Java side's thread CPU time."""
    warm_until = time.perf_counter() + max(1.0, seconds / 5)
    call()
    while time.perf_counter() < warm_until:
        call()
    calls = 0
    start = time.process_time()
    while True:
        call()
        calls += 1
        elapsed = time.process_time() - start
        if elapsed >= seconds:
            return elapsed / calls


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dims", default="384,512")
    parser.add_argument("--concepts", default="10,1000,10000")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--threshold", type=float, default=0.25)
    parser.add_argument("--seconds", type=float, default=1.0)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    try:
        import torch
        torch.set_num_threads(args.threads)
    except ImportError:
        torch = None
    for dim in [int(d) for d in args.dims.split(",")]:
        for count in [int(c) for c in args.concepts.split(",")]:
            batch = unit_rows(rng, args.batch, dim)
            concepts = unit_rows(rng, count, dim)
            thresholds = np.full(count, args.threshold, dtype=np.float32)

            def numpy_call():
                return np.nonzero((batch @ concepts.T) >= thresholds)

            per_batch = measure(numpy_call, args.seconds)
            print(json.dumps({"lib": "numpy " + np.__version__, "dim": dim, "concepts": count, "batch": args.batch,
                              "us_per_image": per_batch / args.batch * 1e6, "blas": blas_library()}), flush=True)
            if torch is not None:
                tb = torch.from_numpy(batch)
                tc = torch.from_numpy(concepts)
                tt = torch.from_numpy(thresholds)

                def torch_call():
                    with torch.inference_mode():
                        return torch.nonzero(torch.matmul(tb, tc.T) >= tt)

                per_batch = measure(torch_call, args.seconds)
                print(json.dumps({"lib": "torch " + torch.__version__, "dim": dim, "concepts": count, "batch": args.batch,
                                  "us_per_image": per_batch / args.batch * 1e6, "blas": blas_library()}), flush=True)


if __name__ == "__main__":
    main()
