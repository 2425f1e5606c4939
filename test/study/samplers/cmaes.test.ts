import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SpaxError } from "../../../src/errors.js";
import { PyRandom } from "../../../src/sample/mt19937.js";
import {
  CategoricalDistribution,
  type Distribution,
  FloatDistribution,
  IntDistribution,
} from "../../../src/study/distributions.js";
import {
  Cma,
  CmaEsSampler,
  defaultPopsize,
  symmetricEigen,
} from "../../../src/study/samplers/cmaes/index.js";
import { Gaussian } from "../../../src/study/samplers/cmaes/random.js";
import { intersectionSearchSpace } from "../../../src/study/samplers/cmaes/search-space.js";
import { FakeStudy, type Suggest, summary } from "./cmaes-nsga2-harness.js";

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SpaxError);
    return (e as SpaxError).code;
  }
  return undefined;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** max |a - b| over entries, relative to max(1, |b|). */
function maxRelErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < b.length; i++)
    e = Math.max(e, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return e;
}

describe("symmetricEigen", () => {
  const check = (a: number[], n: number) => {
    const { values, vectors } = symmetricEigen(a, n);
    for (let k = 1; k < n; k++) expect(values[k]!).toBeGreaterThanOrEqual(values[k - 1]!);
    // A = V Λ Vᵀ and VᵀV = I.
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let r = 0;
        let o = 0;
        for (let k = 0; k < n; k++) {
          r += vectors[i * n + k]! * values[k]! * vectors[j * n + k]!;
          o += vectors[k * n + i]! * vectors[k * n + j]!;
        }
        expect(Math.abs(r - a[i * n + j]!)).toBeLessThan(
          1e-12 * Math.max(1, Math.abs(values[n - 1]!)) * n,
        );
        expect(Math.abs(o - (i === j ? 1 : 0))).toBeLessThan(1e-12 * n);
      }
    }
    return { values, vectors };
  };

  it("diagonal, 1x1, zero and identity matrices", () => {
    expect([...check([3, 0, 0, 0, -1, 0, 0, 0, 2], 3).values]).toEqual([-1, 2, 3]);
    expect([...check([7], 1).values]).toEqual([7]);
    expect([...check([0, 0, 0, 0], 2).values]).toEqual([0, 0]);
    const id = check([1, 0, 0, 0, 1, 0, 0, 0, 1], 3);
    expect([...id.values]).toEqual([1, 1, 1]);
    expect([...id.vectors]).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it("[[2,1],[1,2]] has eigenvalues 1 and 3 with eigenvectors (1,-1)/√2 and (1,1)/√2", () => {
    const { values, vectors } = check([2, 1, 1, 2], 2);
    expect(values[0]).toBeCloseTo(1, 14);
    expect(values[1]).toBeCloseTo(3, 14);
    expect(Math.abs(vectors[0]! * vectors[2]!)).toBeCloseTo(0.5, 14); // column 0 ∝ (1, -1)
    expect(vectors[0]! * vectors[2]!).toBeLessThan(0);
    expect(vectors[1]! * vectors[3]!).toBeCloseTo(0.5, 14); // column 1 ∝ (1, 1)
  });

  it("matches numpy.linalg.eigh on a 3x3 matrix", () => {
    const { values, vectors } = check([4, 1, 2, 1, 3, 0, 2, 0, 5], 3);
    expect(maxRelErr(values, [1.85489731, 3.4760236, 6.66907909])).toBeLessThan(1e-8);
    // Eigenvectors up to sign.
    const numpy = [
      [-0.67931306, 0.59323331, 0.43198148],
      [-0.37436195, -0.7864357, 0.49129626],
      [-0.63117897, -0.17202654, -0.75632002],
    ];
    numpy.forEach((col, k) => {
      const ours = [0, 1, 2].map((r) => vectors[r * 3 + k]!);
      const sign = Math.sign(ours[0]! * col[0]!);
      expect(
        maxRelErr(
          ours.map((x) => sign * x),
          col,
        ),
      ).toBeLessThan(1e-8);
    });
  });

  it("the tridiagonal [-1 2 -1] matrix has eigenvalues 2 - 2cos(kπ/(n+1))", () => {
    const n = 12;
    const a = new Array(n * n).fill(0);
    for (let i = 0; i < n; i++) {
      a[i * n + i] = 2;
      if (i + 1 < n) a[i * n + i + 1] = a[(i + 1) * n + i] = -1;
    }
    const { values } = check(a, n);
    const exact = Array.from(
      { length: n },
      (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1)),
    );
    expect(maxRelErr(values, exact)).toBeLessThan(1e-13);
  });

  it("decomposes random 50x50 symmetric matrices, including ill-conditioned ones", () => {
    const rng = new PyRandom(7);
    const n = 50;
    const a = new Array(n * n).fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = rng.uniform(-1, 1);
    }
    check(a, n);
    // Q diag(1e-10 … 1e4) Qᵀ with Q from the decomposition above.
    const q = symmetricEigen(a, n).vectors;
    const lambda = Array.from({ length: n }, (_, k) => 10 ** (-10 + (14 * k) / (n - 1)));
    const b = new Array(n * n).fill(0);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        for (let k = 0; k < n; k++) b[i * n + j] += q[i * n + k]! * lambda[k]! * q[j * n + k]!;
    const { values } = check(b, n);
    expect(maxRelErr(values.slice(n - 10), lambda.slice(n - 10))).toBeLessThan(1e-9);
  });
});

