import { describe, expect, it } from "vitest";
import * as sp from "../../../src/index.js";
import { canonicalKey } from "../../../src/space/values.js";
import { IntDistribution } from "../../../src/study/distributions.js";
import { GridSampler } from "../../../src/study/samplers/grid.js";
import { expectError } from "../../space/helpers.js";
import { FakeStudy, type FakeTrial } from "./grid-qmc-fake-study.js";

/** The define-by-run objective of the product tests: suggests x (float), y (categorical). */
function suggestXY(trial: FakeTrial): { x: number; y: string } {
  const x = trial.suggestFloat("x", -10, 10);
  const y = trial.suggestCategorical("y", ["a", "b", "c"]);
  return { x, y };
}

/** Runs trials one at a time until the sampler stops the study (at most `limit`). */
function runSequential<T>(
  study: FakeStudy,
  sampler: GridSampler,
  objective: (trial: FakeTrial) => T,
  limit = 1000,
): T[] {
  const out: T[] = [];
  while (!study.stopped && out.length < limit) {
    const trial = study.start(sampler);
    out.push(objective(trial));
    trial.finish();
  }
  return out;
}

/**
 * Runs with `concurrency` trials in flight: `concurrency` trials start (and sample) before any
 * finishes; then each finished trial is replaced by a new one until the study is stopped.
 */
function runConcurrent<T>(
  study: FakeStudy,
  sampler: GridSampler,
  objective: (trial: FakeTrial) => T,
  concurrency: number,
  limit = 1000,
): T[] {
  const out: T[] = [];
  const running: FakeTrial[] = [];
  const startOne = () => {
    const trial = study.start(sampler);
    out.push(objective(trial));
    running.push(trial);
  };
  for (let i = 0; i < concurrency && !study.stopped; i++) startOne();
  expect(running.every((t) => t.snapshot.state === "RUNNING")).toBe(true);
  while (running.length > 0) {
    running.shift()!.finish();
    if (!study.stopped && out.length < limit) startOne();
  }
  return out;
}

const keys = (items: readonly unknown[]) => items.map((v) => canonicalKey(v)).sort();

