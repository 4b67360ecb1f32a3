#!/usr/bin/python3
"""Reference k-NN figures for `clipstream bench knn`: hnswlib and faiss on the same files, one JSON object on stdout.

Reads raw little-endian float32 rows (--vectors, --queries) of --dim components, L2-normalised, scored by inner
product. Searches run on ONE thread, like the Java side; builds on --build-threads (default 1), the same number the
Java side builds with. Reports:
  - faiss IndexFlatIP: exact scan, ms per query (one query at a time), and the ground truth for recall
  - hnswlib (space 'ip') and faiss IndexHNSWFlat (METRIC_INNER_PRODUCT): build rate, then per ef:
    recall@k against the exact truth, queries/s, p50 and p99 latency in ms
Run with Debian's python (`apt-get install python3-hnswlib python3-faiss`): /usr/bin/python3.
"""
import argparse
import json
import sys
import time

import numpy as np


def read_rows(path, dim):
    data = np.fromfile(path, dtype="<f4")
    if data.size % dim:
        sys.exit(f"{path}: {data.size} floats is not a whole number of rows of {dim}")
    return data.reshape(-1, dim)


def recall(found, truth, k):
    return float(np.mean([len(set(f[:k]) & set(t[:k])) / k for f, t in zip(found, truth)]))


def timed_queries(search_one, queries):
    latencies = []
    results = []
    start = time.perf_counter()
    for q in queries:
        t0 = time.perf_counter()
        results.append(search_one(q))
        latencies.append((time.perf_counter() - t0) * 1000)
    total = time.perf_counter() - start
    lat = np.array(latencies)
    return results, {"qps": len(queries) / total, "p50_ms": float(np.percentile(lat, 50)),
                     "p99_ms": float(np.percentile(lat, 99))}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--vectors", required=True)
    parser.add_argument("--queries", required=True)
    parser.add_argument("--dim", type=int, required=True)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--m", type=int, default=16, help="HNSW M (graph degree is 2*M at layer 0)")
    parser.add_argument("--ef-construction", type=int, default=100)
    parser.add_argument("--ef", default="10,16,24,32,48,64,96,128,192,256")
    parser.add_argument("--faiss-hnsw", action="store_true",
                        help="also build faiss IndexHNSWFlat (single-thread build is slow: minutes per 100k at 512-d)")
    parser.add_argument("--build-threads", type=int, default=1, help="threads for the hnswlib/faiss HNSW builds")
    parser.add_argument("--truth-out", help="write the exact top-k ids here (int32 rows)")
    args = parser.parse_args()

    import faiss
    import hnswlib
    faiss.omp_set_num_threads(1)
    xb = np.ascontiguousarray(read_rows(args.vectors, args.dim))
    xq = np.ascontiguousarray(read_rows(args.queries, args.dim))
    k = args.k
    efs = [int(e) for e in args.ef.split(",")]
    out = {"n": int(xb.shape[0]), "dim": args.dim, "k": k, "queries": int(xq.shape[0]), "threads": 1,
           "faiss_version": faiss.__version__}

    flat = faiss.IndexFlatIP(args.dim)
    flat.add(xb)
    truth_rows, stats = timed_queries(lambda q: flat.search(q.reshape(1, -1), k)[1][0], xq)
    truth = np.array(truth_rows)
    stats["bytes_per_query"] = int(xb.nbytes)
    stats["gb_per_s"] = xb.nbytes * stats["qps"] / 1e9
    out["faiss_flat_ip"] = stats
    if args.truth_out:
        truth.astype("<i4").tofile(args.truth_out)

    hnsw = hnswlib.Index(space="ip", dim=args.dim)
    hnsw.init_index(max_elements=xb.shape[0], M=args.m, ef_construction=args.ef_construction, random_seed=1)
    hnsw.set_num_threads(args.build_threads)
    t0 = time.perf_counter()
    hnsw.add_items(xb, np.arange(xb.shape[0]))
    build = time.perf_counter() - t0
    hnsw.set_num_threads(1)
    sweep = []
    for ef in efs:
        hnsw.set_ef(max(ef, k))
        found, stats = timed_queries(lambda q: hnsw.knn_query(q.reshape(1, -1), k=k)[0][0], xq)
        stats.update({"ef": ef, "recall": recall(found, truth, k)})
        sweep.append(stats)
    out["hnswlib"] = {"M": args.m, "ef_construction": args.ef_construction, "build_threads": args.build_threads,
                      "build_s": build,
                      "build_per_s": xb.shape[0] / build,
                      "bytes_per_vector": args.dim * 4 + args.m * 2 * 4, "sweep": sweep}

    if not args.faiss_hnsw:
        json.dump(out, sys.stdout)
        print()
        return
    fh = faiss.IndexHNSWFlat(args.dim, args.m, faiss.METRIC_INNER_PRODUCT)
    fh.hnsw.efConstruction = args.ef_construction
    faiss.omp_set_num_threads(args.build_threads)
    t0 = time.perf_counter()
    fh.add(xb)
    build = time.perf_counter() - t0
    faiss.omp_set_num_threads(1)
    sweep = []
    for ef in efs:
        fh.hnsw.efSearch = max(ef, k)
        found, stats = timed_queries(lambda q: fh.search(q.reshape(1, -1), k)[1][0], xq)
        stats.update({"ef": ef, "recall": recall(found, truth, k)})
        sweep.append(stats)
    out["faiss_hnsw_flat"] = {"M": args.m, "ef_construction": args.ef_construction, "build_s": build,
                              "build_per_s": xb.shape[0] / build, "sweep": sweep}
    json.dump(out, sys.stdout)
    print()


if __name__ == "__main__":
    main()
