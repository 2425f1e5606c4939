"""Regenerates cmaes-optuna-fixture.json: Optuna 3.1's CmaEsSampler (defaults) on 5-d sphere and
Rosenbrock over [-5, 5]^5, 300 trials, seeds 1-10; records each run's best value.
Run: /usr/bin/python3 test/study/samplers/cmaes-optuna-fixture.py"""
import json
import os

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)
DIM, TRIALS, SEEDS = 5, 300, range(1, 11)


def sphere(x):
    return sum(v * v for v in x)


def rosenbrock(x):
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(len(x) - 1))


out = {"optuna": optuna.__version__, "dim": DIM, "trials": TRIALS, "low": -5, "high": 5, "best": {}}
for name, f in [("sphere", sphere), ("rosenbrock", rosenbrock)]:
    bests = []
    for seed in SEEDS:
        study = optuna.create_study(sampler=optuna.samplers.CmaEsSampler(seed=seed))
        study.optimize(lambda t: f([t.suggest_float(f"x{i}", -5, 5) for i in range(DIM)]), n_trials=TRIALS)
        bests.append(study.best_value)
    out["best"][name] = bests
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cmaes-optuna-fixture.json")
with open(path, "w") as fh:
    json.dump(out, fh, indent=1)
    fh.write("\n")
