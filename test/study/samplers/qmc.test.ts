import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as sp from "../../../src/index.js";
import { PyRandom } from "../../../src/sample/mt19937.js";
import type { JsonValue } from "../../../src/space/values.js";
import {
  CategoricalDistribution,
  type Distribution,
  FloatDistribution,
  IntDistribution,
} from "../../../src/study/distributions.js";
import type { Sampler } from "../../../src/study/sampler.js";
import {
  HaltonEngine,
  QMCSampler,
  qmcValue,
  spaceDistributions,
} from "../../../src/study/samplers/qmc.js";
import { expectError } from "../../space/helpers.js";
import { FakeStudy, type FakeTrial } from "./grid-qmc-fake-study.js";

/** Golden Optuna 3.1 / SciPy data; regenerate with test/study/samplers/qmc-optuna.py. */
interface Fixture {
  optuna: string;
  params: {
    name: string;
    kind: "float" | "int" | "categorical";
    low: any;
    high: number | null;
    options: { log?: boolean; step?: number } | null;
  }[];
  studies: { qmcType: "sobol" | "halton"; params: Record<string, JsonValue>[] }[];
  halton: { d: number; start: number; n: number; points: number[][] }[];
  haltonScrambled: {
    base: number;
    start: number;
    n: number;
    permutations: number[][];
    values: number[];
  }[];
}

const fixture: Fixture = JSON.parse(
  readFileSync(new URL("./qmc-optuna.json", import.meta.url), "utf8"),
);

/** The fixture's objective: suggests every parameter in order. */
function fixtureObjective(trial: FakeTrial): Record<string, JsonValue> {
  for (const p of fixture.params) {
    if (p.kind === "float") trial.suggestFloat(p.name, p.low, p.high!, p.options ?? {});
    else if (p.kind === "int") trial.suggestInt(p.name, p.low, p.high!, p.options ?? {});
    else trial.suggestCategorical(p.name, p.low);
  }
  return { ...trial.params };
}

/** Sequential trials: each starts, samples and completes before the next. */
function run<T>(
  study: FakeStudy,
  sampler: Sampler,
  n: number,
  objective: (t: FakeTrial) => T,
): T[] {
  const out: T[] = [];
  for (let k = 0; k < n; k++) {
    const trial = study.start(sampler);
    out.push(objective(trial));
    trial.finish();
  }
  return out;
}

const xy = (t: FakeTrial): [number, number] => [
  t.suggestFloat("x", 0, 1),
  t.suggestFloat("y", 0, 1),
];

/** Hickernell's centered L2 discrepancy (squared), as scipy.stats.qmc.discrepancy(method="CD"). */
function centeredDiscrepancy(points: readonly (readonly number[])[]): number {
  const n = points.length;
  const d = points[0]!.length;
  let single = 0;
  for (const x of points) {
    let prod = 1;
    for (const v of x) {
      const a = Math.abs(v - 0.5);
      prod *= 1 + 0.5 * a - 0.5 * a * a;
    }
    single += prod;
  }
  let pairs = 0;
  for (const x of points) {
    for (const y of points) {
      let prod = 1;
      for (let k = 0; k < d; k++) {
        prod *=
          1 +
          0.5 * Math.abs(x[k]! - 0.5) +
          0.5 * Math.abs(y[k]! - 0.5) -
          0.5 * Math.abs(x[k]! - y[k]!);
      }
      pairs += prod;
    }
  }
  return (13 / 12) ** d - (2 / n) * single + pairs / (n * n);
}

function minDistance(points: readonly (readonly number[])[]): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      best = Math.min(
        best,
        Math.hypot(points[i]![0]! - points[j]![0]!, points[i]![1]! - points[j]![1]!),
      );
    }
  }
  return best;
}

