/**
 * Studies: createStudy options and their errors, ask/tell, enqueueTrial, best*, multi-objective
 * Pareto fronts, user attributes, loading and deleting, custom samplers.
 */
import { describe, expect, it } from "vitest";
import * as sp from "../../src/index.js";
import {
  expectSpaxError,
  JUNK,
  mixedObjective,
  rejection,
  Training,
  thrown,
} from "./fixtures/helpers.js";

const seeded = (seed = 1) => new sp.RandomSampler({ seed });

/** Runs one trial by hand with value `value` (suggesting x so params are not empty). */
async function told(study: sp.Study<any>, value: sp.ObjectiveValue) {
  const trial = await study.ask();
  trial.suggestFloat("x", -100, 100);
  return study.tell(trial, value);
}

describe("createStudy: options", () => {
  it("has sensible defaults", async () => {
    const study = await sp.createStudy();
    expect(study.name).toMatch(/^no-name-/);
    expect(study.direction).toBe("minimize");
    expect(study.directions).toEqual(["minimize"]);
    expect(study.sampler).toBeInstanceOf(sp.TPESampler); // as Optuna
    expect(study.storage).toBeInstanceOf(sp.MemoryStorage);
    expect(study.space).toBeUndefined();
    expect(study.trials).toEqual([]);
    const other = await sp.createStudy();
    expect(other.name).not.toBe(study.name);
  });

  it("name and storage: the study lives in the storage under its name", async () => {
    const storage = new sp.MemoryStorage();
    const a = await sp.createStudy({ name: "a", storage });
    const b = await sp.createStudy({ name: "b", storage });
    expect(await storage.getStudyId("a")).toBe(a.studyId);
    expect(await storage.getStudyId("b")).toBe(b.studyId);
    expect((await sp.getAllStudies(storage)).map((s) => s.name).sort()).toEqual(["a", "b"]);
    const m = await sp.createStudy({ name: "m", storage: "memory" });
    expect(m.storage).toBeInstanceOf(sp.MemoryStorage);
  });

  it("direction: maximize", async () => {
    const study = await sp.createStudy({ direction: "maximize" });
    expect(study.direction).toBe("maximize");
    for (const v of [1, 5, 3]) await told(study, v);
    expect(study.bestValue).toBe(5);
    expect(study.bestTrial.number).toBe(1);
  });

  it("directions: several objectives", async () => {
    const study = await sp.createStudy({ directions: ["minimize", "maximize"] });
    expect(study.directions).toEqual(["minimize", "maximize"]);
    expectSpaxError(
      thrown(() => study.direction),
      sp.SpaxError,
      "directions",
    );
  });

  it("sampler: a custom sampler object is asked for each parameter", async () => {
    const asked: [number, string, string][] = [];
    const sampler: sp.Sampler = {
      inferRelativeSearchSpace: () => ({}),
      sampleRelative: () => ({}),
      sampleIndependent: (_s, trial, name, d) => {
        asked.push([trial.number, name, d.kind]);
        return d.kind === "categorical" ? d.choices[d.choices.length - 1]! : d.high;
      },
    };
    const study = await sp.createStudy({ sampler });
    await study.optimize(
      (trial) => {
        const x = trial.suggestFloat("x", 0, 2);
        const c = trial.suggestCategorical("c", ["a", "b"]);
        return c === "b" ? x : -x;
      },
      { nTrials: 2 },
    );
    expect(asked).toEqual([
      [0, "x", "float"],
      [0, "c", "categorical"],
      [1, "x", "float"],
      [1, "c", "categorical"],
    ]);
    expect(study.trials.map((t) => t.params)).toEqual([
      { x: 2, c: "b" },
      { x: 2, c: "b" },
    ]);
  });

  it("sampler: relative samples are used for the parameters they cover", async () => {
    const seen: (sp.ConfigSpace<string, any, unknown> | undefined)[] = [];
    const sampler: sp.Sampler = {
      inferRelativeSearchSpace: (study) => {
        seen.push(study.space);
        return { x: new sp.FloatDistribution(0, 10) };
      },
      sampleRelative: () => ({ x: 7.5 }),
      sampleIndependent: (_s, _t, _n, d) => (d.kind === "float" ? d.low : 0),
    };
    const study = await sp.createStudy({ sampler });
    await study.optimize(
      (trial) => trial.suggestFloat("x", 0, 10) + trial.suggestFloat("y", 1, 2),
      { nTrials: 1 },
    );
    expect(study.trials[0]!.params).toEqual({ x: 7.5, y: 1 });
    expect(seen).toEqual([undefined]);
    const spaceFirst = await sp.createStudy({ sampler, space: Training });
    await spaceFirst.optimize(() => 0, { nTrials: 1 }).catch(() => undefined);
    expect(seen[1]).toBe(Training);
  });

  it("sampler: a value outside the distribution is a clear error, never used", async () => {
    const sampler: sp.Sampler = {
      inferRelativeSearchSpace: () => ({}),
      sampleRelative: () => ({}),
      sampleIndependent: () => 42,
    };
    const study = await sp.createStudy({ sampler });
    const trial = await study.ask();
    const error = expectSpaxError(
      thrown(() => trial.suggestFloat("x", 0, 1)),
      sp.TrialError,
      '"x"',
      "42",
    );
    expect(error.code).toBe("sampler_out_of_space");
    expect(trial.params).toEqual({});
  });

  it("loadIfExists continues a study; without it a duplicate name is a DuplicateStudyError", async () => {
    const storage = new sp.MemoryStorage();
    const first = await sp.createStudy({ name: "exp", storage, sampler: seeded() });
    await first.optimize(mixedObjective, { nTrials: 3 });
    const error = await rejection(sp.createStudy({ name: "exp", storage }));
    expectSpaxError(error, sp.DuplicateStudyError, '"exp"', "loadIfExists");
    const again = await sp.createStudy({ name: "exp", storage, loadIfExists: true });
    expect(again.studyId).toBe(first.studyId);
    expect(again.trials.map((t) => [t.number, t.state])).toEqual([
      [0, "COMPLETE"],
      [1, "COMPLETE"],
      [2, "COMPLETE"],
    ]);
    expect(again.bestValue).toBe(first.bestValue);
    await again.optimize(mixedObjective, { nTrials: 2 });
    expect(again.trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4]);
  });

  it("loadIfExists with other directions than stored is a clear error", async () => {
    const storage = new sp.MemoryStorage();
    await sp.createStudy({ name: "d", storage, direction: "maximize" });
    const error = await rejection(
      sp.createStudy({ name: "d", storage, direction: "minimize", loadIfExists: true }),
    );
    expectSpaxError(error, sp.SpaxError, '"d"', "maximize", "minimize");
  });

  it("loadIfExists without a direction continues the stored study as it is (as Optuna does)", async () => {
    const storage = new sp.MemoryStorage();
    const first = await sp.createStudy({ name: "m", storage, direction: "maximize" });
    await told(first, 3);
    const again = await sp.createStudy({ name: "m", storage, loadIfExists: true });
    expect(again.directions).toEqual(["maximize"]);
    expect(again.bestValue).toBe(3);
  });

  it("space: the study is space-first and records the space", async () => {
    const study = await sp.createStudy({ space: Training });
    expect(study.space).toBe(Training);
    const attrs = await study.getSystemAttrs();
    expect(attrs["spax:space"]).toEqual(Training.toJSON());
  });

  it("loadStudy, deleteStudy, getAllStudies", async () => {
    const storage = new sp.MemoryStorage();
    const s = await sp.createStudy({ name: "keep", storage, direction: "maximize" });
    await told(s, 2);
    await sp.createStudy({ name: "drop", storage });
    const loaded = await sp.loadStudy({ name: "keep", storage });
    expect(loaded.directions).toEqual(["maximize"]);
    expect(loaded.bestValue).toBe(2);
    const counts = (await sp.getAllStudies(storage)).map((x) => [x.name, x.nTrials]);
    expect(counts.sort()).toEqual([
      ["drop", 0],
      ["keep", 1],
    ]);
    await sp.deleteStudy({ name: "drop", storage });
    expect((await sp.getAllStudies(storage)).map((x) => x.name)).toEqual(["keep"]);
    expectSpaxError(
      await rejection(sp.loadStudy({ name: "drop", storage })),
      sp.SpaxError,
      '"drop"',
    );
    expectSpaxError(
      await rejection(sp.deleteStudy({ name: "drop", storage })),
      sp.SpaxError,
      '"drop"',
    );
  });
});