describe("GridSampler, define-by-run (Optuna's form)", () => {
  const grid = { y: ["a", "b", "c"], x: [-5, 0, 2.5, 5] }; // unsorted on purpose
  const product = grid.x.flatMap((x) => grid.y.map((y) => ({ x, y })));

  it("visits the cartesian product exactly once, then stops the study", () => {
    const study = new FakeStudy();
    const seen = runSequential(study, new GridSampler(grid, { seed: 1 }), suggestXY);
    expect(seen).toHaveLength(12);
    expect(keys(seen)).toStrictEqual(keys(product));
    expect(study.stopped).toBe(true);
  });

  it("writes Optuna's grid_id (itertools.product over sorted names) and search_space", () => {
    const study = new FakeStudy();
    runSequential(study, new GridSampler(grid, { seed: 3 }), suggestXY);
    const ids = study.trials.map((t) => t.systemAttrs.grid_id as number);
    expect([...ids].sort((a, b) => a - b)).toStrictEqual([...Array(12).keys()]);
    for (const t of study.trials) {
      // Sorted names: x, then y (fastest).
      expect(Object.keys(t.systemAttrs.search_space as object)).toStrictEqual(["x", "y"]);
      expect(t.systemAttrs.search_space).toStrictEqual({ x: grid.x, y: grid.y });
      const id = t.systemAttrs.grid_id as number;
      expect(t.params).toStrictEqual({ x: grid.x[Math.floor(id / 3)], y: grid.y[id % 3] });
    }
  });

  it("visits in a seeded random order: same seed same order, 25 + 25 = 50 across a resume", () => {
    const big = { a: [...Array(10).keys()], b: [...Array(5).keys()] };
    const objective = (t: FakeTrial) => [t.suggestInt("a", 0, 9), t.suggestInt("b", 0, 4)];
    const one = new FakeStudy();
    const all = runSequential(one, new GridSampler(big, { seed: 7 }), objective);
    expect(all).toHaveLength(50);

    const resumed = new FakeStudy();
    const first = runSequential(resumed, new GridSampler(big, { seed: 7 }), objective, 25);
    const second = runSequential(resumed, new GridSampler(big, { seed: 7 }), objective);
    expect([...first, ...second]).toStrictEqual(all);

    const other = runSequential(new FakeStudy(), new GridSampler(big, { seed: 8 }), objective);
    expect(other).not.toStrictEqual(all);
    expect(keys(other)).toStrictEqual(keys(all));
    // Not simply the product order.
    expect(all.slice(0, 5)).not.toStrictEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [0, 3],
      [0, 4],
    ]);
  });

  it("with 4 trials running at once, never runs a point twice and runs every point once", () => {
    for (const seed of [1, 2, 3]) {
      const study = new FakeStudy();
      const seen = runConcurrent(study, new GridSampler(grid, { seed }), suggestXY, 4);
      expect(seen).toHaveLength(12);
      expect(keys(seen)).toStrictEqual(keys(product));
    }
    // A grid smaller than the concurrency: the fifth trial never starts.
    const study = new FakeStudy();
    const small = new GridSampler({ x: [1, 2, 3] }, { seed: 1 });
    const seen = runConcurrent(study, small, (t) => t.suggestInt("x", 1, 3), 4);
    expect(seen.sort()).toStrictEqual([1, 2, 3]);
  });

  it("makes a claimed point visible to getTrials at once, and answers a stale snapshot", () => {
    const study = new FakeStudy();
    const sampler = new GridSampler({ x: [1, 2] }, { seed: 1 });
    const trial = study.start(sampler);
    expect(study.getTrials()[0]!.systemAttrs.grid_id).toBeTypeOf("number");
    const stale = { ...trial.snapshot, systemAttrs: {} };
    const value = sampler.sampleIndependent(study, stale, "x", new IntDistribution(1, 2));
    expect(value).toBe(trial.suggestInt("x", 1, 2));
  });

  it("counts PRUNED and FAIL trials as visited (Optuna), and ignores other grids' trials", () => {
    const study = new FakeStudy();
    const sampler = new GridSampler({ x: [1, 2, 3, 4] }, { seed: 2 });
    // A trial of another grid with grid_id 0 does not count.
    study.addFinished({ systemAttrs: { grid_id: 0, search_space: { x: [9, 8, 7, 6] } } });
    const states = ["PRUNED", "FAIL", "COMPLETE", "COMPLETE"] as const;
    const seen: number[] = [];
    for (const state of states) {
      const t = study.start(sampler);
      seen.push(t.suggestInt("x", 1, 4));
      t.finish(state);
    }
    expect(seen.sort()).toStrictEqual([1, 2, 3, 4]);
    expect(study.stopped).toBe(true);
  });

  it("past exhaustion (ask beyond the grid) re-evaluates a point and stops again", () => {
    const study = new FakeStudy();
    const sampler = new GridSampler({ x: [1, 2] }, { seed: 2 });
    runSequential(study, sampler, (t) => t.suggestInt("x", 1, 2));
    const calls = study.stopCalls;
    const extra = study.start(sampler);
    expect([1, 2]).toContain(extra.suggestInt("x", 1, 2));
    expect(study.stopCalls).toBeGreaterThan(calls);
  });

  it("an enqueued trial takes the grid point of its fixed values, so it counts as visited", () => {
    const study = new FakeStudy();
    const sampler = new GridSampler({ x: [1, 2], y: ["a", "b"] }, { seed: 4 });
    const enqueued = study.start(sampler, { fixedParams: { x: 2, y: "b" } });
    expect([
      enqueued.suggestInt("x", 1, 2),
      enqueued.suggestCategorical("y", ["a", "b"]),
    ]).toStrictEqual([2, "b"]);
    expect(enqueued.snapshot.systemAttrs.grid_id).toBe(3);
    enqueued.finish();
    // Partly fixed: the open parameter comes from a matching point.
    const partial = study.start(sampler, { fixedParams: { x: 1 } });
    expect(partial.suggestInt("x", 1, 2)).toBe(1);
    partial.suggestCategorical("y", ["a", "b"]);
    partial.finish();
    const rest = runSequential(study, sampler, (t) => [
      t.suggestInt("x", 1, 2),
      t.suggestCategorical("y", ["a", "b"]),
    ]);
    expect(rest).toHaveLength(2);
    expect(keys(study.trials.map((t) => t.params))).toStrictEqual(
      keys([
        { x: 1, y: "a" },
        { x: 1, y: "b" },
        { x: 2, y: "a" },
        { x: 2, y: "b" },
      ]),
    );
    // Fixed values outside the grid: the open parameters cannot be answered.
    const outside = study.start(sampler, { fixedParams: { x: 7 } });
    expectError(
      () => outside.suggestCategorical("y", ["a", "b"]),
      sp.SpaxError,
      "grid_point_missing",
      "enqueued",
    );
  });

  it("rejects a parameter outside the grid and a grid value outside the suggested range", () => {
    const study = new FakeStudy();
    const sampler = new GridSampler({ x: [-0.5, 0.5] }, { seed: 1 });
    const trial = study.start(sampler);
    expectError(() => trial.suggestFloat("z", 0, 1), sp.SpaxError, "not_in_grid", '"z"', '"x"');
    // Optuna only warns here; spax refuses to run a value the objective did not allow.
    expectError(
      () => trial.suggestFloat("x", -5, 5, { step: 1 }),
      sp.SpaxError,
      "grid_value_out_of_range",
      "step 1",
    );
    expectError(() => trial.suggestInt("x", -5, 5), sp.SpaxError, "grid_value_out_of_range");
    const cat = study.start(new GridSampler({ c: ["a", 1] }, { seed: 1 }));
    expect(() => cat.suggestCategorical("c", ["a", 1])).not.toThrow();
    expectError(
      () => study.start(new GridSampler({ c: ["q"] })).suggestCategorical("c", ["a", "b"]),
      sp.SpaxError,
      "grid_value_out_of_range",
      "one of",
    );
  });

  it("rejects empty grids and malformed search spaces with clear codes", () => {
    expectError(() => new GridSampler({ x: [] }), sp.SpaxError, "empty_grid", "x");
    expectError(() => new GridSampler({ x: [1], y: [] }), sp.SpaxError, "empty_grid", "y");
    expectError(() => new GridSampler({}), sp.SpaxError, "empty_grid");
    expectError(() => new GridSampler({ x: [1, 1] }), sp.SpaxError, "duplicate_grid_value");
    expectError(() => new GridSampler({ x: [1], y: 2 as any }), sp.SpaxError, "invalid_grid", "y");
    expectError(() => new GridSampler({ x: [Number.NaN] }), sp.SpaxError, "not_finite");
    expectError(
      () => new GridSampler({ overide: {} } as any),
      sp.SpaxError,
      "invalid_option",
      "overide",
    );
    expectError(
      () => new GridSampler({ x: [1] }, { sed: 1 } as any),
      sp.SpaxError,
      "invalid_option",
    );
    expectError(() => new GridSampler(5 as any), sp.SpaxError, "invalid_grid");
    expectError(() => new GridSampler({ x: [1] }, { seed: 1.5 }), sp.SpaxError, "invalid_seed");
    // A parameter named like an option is a grid parameter when it holds a list.
    expect(() => new GridSampler({ seed: [1, 2] })).not.toThrow();
  });
});

