/**
 * TPESampler on studies: determinism, validity, startup, modes (univariate, multivariate,
 * group, constant liar), space-first conditional spaces, constraints, pruning, several
 * objectives, option checks and a small quality check.
 */
import { describe, expect, it } from "vitest";
import { SpaxError } from "../../../src/errors.js";
import * as sp from "../../../src/index.js";
import type { FrozenTrial } from "../../../src/study/frozen-trial.js";
import { TPESampler, type TPESamplerOptions } from "../../../src/study/samplers/tpe/index.js";
import { SpaceStructure } from "../../../src/study/space-structure.js";

/** A define-by-run objective over every kind of parameter, with a conditional one. */
function mixedObjective(trial: sp.Trial): number {
  const x = trial.suggestFloat("x", -5, 5);
  const lr = trial.suggestFloat("lr", 1e-5, 1e-1, { log: true });
  const drop = trial.suggestFloat("drop", 0, 0.5, { step: 0.1 });
  const k = trial.suggestInt("k", 1, 20);
  const batch = trial.suggestInt("batch", 16, 256, { step: 16 });
  const units = trial.suggestInt("units", 8, 512, { log: true });
  const opt = trial.suggestCategorical("opt", ["adam", "sgd", 3, null]);
  let extra = 0;
  if (opt === "sgd") extra = trial.suggestFloat("momentum", 0, 1);
  return (
    (x - 1) ** 2 +
    (Math.log10(lr) + 3) ** 2 +
    drop +
    Math.abs(k - 7) / 10 +
    batch / 256 +
    Math.abs(Math.log2(units) - 6) / 5 +
    (opt === "adam" ? 0 : 0.5) +
    extra
  );
}

async function run(
  options: TPESamplerOptions,
  nTrials: number,
  objective: (trial: sp.Trial) => number = mixedObjective,
): Promise<{ study: sp.Study; sampler: TPESampler }> {
  const sampler = new TPESampler(options);
  const study = await sp.createStudy({ sampler });
  await study.optimize(objective, { nTrials, showProgressBar: false });
  return { study, sampler };
}

const paramsOf = (trials: readonly FrozenTrial[]) => trials.map((t) => t.params);

const Linear = sp.config("Linear", {
  c: sp.float({ ge: 1e-4, le: 1e2, log: true }),
  l1: sp.float({ ge: 0, le: 1 }),
});
const Mlp = sp.config("Mlp", {
  lr: sp.float({ ge: 1e-5, le: 1e-1, log: true }),
  layers: sp.int({ ge: 1, le: 4 }),
  units: sp.conditional(sp.field("layers").gt(1), {
    true: sp.int({ ge: 8, le: 512, log: true }),
    false: null,
  }),
});
const Model = sp.config("Model", {
  model: sp.categorical([Linear, Mlp]),
  batch: sp.int({ ge: 16, le: 256, step: 16 }),
  act: sp.categorical(["relu", "tanh"]),
});
type ModelConfig = sp.Infer<typeof Model>;

function modelLoss(c: ModelConfig): number {
  const m = c.model as any;
  const base = Math.abs(c.batch - 64) / 256 + (c.act === "relu" ? 0 : 0.1);
  if (m.__type__ === "Linear") return 0.3 + (Math.log10(m.c) / 6) ** 2 + (m.l1 - 0.2) ** 2 + base;
  const units = m.units === null ? 0.3 : ((Math.log2(m.units) - 7) / 6) ** 2;
  return ((Math.log10(m.lr) + 3) / 4) ** 2 + units + base;
}

async function runSpace(options: TPESamplerOptions, nTrials: number) {
  const sampler = new TPESampler(options);
  const study = await sp.createStudy({ sampler, space: Model });
  await study.optimize((c) => modelLoss(c), { nTrials, showProgressBar: false });
  return { study, sampler };
}

