/**
 * Trials: define-by-run suggest*, report / shouldPrune with a custom pruner, TrialPruned,
 * Space.fromTrial and space-first objectives (SpaX names, real categorical values), and the
 * bad-input errors of issue 3.
 */
import { describe, expect, it } from "vitest";
import * as sp from "../../src/index.js";
import {
  expectSpaxError,
  RecordingPruner,
  rejection,
  Training,
  thrown,
} from "./fixtures/helpers.js";

const seeded = (seed = 1) => new sp.RandomSampler({ seed });

async function liveTrial(options: sp.CreateStudyOptions = {}) {
  const study = await sp.createStudy({ sampler: seeded(), ...options });
  const trial = await study.ask();
  return { study, trial };
}

describe("define-by-run suggest*", () => {
  it("suggestFloat: within [low, high], log scale, step grid", async () => {
    const study = await sp.createStudy({ sampler: seeded(11) });
    await study.optimize(
      (trial) => {
        const x = trial.suggestFloat("x", -10, 10);
        const lr = trial.suggestFloat("lr", 1e-5, 1e-1, { log: true });
        const q = trial.suggestFloat("q", 0, 1, { step: 0.25 });
        expect(x).toBeGreaterThanOrEqual(-10);
        expect(x).toBeLessThanOrEqual(10);
        expect(lr).toBeGreaterThanOrEqual(1e-5);
        expect(lr).toBeLessThanOrEqual(1e-1);
        expect([0, 0.25, 0.5, 0.75, 1]).toContain(q);
        return x;
      },
      { nTrials: 40 },
    );
    // Log-uniform: about half the draws below the geometric midpoint 1e-3.
    const lrs = study.trials.map((t) => t.params.lr as number);
    const below = lrs.filter((v) => v < 1e-3).length;
    expect(below).toBeGreaterThan(8);
    expect(below).toBeLessThan(32);
    const t0 = study.trials[0]!;
    expect(sp.distributionToJSON(t0.distributions.lr!)).toBe(
      '{"name": "FloatDistribution", "attributes": {"step": null, "low": 1e-05, "high": 0.1, "log": true}}',
    );
    expect(sp.distributionToJSON(t0.distributions.q!)).toBe(
      '{"name": "FloatDistribution", "attributes": {"step": 0.25, "low": 0.0, "high": 1.0, "log": false}}',
    );
  });

  it("suggestFloat on a decimal step grid returns exact decimal points", async () => {
    const study = await sp.createStudy({ sampler: seeded(2) });
    const grid = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
    await study.optimize(
      (trial) => {
        const v = trial.suggestFloat("v", 0, 1, { step: 0.1 });
        expect(grid).toContain(v);
        return v;
      },
      { nTrials: 30 },
    );
  });

  it("suggestInt: integers within the range, on the step grid, log scale", async () => {
    const study = await sp.createStudy({ sampler: seeded(3) });
    await study.optimize(
      (trial) => {
        const n = trial.suggestInt("n", -5, 5);
        const s = trial.suggestInt("s", 1, 9, { step: 2 });
        const l = trial.suggestInt("l", 1, 1024, { log: true });
        expect(Number.isInteger(n) && n >= -5 && n <= 5).toBe(true);
        expect([1, 3, 5, 7, 9]).toContain(s);
        expect(Number.isInteger(l) && l >= 1 && l <= 1024).toBe(true);
        return n;
      },
      { nTrials: 40 },
    );
    const t0 = study.trials[0]!;
    expect(sp.distributionToJSON(t0.distributions.s!)).toBe(
      '{"name": "IntDistribution", "attributes": {"log": false, "step": 2, "low": 1, "high": 9}}',
    );
  });

  it("suggestCategorical: real choices with their type (1, '1', true, null)", async () => {
    const study = await sp.createStudy({ sampler: seeded(4) });
    const choices = [1, "1", true, null] as const;
    const got: unknown[] = [];
    await study.optimize(
      (trial) => {
        const c = trial.suggestCategorical("c", choices);
        got.push(c);
        expect(trial.params.c).toBe(c);
        return 0;
      },
      { nTrials: 40 },
    );
    for (const c of choices) expect(got.some((g) => g === c)).toBe(true);
    for (const [i, t] of study.trials.entries()) expect(t.params.c).toBe(got[i]);
    const stored = await study.storage.getAllTrials(study.studyId);
    for (const [i, t] of stored.entries()) expect(t.params.c).toBe(got[i]);
  });

  it("suggesting the same name twice with the same distribution returns the same value", async () => {
    const { trial } = await liveTrial();
    const a = trial.suggestFloat("x", 0, 1);
    expect(trial.suggestFloat("x", 0, 1)).toBe(a);
    const c = trial.suggestCategorical("c", ["a", "b", "c"]);
    expect(trial.suggestCategorical("c", ["a", "b", "c"])).toBe(c);
    expect(Object.keys(trial.params)).toEqual(["x", "c"]);
  });

  it("a single-value distribution returns its value", async () => {
    const { trial } = await liveTrial();
    expect(trial.suggestFloat("x", 2.5, 2.5)).toBe(2.5);
    expect(trial.suggestInt("n", 7, 7)).toBe(7);
    expect(trial.suggestCategorical("c", [null])).toBe(null);
    expect(trial.params).toEqual({ x: 2.5, n: 7, c: null });
  });

  it("params and distributions are stored as the trial goes", async () => {
    const { study, trial } = await liveTrial();
    const x = trial.suggestFloat("x", 0, 1);
    const b = trial.suggestCategorical("b", [true, false]);
    await study.tell(trial, x);
    const stored = await study.storage.getTrial(trial.trialId);
    expect(stored.params).toEqual({ x, b });
    expect(stored.distributions.b).toBeInstanceOf(sp.CategoricalDistribution);
  });
});