describe("createStudy: junk options are clear SpaxErrors (never a TypeError)", () => {
  const bad: [string, unknown, string][] = [
    ["options null", null, "options"],
    ["options number", 5, "options"],
    ["options string", "exp", "options"],
    ["name empty", { name: "" }, "name"],
    ["name number", { name: 42 }, "name"],
    ["storage number", { storage: 42 }, "storage"],
    ["storage object", { storage: {} }, "storage"],
    ["storage null", { storage: null }, "storage"],
    ["storage unknown URL", { storage: "nope://x" }, "nope://x"],
    ["direction unknown", { direction: "max" }, "max"],
    ["direction number", { direction: 1 }, "direction"],
    ["directions empty", { directions: [] }, "directions"],
    ["directions not an array", { directions: "minimize" }, "directions"],
    ["directions unknown", { directions: ["minimize", "up"] }, "up"],
    [
      "both direction and directions",
      { direction: "minimize", directions: ["minimize"] },
      "direction",
    ],
    ["sampler number", { sampler: 5 }, "sampler"],
    ["sampler string", { sampler: "tpe" }, "sampler"],
    ["sampler empty object", { sampler: {} }, "sampler"],
    ["pruner number", { pruner: 5 }, "pruner"],
    ["pruner string", { pruner: "median" }, "pruner"],
    ["space number", { space: 5 }, "space"],
    ["space not a config", { space: sp.int({ ge: 0, le: 1 }) }, "space"],
  ];
  it.each(bad)("%s", async (_what, options, part) => {
    const error = await rejection(() => sp.createStudy(options as any));
    expectSpaxError(error, sp.SpaxError, part);
  });

  it("a sampler missing the methods of the Sampler interface is rejected up front", async () => {
    const incomplete = { sampleIndependent: () => 0 };
    const error = await rejection(() => sp.createStudy({ sampler: incomplete as any }));
    expectSpaxError(error, sp.SpaxError, "sampler");
  });

  it("an unknown option (a typo) is an error, not silently ignored", async () => {
    const error = await rejection(() => sp.createStudy({ directon: "maximize" } as any));
    expectSpaxError(error, sp.SpaxError, "directon");
  });

  it("loadIfExists must be a boolean", async () => {
    const error = await rejection(() => sp.createStudy({ loadIfExists: "yes" } as any));
    expectSpaxError(error, sp.SpaxError, "loadIfExists");
  });

  it.each([
    ["null", null],
    ["a number", 5],
    ["a string seed", { seed: "1" }],
    ["a fractional seed", { seed: 1.5 }],
    ["an unknown key (typo)", { sed: 1 }],
  ])("RandomSampler options: %s is a SpaxError", (_what, junk) => {
    const error = thrown(() => new sp.RandomSampler(junk as any));
    expectSpaxError(error, sp.SpaxError);
  });
});

