#!/usr/bin/env python3
"""Writes sobol-scipy.json, the golden data of sobol.test.ts, from SciPy's own Sobol engine.

Usage (from the repository root; Biome then formats the JSON as the repository does):

    /usr/bin/python3 test/study/samplers/sobol-scipy.py
    npx biome check --write test/study/samplers/sobol-scipy.json

- `plain`: `qmc.Sobol(d, scramble=False)`: `fast_forward(start)` (when start > 0) then
  `random(n)`, exactly (floats written with repr, which round-trips).
- `directions`: SHA-256 of SciPy's `_initialize_v` matrix for all 1111 dimensions (uint32,
  little-endian, row-major d x 30): checks every shipped direction number.
- `manyDimensions`: SHA-256 of the first n points for d = 1111 (float64, little-endian).
- `scrambled`: SciPy's scrambled engine for a NumPy seed, with the shift and the matrices SciPy
  drew (replayed from the same generator), so spax's LMS + shift can be checked bit for bit.
"""

import hashlib
import json
import os
import warnings

import numpy as np
import scipy
from scipy._lib._util import rng_integers
from scipy.stats import qmc
from scipy.stats._sobol import _initialize_v

warnings.simplefilter("ignore")
BITS = 30
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sobol-scipy.json")


def plain(d, n, start=0):
    engine = qmc.Sobol(d, scramble=False)
    if start > 0:
        engine.fast_forward(start)
    return {"d": d, "start": start, "n": n, "points": engine.random(n).tolist()}


def scrambled(d, n, seed, start=0):
    rng = np.random.default_rng(seed)
    # Sobol._scramble: shift bits (d x bits), then the matrices (d x bits x bits), lower part kept.
    shift = np.dot(
        rng_integers(rng, 2, size=(d, BITS), dtype=np.uint32),
        2 ** np.arange(BITS, dtype=np.uint32),
    )
    ltm = np.tril(rng_integers(rng, 2, size=(d, BITS, BITS), dtype=np.uint32))
    matrices = [
        [sum(int(ltm[i, p, c]) << c for c in range(p)) for p in range(BITS)] for i in range(d)
    ]
    engine = qmc.Sobol(d, scramble=True, seed=np.random.default_rng(seed))
    if start > 0:
        engine.fast_forward(start)
    return {
        "d": d,
        "seed": seed,
        "start": start,
        "n": n,
        "shift": [int(s) for s in shift],
        "matrices": matrices,
        "points": engine.random(n).tolist(),
    }


def main():
    dims = 1111
    v = np.zeros((dims, BITS), dtype=np.uint32)
    _initialize_v(v, dim=dims, bits=BITS)
    many = qmc.Sobol(dims, scramble=False).random(256)
    doc = {
        "scipy": scipy.__version__,
        "plain": [
            plain(1, 16),
            plain(2, 64),
            plain(3, 100),
            plain(10, 37),
            plain(40, 64),
            plain(5, 20, start=13),
            plain(2, 8, start=1000),
        ],
        "directions": {
            "d": dims,
            "sha256": hashlib.sha256(v.astype("<u4").tobytes()).hexdigest(),
        },
        "manyDimensions": {
            "d": dims,
            "n": 256,
            "sha256": hashlib.sha256(many.astype("<f8").tobytes()).hexdigest(),
        },
        "scrambled": [scrambled(3, 64, 1), scrambled(2, 17, 12345), scrambled(6, 10, 7, start=21)],
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