describe("QMCSampler against Optuna 3.1 (scramble=False)", () => {
  it.each(fixture.studies)(
    "$qmcType: trials 1.. take the same values as Optuna's QMCSampler",
    ({ qmcType, params }) => {
      const study = new FakeStudy();
      const sampler = new QMCSampler({ scramble: false, qmcType, seed: 0 });
      const ours = run(study, sampler, params.length, fixtureObjective);
      // Trial 0 is sampled independently (random, so not comparable); the categorical always is.
      for (let k = 1; k < params.length; k++) {
        const { c: ourC, ...ourNumbers } = ours[k]!;
        const { c: _theirC, ...theirNumbers } = params[k]!;
        // Log floats go through exp/log, which JavaScript does not round correctly (CPython's
        // libm does): allow an ulp there; everything else is exact.
        const { flog, ...ourExact } = ourNumbers;
        const { flog: theirFlog, ...theirExact } = theirNumbers;
        expect(ourExact).toStrictEqual(theirExact);
        expect(Math.abs((flog as number) - (theirFlog as number))).toBeLessThanOrEqual(
          2 * Number.EPSILON * (theirFlog as number),
        );
        expect(["a", "b", "c"]).toContain(ourC);
      }
    },
  );

  it("Halton points equal qmc.Halton(scramble=False)", () => {
    for (const { d, start, n, points } of fixture.halton) {
      const engine = new HaltonEngine(d);
      const ours = Array.from({ length: n }, (_, k) => Array.from(engine.point(start + k)));
      expect(ours).toStrictEqual(points);
    }
  });

  it("scrambled Halton digits equal SciPy's van der Corput for the same permutations", () => {
    // Dimensions 0, 1, 3 have bases 2, 3, 7; dimension 2 (base 5) gets identity permutations.
    const [b2, b3, b7] = fixture.haltonScrambled;
    const identity5 = Array.from({ length: 23 }, () => [0, 1, 2, 3, 4]);
    const engine = new HaltonEngine(4, {
      permutations: [b2!.permutations, b3!.permutations, identity5, b7!.permutations],
    });
    for (const [dim, c] of [
      [0, b2!],
      [1, b3!],
      [3, b7!],
    ] as const) {
      const ours = Array.from({ length: c.n }, (_, k) => engine.point(c.start + k)[dim]!);
      expect(ours).toStrictEqual(c.values);
    }
  });
});

describe("QMCSampler, define-by-run", () => {
  it("samples the first trial independently, then fixes the space from the first finished trial", () => {
    const study = new FakeStudy();
    const sampler = new QMCSampler({ seed: 1 });
    // Trial 0 fails: it does not fix the space; trial 1 is still independent.
    const t0 = study.start(sampler);
    xy(t0);
    t0.finish("FAIL");
    expect(sampler.inferRelativeSearchSpace(study, t0.snapshot)).toStrictEqual({});
    run(study, sampler, 1, xy);
    const space = sampler.inferRelativeSearchSpace(study, study.trials[1]!);
    expect(Object.keys(space)).toStrictEqual(["x", "y"]);
    // A categorical of the first trial stays out of the space (Optuna).
    const withCat = new FakeStudy();
    const s2 = new QMCSampler({ seed: 1 });
    run(withCat, s2, 1, (t) => [t.suggestFloat("x", 0, 1), t.suggestCategorical("c", [1, 2])]);
    expect(Object.keys(s2.inferRelativeSearchSpace(withCat, withCat.trials[0]!))).toStrictEqual([
      "x",
    ]);
  });

  it("is deterministic: 25 + 25 across a resume (a new sampler) equals 50 in one run", () => {
    for (const scramble of [true, false]) {
      const all = run(new FakeStudy(), new QMCSampler({ seed: 3, scramble }), 50, fixtureObjective);
      const resumed = new FakeStudy();
      const first = run(resumed, new QMCSampler({ seed: 3, scramble }), 25, fixtureObjective);
      const second = run(resumed, new QMCSampler({ seed: 3, scramble }), 25, fixtureObjective);
      expect([...first, ...second]).toStrictEqual(all);
    }
    const a = run(new FakeStudy(), new QMCSampler({ seed: 3 }), 10, xy);
    const b = run(new FakeStudy(), new QMCSampler({ seed: 4 }), 10, xy);
    expect(a.slice(1)).not.toStrictEqual(b.slice(1));
  });

  it("gives concurrent trials distinct points", () => {
    const study = new FakeStudy();
    const sampler = new QMCSampler({ seed: 5 });
    run(study, sampler, 1, xy);
    const running = Array.from({ length: 4 }, () => study.start(sampler));
    const values = running.map(xy);
    expect(new Set(values.map((v) => v.join())).size).toBe(4);
    for (const t of running) t.finish();
    // The same trial numbers in a sequential run get the same points.
    const sequential = run(new FakeStudy(), new QMCSampler({ seed: 5 }), 5, xy);
    expect(values).toStrictEqual(sequential.slice(1));
  });

  it("a resume keeps the space and numbering fixed by an earlier run, even after out-of-order finishes", () => {
    const play = (resumeAt: number | undefined) => {
      const study = new FakeStudy();
      let sampler = new QMCSampler({ seed: 6 });
      const t0 = study.start(sampler);
      const t1 = study.start(sampler);
      xy(t0);
      xy(t1);
      t1.finish(); // trial 1 finishes first, and trial 2 starts: the space comes from trial 1
      const out: [number, number][] = run(study, sampler, 1, xy);
      t0.finish();
      for (let k = 3; k < 10; k++) {
        if (k === resumeAt) sampler = new QMCSampler({ seed: 6 });
        out.push(run(study, sampler, 1, xy)[0]!);
      }
      expect(study.trials[2]!.systemAttrs["qmc:space_from"]).toBe(1);
      return out;
    };
    expect(play(6)).toStrictEqual(play(undefined));
  });

  it("fills 2-d space better than random: 64 points are stratified and less discrepant", () => {
    const uniform = (seed: number) => {
      const rng = new PyRandom(seed);
      return Array.from({ length: 64 }, () => [rng.random(), rng.random()]);
    };
    let qmcSum = 0;
    let randomSum = 0;
    let qmcSpread = 0;
    let randomSpread = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      const points = run(new FakeStudy(), new QMCSampler({ seed }), 65, xy).slice(1);
      // Trials 1..64 take Sobol' points 0..63: one per cell of an 8×8 grid, one per 1/64 strip.
      expect(
        new Set(points.map(([x, y]) => `${Math.floor(x * 8)},${Math.floor(y * 8)}`)).size,
      ).toBe(64);
      expect(new Set(points.map(([x]) => Math.floor(x * 64))).size).toBe(64);
      expect(new Set(points.map(([, y]) => Math.floor(y * 64))).size).toBe(64);
      qmcSum += centeredDiscrepancy(points);
      randomSum += centeredDiscrepancy(uniform(seed));
      qmcSpread += minDistance(points);
      randomSpread += minDistance(uniform(seed));
    }
    expect(qmcSum).toBeLessThan(randomSum / 4);
    // Closest pairs: about 0.04 apart for Sobol', about 0.01 for random points (on average).
    expect(qmcSpread).toBeGreaterThan(2 * randomSpread);
  });

  it("asks the independent sampler for the first trial and for parameters outside the space", () => {
    const asked: string[] = [];
    const independent: Sampler = {
      inferRelativeSearchSpace: () => ({}),
      sampleRelative: () => ({}),
      sampleIndependent: (_s, trial, name, d) => {
        asked.push(`${trial.number}:${name}`);
        return d.kind === "categorical" ? d.choices[0]! : d.low;
      },
    };
    const study = new FakeStudy();
    const sampler = new QMCSampler({ seed: 1, independentSampler: independent });
    run(study, sampler, 3, (t) => [
      t.suggestFloat("x", 0, 1),
      t.suggestCategorical("c", ["p", "q"]),
      t.number === 2 ? t.suggestInt("late", 0, 3) : 0,
    ]);
    expect(asked).toStrictEqual(["0:x", "0:c", "1:c", "2:c", "2:late"]);
  });
});

