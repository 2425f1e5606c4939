import { describe, expect, it } from "vitest";
import { SpaxError } from "../../../src/errors.js";
import { PyRandom } from "../../../src/sample/mt19937.js";
import { _crc32 } from "../../../src/study/pruners/_internal.js";
import { HyperbandPruner, SuccessiveHalvingPruner } from "../../../src/study/pruners/index.js";
import { FakeStudy } from "./fake-study.js";

describe("HyperbandPruner brackets", () => {
  it("has Optuna's defaults and waits for the first completed trial with maxResource 'auto'", () => {
    const p = new HyperbandPruner();
    expect([p.minResource, p.maxResource, p.reductionFactor, p.bootstrapCount]).toEqual([
      1,
      undefined,
      3,
      0,
    ]);
    expect(p.nBrackets).toBeUndefined();
    expect(p.getBracketId(5)).toBe(0); // Optuna's answer before the brackets exist

    const study = new FakeStudy();
    const t = study.ask([5, 5, 5]);
    expect(p.prune(study, study.trial(t))).toBe(false);
    expect(p.nBrackets).toBeUndefined();

    study.add({ state: "PRUNED", curve: Array(50).fill(0) }); // only COMPLETE trials count
    expect(p.prune(study, study.trial(t))).toBe(false);
    expect(p.nBrackets).toBeUndefined();

    study.add({ curve: Array(27).fill(0) }); // last step 26: maxResource 27
    p.prune(study, study.trial(t));
    expect(p.maxResource).toBe(27);
    expect(p.nBrackets).toBe(4);
    study.add({ curve: Array(100).fill(0) }); // kept once known
    p.prune(study, study.trial(t));
    expect(p.maxResource).toBe(27);
  });

  it("counts brackets and budgets with Optuna's formulas (values from Optuna 3.1)", () => {
    const cases: [number, number, number, number, number[]][] = [
      [1, 81, 3, 5, [81, 34, 15, 8, 5]],
      [1, 9, 3, 3, [9, 5, 3]],
      [1, 100, 3, 5, [81, 34, 15, 8, 5]],
      [1, 27, 3, 4, [27, 12, 6, 4]],
      // log(243) / log(3) is 4.999… in Python's floats: 5 brackets, not 6.
      [1, 243, 3, 5, [81, 34, 15, 8, 5]],
    ];
    for (const [minResource, maxResource, reductionFactor, n, budgets] of cases) {
      const p = new HyperbandPruner({ minResource, maxResource, reductionFactor });
      expect(p.nBrackets).toBe(n);
      expect(p.trialAllocationBudgets).toEqual(budgets);
    }
  });

  it("assigns brackets by CRC-32 of the trial number, in proportion to the budgets", () => {
    const p = new HyperbandPruner({ maxResource: 81 });
    const budgets = p.trialAllocationBudgets;
    const total = budgets.reduce((a, b) => a + b, 0);
    const counts = budgets.map(() => 0);
    for (let n = 0; n < 20000; n++) {
      const b = p.getBracketId(n);
      // The documented rule, computed independently.
      let r = _crc32(String(n)) % total;
      let expected = 0;
      while (r >= budgets[expected]!) r -= budgets[expected++]!;
      expect(b).toBe(expected);
      counts[b]!++;
    }
    budgets.forEach((budget, b) => {
      expect(counts[b]! / 20000).toBeCloseTo(budget / total, 1);
    });
    // Deterministic: another instance, another process, the same brackets.
    const q = new HyperbandPruner({ maxResource: 81 });
    expect([0, 1, 2, 3, 4, 99, 1234].map((n) => q.getBracketId(n))).toEqual(
      [0, 1, 2, 3, 4, 99, 1234].map((n) => p.getBracketId(n)),
    );
  });

  it("with studyName, puts trials in the brackets Optuna 3.1 uses for a study of that name", () => {
    const p = new HyperbandPruner({ maxResource: 81, studyName: "study-1" });
    // Optuna: HyperbandPruner(1, 81, 3)._get_bracket_id(study named "study-1", trial n).
    expect(Array.from({ length: 20 }, (_, n) => p.getBracketId(n))).toEqual([
      2, 2, 1, 2, 0, 0, 1, 0, 0, 0, 0, 2, 0, 2, 4, 1, 2, 0, 1, 0,
    ]);
  });
});