describe("report / shouldPrune / TrialPruned", () => {
  it("intermediate values are stored by step; a repeated step is ignored", async () => {
    const { study, trial } = await liveTrial();
    trial.report(0.5, 0);
    trial.report(0.4, 1);
    trial.report(0.9, 1); // ignored, as in Optuna
    trial.report(Number.POSITIVE_INFINITY, 2);
    expect([...trial.snapshot.intermediateValues]).toEqual([
      [0, 0.5],
      [1, 0.4],
      [2, Number.POSITIVE_INFINITY],
    ]);
    await study.tell(trial, 0.4);
    const stored = await study.storage.getTrial(trial.trialId);
    expect([...stored.intermediateValues].sort((a, b) => a[0] - b[0])).toEqual([
      [0, 0.5],
      [1, 0.4],
      [2, Number.POSITIVE_INFINITY],
    ]);
  });

  it("shouldPrune asks the study's pruner with the trial's reports so far", async () => {
    const pruner = new RecordingPruner((t) => (t.intermediateValues.get(1) ?? 0) > 20);
    const study = await sp.createStudy({ pruner, sampler: seeded() });
    const summary = await study.optimize(
      (trial) => {
        for (let step = 0; step < 3; step++) {
          trial.report(trial.number * 10 + step, step);
          if (trial.shouldPrune()) throw new sp.TrialPruned();
        }
        return trial.number;
      },
      { nTrials: 3 },
    );
    expect(summary).toMatchObject({ complete: 2, pruned: 1, failed: 0 });
    expect(pruner.calls).toEqual([
      { number: 0, steps: [[0, 0]] },
      {
        number: 0,
        steps: [
          [0, 0],
          [1, 1],
        ],
      },
      {
        number: 0,
        steps: [
          [0, 0],
          [1, 1],
          [2, 2],
        ],
      },
      { number: 1, steps: [[0, 10]] },
      {
        number: 1,
        steps: [
          [0, 10],
          [1, 11],
        ],
      },
      {
        number: 1,
        steps: [
          [0, 10],
          [1, 11],
          [2, 12],
        ],
      },
      { number: 2, steps: [[0, 20]] },
      {
        number: 2,
        steps: [
          [0, 20],
          [1, 21],
        ],
      },
    ]);
    const pruned = study.trials[2]!;
    expect(pruned.state).toBe("PRUNED");
    // The last intermediate value is the pruned trial's value (Optuna's _tell).
    expect(pruned.values).toEqual([21]);
    expect(study.trials.map((t) => t.state)).toEqual(["COMPLETE", "COMPLETE", "PRUNED"]);
  });

  it("the pruner sees the study: other trials' reports", async () => {
    // A tiny median-like pruner: prune when worse than every finished trial at this step.
    const pruner: sp.Pruner = {
      prune(study, trial) {
        const step = Math.max(...trial.intermediateValues.keys());
        const mine = trial.intermediateValues.get(step)!;
        const others = study
          .getTrials(["COMPLETE"])
          .map((t) => t.intermediateValues.get(step))
          .filter((v): v is number => v !== undefined);
        return others.length > 0 && others.every((v) => mine > v);
      },
    };
    const study = await sp.createStudy({ pruner });
    const curves = [
      [5, 4, 3],
      [6, 5, 4],
      [4, 3, 2],
      [9, 9, 9],
    ];
    await study.optimize(
      (trial) => {
        const curve = curves[trial.number]!;
        for (let s = 0; s < curve.length; s++) {
          trial.report(curve[s]!, s);
          if (trial.shouldPrune()) throw new sp.TrialPruned(`pruned at step ${s}`);
        }
        return curve[curve.length - 1]!;
      },
      { nTrials: 4 },
    );
    expect(study.trials.map((t) => [t.state, t.values])).toEqual([
      ["COMPLETE", [3]],
      ["PRUNED", [6]],
      ["COMPLETE", [2]],
      ["PRUNED", [9]],
    ]);
  });

  it("TrialPruned without any report: PRUNED without a value", async () => {
    const study = await sp.createStudy();
    await study.optimize(
      () => {
        throw new sp.TrialPruned();
      },
      { nTrials: 1 },
    );
    expect([study.trials[0]!.state, study.trials[0]!.values]).toEqual(["PRUNED", undefined]);
  });

  it("report after the trial finished is a TrialError naming the trial", async () => {
    const { study, trial } = await liveTrial();
    await study.tell(trial, 1);
    expectSpaxError(
      thrown(() => trial.report(1, 0)),
      sp.TrialError,
      "trial 0",
      "report",
    );
    expectSpaxError(
      thrown(() => trial.shouldPrune()),
      sp.TrialError,
      "trial 0",
    );
    expectSpaxError(
      thrown(() => trial.suggestFloat("x", 0, 1)),
      sp.TrialError,
      "trial 0",
      '"x"',
    );
    expect((await study.storage.getTrial(trial.trialId)).intermediateValues.size).toBe(0);
  });

  it("report from an objective whose trial was already finished (kept after optimize)", async () => {
    const study = await sp.createStudy();
    let kept: sp.Trial | undefined;
    await study.optimize(
      (trial) => {
        kept = trial;
        return 0;
      },
      { nTrials: 1 },
    );
    expectSpaxError(
      thrown(() => kept!.report(1, 0)),
      sp.TrialError,
      "finished",
    );
  });

  it.each([
    ["a string value", "0.5", 0, "number"],
    ["a bigint value", 1n, 0, "number"],
    ["a negative step", 0.5, -1, "step"],
    ["a fractional step", 0.5, 1.5, "step"],
    ["a string step", 0.5, "1", "step"],
    ["a NaN step", 0.5, Number.NaN, "step"],
  ])("report with %s is a TrialError", async (_what, value, step, part) => {
    const { trial } = await liveTrial();
    expectSpaxError(
      thrown(() => trial.report(value as any, step as any)),
      sp.TrialError,
      part,
    );
    expect(trial.snapshot.intermediateValues.size).toBe(0);
  });
});