describe("QMCSampler, space-first", () => {
  const Enc = sp.config("Enc", { width: sp.int({ ge: 16, le: 256, log: true }) });
  const Conv = sp.config("Conv", { kernel: sp.int({ ge: 1, le: 7, step: 2 }) });
  const Main = sp.config("Main", {
    lr: sp.float({ gt: 1e-5, le: 1e-1, log: true }),
    dropout: sp.float({ ge: 0, lt: 0.5 }),
    useWarmup: sp.boolean(),
    warmup: sp.conditional(sp.field("useWarmup").eq(true), {
      true: sp.int({ ge: 1, le: 10 }),
      false: 0,
    }),
    block: sp.categorical([Enc, Conv, null]),
    momentum: sp.float({ ge: 0.8, le: 0.99, step: 0.01 }),
  });

  it("covers every parameter of the space, conditional branches and config choices included", () => {
    const space = spaceDistributions(Main);
    expect(Object.keys(space)).toStrictEqual(Main.parameterNames());
    expect(space["Main.block"]).toStrictEqual(new CategoricalDistribution(["Enc", "Conv", null]));
    expect(space["Main.block::Conv.kernel"]).toStrictEqual(new IntDistribution(1, 7, { step: 2 }));
  });

  it("samples valid configs from trial 0 on, deterministically (25 + 25 = 50)", () => {
    const one = run(new FakeStudy(Main), new QMCSampler({ seed: 2 }), 50, (t) => Main.fromTrial(t));
    for (const config of one) expect(Main.safeParse(config).success).toBe(true);
    const resumed = new FakeStudy(Main);
    const first = run(resumed, new QMCSampler({ seed: 2 }), 25, (t) => Main.fromTrial(t));
    const second = run(resumed, new QMCSampler({ seed: 2 }), 25, (t) => Main.fromTrial(t));
    expect([...first, ...second]).toStrictEqual(one);
    // Every trial's parameters come from the sequence (no independent fallback): trial 0 too.
    const asked: string[] = [];
    const spy: Sampler = {
      inferRelativeSearchSpace: () => ({}),
      sampleRelative: () => ({}),
      sampleIndependent: (_s, _t, name) => {
        asked.push(name);
        return 0;
      },
    };
    run(new FakeStudy(Main), new QMCSampler({ seed: 2, independentSampler: spy }), 8, (t) =>
      Main.fromTrial(t),
    );
    expect(asked).toStrictEqual([]);
  });

  it("stratifies categoricals and booleans: 2^k trials split evenly", () => {
    const configs = run(new FakeStudy(Main), new QMCSampler({ seed: 7 }), 64, (t) =>
      Main.fromTrial(t),
    );
    const warm = configs.filter((c) => c.useWarmup).length;
    expect(warm).toBe(32);
    const blocks = new Map<string, number>();
    for (const c of configs) {
      const key =
        c.block === null ? "null" : ((c.block as any).__type__ ?? JSON.stringify(c.block));
      blocks.set(key, (blocks.get(key) ?? 0) + 1);
    }
    // ⌊u·3⌋ over 64 balanced points: 21 or 22 each.
    for (const count of blocks.values()) expect(count === 21 || count === 22).toBe(true);
  });
});