describe("determinism", () => {
  it("the same seed gives the same trials; another seed other trials", async () => {
    const a = await run({ seed: 3 }, 30);
    const b = await run({ seed: 3 }, 30);
    const c = await run({ seed: 4 }, 30);
    expect(paramsOf(a.study.trials)).toEqual(paramsOf(b.study.trials));
    expect(paramsOf(a.study.trials.slice(10))).not.toEqual(paramsOf(c.study.trials.slice(10)));
  });

  it.each([
    ["univariate", {}],
    ["multivariate", { multivariate: true }],
    ["group", { multivariate: true, group: true }],
  ] as const)("%s: 25 + 25 across a rebuilt study equals 50 in one go", async (_, extra) => {
    const once = await run({ seed: 11, ...extra }, 50);
    const storage = new sp.MemoryStorage();
    const first = await sp.createStudy({
      storage,
      name: "resume",
      sampler: new TPESampler({ seed: 11, ...extra }),
    });
    await first.optimize(mixedObjective, { nTrials: 25, showProgressBar: false });
    const second = await sp.createStudy({
      storage,
      name: "resume",
      loadIfExists: true,
      sampler: new TPESampler({ seed: 11, ...extra }),
    });
    await second.optimize(mixedObjective, { nTrials: 25, showProgressBar: false });
    expect(paramsOf(second.trials)).toEqual(paramsOf(once.study.trials));
  });

  it("space-first: 25 + 25 equals 50 (multivariate, conditional space)", async () => {
    const once = await runSpace({ seed: 5, multivariate: true }, 50);
    const storage = new sp.MemoryStorage();
    for (let i = 0; i < 2; i++) {
      const study = await sp.createStudy({
        storage,
        name: "s",
        loadIfExists: true,
        space: Model,
        sampler: new TPESampler({ seed: 5, multivariate: true }),
      });
      await study.optimize((c) => modelLoss(c), { nTrials: 25, showProgressBar: false });
      if (i === 1) expect(paramsOf(study.trials)).toEqual(paramsOf(once.study.trials));
    }
  });
});

describe("validity and startup", () => {
  it("every value lies in its distribution (bounds, ints, steps, log, categoricals)", async () => {
    for (const extra of [{}, { multivariate: true }, { multivariate: true, group: true }]) {
      const { study } = await run({ seed: 1, ...extra }, 80);
      expect(study.trials.every((t) => t.state === "COMPLETE")).toBe(true);
      for (const t of study.trials) {
        for (const [name, v] of Object.entries(t.params)) {
          expect(t.distributions[name]!.contains(v)).toBe(true);
        }
        const p = t.params as Record<string, any>;
        expect(Number.isInteger(p.k) && p.k >= 1 && p.k <= 20).toBe(true);
        expect((p.batch - 16) % 16).toBe(0);
        expect(p.lr).toBeGreaterThanOrEqual(1e-5);
        expect(p.lr).toBeLessThanOrEqual(1e-1);
        expect([0, 0.1, 0.2, 0.3, 0.4, 0.5]).toContain(p.drop);
        expect(["adam", "sgd", 3, null]).toContain(p.opt);
      }
    }
  });

  it("the startup trials are the RandomSampler's draws for the same seed", async () => {
    const tpe = await run({ seed: 9 }, 10);
    const random = await sp.createStudy({ sampler: new sp.RandomSampler({ seed: 9 }) });
    await random.optimize(mixedObjective, { nTrials: 10, showProgressBar: false });
    expect(paramsOf(tpe.study.trials)).toEqual(paramsOf(random.trials));
    expect(tpe.sampler.stats.randomDraws).toBeGreaterThanOrEqual(70);
    expect(tpe.sampler.stats.independentTpe).toBe(0);
  });

  it("nStartupTrials counts COMPLETE and PRUNED trials", async () => {
    const sampler = new TPESampler({ seed: 2, nStartupTrials: 4 });
    const study = await sp.createStudy({ sampler });
    await study.optimize(
      (trial) => {
        const x = trial.suggestFloat("x", 0, 1);
        trial.report(x, 0);
        if (trial.number % 2 === 1) throw new sp.TrialPruned();
        return x;
      },
      { nTrials: 12, showProgressBar: false },
    );
    expect(study.trials.filter((t) => t.state === "PRUNED").length).toBe(6);
    expect(sampler.stats.randomDraws).toBe(4);
    expect(sampler.stats.independentTpe).toBe(8);
  });
});

