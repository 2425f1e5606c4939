#!/usr/bin/python3
"""Golden values for spax's TPE tests, from Optuna 3.1 and SciPy (Debian packages).

    /usr/bin/python3 test/study/samplers/tpe-optuna-fixture.py > test/study/samplers/tpe-optuna-fixture.json

- special functions (SciPy): erf, erfc, ndtr, log_ndtr, ndtri, truncnorm logpdf/ppf;
- Optuna's default_gamma and default_weights;
- Parzen estimators: Optuna's `_ParzenEstimator.log_pdf` for given observations
  (univariate float / log / step / int / int log / categorical, and multivariate);
- the whole univariate pipeline on a study with complete and pruned trials: Optuna's
  observation pairs, split and estimators, l(x) and g(x) at given points per parameter.
"""
import json
import math
import sys

import numpy as np
import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator, _ParzenEstimatorParameters
from optuna.samplers._tpe.sampler import (
    _get_observation_pairs,
    _split_observation_pairs,
    default_gamma,
    default_weights,
)
from scipy import special, stats

optuna.logging.set_verbosity(optuna.logging.ERROR)


def dist_json(d):
    if isinstance(d, CategoricalDistribution):
        return {"kind": "categorical", "choices": list(d.choices)}
    kind = "int" if isinstance(d, IntDistribution) else "float"
    return {"kind": kind, "low": d.low, "high": d.high, "log": d.log, "step": d.step}


out = {"optuna": optuna.__version__}

xs = [-40, -30, -21, -20, -10, -6.5, -3, -1.3, -0.9, -0.5, -0.1, 0, 1e-10, 0.2, 0.5, 0.9, 1.2, 2,
      3.5, 5, 6.5, 8, 10, 27]
out["special"] = [
    {"x": x, "erf": float(special.erf(x)), "erfc": float(special.erfc(x)),
     "ndtr": float(special.ndtr(x)), "log_ndtr": float(special.log_ndtr(x))}
    for x in xs
]
out["ndtri"] = [{"p": p, "x": float(special.ndtri(p))}
                for p in [1e-300, 1e-20, 1e-5, 0.01, 0.3, 0.5, 0.7, 0.99, 1 - 1e-10]]
cases = [(0.3, -1, 2), (0.5, -50, -40), (0.7, 3, 4), (0.1, -0.5, 0.5), (0.99, -10, 10),
         (0.2, 30, 32), (0.9, -2, -1.5), (1e-6, -3, 3)]
out["truncnorm_ppf"] = [{"q": q, "a": a, "b": b, "x": float(stats.truncnorm.ppf(q, a, b))}
                        for q, a, b in cases]
lp = [(0.5, -1, 2, 0.3, 0.7), (1.9, -1, 2, 0.3, 0.7), (-0.99, -1, 2, 0.3, 0.1), (3, 2, 9, 8, 0.2)]
out["truncnorm_logpdf"] = [
    {"x": x, "low": lo, "high": hi, "loc": m, "scale": s,
     "logpdf": float(stats.truncnorm.logpdf(x, (lo - m) / s, (hi - m) / s, loc=m, scale=s))}
    for x, lo, hi, m, s in lp
]
out["gamma"] = [{"n": n, "gamma": int(default_gamma(n))}
                for n in [0, 1, 5, 9, 10, 11, 30, 100, 249, 250, 251, 1000]]
out["weights"] = [{"n": n, "weights": [float(w) for w in default_weights(n)]}
                  for n in [0, 1, 24, 25, 26, 27, 40]]

P = lambda mv: _ParzenEstimatorParameters(True, 1.0, True, False, default_weights, mv)  # noqa: E731
parzen = []
uni = [
    (FloatDistribution(-5, 10), [0.3, -2.5, 7.1, 7.2, 9.9, 1.1, 1.15], [-4.9, -2.5, 0, 3, 7.15, 9.99]),
    (FloatDistribution(1e-5, 1, log=True), [1e-3, 2e-3, 0.5, 1e-4], [1e-5, 1e-3, 0.01, 0.9]),
    (FloatDistribution(0, 1, step=0.1), [0.1, 0.1, 0.5, 1.0], [0, 0.1, 0.3, 1.0]),
    (IntDistribution(1, 20), [1, 3, 3, 7, 20], [1, 2, 3, 10, 20]),
    (IntDistribution(8, 512, log=True), [8, 256, 300, 64], [8, 16, 256, 512]),
    (IntDistribution(0, 30, step=3), [0, 3, 27], [0, 15, 30]),
    (CategoricalDistribution(["a", "b", "c", "d"]), [0, 0, 2, 1, 0], [0, 1, 2, 3]),
    (FloatDistribution(0, 1), [], [0.1, 0.5]),
]
for d, obs, pts in uni:
    arr = np.asarray(obs, dtype=float)
    pe = _ParzenEstimator({"p": arr}, {"p": d}, P(False))
    # Categorical observations and points are choice indexes.
    ext = np.asarray(pts, dtype=int if isinstance(d, CategoricalDistribution) else float)
    parzen.append({"distributions": [dist_json(d)], "observations": [[o] for o in obs],
                   "points": [[p] for p in pts], "log_pdf": [float(v) for v in pe.log_pdf({"p": ext})],
                   "multivariate": False})
