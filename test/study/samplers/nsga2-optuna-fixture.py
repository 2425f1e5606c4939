"""Regenerates nsga2-optuna-fixture.json: Optuna 3.1's NSGAIISampler (defaults: population 50,
uniform crossover; and SBXCrossover) on ZDT1 (10 variables in [0, 1]), 2000 trials, seeds 1-5;
records the hypervolume of each run's trials w.r.t. the reference point (1, 1).
Run: /usr/bin/python3 test/study/samplers/nsga2-optuna-fixture.py"""
import json
import math
import os

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)
N_VARS, TRIALS, SEEDS, REF = 10, 2000, range(1, 6), (1.0, 1.0)


def zdt1(trial):
    x = [trial.suggest_float(f"x{i}", 0, 1) for i in range(N_VARS)]
    g = 1 + 9 * sum(x[1:]) / (N_VARS - 1)
    return x[0], g * (1 - math.sqrt(x[0] / g))


def hypervolume(points):
    pts = sorted(p for p in points if p[0] < REF[0] and p[1] < REF[1])
    hv, prev = 0.0, REF[1]
    for f1, f2 in pts:
        if f2 < prev:
            hv += (REF[0] - f1) * (prev - f2)
            prev = f2
    return hv


out = {"optuna": optuna.__version__, "vars": N_VARS, "trials": TRIALS, "ref": REF, "hypervolume": {}}
for name, make in [
    ("uniform", lambda s: optuna.samplers.NSGAIISampler(seed=s)),
    ("sbx", lambda s: optuna.samplers.NSGAIISampler(seed=s, crossover=optuna.samplers.nsgaii.SBXCrossover())),
]:
    hvs = []
    for seed in SEEDS:
        study = optuna.create_study(directions=["minimize", "minimize"], sampler=make(seed))
        study.optimize(zdt1, n_trials=TRIALS)
        hvs.append(hypervolume([t.values for t in study.trials]))
    out["hypervolume"][name] = hvs
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nsga2-optuna-fixture.json")
with open(path, "w") as fh:
    json.dump(out, fh, indent=1)
    fh.write("\n")
