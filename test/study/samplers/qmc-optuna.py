#!/usr/bin/env python3
"""Writes qmc-optuna.json, the golden data of qmc.test.ts, from Optuna 3.1 and SciPy.

Usage (from the repository root; Biome then formats the JSON as the repository does):

    /usr/bin/python3 test/study/samplers/qmc-optuna.py
    npx biome check --write test/study/samplers/qmc-optuna.json

- `studies`: Optuna's `QMCSampler(scramble=False)` (Sobol' and Halton) run sequentially on an
  objective with every kind of numeric parameter and one categorical. Trial 0 is sampled
  independently (random); trials 1.. take points 0.. of the sequence, so their numeric params
  depend only on the sequence and Optuna's mapping, which spax must reproduce exactly.
- `halton`: `qmc.Halton(d, scramble=False)` points after `fast_forward(start)`.
- `haltonScrambled`: SciPy's scrambled van der Corput (`_cy_van_der_corput_scrambled`) for
  given digit permutations.
"""

import json
import math
import os
import warnings

import numpy as np
import optuna
import scipy
from scipy.stats import qmc
from scipy.stats._qmc_cy import _cy_van_der_corput_scrambled

warnings.simplefilter("ignore")
optuna.logging.set_verbosity(optuna.logging.ERROR)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "qmc-optuna.json")

# name, kind, low, high, options; suggested in this order.
PARAMS = [
    ("f", "float", -2.0, 3.0, {}),
    ("flog", "float", 1e-4, 1.0, {"log": True}),
    ("fstep", "float", 0.0, 1.0, {"step": 0.25}),
    ("i", "int", -3, 7, {}),
    ("ilog", "int", 1, 1000, {"log": True}),
    ("istep", "int", 0, 20, {"step": 5}),
    ("c", "categorical", ["a", "b", "c"], None, None),
]


def objective(trial):
    for name, kind, low, high, options in PARAMS:
        if kind == "float":
            trial.suggest_float(name, low, high, **options)
        elif kind == "int":
            trial.suggest_int(name, low, high, **options)
        else:
            trial.suggest_categorical(name, low)
    return 0.0


def study(qmc_type, n):
    sampler = optuna.samplers.QMCSampler(
        qmc_type=qmc_type, scramble=False, seed=0, warn_independent_sampling=False
    )
    s = optuna.create_study(sampler=sampler)
    s.optimize(objective, n_trials=n)
    return {"qmcType": qmc_type, "params": [t.params for t in s.trials]}


def halton(d, n, start=0):
    engine = qmc.Halton(d, scramble=False)
    if start > 0:
        engine.fast_forward(start)
    return {"d": d, "start": start, "n": n, "points": engine.random(n).tolist()}


def halton_scrambled(base, start, n, seed):
    rng = np.random.default_rng(seed)
    count = math.ceil(54 / math.log2(base)) - 1
    perms = np.repeat(np.arange(base)[None], count, axis=0)
    for p in perms:
        rng.shuffle(p)
    values = _cy_van_der_corput_scrambled(n, base, start, perms, 1)
    return {"base": base, "start": start, "n": n, "permutations": perms.tolist(), "values": values.tolist()}


def main():
    doc = {
        "optuna": optuna.__version__,
        "scipy": scipy.__version__,
        "params": [
            {"name": n, "kind": k, "low": lo, "high": hi, "options": o} for n, k, lo, hi, o in PARAMS
        ],
        "studies": [study("sobol", 40), study("halton", 40)],
        "halton": [halton(1, 10), halton(3, 30), halton(12, 16, start=100)],
        "haltonScrambled": [halton_scrambled(2, 0, 16, 1), halton_scrambled(3, 5, 20, 2), halton_scrambled(7, 0, 30, 3)],
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
