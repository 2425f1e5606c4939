import { describe, expect, it } from "vitest";
import { SpaxError } from "../../../src/errors.js";
import type { FrozenTrial } from "../../../src/study/frozen-trial.js";
import {
  MedianPruner,
  NopPruner,
  PatientPruner,
  ThresholdPruner,
} from "../../../src/study/pruners/index.js";
import type { Pruner, StudyView } from "../../../src/study/sampler.js";
import { FakeStudy } from "./fake-study.js";

function thrown(fn: () => unknown): SpaxError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SpaxError) return e;
    throw e;
  }
  throw new Error("did not throw");
}

/** The decision after each report of `curve` (steps 0, 1, …) on a fresh running trial. */
function decisions(pruner: Pruner, curve: number[], study = new FakeStudy()): boolean[] {
  const t = study.ask();
  return curve.map((v, step) => pruner.prune(study, study.report(t, step, v)));
}

describe("ThresholdPruner", () => {
  it("prunes when the latest value leaves [lower, upper], whatever the direction", () => {
    for (const direction of ["minimize", "maximize"] as const) {
      const study = new FakeStudy([direction]);
      expect(decisions(new ThresholdPruner({ upper: 1 }), [0, 0.5, 1, 1.2], study)).toEqual([
        false,
        false,
        false,
        true,
      ]);
      expect(decisions(new ThresholdPruner({ lower: 0 }), [100, 0, -1], study)).toEqual([
        false,
        false,
        true,
      ]);
    }
    const both = new ThresholdPruner({ lower: -1, upper: 1 });
    expect([both.lower, both.upper]).toEqual([-1, 1]);
    expect(decisions(both, [0, -2])).toEqual([false, true]);
    expect(new ThresholdPruner({ upper: 1 }).lower).toBe(Number.NEGATIVE_INFINITY);
  });

  it("looks only at the value at the last step", () => {
    const study = new FakeStudy();
    const t = study.ask([
      [5, 0],
      [2, 9],
    ]);
    expect(new ThresholdPruner({ upper: 1 }).prune(study, study.trial(t))).toBe(false);
  });

  it("prunes on NaN, also without bounds crossed", () => {
    expect(decisions(new ThresholdPruner({ lower: -1e9, upper: 1e9 }), [0, Number.NaN])).toEqual([
      false,
      true,
    ]);
    expect(decisions(new ThresholdPruner({ upper: 1 }), [Number.POSITIVE_INFINITY])).toEqual([
      true,
    ]);
  });

  it("honours nWarmupSteps and intervalSteps like the percentile pruners", () => {
    const pruner = new ThresholdPruner({ upper: 0, nWarmupSteps: 2, intervalSteps: 3 });
    const got = decisions(pruner, Array(10).fill(1));
    expect(got.flatMap((d, step) => (d ? [step] : []))).toEqual([2, 5, 8]);
    expect(
      new ThresholdPruner({ upper: 0 }).prune(
        new FakeStudy(),
        new FakeStudy().add({ state: "RUNNING" }),
      ),
    ).toBe(false);
  });

  it("rejects bad arguments with invalid_pruner_argument", () => {
    const cases: [() => unknown, RegExp][] = [
      [() => new ThresholdPruner({}), /ThresholdPruner: give lower, upper or both/],
      [() => new ThresholdPruner(undefined as never), /give lower, upper or both/],
      [
        () => new ThresholdPruner({ lower: 2, upper: 1 }),
        /lower must be <= upper, got lower 2 and upper 1/,
      ],
      [
        () => new ThresholdPruner({ lower: Number.NaN }),
        /lower must be a number \(not NaN\), got NaN/,
      ],
      [
        () => new ThresholdPruner({ upper: "1" as never }),
        /upper must be a number \(not NaN\), got "1"/,
      ],
      [
        () => new ThresholdPruner({ upper: 1, nWarmupSteps: -1 }),
        /nWarmupSteps must be an integer >= 0, got -1/,
      ],
      [
        () => new ThresholdPruner({ upper: 1, intervalSteps: 0 }),
        /intervalSteps must be an integer >= 1, got 0/,
      ],
    ];
    for (const [fn, message] of cases) {
      const e = thrown(fn);
      expect(e.code).toBe("invalid_pruner_argument");
      expect(e.message).toMatch(message);
    }
    expect(new ThresholdPruner({ lower: 1, upper: 1 }).upper).toBe(1); // equal bounds are fine
  });
});

