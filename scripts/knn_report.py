#!/usr/bin/python3
"""Markdown tables from one `clipstream bench knn --json` result (stdin or a file): for docs/BENCHMARKS.md.

Prints, for each graph index of the run, its sweep beside hnswlib's at the same ef, then build rates, bytes per
vector, the exact scans beside faiss IndexFlatIP with the measured memory bandwidth, and the filtered searches.
"""
import json
import sys


def main():
    data = json.load(open(sys.argv[1]) if len(sys.argv) > 1 else sys.stdin)
    ref = data.get("reference", {})
    hnsw = ref.get("hnswlib", {})
    by_ef = {p["ef"]: p for p in hnsw.get("sweep", [])}
    print(f"n {data['n']} x {data['dim']}, k {data['k']}, {data['queries']} queries, data {data['data']}, "
          f"{data['cores']} cores, JVector {data['jvector_vectorization']}")
    print()
    for index in data["indexes"]:
        print(f"#### JVector, compression {index['compression']} (degree {index['degree']}, construction beam "
              f"{index['beam_width']}; re-rank from RocksDB: {index['rerank_from_rocksdb']}"
              + (f", block cache {index['rerank_cache_mb']} MiB" if "rerank_cache_mb" in index else "") + ")")
        print()
        print("| search beam = ef | JVector recall@10 | q/s | p50 ms | p99 ms | visited | hnswlib recall@10 | q/s | p50 ms | p99 ms |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for p in index["sweep"]:
            h = by_ef.get(p["search_beam"])
            right = (f"{h['recall']:.3f} | {h['qps']:.0f} | {h['p50_ms']:.3f} | {h['p99_ms']:.3f}" if h else "- | - | - | -")
            print(f"| {p['search_beam']} | {p['recall']:.3f} | {p['qps']:.0f} | {p['p50_ms']:.3f} | {p['p99_ms']:.3f} | "
                  f"{p['visited_per_query']:.0f} | {right} |")
        print()
        print(f"Build: {index['build_per_s']:.0f} vectors/s on {index['build_threads']} threads ({index['build_s']:.0f} s); "
              f"{index['bytes_per_vector']} bytes per vector in memory (codes or float32, plus edges).")
        print()
        for row in index.get("filtered", []):
            g = row["graph"]
            e = row["exact_scan_of_matches"]
            print(f"- filter keeping {row['fraction_kept']:.0%}: graph walk recall {g['recall']:.3f}, min hits "
                  f"{g['min_hits']}, p50 {g['p50_ms']:.2f} ms, p99 {g['p99_ms']:.2f} ms; exact scan of the matches "
                  f"p50 {e['p50_ms']:.2f} ms")
        if index.get("filtered"):
            print()
    if hnsw:
        print(f"hnswlib (M {hnsw['M']}, efConstruction {hnsw['ef_construction']}): build "
              f"{hnsw['build_per_s']:.0f} vectors/s on {hnsw.get('build_threads', 1)} threads ({hnsw['build_s']:.0f} s), "
              f"about {hnsw['bytes_per_vector']} bytes per vector.")
        print()
    ex = data["exact_scan"]
    bw = data["memory_read_gb_per_s_one_thread"]
    line = (f"Exact scan (ExactVectorIndex, one thread): {ex['qps']:.2f} q/s, p50 {ex['p50_ms']:.1f} ms, "
            f"{ex['gb_per_s']:.2f} GB/s = {ex['fraction_of_memory_bandwidth']:.0%} of the {bw:.2f} GB/s single-thread "
            f"read bandwidth measured in the same run")
    flat = ref.get("faiss_flat_ip")
    if flat:
        line += (f"; faiss IndexFlatIP: {flat['qps']:.2f} q/s, p50 {flat['p50_ms']:.1f} ms, {flat['gb_per_s']:.2f} GB/s "
                 f"= {flat['gb_per_s'] / bw:.0%}")
    print(line + ".")


if __name__ == "__main__":
    main()