describe("Space.fromTrial and space-first objectives", () => {
  it("fromTrial samples a typed config through the trial under SpaX's names", async () => {
    const study = await sp.createStudy({ sampler: seeded(7) });
    const configs: Training[] = [];
    await study.optimize(
      (trial) => {
        const cfg = Training.fromTrial(trial);
        configs.push(cfg);
        expect(Training.parse(cfg)).toEqual(cfg);
        return cfg.layers;
      },
      { nTrials: 30 },
    );
    const names = new Set(Training.parameterNames());
    for (const [i, t] of study.trials.entries()) {
      const cfg = configs[i]!;
      for (const k of Object.keys(t.params)) expect(names.has(k), k).toBe(true);
      expect(t.params["Training.layers"]).toBe(cfg.layers);
      expect(t.params["Training.units"]).toBe(cfg.units);
      expect(t.params["Training.mixed"]).toBe(cfg.mixed);
      expect(t.params["Training.useDropout"]).toBe(cfg.useDropout);
      expect(t.params["Training.optimizer"]).toBe(cfg.optimizer.__type__);
      if (cfg.useDropout) expect(t.params["Training.dropout::true_branch"]).toBe(cfg.dropout);
      else expect("Training.dropout::true_branch" in t.params).toBe(false);
      const opt = cfg.optimizer;
      if (opt.__type__ === "Adam") {
        expect(t.params["Training.optimizer::Adam.lr"]).toBe(opt.lr);
        expect("Training.optimizer::Sgd.lr" in t.params).toBe(false);
      } else {
        expect(t.params["Training.optimizer::Sgd.momentum"]).toBe(opt.momentum);
        expect("Training.optimizer::Adam.lr" in t.params).toBe(false);
      }
    }
  });

  it("categorical choices are suggested as their real values, not strings", async () => {
    const study = await sp.createStudy({ sampler: seeded(8) });
    await study.optimize(
      (trial) => {
        Training.fromTrial(trial);
        return 0;
      },
      { nTrials: 40 },
    );
    const mixed = study.trials.map((t) => t.params["Training.mixed"]);
    for (const c of [1, "1", true, null])
      expect(
        mixed.some((m) => m === c),
        String(c),
      ).toBe(true);
    const flags = study.trials.map((t) => t.params["Training.useDropout"]);
    expect(flags.every((f) => f === true || f === false)).toBe(true);
    const d = study.trials[0]!.distributions["Training.mixed"] as sp.CategoricalDistribution;
    expect(d.choices).toStrictEqual([1, "1", true, null]);
    expect(sp.distributionToJSON(d)).toBe(
      '{"name": "CategoricalDistribution", "attributes": {"choices": [1, "1", true, null]}}',
    );
    const b = study.trials[0]!.distributions["Training.useDropout"] as sp.CategoricalDistribution;
    expect(b.choices).toStrictEqual([true, false]);
    // A choice among configs is suggested by the config's name.
    const o = study.trials[0]!.distributions["Training.optimizer"] as sp.CategoricalDistribution;
    expect(o.choices).toStrictEqual(["Adam", "Sgd"]);
  });

  it("fromTrial with an override narrows what the trial suggests", async () => {
    const study = await sp.createStudy({ sampler: seeded(9) });
    await study.optimize(
      (trial) => {
        const cfg = Training.fromTrial(trial, {
          override: { layers: { ge: 2, le: 3 }, mixed: [true] } as any,
        });
        expect([2, 3]).toContain(cfg.layers);
        expect(cfg.mixed).toBe(true);
        return 0;
      },
      { nTrials: 10 },
    );
    const d = study.trials[0]!.distributions["Training.layers"] as sp.IntDistribution;
    expect([d.low, d.high]).toEqual([2, 3]);
  });

  it("a space-first objective gets the typed config and the trial", async () => {
    const study = await sp.createStudy({ space: Training, sampler: seeded(10) });
    const seen: [Training, number][] = [];
    await study.optimize(
      (cfg, trial) => {
        seen.push([cfg, trial.number]);
        expect(Training.parse(cfg)).toEqual(cfg);
        expect(trial.params["Training.layers"]).toBe(cfg.layers);
        expect(trial.params["Training.mixed"]).toBe(cfg.mixed);
        return cfg.layers;
      },
      { nTrials: 20 },
    );
    expect(seen.map((s) => s[1])).toEqual(Array.from({ length: 20 }, (_, i) => i));
    for (const [cfg, n] of seen) expect(study.configOf(study.trials[n]!)).toEqual(cfg);
  });

  it("space-first and define-by-run with the same seed draw the same configs", async () => {
    const a = await sp.createStudy({ space: Training, sampler: seeded(12) });
    const fromSpace: Training[] = [];
    await a.optimize(
      (cfg) => {
        fromSpace.push(cfg);
        return 0;
      },
      { nTrials: 10 },
    );
    const b = await sp.createStudy({ sampler: seeded(12) });
    const fromTrial: Training[] = [];
    await b.optimize(
      (trial) => {
        fromTrial.push(Training.fromTrial(trial));
        return 0;
      },
      { nTrials: 10 },
    );
    expect(fromTrial).toEqual(fromSpace);
  });

  it("a space-first objective may suggest more parameters of its own", async () => {
    const study = await sp.createStudy({ space: Training, sampler: seeded() });
    await study.optimize((cfg, trial) => cfg.layers + trial.suggestFloat("extra", 0, 1), {
      nTrials: 3,
    });
    for (const t of study.trials) expect(t.params.extra).toBeTypeOf("number");
  });
});

