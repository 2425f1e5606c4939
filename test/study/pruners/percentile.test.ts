import { describe, expect, it } from "vitest";
import { SpaxError } from "../../../src/errors.js";
import { MedianPruner, PercentilePruner } from "../../../src/study/pruners/index.js";
import { FakeStudy } from "./fake-study.js";

/** A study with `n` completed trials whose curve at every step 0..9 is the given constant. */
function studyWith(levels: number[], direction: "minimize" | "maximize" = "minimize") {
  const study = new FakeStudy([direction]);
  for (const level of levels) study.add({ curve: Array(10).fill(level) });
  return study;
}

function thrown(fn: () => unknown): SpaxError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SpaxError) return e;
    throw e;
  }
  throw new Error("did not throw");
}

describe("MedianPruner", () => {
  it("has Optuna's defaults", () => {
    const p = new MedianPruner();
    expect([p.percentile, p.nStartupTrials, p.nWarmupSteps, p.intervalSteps, p.nMinTrials]).toEqual(
      [50, 5, 0, 1, 1],
    );
  });

  it("prunes a trial worse than the median of completed trials at the same step", () => {
    const study = studyWith([1, 2, 3, 4, 5]);
    const pruner = new MedianPruner();
    expect(pruner.prune(study, study.trial(study.ask([3.5])))).toBe(true);
    expect(pruner.prune(study, study.trial(study.ask([3])))).toBe(false); // equal to the median
    expect(pruner.prune(study, study.trial(study.ask([2.5])))).toBe(false);
  });

  it("waits for nStartupTrials completed trials; pruned, failed and running ones do not count", () => {
    const study = studyWith([1, 2, 3, 4]);
    study.add({ state: "PRUNED", curve: [0] });
    study.add({ state: "FAIL", curve: [0] });
    study.ask([0, 0, 0]);
    const pruner = new MedianPruner();
    const bad = study.ask([100]);
    expect(pruner.prune(study, study.trial(bad))).toBe(false);
    study.add({ curve: Array(10).fill(5) });
    expect(pruner.prune(study, study.trial(bad))).toBe(true);
  });

  it("never prunes without a completed trial, even with nStartupTrials 0", () => {
    const study = new FakeStudy();
    study.add({ state: "PRUNED", curve: [0, 0] });
    const pruner = new MedianPruner({ nStartupTrials: 0 });
    expect(pruner.prune(study, study.trial(study.ask([100, Number.NaN])))).toBe(false);
  });

  it("never prunes a trial that reported nothing", () => {
    const study = studyWith([1, 2, 3, 4, 5]);
    expect(new MedianPruner().prune(study, study.trial(study.ask()))).toBe(false);
  });

  it("does not prune before nWarmupSteps", () => {
    const study = studyWith([1, 2, 3, 4, 5]);
    const pruner = new MedianPruner({ nWarmupSteps: 3 });
    const t = study.ask([9, 9, 9]);
    expect(pruner.prune(study, study.trial(t))).toBe(false); // last step 2
    expect(pruner.prune(study, study.report(t, 3, 9))).toBe(true);
  });

  it("checks only at nWarmupSteps + k * intervalSteps, postponing a missed check point", () => {
    const study = studyWith([1, 2, 3, 4, 5]);
    const pruner = new MedianPruner({ nWarmupSteps: 2, intervalSteps: 3 });
    const t = study.ask();
    const decisions: [number, boolean][] = [];
    for (const step of [0, 1, 2, 3, 4, 6, 7, 8, 9]) {
      decisions.push([step, pruner.prune(study, study.report(t, step, 9))]);
    }
    // Check points 2, 5, 8: step 5 was never reported, so step 6 takes its check.
    expect(decisions.filter(([, d]) => d).map(([s]) => s)).toEqual([2, 6, 8]);
  });

  it("needs nMinTrials values at the step; NaN values count towards it", () => {
    const study = new FakeStudy();
    for (let i = 0; i < 5; i++) study.add({ curve: [1] }); // nothing at step 3
    study.add({ curve: [1, 1, 1, 1] });
    study.add({ curve: [1, 1, 1, Number.NaN] });
    const t = study.ask([9, 9, 9, 9]);
    expect(new MedianPruner({ nMinTrials: 3 }).prune(study, study.trial(t))).toBe(false);
    expect(new MedianPruner({ nMinTrials: 2 }).prune(study, study.trial(t))).toBe(true);
  });

  it("judges the trial by its best value over all its steps so far", () => {
    const study = studyWith([1, 2, 3, 4, 5]);
    const pruner = new MedianPruner();
    // Good at step 0, bad at step 1: its best (0) still beats the median at step 1.
    expect(pruner.prune(study, study.trial(study.ask([0, 9])))).toBe(false);
  });

  it("flips comparisons when maximizing", () => {
    const study = studyWith([1, 2, 3, 4, 5], "maximize");
    const pruner = new MedianPruner();
    expect(pruner.prune(study, study.trial(study.ask([2.5])))).toBe(true);
    expect(pruner.prune(study, study.trial(study.ask([3])))).toBe(false);
    expect(pruner.prune(study, study.trial(study.ask([0, 9])))).toBe(false); // best is 9
  });

  it("prunes a trial whose values are all NaN, and ignores NaN among others", () => {
    const study = studyWith([1, 2, 3, 4, 5]);
    const pruner = new MedianPruner();
    expect(pruner.prune(study, study.trial(study.ask([Number.NaN, Number.NaN])))).toBe(true);
    expect(pruner.prune(study, study.trial(study.ask([Number.NaN, 1])))).toBe(false);
    expect(pruner.prune(study, study.trial(study.ask([9, Number.NaN])))).toBe(true); // best 9
  });

  it("ignores NaN values of completed trials, and does not prune when all are NaN", () => {
    const study = new FakeStudy();
    for (const v of [Number.NaN, Number.NaN, Number.NaN, 1, 2]) study.add({ curve: [v] });
    const pruner = new MedianPruner();
    // nanpercentile over [1, 2]: 1.5.
    expect(pruner.prune(study, study.trial(study.ask([1.6])))).toBe(true);
    expect(pruner.prune(study, study.trial(study.ask([1.4])))).toBe(false);

    const allNaN = new FakeStudy();
    for (let i = 0; i < 5; i++) allNaN.add({ curve: [Number.NaN] });
    expect(pruner.prune(allNaN, allNaN.trial(allNaN.ask([1e9])))).toBe(false);
  });

  it("treats infinities as values, with numpy's NaN for an interpolation next to one", () => {
    const study = studyWith([1, 2, 3, 4, Number.POSITIVE_INFINITY]);
    const pruner = new MedianPruner();
    expect(pruner.prune(study, study.trial(study.ask([3.5])))).toBe(true); // median 3
    expect(pruner.prune(study, study.trial(study.ask([Number.NEGATIVE_INFINITY])))).toBe(false);
    expect(pruner.prune(study, study.trial(study.ask([Number.POSITIVE_INFINITY])))).toBe(true);

    // numpy's lerp gives 3 + (inf - 3) * 0 = NaN for the median of [1, 2, 3, inf, inf], so
    // Optuna does not prune even a hopeless trial there; neither do we.
    const infs = studyWith([1, 2, 3, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]);
    expect(pruner.prune(infs, infs.trial(infs.ask([1e9])))).toBe(false);
  });

  it("rejects multi-objective studies", () => {
    const study = new FakeStudy(["minimize", "maximize"]);
    for (let i = 0; i < 5; i++) study.add({ curve: [1] });
    const e = thrown(() => new MedianPruner().prune(study, study.trial(study.ask([2]))));
    expect(e.code).toBe("multi_objective");
  });
});