// A conditional space-first config: a boolean driving a conditional int, a categorical of two
// configs (one with a conditional of its own), and a stepped float.
const A = sp.config("A", { a: sp.int({ ge: 1, le: 2 }) });
const B = sp.config("B", {
  b: sp.categorical(["x", "y", "z"]),
  extra: sp.conditional(sp.field("b").eq("z"), { true: sp.boolean(), false: null }),
});
const Main = sp.config("Main", {
  useDepth: sp.boolean(),
  depth: sp.conditional(sp.field("useDepth").eq(true), {
    true: sp.int({ ge: 1, le: 3 }),
    false: 0,
  }),
  block: sp.categorical([A, B]),
  rate: sp.float({ ge: 0.1, le: 0.3, step: 0.1 }),
  name: "fixed",
});

describe("GridSampler, space-first (createStudy({ space }))", () => {
  const expected = [...Main.grid()];

  it("the space's grid is the conditional combinations", () => {
    // (1 + 3 depths) × (2 + 3 + 1 blocks) × 3 rates
    expect(expected).toHaveLength(4 * 6 * 3);
  });

  it("visits exactly [...space.grid()], each once, then stops", () => {
    const study = new FakeStudy(Main);
    const seen = runSequential(study, new GridSampler({ seed: 1 }), (t) => Main.fromTrial(t));
    expect(seen).toHaveLength(expected.length);
    expect(keys(seen)).toStrictEqual(keys(expected));
    expect(study.stopped).toBe(true);
    // Optuna-shaped attributes: grid_id, and each parameter's values.
    const attrs = study.trials[0]!.systemAttrs;
    expect(attrs.search_space).toMatchObject({ "Main.useDepth": [true, false] });
    expect(typeof attrs["grid:fingerprint"]).toBe("string");
  });

  it("with 4 concurrent trials, visits each valid combination exactly once", () => {
    for (const seed of [1, 2]) {
      const study = new FakeStudy(Main);
      const seen = runConcurrent(study, new GridSampler({ seed }), (t) => Main.fromTrial(t), 4);
      expect(seen).toHaveLength(expected.length);
      expect(keys(seen)).toStrictEqual(keys(expected));
    }
  });

  it("is reproducible: 25 + 25 across a resume equals one run", () => {
    const run = (study: FakeStudy, limit?: number) =>
      runSequential(study, new GridSampler({ seed: 9 }), (t) => Main.fromTrial(t), limit);
    const all = run(new FakeStudy(Main));
    const resumed = new FakeStudy(Main);
    expect([...run(resumed, 25), ...run(resumed)]).toStrictEqual(all);
  });

  it("grids a narrowed space with { override }", () => {
    const override = { useDepth: true, block: ["B"], rate: [0.2] } as const;
    const narrowed = [...Main.grid({ override })];
    expect(narrowed).toHaveLength(3 * 4);
    const study = new FakeStudy(Main);
    const seen = runSequential(study, new GridSampler({ override, seed: 2 }), (t) =>
      Main.fromTrial(t),
    );
    expect(keys(seen)).toStrictEqual(keys(narrowed));
  });

  it("an empty grid is an error at the first trial; an infinite space raises the space's error", () => {
    const None = Main.refine(() => false, "never");
    expectError(() => new FakeStudy(None).start(new GridSampler()), sp.SpaxError, "empty_grid");
    const Continuous = sp.config("C", { lr: sp.float({ ge: 0, le: 1 }) });
    expectError(
      () => new FakeStudy(Continuous).start(new GridSampler()),
      sp.SpaxDefinitionError,
      "infinite_grid",
    );
    expectError(() => new FakeStudy().start(new GridSampler()), sp.SpaxError, "grid_needs_space");
  });

  it("rejects a parameter the space does not have", () => {
    const study = new FakeStudy(Main);
    const trial = study.start(new GridSampler({ seed: 1 }));
    expectError(() => trial.suggestInt("Main.other", 0, 1), sp.SpaxError, "not_in_grid");
  });
});