interface CoreFixture {
  cases: {
    dim: number;
    popsize: number;
    sigma: number;
    mean: number[];
    generations: {
      solutions: { x: number[]; value: number }[];
      mean: number[];
      sigma: number;
      cov: number[][];
      pSigma: number[];
      pc: number[];
      shouldStop: boolean;
    }[];
  }[];
}

describe("Cma (the numeric core)", () => {
  it("updates mean, step size, paths and covariance exactly as cmaes 0.9 (fixture)", () => {
    const fixture: CoreFixture = JSON.parse(
      readFileSync(new URL("./cmaes-core-fixture.json", import.meta.url), "utf8"),
    );
    for (const c of fixture.cases) {
      const names = Array.from({ length: c.dim }, (_, i) => `x${i}`);
      const cma = Cma.create(
        names,
        names.map(() => [-5, 5] as const),
        c.mean,
        c.sigma,
        c.popsize,
      );
      for (const g of c.generations) {
        cma.tell(g.solutions);
        const s = cma.state;
        expect(maxRelErr(s.mean, g.mean)).toBeLessThan(1e-10);
        expect(Math.abs(s.sigma / g.sigma - 1)).toBeLessThan(1e-10);
        expect(maxRelErr(s.pSigma, g.pSigma)).toBeLessThan(1e-10);
        expect(maxRelErr(s.pc, g.pc)).toBeLessThan(1e-10);
        const cov: number[] = [];
        g.cov.forEach((row, i) => {
          cov.push(...row.slice(i));
        });
        expect(maxRelErr(s.cov, cov)).toBeLessThan(1e-10);
        expect(cma.shouldStop()).toBe(g.shouldStop);
      }
      expect(cma.generation).toBe(c.generations.length);
    }
  });

  it("has cmaes's default population size 4 + ⌊3 ln d⌋", () => {
    expect([1, 2, 5, 10, 50].map(defaultPopsize)).toEqual([4, 6, 8, 10, 15]);
  });

  it("asks inside the bounds (resampling, then clipping)", () => {
    const cma = Cma.create(
      ["a", "b"],
      [
        [0, 1],
        [0, 1],
      ],
      [0.99, 0.01],
      5,
    );
    const g = new Gaussian(new PyRandom(1));
    for (let i = 0; i < 50; i++) {
      const x = cma.ask(g);
      for (const v of x) expect(v >= 0 && v <= 1).toBe(true);
    }
  });

  it("Gaussian draws have mean 0 and variance 1", () => {
    const g = new Gaussian(new PyRandom(3));
    let s = 0;
    let s2 = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const z = g.next();
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.03);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.03);
  });

  it("rejects an invalid state", () => {
    expect(
      codeOf(() => new Cma({ ...Cma.create(["a"], [[0, 1]], [0.5], 0.1).state, popsize: 1 })),
    ).toBe("invalid_sampler_state");
  });
});

const UNIT = new FloatDistribution(-5, 5);