describe("qmcValue (Optuna's _SearchSpaceTransform mapping)", () => {
  const almostOne = 1 - 2 ** -30;
  const cases: [Distribution, number, JsonValue][] = [
    [new FloatDistribution(-2, 3), 0, -2],
    [new FloatDistribution(-2, 3), 0.5, 0.5],
    [new FloatDistribution(1, 1), 0.7, 1],
    [new FloatDistribution(1, 1, { log: true }), 0.7, 1],
    [new FloatDistribution(0, 1, { step: 0.25 }), 0, 0],
    [new FloatDistribution(0, 1, { step: 0.25 }), almostOne, 1],
    [new IntDistribution(-3, 7), 0, -3],
    [new IntDistribution(-3, 7), almostOne, 7],
    [new IntDistribution(0, 20, { step: 5 }), 0.5, 10],
    [new IntDistribution(1, 1000, { log: true }), 0, 1],
    [new IntDistribution(1, 1000, { log: true }), almostOne, 1000],
    [new CategoricalDistribution(["a", "b", "c"]), 0, "a"],
    [new CategoricalDistribution(["a", "b", "c"]), almostOne, "c"],
  ];
  it.each(cases)("%o at u=%d → %o", (d, u, expected) => {
    expect(qmcValue(u, d)).toStrictEqual(expected);
  });

  it("keeps continuous floats below high and log floats inside their range", () => {
    const d = new FloatDistribution(1e-4, 1, { log: true });
    for (const u of [0, 1e-12, 0.5, almostOne]) expect(d.contains(qmcValue(u, d))).toBe(true);
    expect(qmcValue(almostOne, new FloatDistribution(0, 1))).toBeLessThan(1);
  });
});

describe("QMCSampler options", () => {
  it("rejects bad options with codes", () => {
    expectError(
      () => new QMCSampler({ qmcType: "lhs" as any }),
      sp.SpaxError,
      "invalid_option",
      "lhs",
    );
    expectError(() => new QMCSampler({ scramble: "yes" as any }), sp.SpaxError, "invalid_option");
    expectError(() => new QMCSampler({ sed: 1 } as any), sp.SpaxError, "invalid_option", "sed");
    expectError(() => new QMCSampler({ seed: 0.5 }), sp.SpaxError, "invalid_seed");
    expectError(
      () => new QMCSampler({ independentSampler: {} as any }),
      sp.SpaxError,
      "invalid_option",
    );
    expectError(() => new HaltonEngine(0), sp.SpaxError, "invalid_dimension");
    expectError(
      () => new HaltonEngine(1, { permutations: [[[0, 0]]] }),
      sp.SpaxError,
      "invalid_scrambling",
    );
  });

  it("scrambled Halton is deterministic per seed, in [0, 1), and differs from the plain sequence", () => {
    const a = new HaltonEngine(5, { scramble: true, seed: 1 });
    const b = new HaltonEngine(5, { scramble: true, seed: 1 });
    const plain = new HaltonEngine(5);
    for (let k = 0; k < 50; k++) {
      expect(a.point(k)).toStrictEqual(b.point(k));
      for (const x of a.point(k)) expect(x >= 0 && x < 1).toBe(true);
    }
    expect(a.point(3)).not.toStrictEqual(plain.point(3));
    // Stratified in base 2 and 3: the first 2 (resp. 3) points fall in different halves (thirds).
    expect(new Set([0, 1].map((k) => Math.floor(a.point(k)[0]! * 2))).size).toBe(2);
    expect(new Set([0, 1, 2].map((k) => Math.floor(a.point(k)[1]! * 3))).size).toBe(3);
  });

  it("a Halton study runs and stays valid", () => {
    const configs = run(
      new FakeStudy(),
      new QMCSampler({ seed: 1, qmcType: "halton" }),
      20,
      fixtureObjective,
    );
    expect(configs).toHaveLength(20);
  });
});