describe("ask / tell", () => {
  it("ask starts a RUNNING trial; tell completes it", async () => {
    const study = await sp.createStudy({ sampler: seeded() });
    const trial = await study.ask();
    expect(trial.number).toBe(0);
    expect(study.trials.map((t) => t.state)).toEqual(["RUNNING"]);
    const x = trial.suggestFloat("x", -10, 10);
    const frozen = await study.tell(trial, (x - 2) ** 2);
    expect(frozen.state).toBe("COMPLETE");
    expect(frozen.values).toEqual([(x - 2) ** 2]);
    expect(frozen.params).toEqual({ x });
    expect(frozen.datetimeComplete).toBeInstanceOf(Date);
    expect(study.trials).toHaveLength(1);
    expect(study.trials[0]!.state).toBe("COMPLETE");
    expect(study.bestParams).toEqual({ x });
  });

  it("tell by trial number", async () => {
    const study = await sp.createStudy();
    await study.ask();
    const t1 = await study.ask();
    const frozen = await study.tell(1, 3);
    expect(frozen.number).toBe(1);
    expect(frozen.trialId).toBe(t1.trialId);
    expect(study.trials.map((t) => t.state)).toEqual(["RUNNING", "COMPLETE"]);
  });

  it("concurrent asks get distinct, gap-free numbers", async () => {
    const study = await sp.createStudy();
    const trials = await Promise.all(Array.from({ length: 8 }, () => study.ask()));
    expect(trials.map((t) => t.number).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it("telling a trial twice is a TrialError; the first result stays", async () => {
    const study = await sp.createStudy();
    const trial = await study.ask();
    await study.tell(trial, 1);
    const error = await rejection(study.tell(trial, 2));
    expectSpaxError(error, sp.TrialError, "trial 0", "already");
    const byNumber = await rejection(study.tell(0, 2));
    expectSpaxError(byNumber, sp.TrialError, "trial 0");
    expect(study.trials[0]!.values).toEqual([1]);
  });

  it("tell with state PRUNED keeps the last reported value; FAIL keeps none", async () => {
    const study = await sp.createStudy();
    const a = await study.ask();
    a.report(5, 0);
    a.report(3, 2);
    a.report(4, 1);
    const pa = await study.tell(a, undefined, { state: "PRUNED" });
    expect(pa.state).toBe("PRUNED");
    expect(pa.values).toEqual([3]);
    const b = await study.ask();
    const pb = await study.tell(b, undefined, { state: "PRUNED" });
    expect([pb.state, pb.values]).toEqual(["PRUNED", undefined]);
    const c = await study.ask();
    const fc = await study.tell(c, undefined, { state: "FAIL" });
    expect([fc.state, fc.values]).toEqual(["FAIL", undefined]);
  });

  it("tell: NaN fails the trial, ±Infinity are values, a non-number fails", async () => {
    const study = await sp.createStudy();
    const nan = await study.tell(await study.ask(), Number.NaN);
    expect(nan.state).toBe("FAIL");
    expect(nan.values).toBeUndefined();
    expect(String(nan.systemAttrs.fail_reason)).toContain("NaN");
    const inf = await study.tell(await study.ask(), Number.POSITIVE_INFINITY);
    expect([inf.state, inf.values]).toEqual(["COMPLETE", [Number.POSITIVE_INFINITY]]);
    const ninf = await study.tell(await study.ask(), Number.NEGATIVE_INFINITY);
    expect([ninf.state, ninf.values]).toEqual(["COMPLETE", [Number.NEGATIVE_INFINITY]]);
    const str = await study.tell(await study.ask(), "1.5" as any);
    expect(str.state).toBe("FAIL");
    expect(String(str.systemAttrs.fail_reason)).toContain('"1.5"');
    expect(study.bestValue).toBe(Number.NEGATIVE_INFINITY);
  });

  it("tell: a junk trial argument is a SpaxError that names it", async () => {
    const study = await sp.createStudy();
    await study.ask();
    for (const junk of [null, undefined, "0", {}, 99, -1, 1.5]) {
      const error = await rejection(() => study.tell(junk as any, 1));
      expectSpaxError(error, sp.SpaxError);
      expect(error.message, String(junk)).not.toContain("trial undefined");
    }
    expect(study.trials[0]!.state).toBe("RUNNING");
  });

  it.each([
    ["null", null],
    ["a number", 5],
    ["a string", "COMPLETE"],
    ["an unknown key", { stat: "PRUNED" }],
  ])("tell: junk options (%s) are a SpaxError and leave the trial running", async (_w, options) => {
    const study = await sp.createStudy();
    const trial = await study.ask();
    const error = await rejection(() => study.tell(trial, 1, options as any));
    expectSpaxError(error, sp.SpaxError, "options");
    expect(study.trials[0]!.state).toBe("RUNNING");
    expect((await study.tell(trial, 1)).state).toBe("COMPLETE");
  });

  it.each(["DONE", "RUNNING", "WAITING", "complete"])(
    "tell: state %s is a SpaxError naming it; nothing is stored",
    async (state) => {
      const study = await sp.createStudy();
      const trial = await study.ask();
      const error = await rejection(() => study.tell(trial, 1, { state } as any));
      expectSpaxError(error, sp.SpaxError, state);
      expect((await study.storage.getTrial(trial.trialId)).state).toBe("RUNNING");
      expect((await study.tell(trial, 1)).state).toBe("COMPLETE");
    },
  );
});

describe("enqueueTrial (define-by-run)", () => {
  it("runs enqueued parameters first, in order; others are sampled", async () => {
    const study = await sp.createStudy({ sampler: seeded() });
    await study.enqueueTrial({ x: 2, c: "b" });
    await study.enqueueTrial({ x: -3.5 });
    expect(study.trials).toEqual([]); // the view is refreshed when trials start
    const seen: [number, number, string][] = [];
    await study.optimize(
      (trial) => {
        const x = trial.suggestFloat("x", -10, 10);
        const c = trial.suggestCategorical("c", ["a", "b", "c"]);
        const y = trial.suggestFloat("y", 0, 1);
        seen.push([trial.number, x, c]);
        return x + y;
      },
      { nTrials: 3 },
    );
    expect(seen[0]).toEqual([0, 2, "b"]);
    expect(seen[1]!.slice(0, 2)).toEqual([1, -3.5]);
    expect(seen).toHaveLength(3);
    const t0 = study.trials[0]!;
    expect(t0.params.x).toBe(2);
    expect(t0.params.c).toBe("b");
    expect(t0.params.y).toBeTypeOf("number");
    expect(t0.systemAttrs.fixed_params).toEqual({ x: 2, c: "b" });
  });

  it("keeps the type of categorical values (1, '1', true, null)", async () => {
    const study = await sp.createStudy();
    const choices = [1, "1", true, null] as const;
    for (const c of choices) await study.enqueueTrial({ c });
    const got: unknown[] = [];
    await study.optimize(
      (trial) => {
        got.push(trial.suggestCategorical("c", choices));
        return 0;
      },
      { nTrials: 4 },
    );
    expect(got).toEqual([1, "1", true, null]);
    for (const [i, v] of got.entries()) expect(v).toBe(choices[i]);
    for (const [i, t] of study.trials.entries()) expect(t.params.c).toBe(choices[i]);
  });

  it("stores userAttrs given at enqueue", async () => {
    const study = await sp.createStudy();
    await study.enqueueTrial({ x: 1 }, { userAttrs: { source: "baseline" } });
    await study.optimize((t) => t.suggestFloat("x", 0, 2), { nTrials: 1 });
    expect(study.trials[0]!.userAttrs).toEqual({ source: "baseline" });
  });

  const outside: [string, Record<string, unknown>, (t: sp.Trial) => unknown, string[]][] = [
    ["float out of range", { x: 20 }, (t) => t.suggestFloat("x", -10, 10), ['"x"', "20"]],
    ["float as a string", { x: "2" }, (t) => t.suggestFloat("x", -10, 10), ['"x"', '"2"']],
    [
      "float off the step grid",
      { x: 0.15 },
      (t) => t.suggestFloat("x", 0, 1, { step: 0.1 }),
      ['"x"', "0.15"],
    ],
    ["int not an integer", { n: 2.5 }, (t) => t.suggestInt("n", 0, 10), ['"n"', "2.5"]],
    ["int off the step grid", { n: 3 }, (t) => t.suggestInt("n", 0, 10, { step: 2 }), ['"n"', "3"]],
    ["int as a boolean", { n: true }, (t) => t.suggestInt("n", 0, 10), ['"n"', "true"]],
    ["categorical '1' for 1", { c: "1" }, (t) => t.suggestCategorical("c", [1, 2]), ['"c"', '"1"']],
    [
      "categorical 1 for true",
      { c: 1 },
      (t) => t.suggestCategorical("c", [true, false]),
      ['"c"', "1"],
    ],
    [
      "categorical not a choice",
      { c: "z" },
      (t) => t.suggestCategorical("c", ["a", "b"]),
      ['"c"', '"z"'],
    ],
  ];
  it.each(outside)(
    "a value outside its distribution is an error, never cast: %s",
    async (_w, params, suggest, parts) => {
      const study = await sp.createStudy();
      await study.enqueueTrial(params);
      const trial = await study.ask();
      expectSpaxError(
        thrown(() => suggest(trial)),
        sp.TrialError,
        ...parts,
      );
      expect(trial.params).toEqual({});
    },
  );

  it("in optimize, such a trial FAILs with the reason; the objective never gets a value", async () => {
    const study = await sp.createStudy();
    await study.enqueueTrial({ x: 20 });
    const got: number[] = [];
    const summary = await study.optimize(
      (trial) => {
        got.push(trial.suggestFloat("x", -10, 10));
        return 0;
      },
      { nTrials: 2 },
    );
    expect(summary).toMatchObject({ complete: 1, failed: 1, pruned: 0 });
    expect(got).toHaveLength(1); // only trial 1 (sampled) got a value
    const t0 = study.trials[0]!;
    expect(t0.state).toBe("FAIL");
    expect(String(t0.systemAttrs.fail_reason)).toContain('"x"');
    expect(String(t0.systemAttrs.fail_reason)).toContain("20");
    expect(t0.params).toEqual({});
  });

  it("junk params are clear errors naming the parameter", async () => {
    const study = await sp.createStudy();
    for (const [what, junk] of JUNK) {
      const error = await rejection(() => study.enqueueTrial(junk as any));
      expect(error, what).toBeInstanceOf(sp.SpaxError);
    }
    for (const value of [() => 1, Number.NaN, undefined, Symbol("s"), new Date(0), 1n]) {
      const error = await rejection(() => study.enqueueTrial({ x: value }));
      expectSpaxError(error, sp.SpaxError, "x");
    }
    await study.refresh();
    expect(study.trials).toEqual([]);
  });

  it.each([
    ["null", null, "options"],
    ["a number", 5, "options"],
    ["a string", "skip", "options"],
    ["an unknown key (typo)", { skipIfExist: true }, "skipIfExist"],
    ["skipIfExists not a boolean", { skipIfExists: "yes" }, "skipIfExists"],
    ["userAttrs a number", { userAttrs: 5 }, "userAttrs"],
    ["userAttrs a string", { userAttrs: "a" }, "userAttrs"],
    ["userAttrs with a function", { userAttrs: { f: () => 1 } }, "f"],
  ])("junk options (%s) are a SpaxError; nothing is queued", async (_what, options, part) => {
    const study = await sp.createStudy();
    const error = await rejection(() => study.enqueueTrial({ x: 1 }, options as any));
    expectSpaxError(error, sp.SpaxError, part);
    await study.refresh();
    expect(study.trials).toEqual([]);
  });

  it("skipIfExists: the same parameters are not queued twice", async () => {
    const study = await sp.createStudy();
    await study.enqueueTrial({ x: 1 }, { skipIfExists: true });
    await study.enqueueTrial({ x: 1 }, { skipIfExists: true });
    await study.enqueueTrial({ x: 2 }, { skipIfExists: true });
    await study.enqueueTrial({ x: 1 }); // without the option: queued
    await study.refresh();
    expect(study.trials.map((t) => [t.state, t.systemAttrs.fixed_params])).toEqual([
      ["WAITING", { x: 1 }],
      ["WAITING", { x: 2 }],
      ["WAITING", { x: 1 }],
    ]);
  });

  it("skipIfExists: a finished trial that ran the same fixed parameters counts (as in Optuna)", async () => {
    // Optuna compares with each trial's fixed_params (or params), so re-running a script that
    // enqueues its baselines does not queue them again, even when the objective suggested more.
    const study = await sp.createStudy();
    await study.enqueueTrial({ x: 1 }, { skipIfExists: true });
    await study.optimize((t) => t.suggestFloat("x", 0, 2) + t.suggestFloat("y", 0, 1), {
      nTrials: 1,
    });
    await study.enqueueTrial({ x: 1 }, { skipIfExists: true });
    await study.refresh();
    expect(study.trials.map((t) => t.state)).toEqual(["COMPLETE"]);
  });
});

describe("enqueueTrial (space-first)", () => {
  const configs: Training[] = [
    {
      layers: 3,
      units: 32,
      mixed: null,
      useDropout: true,
      dropout: 0.2,
      optimizer: { __type__: "Sgd", lr: 0.5, momentum: 0.3 },
      tag: "fixed",
    },
    {
      layers: 8,
      units: 256,
      mixed: 1,
      useDropout: false,
      dropout: 0,
      optimizer: { __type__: "Adam", lr: 1e-5, beta1: 0.99 },
      tag: "fixed",
    },
    {
      layers: 1,
      units: 16,
      mixed: "1",
      useDropout: false,
      dropout: 0,
      optimizer: { __type__: "Adam", lr: 0.1, beta1: 0.8 },
      tag: "fixed",
    },
    {
      layers: 2,
      units: 48,
      mixed: true,
      useDropout: true,
      dropout: 0.5,
      optimizer: { __type__: "Sgd", lr: 1, momentum: 0.9 },
      tag: "fixed",
    },
  ];

  it("an enqueued typed config is exactly the config the objective gets", async () => {
    const study = await sp.createStudy({ space: Training, sampler: seeded() });
    for (const c of configs) await study.enqueueTrial(c);
    const got: Training[] = [];
    await study.optimize(
      (cfg) => {
        got.push(cfg);
        return cfg.layers;
      },
      { nTrials: 4 },
    );
    expect(got).toEqual(configs);
    for (const [i, g] of got.entries()) expect(g.mixed).toBe(configs[i]!.mixed);
    expect(study.trials.map((t) => t.params["Training.mixed"])).toEqual([null, 1, "1", true]);
    expect(study.trials[0]!.params).toEqual({
      "Training.layers": 3,
      "Training.mixed": null,
      "Training.optimizer": "Sgd",
      "Training.optimizer::Sgd.lr": 0.5,
      "Training.optimizer::Sgd.momentum": 0.3,
      "Training.units": 32,
      "Training.useDropout": true,
      "Training.dropout::true_branch": 0.2,
    });
    expect(study.bestConfig).toEqual(configs[2]);
  });

  it("a config may omit fixed fields (they are filled in)", async () => {
    const study = await sp.createStudy({ space: Training });
    const { tag: _tag, ...withoutTag } = configs[0]!;
    await study.enqueueTrial(withoutTag);
    let got: Training | undefined;
    await study.optimize(
      (cfg) => {
        got = cfg;
        return 0;
      },
      { nTrials: 1 },
    );
    expect(got).toEqual(configs[0]);
  });

  it("partial parameters by SpaX name: those are fixed, the rest sampled", async () => {
    const study = await sp.createStudy({ space: Training, sampler: seeded(3) });
    await study.enqueueTrial({ "Training.layers": 7, "Training.useDropout": false });
    let got: Training | undefined;
    await study.optimize(
      (cfg) => {
        got = cfg;
        return 0;
      },
      { nTrials: 1 },
    );
    expect(got!.layers).toBe(7);
    expect(got!.useDropout).toBe(false);
    expect(got!.dropout).toBe(0);
    expect(Training.parse(got)).toEqual(got);
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ["int out of range", { ...configs[0], layers: 9 }, "layers"],
    ["int as a string", { ...configs[0], layers: "3" }, "layers"],
    ["float off the step grid", { ...configs[0], units: 40 }, "units"],
    ["categorical of the wrong type", { ...configs[0], mixed: "true" }, "mixed"],
    ["a value for the inactive branch", { ...configs[1], dropout: 0.3 }, "dropout"],
    ["an unknown field", { ...configs[0], extra: 1 }, "extra"],
    [
      "a wrong config choice",
      { ...configs[0], optimizer: { __type__: "Rmsprop", lr: 0.1 } },
      "optimizer",
    ],
  ];
  it.each(invalid)("an invalid config is rejected at enqueue: %s", async (_what, config, part) => {
    const study = await sp.createStudy({ space: Training });
    const error = await rejection(() => study.enqueueTrial(config));
    expectSpaxError(error, sp.SpaxError, part);
    await study.refresh();
    expect(study.trials).toEqual([]);
  });

  /**
   * A partial enqueue by SpaX name with a bad value: either enqueueTrial rejects it, or the
   * trial fails naming the parameter — the objective never runs with a cast or resampled value.
   */
  async function expectNeverUsed(params: Record<string, unknown>, name: string) {
    const study = await sp.createStudy({ space: Training });
    const enqueued = await study.enqueueTrial(params).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (enqueued !== undefined) {
      expectSpaxError(enqueued, sp.SpaxError, name);
      return;
    }
    let ran = false;
    await study.optimize(
      () => {
        ran = true;
        return 0;
      },
      { nTrials: 1 },
    );
    expect(ran).toBe(false);
    expect(study.trials[0]!.state).toBe("FAIL");
    expect(String(study.trials[0]!.systemAttrs.fail_reason)).toContain(name);
  }

  it("partial parameters by SpaX name: a value outside the space is never used", async () => {
    await expectNeverUsed({ "Training.layers": 9 }, "Training.layers");
    await expectNeverUsed({ "Training.layers": "3" }, "Training.layers");
    await expectNeverUsed({ "Training.mixed": "true" }, "Training.mixed");
    await expectNeverUsed({ "Training.optimizer": "Rmsprop" }, "Training.optimizer");
  });

  it("partial parameters by SpaX name: an unknown name is an error at enqueue", async () => {
    const study = await sp.createStudy({ space: Training });
    const error = await rejection(() => study.enqueueTrial({ "Training.nope": 1 }));
    expectSpaxError(error, sp.SpaxError, "Training.nope");
  });

  it("skipIfExists with a typed config", async () => {
    const study = await sp.createStudy({ space: Training });
    await study.enqueueTrial(configs[0]!, { skipIfExists: true });
    await study.enqueueTrial(configs[0]!, { skipIfExists: true });
    await study.enqueueTrial(configs[1]!, { skipIfExists: true });
    await study.optimize(() => 0, { nTrials: 2 });
    await study.enqueueTrial(configs[0]!, { skipIfExists: true });
    await study.refresh();
    expect(study.trials.map((t) => t.state)).toEqual(["COMPLETE", "COMPLETE"]);
  });
});

describe("two workers on one storage", () => {
  it("share the numbering and the queue: each enqueued trial runs once; seeded draws match a single run", async () => {
    const storage = new sp.MemoryStorage();
    const a = await sp.createStudy({ name: "shared", storage, sampler: seeded(21) });
    const b = await sp.loadStudy({ name: "shared", storage, sampler: seeded(21) });
    for (let i = 0; i < 6; i++) await a.enqueueTrial({ id: i });
    const objective = async (trial: sp.Trial) => {
      await new Promise((r) => setTimeout(r, Math.random() * 4));
      trial.suggestInt("id", 0, 1_000_000);
      return trial.suggestFloat("x", 0, 1);
    };
    await Promise.all([
      a.optimize(objective, { nTrials: 10, concurrency: 2 }),
      b.optimize(objective, { nTrials: 10, concurrency: 2 }),
    ]);
    const all = await storage.getAllTrials(a.studyId);
    expect(all.map((t) => t.number)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(all.every((t) => t.state === "COMPLETE")).toBe(true);
    const queued = all.filter((t) => t.systemAttrs.fixed_params !== undefined);
    expect(queued.map((t) => t.params.id).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(queued.map((t) => t.number).sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5]);
    // Trials 6..19 were sampled: (seed, number) decides, whichever worker ran them.
    const single = await sp.createStudy({ sampler: seeded(21) });
    for (let i = 0; i < 6; i++) await single.enqueueTrial({ id: i });
    await single.optimize(objective, { nTrials: 20 });
    const sampled = (ts: readonly sp.FrozenTrial[]) =>
      ts.slice(6).map((t) => [t.number, t.params.id, t.params.x]);
    expect(sampled(all)).toEqual(sampled(single.trials));
    await a.refresh();
    expect(a.trials).toHaveLength(20);
  });
});

describe("bestTrial, bestValue, bestParams, bestConfig, trials", () => {
  it("minimize: the first trial with the lowest value; FAIL and PRUNED trials are ignored", async () => {
    const study = await sp.createStudy();
    await told(study, 3);
    await told(study, 1);
    await told(study, 2);
    await told(study, 1);
    const pruned = await study.ask();
    pruned.report(-100, 0);
    await study.tell(pruned, undefined, { state: "PRUNED" });
    await study.tell(await study.ask(), undefined, { state: "FAIL" });
    expect(study.bestTrial.number).toBe(1);
    expect(study.bestValue).toBe(1);
    expect(study.bestParams).toEqual(study.trials[1]!.params);
    expect(study.trials.map((t) => t.state)).toEqual([
      "COMPLETE",
      "COMPLETE",
      "COMPLETE",
      "COMPLETE",
      "PRUNED",
      "FAIL",
    ]);
    expect(study.trials[4]!.values).toEqual([-100]);
  });

  it("±Infinity take part", async () => {
    const min = await sp.createStudy();
    await told(min, 0);
    await told(min, Number.NEGATIVE_INFINITY);
    expect(min.bestValue).toBe(Number.NEGATIVE_INFINITY);
    const max = await sp.createStudy({ direction: "maximize" });
    await told(max, 0);
    await told(max, Number.POSITIVE_INFINITY);
    expect(max.bestTrial.number).toBe(1);
  });

  it("without a completed trial, best* are SpaxErrors naming the study", async () => {
    const study = await sp.createStudy({ name: "empty" });
    await study.tell(await study.ask(), undefined, { state: "FAIL" });
    for (const get of [() => study.bestTrial, () => study.bestValue, () => study.bestParams]) {
      expectSpaxError(thrown(get), sp.SpaxError, "empty");
    }
  });

  it("bestConfig needs a space-first study", async () => {
    const study = await sp.createStudy();
    await told(study, 1);
    expectSpaxError(
      thrown(() => study.bestConfig),
      sp.SpaxError,
      "space",
    );
  });

  it("bestConfig of a space-first study is the typed config the best trial ran with", async () => {
    const study = await sp.createStudy({
      space: Training,
      direction: "maximize",
      sampler: seeded(5),
    });
    const byNumber = new Map<number, Training>();
    await study.optimize(
      (cfg, trial) => {
        byNumber.set(trial.number, cfg);
        return cfg.layers * 10 + (cfg.useDropout ? cfg.dropout : 0);
      },
      { nTrials: 15 },
    );
    expect(study.bestConfig).toEqual(byNumber.get(study.bestTrial.number));
    for (const t of study.trials) expect(study.configOf(t)).toEqual(byNumber.get(t.number));
  });

  it("trials: every trial in number order, including waiting and running ones", async () => {
    const study = await sp.createStudy();
    await told(study, 1);
    const running = await study.ask();
    await study.enqueueTrial({ x: 1 });
    await study.refresh();
    expect(study.trials.map((t) => [t.number, t.state])).toEqual([
      [0, "COMPLETE"],
      [1, "RUNNING"],
      [2, "WAITING"],
    ]);
    await study.tell(running, 0);
    expect(study.trials[1]!.state).toBe("COMPLETE");
  });
});

describe("multi-objective", () => {
  it("bestTrials is the Pareto front (duplicates kept, failed trials ignored)", async () => {
    const study = await sp.createStudy({ directions: ["minimize", "maximize"] });
    const points: [number, number][] = [
      [1, 1],
      [2, 3],
      [3, 2],
      [0, 0],
      [1, 1],
      [2, 2],
      [5, 3],
    ];
    for (const p of points) await told(study, p);
    await study.tell(await study.ask(), [Number.NaN, 100]);
    await study.tell(await study.ask(), [-1, 100, 7] as any);
    expect(study.bestTrials.map((t) => t.number)).toEqual([0, 1, 3, 4]);
    expect(study.trials.slice(7).map((t) => t.state)).toEqual(["FAIL", "FAIL"]);
    expectSpaxError(
      thrown(() => study.bestTrial),
      sp.SpaxError,
      "directions",
    );
  });

  it("with infinite values", async () => {
    const study = await sp.createStudy({ directions: ["maximize", "maximize"] });
    await told(study, [Number.POSITIVE_INFINITY, 0]);
    await told(study, [0, Number.POSITIVE_INFINITY]);
    await told(study, [1, 1]);
    await told(study, [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect(study.bestTrials.map((t) => t.number)).toEqual([0, 1, 2]);
  });

  it("for one objective, bestTrials are the trials with the best value", async () => {
    const study = await sp.createStudy();
    for (const v of [2, 1, 3, 1]) await told(study, v);
    expect(study.bestTrials.map((t) => t.number)).toEqual([1, 3]);
  });

  it("optimize: the objective returns one value per direction; anything else fails", async () => {
    const study = await sp.createStudy({ directions: ["minimize", "minimize"], sampler: seeded() });
    const summary = await study.optimize(
      (trial) => {
        const x = trial.suggestFloat("x", 0, 1);
        if (trial.number === 1) return x;
        if (trial.number === 2) return [x];
        if (trial.number === 3) return [x, x, x];
        return [x, 1 - x];
      },
      { nTrials: 5 },
    );
    expect(summary).toMatchObject({ complete: 2, failed: 3 });
    expect(study.trials.map((t) => t.state)).toEqual([
      "COMPLETE",
      "FAIL",
      "FAIL",
      "FAIL",
      "COMPLETE",
    ]);
    for (const t of study.trials.filter((t) => t.state === "FAIL"))
      expect(String(t.systemAttrs.fail_reason)).toContain("2 numbers");
    const x0 = study.trials[0]!.params.x as number;
    expect(study.trials[0]!.values).toEqual([x0, 1 - x0]);
    expect(study.bestTrials.map((t) => t.number)).toEqual([0, 4]);
  });
});

describe("user attributes", () => {
  it("study attributes are stored and survive a reload", async () => {
    const storage = new sp.MemoryStorage();
    const study = await sp.createStudy({ name: "attrs", storage });
    await study.setUserAttr("owner", "me");
    await study.setUserAttr("config", { a: [1, 2], b: null });
    await study.setUserAttr("owner", "you");
    expect(await study.getUserAttrs()).toEqual({ owner: "you", config: { a: [1, 2], b: null } });
    const loaded = await sp.loadStudy({ name: "attrs", storage });
    expect(await loaded.getUserAttrs()).toEqual({ owner: "you", config: { a: [1, 2], b: null } });
  });

  it("study attributes: a value that is not JSON-like is a SpaxError naming the key", async () => {
    const study = await sp.createStudy();
    for (const junk of [() => 1, Number.NaN, undefined, new Date(0), 1n, { f: () => 1 }]) {
      const error = await rejection(() => study.setUserAttr("k", junk as any));
      expectSpaxError(error, sp.SpaxError, "k");
    }
    expect(await study.getUserAttrs()).toEqual({});
  });

  it("study attributes: a key that is not a string is a SpaxError", async () => {
    const study = await sp.createStudy();
    for (const key of [5, null, undefined, {}]) {
      const error = await rejection(() => study.setUserAttr(key as any, 1));
      expectSpaxError(error, sp.SpaxError, "key");
    }
    expect(await study.getUserAttrs()).toEqual({});
  });

  it("trial attributes are set from the objective and stored with the trial", async () => {
    const study = await sp.createStudy();
    await study.optimize(
      (trial) => {
        trial.setUserAttr("epoch_times", [1.5, 2]);
        trial.setUserAttr("note", `trial ${trial.number}`);
        expect(trial.userAttrs.note).toBe(`trial ${trial.number}`);
        return 0;
      },
      { nTrials: 2 },
    );
    expect(study.trials.map((t) => t.userAttrs)).toEqual([
      { epoch_times: [1.5, 2], note: "trial 0" },
      { epoch_times: [1.5, 2], note: "trial 1" },
    ]);
    const stored = await study.storage.getAllTrials(study.studyId);
    expect(stored[1]!.userAttrs).toEqual({ epoch_times: [1.5, 2], note: "trial 1" });
  });

  it("trial attributes: junk is a SpaxError; after the trial finished a TrialError", async () => {
    const study = await sp.createStudy();
    const trial = await study.ask();
    for (const junk of [() => 1, Number.NaN, undefined, 1n]) {
      expectSpaxError(
        thrown(() => trial.setUserAttr("k", junk as any)),
        sp.SpaxError,
        "k",
      );
    }
    await study.tell(trial, 1);
    expectSpaxError(
      thrown(() => trial.setUserAttr("late", 1)),
      sp.TrialError,
      "trial 0",
      "finished",
    );
    expect(study.trials[0]!.userAttrs).toEqual({});
  });
});
