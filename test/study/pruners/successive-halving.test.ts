import { describe, expect, it } from "vitest";
import { SpaxError } from "../../../src/errors.js";
import type { JsonValue } from "../../../src/space/values.js";
import type { FrozenTrial, TrialState } from "../../../src/study/frozen-trial.js";
import { completedRungKey, SuccessiveHalvingPruner } from "../../../src/study/pruners/index.js";
import type { StudyView } from "../../../src/study/sampler.js";
import { FakeStudy } from "./fake-study.js";

/** Trials that completed rung 0 with these values (as an earlier run of the pruner left them). */
function withRung0(values: number[], direction: "minimize" | "maximize" = "minimize") {
  const study = new FakeStudy([direction]);
  for (const v of values) study.add({ curve: [v, v], systemAttrs: { completed_rung_0: v } });
  return study;
}

describe("SuccessiveHalvingPruner", () => {
  it("has Optuna's defaults", () => {
    const p = new SuccessiveHalvingPruner();
    expect([p.minResource, p.reductionFactor, p.minEarlyStoppingRate, p.bootstrapCount]).toEqual([
      undefined,
      4,
      0,
      0,
    ]);
    expect(completedRungKey(3)).toBe("completed_rung_3");
  });

  it("ends rung k at minResource * reductionFactor ** (minEarlyStoppingRate + k)", () => {
    const study = new FakeStudy();
    const pruner = new SuccessiveHalvingPruner({
      minResource: 2,
      reductionFactor: 3,
      minEarlyStoppingRate: 1,
    });
    const t = study.ask();
    const rungSteps: number[] = [];
    for (let step = 0; step <= 60; step++) {
      // A lone trial is always the best of its rung, so it is promoted every time.
      expect(pruner.prune(study, study.report(t, step, 1))).toBe(false);
      const attrs = study.trial(t).systemAttrs;
      if (Object.keys(attrs).length > rungSteps.length) rungSteps.push(step);
    }
    expect(rungSteps).toEqual([6, 18, 54]);
    expect(study.trial(t).systemAttrs).toEqual({
      completed_rung_0: 1,
      completed_rung_1: 1,
      completed_rung_2: 1,
    });
  });

  it("promotes the best 1/reductionFactor of a rung and prunes the rest, recording the value", () => {
    const study = withRung0([1, 2, 3, 4, 5, 6, 7]);
    const pruner = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 4 });
    // 8 values with this one: the best 8 // 4 = 2 are promoted: values <= 2.
    const a = study.ask([9, 2]);
    expect(pruner.prune(study, study.trial(a))).toBe(false);
    expect(study.trial(a).systemAttrs).toEqual({ completed_rung_0: 2 });
    const b = study.ask([0, 2.5]);
    expect(pruner.prune(study, study.trial(b))).toBe(true);
    // Pruned trials keep their rung value: it is a competitor from then on.
    expect(study.trial(b).systemAttrs).toEqual({ completed_rung_0: 2.5 });
  });

  it("promotes only the best while fewer than reductionFactor trials reached the rung", () => {
    const study = withRung0([3]);
    const pruner = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 4 });
    expect(pruner.prune(study, study.trial(study.ask([0, 3])))).toBe(false); // ties the best
    expect(pruner.prune(study, study.trial(study.ask([0, 3.1])))).toBe(true);
  });

  it("flips comparisons when maximizing", () => {
    const study = withRung0([1, 2, 3, 4, 5, 6, 7], "maximize");
    const pruner = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 4 });
    expect(pruner.prune(study, study.trial(study.ask([0, 6])))).toBe(false);
    expect(pruner.prune(study, study.trial(study.ask([0, 5.5])))).toBe(true);
  });

  it("counts rung values of every trial: running, pruned and failed ones too", () => {
    const study = new FakeStudy();
    for (const state of ["RUNNING", "PRUNED", "FAIL"] as TrialState[]) {
      study.add({ state, curve: [0, 0], systemAttrs: { completed_rung_0: 0 } });
    }
    const pruner = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 });
    // 4 values [0, 0, 0, 1]: the best 2 (<= 0) are promoted.
    expect(pruner.prune(study, study.trial(study.ask([0, 1])))).toBe(true);
  });

  it("checks several rungs in one call when reports skip ahead", () => {
    const study = new FakeStudy();
    const pruner = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 });
    const t = study.ask([[10, 0.5]]);
    expect(pruner.prune(study, study.trial(t))).toBe(false);
    // Rungs end at 1, 2, 4, 8 (and 16 is not reached): all recorded with the value at step 10.
    expect(study.trial(t).systemAttrs).toEqual({
      completed_rung_0: 0.5,
      completed_rung_1: 0.5,
      completed_rung_2: 0.5,
      completed_rung_3: 0.5,
    });
  });

  it("starts from the first rung the trial has not completed", () => {
    const study = withRung0([1, 2, 3]);
    const pruner = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 });
    // Already past rung 0 (with a bad value): only rung 1 (step 2) is judged now.
    const t = study.add({
      state: "RUNNING",
      curve: [9, 9, 0.1],
      systemAttrs: { completed_rung_0: 9 },
    });
    expect(pruner.prune(study, t)).toBe(false);
    expect(study.trial(t.number).systemAttrs).toEqual({
      completed_rung_0: 9,
      completed_rung_1: 0.1,
    });
  });

  it("uses the value at the trial's last step", () => {
    const study = withRung0([1, 2, 3, 4]);
    const pruner = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 });
    // Reported out of order: step 1 last inserted is not the last step.
    const t = study.ask([
      [2, 9],
      [1, 0],
    ]);
    expect(pruner.prune(study, study.trial(t))).toBe(true);
    expect(study.trial(t).systemAttrs.completed_rung_0).toBe(9);
  });

  it("prunes on a NaN value at a rung end without recording it; before that, waits", () => {
    const study = new FakeStudy();
    const pruner = new SuccessiveHalvingPruner({ minResource: 2, reductionFactor: 2 });
    const t = study.ask([Number.NaN]);
    expect(pruner.prune(study, study.trial(t))).toBe(false); // step 0 < 2
    expect(pruner.prune(study, study.report(t, 2, Number.NaN))).toBe(true);
    expect(study.trial(t).systemAttrs).toEqual({});
  });

  it("treats infinities as values", () => {
    const study = withRung0([1, 2, 3]);
    const pruner = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 });
    expect(pruner.prune(study, study.trial(study.ask([0, Number.NEGATIVE_INFINITY])))).toBe(false);
    expect(pruner.prune(study, study.trial(study.ask([0, Number.POSITIVE_INFINITY])))).toBe(true);
  });

  it("prunes while no more than bootstrapCount trials completed the rung", () => {
    const study = new FakeStudy();
    const pruner = new SuccessiveHalvingPruner({
      minResource: 1,
      reductionFactor: 2,
      bootstrapCount: 2,
    });
    expect(pruner.prune(study, study.trial(study.ask([0, 1])))).toBe(true);
    expect(pruner.prune(study, study.trial(study.ask([0, 1])))).toBe(true);
    expect(pruner.prune(study, study.trial(study.ask([0, 0.5])))).toBe(false); // 3 > 2 values
  });

  it('estimates an "auto" minResource once: last step of completed trials // 100, at least 1', () => {
    const study = new FakeStudy();
    const pruner = new SuccessiveHalvingPruner({ reductionFactor: 2 });
    const t = study.ask([[1000, 5]]);
    study.add({ state: "PRUNED", curve: [[900, 1]] }); // not COMPLETE: ignored
    expect(pruner.prune(study, study.trial(t))).toBe(false);
    expect(pruner.minResource).toBeUndefined();
    expect(study.writes).toEqual([]);

    study.add({ curve: [[450, 1]] });
    expect(pruner.prune(study, study.report(t, 1001, 5))).toBe(false);
    expect(pruner.minResource).toBe(4);
    // Rungs at 4, 8, …, 512 were recorded; 1024 is not reached.
    expect(Object.keys(study.trial(t).systemAttrs)).toHaveLength(8);

    study.add({ curve: [[5000, 1]] }); // the estimate is kept
    study.ask([[0, 1]]);
    expect(pruner.prune(study, study.trial(study.trials.length - 1))).toBe(false);
    expect(pruner.minResource).toBe(4);

    const small = new SuccessiveHalvingPruner();
    const s2 = new FakeStudy();
    s2.add({ curve: [1, 2, 3] });
    small.prune(s2, s2.trial(s2.ask([1])));
    expect(small.minResource).toBe(1);
  });

  it("compares against the study as it was before its own writes, even if the view updates in place", () => {
    // Rung 0 values [1, 3] and this trial's 2, η = 2: the best 3 // 2 = 1 is promoted, so the
    // trial is pruned. Counting its own freshly written value twice ([1, 2, 2, 3]) would
    // promote it instead.
    const snapshot = withRung0([1, 3]);
    const pruner = () => new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 });
    expect(pruner().prune(snapshot, snapshot.trial(snapshot.ask([0, 2])))).toBe(true);

    // A StudyView whose getTrials hands out live records that setTrialSystemAttr mutates.
    const base = withRung0([1, 3]);
    const records = base.trials.map((t) => ({ ...t, systemAttrs: { ...t.systemAttrs } }));
    const live: StudyView = {
      directions: ["minimize"],
      space: undefined,
      getTrials: (states?: readonly TrialState[]) =>
        states ? records.filter((t) => states.includes(t.state)) : records,
      setTrialSystemAttr(trialId: number, key: string, value: JsonValue) {
        const record = records.find((t) => t.trialId === trialId)!;
        (record.systemAttrs as Record<string, JsonValue>)[key] = value;
      },
      stop() {},
    };
    const running: FrozenTrial = {
      ...records[0]!,
      trialId: 99,
      number: records.length,
      state: "RUNNING",
      systemAttrs: {},
      intermediateValues: new Map([
        [0, 0],
        [1, 2],
      ]),
    };
    records.push(running as (typeof records)[number]);
    expect(pruner().prune(live, running)).toBe(true);
    expect(running.systemAttrs).toEqual({ completed_rung_0: 2 });
  });

  it("rejects bad arguments with invalid_pruner_argument", () => {
    const cases: [object, RegExp][] = [
      [{ minResource: 0 }, /minResource must be an integer >= 1, got 0/],
      [{ minResource: "full" }, /minResource must be an integer >= 1, got "full"/],
      [{ reductionFactor: 1 }, /reductionFactor must be an integer >= 2, got 1/],
      [{ minEarlyStoppingRate: -1 }, /minEarlyStoppingRate must be an integer >= 0, got -1/],
      [{ minResource: 1, bootstrapCount: -1 }, /bootstrapCount must be an integer >= 0, got -1/],
      [{ bootstrapCount: 1 }, /bootstrapCount > 0 needs a numeric minResource/],
    ];
    for (const [options, message] of cases) {
      let error: unknown;
      try {
        new SuccessiveHalvingPruner(options as never);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SpaxError);
      expect((error as SpaxError).code).toBe("invalid_pruner_argument");
      expect((error as SpaxError).message).toMatch(/^SuccessiveHalvingPruner: /);
      expect((error as SpaxError).message).toMatch(message);
    }
  });
});