describe("PatientPruner", () => {
  it("prunes once the last patience + 1 values are all worse than the best before them", () => {
    const pruner = new PatientPruner(undefined, { patience: 2 });
    expect(decisions(pruner, [5, 4, 4.5, 4.2, 4.1, 3, 3.5])).toEqual([
      false, // too few values
      false,
      false, // 3 values <= patience + 1
      false, // before [5]: after [4, 4.5, 4.2] improves
      true, // before [5, 4]: after [4.5, 4.2, 4.1] all worse than 4
      false, // 3 beats 4
      false,
    ]);
    expect(decisions(new PatientPruner(undefined, { patience: 0 }), [1, 2, 0])).toEqual([
      false,
      true,
      false,
    ]);
  });

  it("flips comparisons when maximizing", () => {
    const study = new FakeStudy(["maximize"]);
    expect(
      decisions(new PatientPruner(undefined, { patience: 1 }), [1, 2, 1.5, 1.9, 3], study),
    ).toEqual([false, false, false, true, false]);
  });

  it("counts values within minDelta of the earlier best as keeping up", () => {
    // before [1]: after [1.05, 1.2]; min 1.05 is within 0.1 of 1 but not within 0.01.
    expect(
      decisions(new PatientPruner(undefined, { patience: 1, minDelta: 0.1 }), [1, 1.05, 1.2]),
    ).toEqual([false, false, false]);
    expect(
      decisions(new PatientPruner(undefined, { patience: 1, minDelta: 0.01 }), [1, 1.05, 1.2]),
    ).toEqual([false, false, true]);
    const study = new FakeStudy(["maximize"]);
    expect(
      decisions(
        new PatientPruner(undefined, { patience: 1, minDelta: 0.1 }),
        [1, 0.95, 0.8],
        study,
      ),
    ).toEqual([false, false, false]);
  });

  it("orders values by step, not by report order", () => {
    const study = new FakeStudy();
    // By step: 0 → 1, 1 → 2, 2 → 3: worsening. In insertion order it would improve.
    const t = study.ask([
      [2, 3],
      [1, 2],
      [0, 1],
    ]);
    expect(new PatientPruner(undefined, { patience: 1 }).prune(study, study.trial(t))).toBe(true);
  });

  it("ignores NaN values, and never prunes when one side is all NaN", () => {
    const p = new PatientPruner(undefined, { patience: 1 });
    // Step 2: before [1], after [NaN, 2] → 1 < 2, stalled.
    expect(decisions(p, [1, Number.NaN, 2, 3])).toEqual([false, false, true, true]);
    expect(decisions(p, [Number.NaN, Number.NaN, 2, 3])).toEqual([false, false, false, false]);
    // Step 3: after [NaN, NaN] has no minimum: not stalled.
    expect(decisions(p, [1, 2, Number.NaN, Number.NaN])).toEqual([false, false, true, false]);
  });

  it("lets the wrapped pruner decide once patience ran out", () => {
    const asked: number[] = [];
    const wrapped = (answer: boolean): Pruner => ({
      prune(_study: StudyView, trial: FrozenTrial) {
        asked.push(trial.intermediateValues.size);
        return answer;
      },
    });
    expect(decisions(new PatientPruner(wrapped(false), { patience: 1 }), [1, 2, 3])).toEqual([
      false,
      false,
      false,
    ]);
    expect(asked).toEqual([3]); // only asked when stalled
    expect(decisions(new PatientPruner(wrapped(true), { patience: 1 }), [1, 2, 3])).toEqual([
      false,
      false,
      true,
    ]);

    // Wrapping a real pruner: stalled but better than the median of completed trials.
    const study = new FakeStudy();
    for (let i = 0; i < 5; i++) study.add({ curve: [10, 10, 10] });
    expect(
      decisions(new PatientPruner(new MedianPruner(), { patience: 1 }), [1, 2, 3], study),
    ).toEqual([false, false, false]);
  });

  it("rejects bad arguments with invalid_pruner_argument", () => {
    const cases: [() => unknown, RegExp][] = [
      [
        () => new PatientPruner(undefined, { patience: -1 }),
        /PatientPruner: patience must be an integer >= 0, got -1/,
      ],
      [
        () => new PatientPruner(undefined, { patience: 1.5 }),
        /patience must be an integer >= 0, got 1\.5/,
      ],
      [
        () => new PatientPruner(undefined, {} as never),
        /patience must be an integer >= 0, got undefined/,
      ],
      [
        () => new PatientPruner(undefined, { patience: 1, minDelta: -0.1 }),
        /minDelta must be a number >= 0, got -0\.1/,
      ],
      [
        () => new PatientPruner(undefined, { patience: 1, minDelta: Number.NaN }),
        /minDelta .* got NaN/,
      ],
      [
        () => new PatientPruner({} as never, { patience: 1 }),
        /wrapped must be a pruner \(with prune\) or undefined/,
      ],
    ];
    for (const [fn, message] of cases) {
      const e = thrown(fn);
      expect(e.code).toBe("invalid_pruner_argument");
      expect(e.message).toMatch(message);
    }
  });
});

describe("NopPruner", () => {
  it("never prunes", () => {
    const study = new FakeStudy();
    for (let i = 0; i < 5; i++) study.add({ curve: [0, 0, 0] });
    expect(decisions(new NopPruner(), [Number.NaN, 1e9, Number.POSITIVE_INFINITY], study)).toEqual([
      false,
      false,
      false,
    ]);
  });
});