mv_dists = [FloatDistribution(-5, 10), IntDistribution(1, 20), FloatDistribution(1e-3, 10, log=True),
            CategoricalDistribution(["x", "y", "z"])]
mv_obs = [[0.3, 1, 0.01, 0], [-2.5, 3, 0.5, 2], [7.1, 3, 9.0, 0], [7.2, 7, 0.002, 1], [9.9, 20, 1.0, 0]]
mv_pts = [[0, 1, 0.01, 0], [7.15, 3, 2.0, 2], [-4, 20, 0.001, 1]]
obs = {f"p{j}": np.asarray([o[j] for o in mv_obs], dtype=float) for j in range(4)}
pe = _ParzenEstimator(obs, {f"p{j}": d for j, d in enumerate(mv_dists)}, P(True))
pts = {f"p{j}": np.asarray([p[j] for p in mv_pts], dtype=float if j < 3 else int) for j in range(4)}
parzen.append({"distributions": [dist_json(d) for d in mv_dists], "observations": mv_obs,
               "points": mv_pts, "log_pdf": [float(v) for v in pe.log_pdf(pts)], "multivariate": True})
out["parzen"] = parzen

# The univariate pipeline on a study: 60 trials, some pruned (with and without reports).
rng = np.random.RandomState(7)
D = {"x": FloatDistribution(-5, 10), "k": IntDistribution(1, 20), "lr": FloatDistribution(1e-5, 1, log=True),
     "c": CategoricalDistribution(["a", "b", "c"])}
trials = []
study = optuna.create_study()
for i in range(60):
    params = {"x": float(rng.uniform(-5, 10)), "k": int(rng.randint(1, 21)),
              "lr": float(math.exp(rng.uniform(math.log(1e-5), 0))), "c": ["a", "b", "c"][rng.randint(3)]}
    if i % 3 == 2:
        del params["lr"]  # conditional parameter
    value = (params["x"] - 1) ** 2 + abs(params["k"] - 7) + (0.5 if params["c"] == "b" else 0)
    if i % 11 == 5:
        state, inter = "PRUNED", ({i % 4: value + 1} if i % 2 else {})
    else:
        state, inter = "COMPLETE", {}
    dists = {k: D[k] for k in params}
    study.add_trial(optuna.trial.create_trial(
        params=params, distributions=dists, value=value if state == "COMPLETE" else None,
        state=optuna.trial.TrialState[state], intermediate_values=inter))
    trials.append({"params": params, "state": state, "value": value, "intermediate": inter})
points = {"x": [-4.5, -1, 0.5, 1, 2, 7, 9.5], "k": [1, 6, 7, 8, 20], "lr": [1e-5, 1e-3, 0.1, 0.9],
          "c": ["a", "b", "c"]}
pipeline = {}
for name, d in D.items():
    values, scores, violations = _get_observation_pairs(study, [name])
    n = sum(s < float("inf") for s, v in scores)
    ib, ia = _split_observation_pairs(scores, default_gamma(n), violations)
    cv = np.asarray(values[name], dtype=float)
    mask = ~np.isnan(cv)
    below = _ParzenEstimator({name: cv[ib[mask[ib]]]}, {name: d}, P(False))
    above = _ParzenEstimator({name: cv[ia[mask[ia]]]}, {name: d}, P(False))
    pts = np.asarray([d.to_internal_repr(p) for p in points[name]]) if name == "c" else np.asarray(points[name])
    if name == "c":
        pts = pts.astype(int)
    pipeline[name] = {"below": [float(v) for v in below.log_pdf({name: pts})],
                      "above": [float(v) for v in above.log_pdf({name: pts})],
                      "n_below": int(mask[ib].sum()), "n_above": int(mask[ia].sum())}
out["pipeline"] = {"distributions": {k: dist_json(d) for k, d in D.items()}, "trials": trials,
                   "points": points, "expected": pipeline}
json.dump(out, sys.stdout, indent=1)
sys.stdout.write("\n")
