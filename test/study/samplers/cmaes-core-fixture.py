"""Regenerates cmaes-core-fixture.json: the state of cmaes 0.9's CMA after each of a few tells of
fixed solutions (x drawn by numpy, value = weighted sphere), to check spax's update rules.
Run: /usr/bin/python3 test/study/samplers/cmaes-core-fixture.py"""
import json
import os

import cmaes
import numpy as np

cases = []
for dim, popsize, sigma in [(3, 6, 1.3), (5, None, 0.7), (2, 4, 2.0)]:
    rng = np.random.RandomState(dim)
    bounds = np.array([[-5.0, 5.0]] * dim)
    mean = rng.uniform(-1, 1, dim)
    cma = cmaes.CMA(mean=mean.copy(), sigma=sigma, bounds=bounds, population_size=popsize, seed=1)
    gens = []
    for g in range(6):
        # Candidates around the current mean, as the sampler would propose them.
        xs = cma._mean + cma._sigma * rng.randn(cma.population_size, dim)
        xs = np.clip(xs, -5, 5)
        sols = [(x, float(np.sum((np.arange(dim) + 1.0) * (x - 0.5) ** 2))) for x in xs]
        cma.tell([(x.copy(), y) for x, y in sols])
        gens.append({
            "solutions": [{"x": x.tolist(), "value": y} for x, y in sols],
            "mean": cma._mean.tolist(),
            "sigma": float(cma._sigma),
            "cov": cma._C.tolist(),
            "pSigma": cma._p_sigma.tolist(),
            "pc": cma._pc.tolist(),
            "shouldStop": bool(cma.should_stop()),
        })
    cases.append({"dim": dim, "popsize": cma.population_size, "sigma": sigma,
                  "mean": mean.tolist(), "generations": gens})
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cmaes-core-fixture.json")
with open(path, "w") as fh:
    json.dump({"cmaes": cmaes.__version__ if hasattr(cmaes, "__version__") else "0.9.1", "cases": cases}, fh)
    fh.write("\n")
