/**
 * TPE's math against SciPy and Optuna 3.1 (fixture: tpe-optuna-fixture.py): the normal and
 * truncated-normal functions, gamma and weights, the Parzen estimators, the split (pruned,
 * running and infeasible trials), and the whole univariate pipeline on a study.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PyRandom } from "../../../src/sample/mt19937.js";
import { MemoryStorage } from "../../../src/storage/memory.js";
import {
  CategoricalDistribution,
  type Distribution,
  FloatDistribution,
  IntDistribution,
} from "../../../src/study/distributions.js";
import type { FrozenTrial, TrialState } from "../../../src/study/frozen-trial.js";
import { History } from "../../../src/study/samplers/tpe/history.js";
import {
  defaultGamma,
  defaultWeights,
  erf,
  erfc,
  fastExp,
  logGaussMass,
  logNdtr,
  ndtr,
  ndtri,
  TPESampler,
  truncnormLogPdf,
  truncnormPpf,
  truncnormSample,
} from "../../../src/study/samplers/tpe/index.js";
import { hypervolume, nondominationRanks } from "../../../src/study/samplers/tpe/mo.js";
import {
  CategoricalParzen,
  Dim,
  MultiParzen,
  NumericParzen,
} from "../../../src/study/samplers/tpe/parzen.js";
import { BELOW, OUT, splitRows } from "../../../src/study/samplers/tpe/split.js";
import { createStudy } from "../../../src/study/study.js";

interface DistJson {
  kind: "float" | "int" | "categorical";
  low?: number;
  high?: number;
  log?: boolean;
  step?: number | null;
  choices?: string[];
}

const fixture = JSON.parse(
  readFileSync(new URL("./tpe-optuna-fixture.json", import.meta.url), "utf8"),
);

function dist(d: DistJson): Distribution {
  if (d.kind === "categorical") return new CategoricalDistribution(d.choices!);
  const o = { log: d.log ?? false, ...(d.step != null ? { step: d.step } : {}) };
  return d.kind === "int"
    ? new IntDistribution(d.low!, d.high!, o)
    : new FloatDistribution(d.low!, d.high!, o);
}

const close = (a: number, b: number, rel = 1e-12) =>
  expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(b)));

const OPTIONS = { priorWeight: 1, considerMagicClip: true, considerEndpoints: false };

describe("normal and truncated-normal functions (vs SciPy)", () => {
  it("erf, erfc, Φ and log Φ", () => {
    for (const c of fixture.special) {
      close(erf(c.x), c.erf, 1e-15);
      // Far in the tail fdlibm's erfc is good to ~1e-13 relative.
      expect(Math.abs(erfc(c.x) - c.erfc)).toBeLessThanOrEqual(1e-13 * Math.abs(c.erfc) + 1e-300);
      expect(Math.abs(ndtr(c.x) - c.ndtr)).toBeLessThanOrEqual(1e-13 * Math.abs(c.ndtr) + 1e-300);
      close(logNdtr(c.x), c.log_ndtr, 1e-13);
    }
  });

  it("Φ⁻¹ to full precision, including far tails", () => {
    for (const c of fixture.ndtri) close(ndtri(c.p), c.x, 1e-14);
  });

  it("truncated-normal quantiles and log-densities", () => {
    for (const c of fixture.truncnorm_ppf) close(truncnormPpf(c.q, c.a, c.b), c.x, 1e-11);
    for (const c of fixture.truncnorm_logpdf)
      close(truncnormLogPdf(c.x, c.low, c.high, c.loc, c.scale), c.logpdf, 1e-12);
    expect(truncnormLogPdf(5, 0, 1, 0.5, 1)).toBe(Number.NEGATIVE_INFINITY);
    close(logGaussMass(-1, 1), Math.log(ndtr(1) - ndtr(-1)), 1e-14);
  });

  it("samples stay inside the bounds and follow the distribution", () => {
    const rng = new PyRandom(3);
    const xs: number[] = [];
    for (let i = 0; i < 20000; i++) {
      const x = truncnormSample(rng.random(), -1, 2, 1.5, 0.8);
      expect(x).toBeGreaterThanOrEqual(-1);
      expect(x).toBeLessThanOrEqual(2);
      xs.push(x);
    }
    xs.sort((a, b) => a - b);
    // Median of N(1.5, 0.8²) truncated to [-1, 2]: SciPy's truncnorm.ppf(0.5, -3.125, 0.625)·0.8 + 1.5.
    expect(Math.abs(xs[10000]! - 1.2291119447414964)).toBeLessThan(0.02);
    // Far outside the kernel: still inside the bounds.
    expect(truncnormSample(0.5, 10, 11, 0, 0.1)).toBeGreaterThanOrEqual(10);
  });

  it("fastExp agrees with Math.exp", () => {
    for (const x of [-745, -700, -30.5, -1e-9, 0, 1, 12.25, 699]) {
      const want = Math.exp(x);
      expect(Math.abs(fastExp(x) - want)).toBeLessThanOrEqual(5e-16 * want);
    }
  });
});

describe("gamma and weights (vs Optuna)", () => {
  it("defaultGamma is min(ceil(0.1·n), 25)", () => {
    for (const c of fixture.gamma) expect(defaultGamma(c.n)).toBe(c.gamma);
  });

  it("defaultWeights: ones below 25, then a ramp for the oldest", () => {
    for (const c of fixture.weights) {
      const w = defaultWeights(c.n);
      expect(w.length).toBe(c.n);
      c.weights.forEach((v: number, i: number) => {
        close(w[i]!, v, 1e-15);
      });
    }
  });
});

describe("Parzen estimators (vs Optuna 3.1's _ParzenEstimator)", () => {
  it.each(fixture.parzen.map((c: any, i: number) => [i, c]) as [number, any][])(
    "case %i",
    (_i, c) => {
      const dims = c.distributions.map((d: DistJson) => new Dim(dist(d)));
      const m = c.observations.length;
      if (c.multivariate) {
        const d = dims.length;
        const obs = new Float64Array(m * d);
        c.observations.forEach((o: number[], i: number) => {
          o.forEach((v, j) => {
            obs[i * d + j] = dims[j].kind === 2 ? v : dims[j].toModel(v);
          });
        });
        const pe = new MultiParzen().fit(obs, new Float64Array(m).fill(1), m, dims, OPTIONS);
        const pts = new Float64Array(c.points.length * d);
        c.points.forEach((p: number[], i: number) => {
          p.forEach((v, j) => {
            pts[i * d + j] = dims[j].kind === 2 ? v : dims[j].toModel(v);
          });
        });
        c.log_pdf.forEach((want: number, i: number) => {
          close(pe.logPdf(pts, i * d), want);
        });
        return;
      }
      const dim = dims[0];
      const ws = new Float64Array(m).fill(1);
      if (dim.kind === 2) {
        const pe = new CategoricalParzen().fit(
          Float64Array.from(c.observations.map((o: number[]) => o[0])),
          ws,
          m,
          dim.nChoices,
          OPTIONS,
        );
        c.log_pdf.forEach((want: number, i: number) => {
          close(pe.logPdf(c.points[i][0]), want);
        });
        return;
      }
      const xs = Float64Array.from(c.observations.map((o: number[]) => dim.toModel(o[0])));
      xs.sort();
      const pe = new NumericParzen().fit(xs, ws, new Float64Array(m), m, dim, OPTIONS);
      c.log_pdf.forEach((want: number, i: number) => {
        close(pe.logPdf(dim.toModel(c.points[i][0])), want);
      });
    },
  );
});

function frozen(
  number: number,
  state: TrialState,
  values: number[] | undefined,
  params: Record<string, number> = {},
  intermediate: Record<number, number> = {},
  systemAttrs: Record<string, any> = {},
): FrozenTrial {
  const d = new FloatDistribution(0, 1);
  return {
    trialId: number,
    number,
    state,
    values,
    datetimeStart: undefined,
    datetimeComplete: undefined,
    params,
    distributions: Object.fromEntries(Object.keys(params).map((k) => [k, d])),
    userAttrs: {},
    systemAttrs,
    intermediateValues: new Map(Object.entries(intermediate).map(([k, v]) => [Number(k), v])),
  };
}

function belowRows(h: History, g: number, members: string[] = []): number[] {
  const flags = new Uint8Array(h.capacity);
  const cols = members.map((n) => h.columns.get(n)!);
  const split = splitRows(h, cols, () => g, flags);
  const out: number[] = [];
  for (let r = 0; r < h.rows; r++) if (split.flags[r] === BELOW) out.push(r);
  return out;
}

describe("splitting into below and above (as Optuna 3.1)", () => {
  it("complete trials by value, then pruned ones by deepest step and last value", () => {
    const h = new History(["minimize"], false);
    const trials = [
      frozen(0, "COMPLETE", [5], { x: 0.1 }),
      frozen(1, "PRUNED", undefined, { x: 0.2 }, { 0: 1, 3: 0.5 }),
      frozen(2, "COMPLETE", [3], { x: 0.3 }),
      frozen(3, "PRUNED", undefined, { x: 0.4 }, { 0: 0.1 }),
      frozen(4, "PRUNED", undefined, { x: 0.5 }, { 3: Number.NaN }),
      frozen(5, "PRUNED", undefined, { x: 0.6 }),
      frozen(6, "FAIL", undefined, { x: 0.7 }),
      frozen(7, "RUNNING", undefined, { x: 0.8 }),
      frozen(8, "COMPLETE", [4], { x: 0.9 }),
    ];
    const running: FrozenTrial[] = [];
    h.sync(trials, 99, running);
    expect(h.nScored).toBe(7); // FAIL and RUNNING are not scored
    expect(running.map((t) => t.number)).toEqual([7]);
    expect(belowRows(h, 2)).toEqual([2, 8]);
    expect(belowRows(h, 3)).toEqual([0, 2, 8]);
    // Then pruned at step 3 (0.5 before NaN), pruned at step 0, pruned without reports.
    expect(belowRows(h, 4)).toEqual([0, 1, 2, 8]);
    expect(belowRows(h, 5)).toEqual([0, 1, 2, 4, 8]);
    expect(belowRows(h, 6)).toEqual([0, 1, 2, 3, 4, 8]);
    expect(belowRows(h, 7)).toEqual([0, 1, 2, 3, 4, 5, 8]);
  });

  it("maximize flips the ranking; a trial finishing later is read on the next sync", () => {
    const h = new History(["maximize"], false);
    const running = frozen(1, "RUNNING", undefined, { x: 0.5 });
    h.sync(
      [frozen(0, "COMPLETE", [1], { x: 0.1 }), running, frozen(2, "COMPLETE", [3], { x: 0.2 })],
      -1,
    );
    expect(h.nScored).toBe(2);
    h.sync(
      [
        frozen(0, "COMPLETE", [1], { x: 0.1 }),
        { ...running, state: "COMPLETE", values: [9] },
        frozen(2, "COMPLETE", [3], { x: 0.2 }),
      ],
      -1,
    );
    expect(h.nScored).toBe(3);
    expect(belowRows(h, 1)).toEqual([1]);
    // Rows are trial numbers, so the column is in trial order whatever the finishing order.
    expect(Array.from(h.columns.get("x")!.values.subarray(0, 3))).toEqual([0.1, 0.5, 0.2]);
    expect(Array.from(h.columns.get("x")!.sorted.subarray(0, 3))).toEqual([0, 2, 1]);
  });

  it("feasible trials first (constraints), as Optuna", () => {
    const h = new History(["minimize"], true);
    const c = (v: number[]) => ({ constraints: v });
    h.sync(
      [
        frozen(0, "COMPLETE", [1], { x: 0 }, {}, c([1])),
        frozen(1, "COMPLETE", [5], { x: 0 }, {}, c([0, -1])),
        frozen(2, "COMPLETE", [2], { x: 0 }, {}, c([0.5, 2])),
        frozen(3, "COMPLETE", [9], { x: 0 }, {}, c([-3])),
        frozen(4, "COMPLETE", [0], { x: 0 }),
      ],
      -1,
    );
    // Two feasible trials; gamma 1: the better feasible one.
    expect(belowRows(h, 1)).toEqual([1]);
    // gamma 3 ≥ feasible: all feasible (trial order) + the least violating (violation 1).
    expect(belowRows(h, 3)).toEqual([0, 1, 3]);
  });

  it("a branch's split only ranks the trials that have its parameters", () => {
    const h = new History(["minimize"], false);
    h.sync(
      [
        frozen(0, "COMPLETE", [1], { a: 0.1 }),
        frozen(1, "COMPLETE", [2], { a: 0.2, b: 0.5 }),
        frozen(2, "COMPLETE", [3], { a: 0.3, b: 0.6 }),
        frozen(3, "COMPLETE", [0], { a: 0.4 }),
      ],
      -1,
    );
    expect(belowRows(h, 1, ["b"])).toEqual([1]);
    const flags = new Uint8Array(h.capacity);
    const split = splitRows(h, [h.columns.get("b")!], () => 1, flags);
    expect([split.flags[0], split.flags[3]]).toEqual([OUT, OUT]);
    expect(split.nBelow + split.nAbove).toBe(2);
  });

  it("several objectives: non-domination ranks and hypervolumes", () => {
    expect(
      Array.from(
        nondominationRanks([
          [1, 2],
          [2, 1],
          [2, 2],
          [3, 3],
        ]),
      ),
    ).toEqual([0, 0, 1, 2]);
    expect(
      hypervolume(
        [
          [1, 2],
          [2, 1],
        ],
        [3, 3],
      ),
    ).toBeCloseTo(3, 12);
    expect(hypervolume([[1, 1, 1]], [2, 2, 2])).toBeCloseTo(1, 12);
    expect(
      hypervolume(
        [
          [1, 2, 1],
          [2, 1, 1],
          [1, 1, 2],
        ],
        [3, 3, 3],
      ),
    ).toBeCloseTo(7, 12);
  });
});

describe("the univariate pipeline on a study (vs Optuna 3.1)", () => {
  it("l(x) and g(x) of every parameter, with pruned trials and a conditional parameter", async () => {
    const fx = fixture.pipeline;
    const dists: Record<string, Distribution> = Object.fromEntries(
      Object.entries(fx.distributions).map(([k, d]) => [k, dist(d as DistJson)]),
    );
    const storage = new MemoryStorage();
    const study = await createStudy({ storage, name: "pipeline" });
    for (const t of fx.trials) {
      await storage.createTrial(study.studyId, {
        state: t.state,
        values: t.state === "COMPLETE" ? [t.value] : undefined,
        params: t.params,
        distributions: Object.fromEntries(Object.keys(t.params).map((k) => [k, dists[k]!])),
        intermediateValues: new Map(
          Object.entries(t.intermediate as Record<string, number>).map(([k, v]) => [Number(k), v]),
        ),
      });
    }
    const sampler = new TPESampler({ seed: 1 });
    const resumed = await createStudy({ storage, name: "pipeline", loadIfExists: true, sampler });
    const trial = await resumed.ask();
    const inner = sampler as any;
    for (const [name, d] of Object.entries(dists)) {
      sampler.sampleIndependent(resumed, trial.snapshot, name, d);
      const want = fx.expected[name];
      const dim = new Dim(d);
      fx.points[name].forEach((p: any, i: number) => {
        const x = dim.toModel(p);
        const [below, above] =
          d.kind === "categorical" ? [inner.belowCat, inner.aboveCat] : [inner.below, inner.above];
        close(below.logPdf(x), want.below[i], 1e-9);
        // Tied observations (the int "k") get their kernel widths by position in numpy's
        // (unstable) argsort; with the unequal weights of "above" that order shows, slightly.
        close(above.logPdf(x), want.above[i], name === "k" ? 0.1 : 1e-9);
      });
    }
  });
});