describe("PercentilePruner", () => {
  it("uses numpy's linear percentile of the completed values at the step", () => {
    const study = studyWith([1, 2, 3, 4], "minimize");
    const pruner = new PercentilePruner(25, { nStartupTrials: 4 });
    // 25th percentile of [1, 2, 3, 4] is 1.75.
    expect(pruner.prune(study, study.trial(study.ask([1.8])))).toBe(true);
    expect(pruner.prune(study, study.trial(study.ask([1.75])))).toBe(false);
  });

  it("keeps the best `percentile` from the top when maximizing (100 - percentile)", () => {
    const study = studyWith([1, 2, 3, 4], "maximize");
    const pruner = new PercentilePruner(25, { nStartupTrials: 4 });
    // 75th percentile of [1, 2, 3, 4] is 3.25.
    expect(pruner.prune(study, study.trial(study.ask([3.2])))).toBe(true);
    expect(pruner.prune(study, study.trial(study.ask([3.25])))).toBe(false);
  });

  it("at 0 keeps only trials as good as the best; at 100 keeps all but worse-than-worst", () => {
    const study = studyWith([1, 2, 3, 4, 5]);
    expect(new PercentilePruner(0).prune(study, study.trial(study.ask([1.01])))).toBe(true);
    expect(new PercentilePruner(0).prune(study, study.trial(study.ask([1])))).toBe(false);
    expect(new PercentilePruner(100).prune(study, study.trial(study.ask([5])))).toBe(false);
    expect(new PercentilePruner(100).prune(study, study.trial(study.ask([5.01])))).toBe(true);
  });

  it("rejects bad arguments with invalid_pruner_argument, naming argument and value", () => {
    const cases: [() => unknown, RegExp][] = [
      [
        () => new PercentilePruner(-1),
        /PercentilePruner: percentile must be a number in \[0, 100\], got -1/,
      ],
      [() => new PercentilePruner(100.5), /percentile .* got 100\.5/],
      [() => new PercentilePruner(Number.NaN), /percentile .* got NaN/],
      [
        () => new PercentilePruner(50, { nStartupTrials: -1 }),
        /nStartupTrials must be an integer >= 0, got -1/,
      ],
      [
        () => new PercentilePruner(50, { nWarmupSteps: -2 }),
        /nWarmupSteps must be an integer >= 0, got -2/,
      ],
      [
        () => new PercentilePruner(50, { intervalSteps: 0 }),
        /intervalSteps must be an integer >= 1, got 0/,
      ],
      [
        () => new PercentilePruner(50, { nMinTrials: 0 }),
        /nMinTrials must be an integer >= 1, got 0/,
      ],
      [() => new PercentilePruner(50, { intervalSteps: 1.5 }), /intervalSteps .* got 1\.5/],
      [() => new MedianPruner({ nWarmupSteps: -1 }), /^MedianPruner: nWarmupSteps/],
      [() => new MedianPruner("x" as never), /MedianPruner: options must be an object, got "x"/],
    ];
    for (const [fn, message] of cases) {
      const e = thrown(fn);
      expect(e.code).toBe("invalid_pruner_argument");
      expect(e.message).toMatch(message);
    }
  });
});