function sphere(dim: number, d: Distribution = UNIT) {
  return (suggest: Suggest) => {
    let v = 0;
    for (let i = 0; i < dim; i++) v += (suggest(`x${i}`, d) as number) ** 2;
    return [v];
  };
}

function rosenbrock(dim: number) {
  return (suggest: Suggest) => {
    const x = Array.from({ length: dim }, (_, i) => suggest(`x${i}`, UNIT) as number);
    let v = 0;
    for (let i = 0; i < dim - 1; i++) v += 100 * (x[i + 1]! - x[i]! ** 2) ** 2 + (1 - x[i]!) ** 2;
    return [v];
  };
}

/** Floats, log floats, stepped floats, ints (log, stepped), a categorical, a single value. */
const MIXED: [string, Distribution][] = [
  ["f", new FloatDistribution(-2, 3)],
  ["flog", new FloatDistribution(1e-5, 1e-1, { log: true })],
  ["fstep", new FloatDistribution(0, 1, { step: 0.1 })],
  ["i", new IntDistribution(-3, 7)],
  ["ilog", new IntDistribution(1, 1000, { log: true })],
  ["istep", new IntDistribution(0, 20, { step: 5 })],
  ["c", new CategoricalDistribution(["adam", "sgd", 3, null])],
  ["one", new FloatDistribution(2, 2)],
];

function mixedObjective(suggest: Suggest): number[] {
  let v = 0;
  for (const [name, d] of MIXED) {
    const x = suggest(name, d);
    if (typeof x === "number") v += name === "flog" ? Math.log10(x) ** 2 : (x - 1) ** 2;
    else v += x === "sgd" ? 0 : 1;
  }
  return [v];
}