describe("modes", () => {
  it("univariate samples each parameter on its own", async () => {
    const { sampler } = await run({ seed: 1 }, 40);
    expect(sampler.stats.independentTpe).toBeGreaterThan(200);
    expect(sampler.stats.relativeParams).toBe(0);
  });

  it("multivariate samples the intersection space jointly; a conditional parameter falls back", async () => {
    const { sampler } = await run({ seed: 1, multivariate: true }, 40);
    // 30 trials × 7 parameters every trial has.
    expect(sampler.stats.relativeParams).toBe(30 * 7);
    // "momentum" (only when opt is "sgd") is outside the intersection: Optuna's fallback.
    expect(sampler.stats.independentFallbacks).toBeGreaterThan(0);
  });

  it("group samples co-occurring groups jointly, the conditional one too", async () => {
    const { study, sampler } = await run({ seed: 1, multivariate: true, group: true }, 60);
    const sgd = study.trials.slice(10).filter((t) => t.params.opt === "sgd").length;
    expect(sampler.stats.relativeParams).toBeGreaterThan(50 * 7);
    // Only a trial's first use of "momentum" after the groups were formed can fall back.
    expect(sampler.stats.independentFallbacks).toBeLessThan(Math.max(sgd, 1));
  });

  it("constant liar: RUNNING trials count as bad observations", async () => {
    const sample = async (constantLiar: boolean) => {
      const study = await sp.createStudy({ sampler: new TPESampler({ seed: 4, constantLiar }) });
      for (let i = 0; i < 10; i++) {
        const t = await study.ask();
        await study.tell(t, (t.suggestFloat("x", -10, 10) - 3) ** 2);
      }
      const running: sp.Trial[] = [];
      for (let i = 0; i < 3; i++) {
        const t = await study.ask();
        t.suggestFloat("x", -10, 10);
        running.push(t);
      }
      const t = await study.ask();
      return t.suggestFloat("x", -10, 10);
    };
    expect(await sample(true)).not.toBe(await sample(false));
  });

  it("constant liar with concurrency: trials run in parallel and never repeat", async () => {
    for (const multivariate of [false, true]) {
      const sampler = new TPESampler({ seed: 8, constantLiar: true, multivariate });
      const study = await sp.createStudy({ sampler });
      await study.optimize(
        async (trial) => {
          const x = trial.suggestFloat("x", -10, 10);
          const y = trial.suggestInt("y", 0, 1000);
          await new Promise((r) => setTimeout(r, 1));
          return x * x + Math.abs(y - 500) / 100;
        },
        { nTrials: 40, concurrency: 4, showProgressBar: false },
      );
      expect(study.trials.filter((t) => t.state === "COMPLETE").length).toBe(40);
      const keys = new Set(study.trials.map((t) => JSON.stringify(t.params)));
      expect(keys.size).toBe(40);
      if (multivariate) {
        const published = study.trials.filter((t) => t.systemAttrs["tpe:relative_params"]);
        expect(published.length).toBeGreaterThan(0);
      }
    }
  });
});