describe("HyperbandPruner pruning", () => {
  it("is, per bracket, Successive Halving with minEarlyStoppingRate = bracket over that bracket's trials", () => {
    // Random asynchronous runs; each decision must equal a SuccessiveHalvingPruner's asked on
    // a copy of the study that holds only the trials of the same bracket.
    const rng = new PyRandom(7);
    let pruned = 0;
    for (let run = 0; run < 30; run++) {
      const direction = rng.random() < 0.5 ? "minimize" : "maximize";
      const reductionFactor = 2 + rng.randbelow(2);
      const maxResource = 8 + rng.randbelow(20);
      const hb = new HyperbandPruner({
        maxResource,
        reductionFactor,
        bootstrapCount: rng.randbelow(2),
      });
      const study = new FakeStudy([direction]);
      const shadows = new Map<number, { sh: SuccessiveHalvingPruner; study: FakeStudy }>();
      for (let b = 0; b < hb.nBrackets!; b++) {
        shadows.set(b, {
          sh: new SuccessiveHalvingPruner({
            minResource: 1,
            reductionFactor,
            minEarlyStoppingRate: b,
            bootstrapCount: hb.bootstrapCount,
          }),
          study: new FakeStudy([direction]),
        });
      }
      let decisions = 0;
      for (let i = 0; i < 25; i++) {
        const t = study.ask();
        const shadow = shadows.get(hb.getBracketId(t))!;
        // Keep the shadow's numbering aligned with the study's: fill it with placeholders.
        while (shadow.study.trials.length < t) shadow.study.add({ state: "FAIL" });
        const s = shadow.study.ask();
        const level = rng.random();
        for (let step = 0; step < maxResource; step++) {
          const v = Math.round((level + rng.random() * 0.3) * 100) / 100;
          const got = hb.prune(study, study.report(t, step, v));
          const want = shadow.sh.prune(shadow.study, shadow.study.report(s, step, v));
          expect(got).toBe(want);
          expect(study.trial(t).systemAttrs).toEqual(shadow.study.trial(s).systemAttrs);
          decisions++;
          if (got) {
            pruned++;
            break;
          }
        }
        study.tell(t, "COMPLETE", 0);
        shadow.study.tell(s, "COMPLETE", 0);
      }
      expect(decisions).toBeGreaterThan(25);
    }
    expect(pruned).toBeGreaterThan(100);
  });

  it("ignores rung values of trials in other brackets", () => {
    const hb = new HyperbandPruner({ maxResource: 9, reductionFactor: 3 }); // brackets 0..2
    // The first trial number from 20 on in bracket 0 (first rung ends at step 1).
    let number = 20;
    while (hb.getBracketId(number) !== 0) number++;
    const study = new FakeStudy();
    // Before it: great rung-0 values, all in other brackets.
    for (let n = 0; n < number; n++) {
      const attrs: Record<string, number> =
        hb.getBracketId(n) === 0 ? {} : { completed_rung_0: -100 };
      study.add({ state: "PRUNED", curve: [0], systemAttrs: attrs });
    }
    const t = study.ask([0, 5]);
    expect(t).toBe(number);
    expect(hb.prune(study, study.trial(t))).toBe(false); // alone in its bracket: the best
    // Successive Halving over the whole study would prune it.
    const sh = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 3 });
    const whole = new FakeStudy();
    for (const trial of study.trials.slice(0, number)) whole.add({ ...trial, curve: [0] });
    expect(sh.prune(whole, whole.trial(whole.ask([0, 5])))).toBe(true);
  });

  it('never prunes when an "auto" maxResource comes out below minResource', () => {
    const hb = new HyperbandPruner({ minResource: 10 });
    const study = new FakeStudy();
    study.add({ curve: [1, 2, 3] }); // maxResource 3 < 10: no brackets, as in Optuna
    const t = study.ask();
    for (let step = 0; step < 50; step++)
      expect(hb.prune(study, study.report(t, step, 1e9))).toBe(false);
    expect(hb.nBrackets).toBeLessThanOrEqual(0);
  });

  it("rejects bad arguments with invalid_pruner_argument", () => {
    const cases: [object, RegExp][] = [
      [{ minResource: 0 }, /minResource must be an integer >= 1, got 0/],
      [{ maxResource: "max" }, /maxResource must be an integer >= 1, got "max"/],
      [{ minResource: 5, maxResource: 4 }, /maxResource must be an integer >= 5, got 4/],
      [{ reductionFactor: 1 }, /reductionFactor must be an integer >= 2, got 1/],
      [{ maxResource: 9, bootstrapCount: -1 }, /bootstrapCount must be an integer >= 0, got -1/],
      [{ bootstrapCount: 2 }, /bootstrapCount > 0 needs a numeric maxResource/],
      [{ studyName: 3 }, /studyName must be a string, got 3/],
    ];
    for (const [options, message] of cases) {
      let error: unknown;
      try {
        new HyperbandPruner(options as never);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SpaxError);
      expect((error as SpaxError).code).toBe("invalid_pruner_argument");
      expect((error as SpaxError).message).toMatch(/^HyperbandPruner: /);
      expect((error as SpaxError).message).toMatch(message);
    }
  });
});