describe("CmaEsSampler", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("is deterministic: same seed, same trials; 25 + 25 with a rebuilt sampler equals 50", () => {
    const f = (s: Suggest) => mixedObjective(s);
    const opts = { seed: 42, warnIndependentSampling: false };
    const a = new FakeStudy(["minimize"]).optimize(new CmaEsSampler(opts), f, 50);
    const b = new FakeStudy(["minimize"]).optimize(new CmaEsSampler(opts), f, 50);
    expect(summary(b.trials)).toEqual(summary(a.trials));
    const c = new FakeStudy(["minimize"]).optimize(new CmaEsSampler(opts), f, 25);
    c.optimize(new CmaEsSampler(opts), f, 25);
    expect(summary(c.trials)).toEqual(summary(a.trials));
    const other = new FakeStudy(["minimize"]).optimize(
      new CmaEsSampler({ ...opts, seed: 43 }),
      f,
      50,
    );
    expect(summary(other.trials)).not.toEqual(summary(a.trials));
    // Several generations ran, and their state was stored.
    expect(a.trials.some((t) => (t.systemAttrs["cma:generation"] as number) >= 3)).toBe(true);
    expect(a.trials.some((t) => typeof t.systemAttrs["cma:state:0"] === "string")).toBe(true);
  });

  it("resumes from the stored state alone, also with IPOP restarts", () => {
    const f = sphere(2);
    const opts = { seed: 5, restartStrategy: "ipop" as const, popsize: 4 };
    const flat = (s: Suggest) => [
      0 * (s("x0", UNIT) as number) + 0 * (s("x1", UNIT) as number) + 1,
    ];
    const a = new FakeStudy(["minimize"]).optimize(new CmaEsSampler(opts), flat, 200);
    a.optimize(new CmaEsSampler(opts), f, 30);
    const b = new FakeStudy(["minimize"]);
    for (let k = 0; k < 4; k++) b.optimize(new CmaEsSampler(opts), flat, 50);
    b.optimize(new CmaEsSampler(opts), f, 15).optimize(new CmaEsSampler(opts), f, 15);
    expect(summary(b.trials)).toEqual(summary(a.trials));
  });

  it("samples every value inside its distribution (ints integral, steps respected, categoricals valid)", () => {
    for (const seed of [1, 2, 3]) {
      const study = new FakeStudy(["minimize"]).optimize(
        new CmaEsSampler({ seed, warnIndependentSampling: false }),
        mixedObjective,
        120,
      );
      for (const t of study.trials) {
        for (const [name, d] of MIXED) {
          const v = t.params[name];
          expect(d.contains(v), `${name} = ${String(v)} in trial ${t.number}`).toBe(true);
          if (d.kind === "int") expect(Number.isInteger(v)).toBe(true);
        }
      }
      // Every non-categorical, non-single parameter is in CMA-ES's space after the first trial.
      const space = new CmaEsSampler().inferRelativeSearchSpace(study, study.trials[0]!);
      expect(Object.keys(space)).toEqual(["f", "flog", "fstep", "i", "ilog", "istep"]);
      // Categoricals still take every choice (independent uniform sampling).
      const seen = new Set(study.trials.map((t) => JSON.stringify(t.params.c)));
      expect(seen.size).toBe(4);
    }
  });

  it("tags generations of popsize trials, tells when a generation is complete, stores the state", () => {
    const study = new FakeStudy(["minimize"]).optimize(
      new CmaEsSampler({ seed: 1, popsize: 5 }),
      sphere(3),
      31,
    );
    const t0 = study.trials[0]!;
    expect(t0.systemAttrs["cma:generation"]).toBeUndefined(); // first trial: empty search space
    const gens = study.trials.slice(1).map((t) => t.systemAttrs["cma:generation"]);
    expect(gens).toEqual(Array.from({ length: 30 }, (_, k) => Math.floor(k / 5)));
    for (const t of study.trials.slice(1)) expect(t.systemAttrs["cma:n_restarts"]).toBe(0);
    // The first trial of each later generation carries the state after the tell.
    const carriers = study.trials
      .filter((t) => "cma:state:0" in t.systemAttrs)
      .map((t) => t.number);
    expect(carriers).toEqual([6, 11, 16, 21, 26]);
    const state = JSON.parse(study.trials[26]!.systemAttrs["cma:state:0"] as string);
    expect(state).toMatchObject({ v: 1, names: ["x0", "x1", "x2"], popsize: 5, generation: 5 });
  });

  it("splits a large state into 2045-character chunks", () => {
    const d = new FloatDistribution(0, 1);
    const f = (s: Suggest) => {
      let v = 0;
      for (let i = 0; i < 30; i++)
        v += ((s(`p${String(i).padStart(2, "0")}`, d) as number) - 0.3) ** 2;
      return [v];
    };
    const study = new FakeStudy(["minimize"]).optimize(
      new CmaEsSampler({ seed: 1, popsize: 4 }),
      f,
      6,
    );
    const attrs = study.trials[5]!.systemAttrs;
    const chunks = Object.keys(attrs).filter((k) => k.startsWith("cma:state:"));
    expect(chunks.length).toBeGreaterThan(2);
    for (const k of chunks) expect((attrs[k] as string).length).toBeLessThanOrEqual(2045);
    expect(JSON.parse(chunks.map((_, i) => attrs[`cma:state:${i}`]).join("")).names).toHaveLength(
      30,
    );
  });

  it("restarts with a doubled population under IPOP when the run stalls", () => {
    const study = new FakeStudy(["minimize"]).optimize(
      new CmaEsSampler({ seed: 3, restartStrategy: "ipop", popsize: 4 }),
      (s) => [0 * (s("x0", UNIT) as number) + 0 * (s("x1", UNIT) as number) + 1],
      400,
    );
    const restarts = study.trials.map((t) => t.systemAttrs["cma:n_restarts"] as number | undefined);
    expect(Math.max(...restarts.filter((r) => r !== undefined))).toBeGreaterThanOrEqual(1);
    const firstR1 = restarts.indexOf(1);
    const r1 = study.trials.slice(firstR1).filter((t) => t.systemAttrs["cma:n_restarts"] === 1);
    const gen0 = r1.filter((t) => t.systemAttrs["cma:restart_1:generation"] === 0);
    expect(gen0).toHaveLength(8);
    const state = JSON.parse(study.trials[firstR1]!.systemAttrs["cma:state:0"] as string);
    expect(state.popsize).toBe(8);
    expect(study.trials[0]!.systemAttrs["cma:restart_0:generation"]).toBeUndefined();
    expect(study.trials[1]!.systemAttrs["cma:restart_0:generation"]).toBe(0);
  });

  it("maximizes too", () => {
    const neg = (s: Suggest) => [-sphere(3)(s)[0]!];
    const study = new FakeStudy(["maximize"]).optimize(new CmaEsSampler({ seed: 1 }), neg, 150);
    expect(Math.max(...study.trials.map((t) => t.values![0]!))).toBeGreaterThan(-1e-2);
  });

  it("optimizes ints, log ints and a one-dimensional space", () => {
    const d = new IntDistribution(-50, 50);
    const dl = new IntDistribution(1, 10000, { log: true });
    const f = (s: Suggest) => [
      ((s("a", d) as number) - 17) ** 2 + Math.log((s("b", dl) as number) / 300) ** 2,
    ];
    const study = new FakeStudy(["minimize"]).optimize(new CmaEsSampler({ seed: 2 }), f, 150);
    const best = study.trials.reduce((a, b) => (a.values![0]! <= b.values![0]! ? a : b));
    expect(best.params.a).toBe(17);
    expect(Math.abs(Math.log((best.params.b as number) / 300))).toBeLessThan(0.2);
    const one = new FakeStudy(["minimize"]).optimize(
      new CmaEsSampler({ seed: 2 }),
      (s) => [((s("x", UNIT) as number) - 1.234) ** 2],
      80,
    );
    expect(Math.min(...one.trials.map((t) => t.values![0]!))).toBeLessThan(1e-6);
    expect(one.trials[79]!.systemAttrs["cma:generation"]).toBeGreaterThan(10);
  });

  it("honours x0, sigma0 and nStartupTrials", () => {
    const sampler = new CmaEsSampler({
      seed: 1,
      x0: { x0: 4, x1: -4 },
      sigma0: 0.01,
      nStartupTrials: 3,
    });
    const study = new FakeStudy(["minimize"]).optimize(sampler, sphere(2), 8);
    for (const t of study.trials.slice(0, 3))
      expect(t.systemAttrs["cma:generation"]).toBeUndefined();
    for (const t of study.trials.slice(3)) {
      expect(t.systemAttrs["cma:generation"]).toBe(0);
      expect(Math.abs((t.params.x0 as number) - 4)).toBeLessThan(0.1);
      expect(Math.abs((t.params.x1 as number) + 4)).toBeLessThan(0.1);
    }
    const bad = new CmaEsSampler({ x0: { x0: 9 } });
    expect(codeOf(() => new FakeStudy(["minimize"]).optimize(bad, sphere(2), 2))).toBe(
      "invalid_option",
    );
  });

  it("falls back to independent sampling when the search space changes under it", () => {
    const d = new FloatDistribution(0, 1);
    const sampler = new CmaEsSampler({ seed: 1, warnIndependentSampling: false });
    const study = new FakeStudy(["minimize"]).optimize(
      sampler,
      (s) => [(s("a", d) as number) + (s("b", d) as number) + (s("c", d) as number)],
      10,
    );
    study.optimize(sampler, (s) => [(s("a", d) as number) + (s("b", d) as number)], 1);
    const space = sampler.inferRelativeSearchSpace(study, study.trials[10]!);
    expect(Object.keys(space)).toEqual(["a", "b"]);
    expect(sampler.sampleRelative(study, study.trials[10]!, space)).toEqual({});
  });

  it("warns once per parameter sampled independently after startup, unless told not to", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    new FakeStudy(["minimize"]).optimize(new CmaEsSampler({ seed: 1 }), mixedObjective, 20);
    const messages = warn.mock.calls.map((c) => String(c[0]));
    expect(messages.filter((m) => m.includes('"c"'))).toHaveLength(1);
    expect(messages.filter((m) => m.includes('"one"'))).toHaveLength(0); // single-valued: no news
    expect(messages).toHaveLength(1);
    warn.mockClear();
    new FakeStudy(["minimize"]).optimize(
      new CmaEsSampler({ seed: 1, warnIndependentSampling: false }),
      mixedObjective,
      20,
    );
    expect(warn).not.toHaveBeenCalled();
  });

  it("uses the given independent sampler for categoricals", () => {
    const calls: string[] = [];
    const independent = {
      inferRelativeSearchSpace: () => ({}),
      sampleRelative: () => ({}),
      sampleIndependent: (_s: unknown, _t: unknown, name: string, d: Distribution) => {
        calls.push(name);
        return d.kind === "categorical" ? d.choices[0]! : (d as FloatDistribution).low;
      },
    };
    const study = new FakeStudy(["minimize"]).optimize(
      new CmaEsSampler({
        seed: 1,
        independentSampler: independent,
        warnIndependentSampling: false,
      }),
      mixedObjective,
      10,
    );
    expect(study.trials.slice(1).every((t) => t.params.c === "adam")).toBe(true);
    expect(calls.filter((n) => n === "c")).toHaveLength(10);
  });

  it("rejects bad options and multi-objective studies", () => {
    const bad = [
      { sigma0: 0 },
      { sigma0: Number.NaN },
      { nStartupTrials: -1 },
      { nStartupTrials: 1.5 },
      { popsize: 1 },
      { restartStrategy: "bipop" },
      { incPopsize: 0 },
      { x0: { a: Number.POSITIVE_INFINITY } },
      { independentSampler: {} },
      { warnIndependentSampling: "yes" },
    ];
    for (const o of bad)
      expect(
        codeOf(() => new CmaEsSampler(o as any)),
        JSON.stringify(o),
      ).toBe("invalid_option");
    expect(codeOf(() => new CmaEsSampler({ seed: 0.5 }))).toBe("invalid_seed");
    const mo = new FakeStudy(["minimize", "minimize"]);
    expect(codeOf(() => mo.optimize(new CmaEsSampler(), () => [1, 2], 1))).toBe(
      "multi_objective_unsupported",
    );
  });

  it("intersection search space: params every COMPLETE trial has with the same distribution", () => {
    const study = new FakeStudy(["minimize"]);
    const s = new CmaEsSampler({ seed: 1, warnIndependentSampling: false });
    study.optimize(
      s,
      (g) => [(g("a", UNIT) as number) + (g("b", UNIT) as number) + (g("z", UNIT) as number)],
      2,
    );
    study.optimize(
      s,
      (g) => [(g("a", UNIT) as number) + (g("b", new FloatDistribution(0, 1)) as number)],
      1,
    );
    expect(Object.keys(intersectionSearchSpace(study.trials))).toEqual(["a"]);
    expect(Object.keys(s.inferRelativeSearchSpace(study, study.trials[0]!))).toEqual(["a"]);
  });
});

