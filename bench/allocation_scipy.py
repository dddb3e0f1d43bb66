"""The same allocation round solved by scipy.optimize.linear_sum_assignment, for bench/allocation.sh.

    python allocation_scipy.py HOUSEHOLDS DWELLINGS EDGES_BIN HUSLY_JSON RUNS

EDGES_BIN holds little-endian int64 triples (household, dwelling, weight), written by Husly's
`allocation_round` example; HUSLY_JSON is that example's result line. scipy gets the dense
dwellings × households matrix with weight 0 for incompatible pairs and maximize=True; pairs of
weight 0 are dropped afterwards (an optimal dense assignment minus its zero pairs is an optimal
matching, since every weight is positive and every dwelling fits in a row). Only
linear_sum_assignment is timed; building the matrix is reported apart. Prints one JSON line and
exits with 1 when the totals differ.
"""

import json
import statistics
import sys
import time

import numpy as np
from scipy.optimize import linear_sum_assignment


def main() -> int:
    households, dwellings, edges_path, husly_path, runs = sys.argv[1:6]
    households, dwellings, runs = int(households), int(dwellings), int(runs)
    edges = np.fromfile(edges_path, dtype="<i8").reshape(-1, 3)
    start = time.perf_counter()
    matrix = np.zeros((dwellings, households), dtype=np.float64)
    matrix[edges[:, 1], edges[:, 0]] = edges[:, 2]
    build_s = time.perf_counter() - start

    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        rows, cols = linear_sum_assignment(matrix, maximize=True)
        seconds.append(time.perf_counter() - start)
    weights = matrix[rows, cols].astype(np.int64)
    chosen = weights > 0
    total = int(weights[chosen].sum())

    husly = json.loads(open(husly_path, encoding="utf-8").read())
    result = {
        "households": households,
        "dwellings": dwellings,
        "edges": int(edges.shape[0]),
        "scipy_total": total,
        "scipy_pairs": int(chosen.sum()),
        "scipy_runs": runs,
        "scipy_best_s": min(seconds),
        "scipy_median_s": statistics.median(seconds),
        "scipy_matrix_build_s": build_s,
        "husly_total": husly["total"],
        "husly_pairs": husly["pairs"],
        "husly_best_s": husly["best_s"],
        "husly_median_s": husly["median_s"],
        "ratio_median": husly["median_s"] / statistics.median(seconds),
        "totals_equal": total == husly["total"],
    }
    print(json.dumps(result))
    return 0 if result["totals_equal"] else 1


if __name__ == "__main__":
    sys.exit(main())