describe("bad input: clear errors naming what and where", () => {
  it("the same name with another kind of distribution in a later trial names the first trial", async () => {
    const study = await sp.createStudy();
    const t0 = await study.ask();
    t0.suggestFloat("x", 0, 1);
    await study.tell(t0, 0);
    const t1 = await study.ask();
    const error = expectSpaxError(
      thrown(() => t1.suggestInt("x", 0, 1)),
      sp.TrialError,
      '"x"',
      "trial 0",
      "trial 1",
    );
    expect(error.code).toBe("distribution_changed");
    expect(t1.params).toEqual({});
  });

  it("categorical choices that change between trials are an error naming the first trial", async () => {
    const study = await sp.createStudy();
    await study.enqueueTrial({ opt: "adam" });
    await study.optimize((t) => (t.suggestCategorical("opt", ["adam", "sgd"]) === "adam" ? 1 : 0), {
      nTrials: 2,
    });
    const t2 = await study.ask();
    expectSpaxError(
      thrown(() => t2.suggestCategorical("opt", ["adam", "sgd", "rmsprop"])),
      sp.TrialError,
      '"opt"',
      "trial 0",
      "rmsprop",
    );
    expectSpaxError(
      thrown(() => t2.suggestCategorical("opt", ["sgd", "adam"])),
      sp.TrialError,
      "trial 0",
    );
  });

  it("log scale that changes between trials is an error", async () => {
    const study = await sp.createStudy();
    const t0 = await study.ask();
    t0.suggestFloat("lr", 1e-5, 1, { log: true });
    await study.tell(t0, 0);
    const t1 = await study.ask();
    expectSpaxError(
      thrown(() => t1.suggestFloat("lr", 1e-5, 1)),
      sp.TrialError,
      '"lr"',
      "trial 0",
    );
  });

  it("ranges may change between trials (as in Optuna)", async () => {
    const study = await sp.createStudy({ sampler: seeded() });
    const t0 = await study.ask();
    t0.suggestFloat("x", 0, 1);
    t0.suggestInt("n", 0, 10);
    await study.tell(t0, 0);
    const t1 = await study.ask();
    const x = t1.suggestFloat("x", 5, 6);
    const n = t1.suggestInt("n", 20, 40, { step: 2 });
    expect(x >= 5 && x <= 6).toBe(true);
    expect(n >= 20 && n <= 40 && n % 2 === 0).toBe(true);
  });

  it("the first trial is remembered across a reload of the study", async () => {
    const storage = new sp.MemoryStorage();
    const study = await sp.createStudy({ name: "compat", storage });
    await study.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 3 });
    const again = await sp.loadStudy({ name: "compat", storage });
    const t3 = await again.ask();
    expectSpaxError(
      thrown(() => t3.suggestCategorical("x", [0, 1])),
      sp.TrialError,
      '"x"',
      "trial 0",
    );
  });

  it("concurrent trials: the first to suggest a name sets its distribution", async () => {
    const study = await sp.createStudy();
    const a = await study.ask();
    const b = await study.ask();
    a.suggestInt("n", 0, 5);
    expectSpaxError(
      thrown(() => b.suggestFloat("n", 0, 5)),
      sp.TrialError,
      '"n"',
      "trial 0",
    );
  });

  it("in optimize, the conflict fails that trial with the message; the study goes on", async () => {
    const study = await sp.createStudy();
    const summary = await study.optimize(
      (trial) => (trial.number === 1 ? trial.suggestInt("x", 0, 1) : trial.suggestFloat("x", 0, 1)),
      { nTrials: 3 },
    );
    expect(summary).toMatchObject({ complete: 2, failed: 1 });
    const reason = String(study.trials[1]!.systemAttrs.fail_reason);
    expect(reason).toContain('"x"');
    expect(reason).toContain("trial 0");
  });

  it("the same name twice in one trial with another distribution is an error", async () => {
    const { trial } = await liveTrial();
    const x = trial.suggestFloat("x", 0, 1);
    for (const again of [
      () => trial.suggestFloat("x", 0, 2),
      () => trial.suggestFloat("x", 0, 1, { log: false, step: 0.5 }),
      () => trial.suggestInt("x", 0, 1),
      () => trial.suggestCategorical("x", [0, 1]),
    ]) {
      const error = expectSpaxError(thrown(again), sp.TrialError, '"x"', "trial 0");
      expect(error.code).toBe("distribution_changed");
    }
    expect(trial.params).toEqual({ x });
  });

  const badSuggest: [string, (t: sp.Trial) => unknown, string[]][] = [
    ["float low > high", (t) => t.suggestFloat("x", 2, 1), ['"x"', "low", "high"]],
    ["int low > high", (t) => t.suggestInt("n", 5, 1), ['"n"', "low", "high"]],
    [
      "float step with log",
      (t) => t.suggestFloat("x", 1, 10, { log: true, step: 0.5 }),
      ['"x"', "step", "log"],
    ],
    [
      "float step 1 with log",
      (t) => t.suggestFloat("x", 1, 10, { log: true, step: 1 }),
      ['"x"', "step", "log"],
    ],
    [
      "int step with log",
      (t) => t.suggestInt("n", 1, 10, { log: true, step: 2 }),
      ['"n"', "step", "log"],
    ],
    ["float log with low 0", (t) => t.suggestFloat("x", 0, 1, { log: true }), ['"x"', "log"]],
    ["int log with low 0", (t) => t.suggestInt("n", 0, 8, { log: true }), ['"n"', "log"]],
    ["float NaN bound", (t) => t.suggestFloat("x", Number.NaN, 1), ['"x"']],
    ["float infinite bound", (t) => t.suggestFloat("x", 0, Number.POSITIVE_INFINITY), ['"x"']],
    ["float string bound", (t) => t.suggestFloat("x", "0" as any, 1), ['"x"']],
    ["int fractional bound", (t) => t.suggestInt("n", 0.5, 3), ['"n"']],
    ["int bigint bound", (t) => t.suggestInt("n", 0n as any, 3), ['"n"']],
    ["float step 0", (t) => t.suggestFloat("x", 0, 1, { step: 0 }), ['"x"', "step"]],
    ["float step negative", (t) => t.suggestFloat("x", 0, 1, { step: -0.5 }), ['"x"', "step"]],
    [
      "float step a string",
      (t) => t.suggestFloat("x", 0, 1, { step: "0.5" as any }),
      ['"x"', "step"],
    ],
    ["int step fractional", (t) => t.suggestInt("n", 0, 10, { step: 1.5 }), ['"n"', "step"]],
    ["log not a boolean", (t) => t.suggestFloat("x", 1, 2, { log: "yes" as any }), ['"x"', "log"]],
    ["options null", (t) => t.suggestFloat("x", 0, 1, null as any), ['"x"', "options"]],
    ["options a string", (t) => t.suggestInt("n", 0, 1, "log" as any), ['"n"', "options"]],
    [
      "options with an unknown key (typo)",
      (t) => t.suggestFloat("x", 1, 10, { lg: true } as any),
      ['"x"', "lg"],
    ],
    ["name empty", (t) => t.suggestFloat("", 0, 1), ["name"]],
    ["name a number", (t) => t.suggestFloat(5 as any, 0, 1), ["name"]],
    ["choices not an array", (t) => t.suggestCategorical("c", "abc" as any), ['"c"', "choices"]],
    ["choices empty", (t) => t.suggestCategorical("c", []), ['"c"', "choices"]],
    ["choices with a duplicate", (t) => t.suggestCategorical("c", ["a", "a"]), ['"c"', '"a"']],
    ["choices with a function", (t) => t.suggestCategorical("c", [() => 1] as any), ['"c"']],
    ["choices with undefined", (t) => t.suggestCategorical("c", [undefined] as any), ['"c"']],
    ["choices with NaN", (t) => t.suggestCategorical("c", [Number.NaN]), ['"c"']],
  ];
  it.each(badSuggest)(
    "suggest: %s is a TrialError naming the parameter",
    async (_what, call, parts) => {
      const { trial } = await liveTrial();
      const error = thrown(() => call(trial));
      expectSpaxError(error, sp.TrialError, ...parts);
      expect(trial.params).toEqual({});
    },
  );

  it("a failed suggest does not reserve the name: a valid suggest still works", async () => {
    const { trial } = await liveTrial();
    thrown(() => trial.suggestFloat("x", 2, 1));
    const x = trial.suggestFloat("x", 0, 1);
    expect(x >= 0 && x <= 1).toBe(true);
  });

  it("a failed suggest does not fix the distribution for later trials", async () => {
    const study = await sp.createStudy();
    await study.enqueueTrial({ x: 5 });
    const t0 = await study.ask();
    thrown(() => t0.suggestFloat("x", 0, 1)); // the enqueued 5 is outside: error
    await study.tell(t0, undefined, { state: "FAIL" });
    const t1 = await study.ask();
    // Nothing was stored for "x" in trial 0, so an int "x" now is the first one.
    expect(() => t1.suggestInt("x", 0, 10)).not.toThrow();
  });

  it("a rejected suggest does not fix the distribution for a concurrent trial either", async () => {
    const study = await sp.createStudy();
    await study.enqueueTrial({ x: 5 });
    const a = await study.ask();
    const b = await study.ask();
    thrown(() => a.suggestFloat("x", 0, 1)); // rejected: nothing stored for "x"
    expect(() => b.suggestInt("x", 0, 10)).not.toThrow();
  });

  it("tell twice via optimize's trial is an error", async () => {
    const study = await sp.createStudy();
    let kept: sp.Trial | undefined;
    await study.optimize(
      (trial) => {
        kept = trial;
        return 1;
      },
      { nTrials: 1 },
    );
    expectSpaxError(await rejection(study.tell(kept!, 2)), sp.TrialError, "trial 0");
    expect(study.trials[0]!.values).toEqual([1]);
  });
});