describe("space-first studies: the known tree", () => {
  it("derives groups from the space's branch paths", () => {
    const s = new SpaceStructure(Model);
    expect([...s.groups.entries()]).toEqual([
      ["", ["Model.model", "Model.batch", "Model.act"]],
      ["|Model.model=Linear", ["Model.model::Linear.c", "Model.model::Linear.l1"]],
      // SpaX's order: "layers" first, as a condition reads it.
      ["|Model.model=Mlp", ["Model.model::Mlp.layers", "Model.model::Mlp.lr"]],
      ["|Model.model=Mlp|Model.model::Mlp.units?true", ["Model.model::Mlp.units::true_branch"]],
    ]);
  });

  it.each([
    ["multivariate", { multivariate: true }],
    ["group", { multivariate: true, group: true }],
  ] as const)("%s: no parameter ever falls back to independent sampling", async (_, extra) => {
    const { study, sampler } = await runSpace({ seed: 3, ...extra }, 80);
    expect(sampler.stats.independentFallbacks).toBe(0);
    expect(sampler.stats.independentTpe).toBe(0);
    // Every parameter of the 70 modelled trials was sampled jointly (or drawn at random while
    // its branch was new).
    const asked = study.trials.slice(10).reduce((n, t) => n + Object.keys(t.params).length, 0);
    expect(
      sampler.stats.relativeParams + sampler.stats.randomDraws - 10 * 3,
    ).toBeGreaterThanOrEqual(asked);
    expect(sampler.stats.relativeParams).toBeGreaterThan(asked / 2);
  });

  it("define-by-run, the same conditional objective makes multivariate TPE fall back", async () => {
    const sampler = new TPESampler({ seed: 3, multivariate: true });
    const study = await sp.createStudy({ sampler });
    await study.optimize((trial) => modelLoss(Model.fromTrial(trial)), {
      nTrials: 60,
      showProgressBar: false,
    });
    expect(sampler.stats.independentFallbacks).toBeGreaterThan(20);
  });

  it("univariate: branch parameters are modelled on their branch's trials", async () => {
    const { study, sampler } = await runSpace({ seed: 2 }, 80);
    expect(sampler.stats.independentTpe).toBeGreaterThan(150);
    const best = study.bestValue;
    expect(best).toBeLessThan(0.2);
  });

  it("enqueued values are honoured when walking the tree", async () => {
    const sampler = new TPESampler({ seed: 1, multivariate: true, nStartupTrials: 3 });
    const study = await sp.createStudy({ sampler, space: Model });
    await study.optimize((c) => modelLoss(c), { nTrials: 5, showProgressBar: false });
    await study.enqueueTrial({ "Model.model": "Linear" });
    await study.optimize((c) => modelLoss(c), { nTrials: 1, showProgressBar: false });
    const last = study.trials.at(-1)!;
    expect(last.params["Model.model"]).toBe("Linear");
    expect(Object.keys(last.params)).toContain("Model.model::Linear.c");
    expect(sampler.stats.independentFallbacks).toBe(0);
  });
});

