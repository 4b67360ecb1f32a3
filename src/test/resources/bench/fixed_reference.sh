#!/bin/sh
# Stands in for scripts/bench_knn_reference.py in BenchKnnCommandTest: hnswlib's sweep as fixed figures, so the
# comparison bench knn draws from it can be checked without hnswlib installed.
cat <<'JSON'
{"n": 2000, "dim": 32, "k": 10, "queries": 20, "threads": 1,
 "faiss_flat_ip": {"qps": 500.0, "p50_ms": 2.0, "p99_ms": 2.5},
 "hnswlib": {"M": 16, "ef_construction": 100, "build_threads": 2, "build_s": 1.0, "build_per_s": 2000.0,
             "sweep": [{"ef": 10, "recall": 0.5, "qps": 40000.0}, {"ef": 50, "recall": 0.9, "qps": 20000.0},
                       {"ef": 200, "recall": 1.0, "qps": 5000.0}]}}
JSON