interface OptunaFixture {
  dim: number;
  trials: number;
  best: { sphere: number[]; rosenbrock: number[] };
}

describe("CmaEsSampler quality (5-d, 300 trials, seeds 1-10)", () => {
  const fixture: OptunaFixture = JSON.parse(
    readFileSync(new URL("./cmaes-optuna-fixture.json", import.meta.url), "utf8"),
  );
  const seeds = Array.from({ length: 10 }, (_, i) => i + 1);

  /** Median over seeds of a random search's best value in the same budget. */
  function randomMedianBest(f: (s: Suggest) => number[]): number {
    return median(
      seeds.map((seed) => {
        const rng = new PyRandom(seed);
        let best = Number.POSITIVE_INFINITY;
        for (let k = 0; k < 300; k++)
          best = Math.min(
            best,
            f((_n, d) =>
              rng.uniform((d as FloatDistribution).low, (d as FloatDistribution).high),
            )[0]!,
          );
        return best;
      }),
    );
  }

  for (const [name, f] of [
    ["sphere", sphere(5)],
    ["rosenbrock", rosenbrock(5)],
  ] as const) {
    it(`${name}: far better than random search, same order of magnitude as Optuna's CmaEsSampler`, () => {
      const ours = median(
        seeds.map((seed) => {
          const study = new FakeStudy(["minimize"]).optimize(new CmaEsSampler({ seed }), f, 300);
          return Math.min(...study.trials.map((t) => t.values![0]!));
        }),
      );
      const optuna = median(fixture.best[name]);
      const random = randomMedianBest(f);
      // Medians: sphere ours 3.1e-4, Optuna 2.1e-4, random 3.8; rosenbrock 3.26, 3.19, 466.
      expect(ours).toBeLessThan(random / (name === "sphere" ? 1000 : 20));
      expect(ours).toBeLessThan(optuna * 10);
    });
  }
});