describe("constraints, pruning, several objectives", () => {
  it("stores constraint values and prefers feasible trials", async () => {
    // Minimize x subject to x >= 0.5: the constrained optimum is on the boundary.
    const feasibleShare = async (constrained: boolean) => {
      const sampler = new TPESampler({
        seed: 6,
        ...(constrained
          ? { constraintsFunc: (t: FrozenTrial) => [0.5 - (t.params.x as number)] }
          : {}),
      });
      const study = await sp.createStudy({ sampler });
      await study.optimize((trial) => trial.suggestFloat("x", 0, 1), {
        nTrials: 60,
        showProgressBar: false,
      });
      if (constrained) {
        const t = study.trials[0]!;
        expect(t.systemAttrs.constraints).toEqual([0.5 - (t.params.x as number)]);
      }
      const late = study.trials.slice(30);
      return late.filter((t) => (t.params.x as number) >= 0.5).length / late.length;
    };
    const constrained = await feasibleShare(true);
    expect(constrained).toBeGreaterThan((await feasibleShare(false)) + 0.3);
  });

  it("pruned trials take part (ranked after complete ones)", async () => {
    const sampler = new TPESampler({ seed: 3 });
    const study = await sp.createStudy({ sampler });
    await study.optimize(
      (trial) => {
        const x = trial.suggestFloat("x", -5, 5);
        for (let step = 0; step < 3; step++) {
          trial.report(x * x + 3 - step, step);
          if (x > 3 && step === 1) throw new sp.TrialPruned();
        }
        return x * x;
      },
      { nTrials: 50, showProgressBar: false },
    );
    expect(study.trials.some((t) => t.state === "PRUNED")).toBe(true);
    expect(Math.abs(study.bestParams.x as number)).toBeLessThan(1);
  });

  it("several objectives: below by non-domination rank", async () => {
    const sampler = new TPESampler({ seed: 2 });
    const study = await sp.createStudy({ sampler, directions: ["minimize", "maximize"] });
    await study.optimize(
      (trial) => {
        const x = trial.suggestFloat("x", 0, 1);
        const y = trial.suggestFloat("y", 0, 1);
        return [x * x + y, (1 - x) ** 2 - y];
      },
      { nTrials: 40, showProgressBar: false },
    );
    expect(study.trials.every((t) => t.state === "COMPLETE")).toBe(true);
    expect(study.bestTrials.length).toBeGreaterThan(0);
  });
});

describe("options", () => {
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return e instanceof SpaxError ? e.code : String(e);
    }
    return undefined;
  };
  it("rejects bad options with clear errors", () => {
    expect(code(() => new TPESampler({ group: true }))).toBe("invalid_option");
    expect(code(() => new TPESampler({ nStartupTrials: -1 }))).toBe("invalid_option");
    expect(code(() => new TPESampler({ nEiCandidates: 0 }))).toBe("invalid_option");
    expect(code(() => new TPESampler({ priorWeight: 0 }))).toBe("invalid_option");
    expect(code(() => new TPESampler({ gamma: 3 as never }))).toBe("invalid_option");
    expect(code(() => new TPESampler({ multivarite: true } as never))).toBe("invalid_option");
    expect(code(() => new TPESampler({ seed: 1.5 }))).toBe("invalid_seed");
  });

  it("custom gamma and weights are used, and checked", async () => {
    const { study } = await run(
      { seed: 1, gamma: (n) => Math.min(n, 3), weights: (n) => new Array(n).fill(2) },
      20,
    );
    expect(study.trials.length).toBe(20);
    const sampler = new TPESampler({ seed: 1, nStartupTrials: 1, gamma: () => -1 });
    const bad = await sp.createStudy({ sampler });
    const summary = await bad.optimize((t) => t.suggestFloat("x", 0, 1), {
      nTrials: 3,
      showProgressBar: false,
    });
    expect(summary.failed).toBe(2);
    expect(bad.trials[1]!.systemAttrs.fail_reason).toMatch(/gamma/);
  });
});

describe("quality", () => {
  it("beats random search clearly on Branin at 100 trials", async () => {
    const branin = (trial: sp.Trial) => {
      const x = trial.suggestFloat("x", -5, 10);
      const y = trial.suggestFloat("y", 0, 15);
      const b = 5.1 / (4 * Math.PI ** 2);
      const c = 5 / Math.PI;
      return (y - b * x * x + c * x - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x) + 10;
    };
    const optimum = 0.3978873577297384;
    const regrets = async (make: (seed: number) => sp.Sampler) => {
      const out: number[] = [];
      for (let seed = 1; seed <= 5; seed++) {
        const study = await sp.createStudy({ sampler: make(seed) });
        await study.optimize(branin, { nTrials: 100, showProgressBar: false });
        out.push(study.bestValue - optimum);
      }
      return out.sort((a, b) => a - b)[2]!;
    };
    const tpe = await regrets((seed) => new TPESampler({ seed }));
    const random = await regrets((seed) => new sp.RandomSampler({ seed }));
    expect(tpe).toBeLessThan(random / 3);
  });
});
