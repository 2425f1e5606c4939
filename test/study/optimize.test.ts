/**
 * study.optimize: nTrials / timeout / concurrency / callbacks / stop, determinism across
 * resumes and under concurrency, faults (throwing objectives, NaN, ±Infinity, non-numbers),
 * Ctrl-C in a child process, and the progress bar.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as sp from "../../src/index.js";
import { ProgressBar } from "../../src/study/progress.js";
import { expectSpaxError, mixedObjective, rejection, sleep, Training } from "./fixtures/helpers.js";

const seeded = (seed = 1) => new sp.RandomSampler({ seed });

/** Params (and distributions) per trial number, for comparisons. */
const paramsOf = (study: sp.Study<any>) =>
  study.trials.map((t) => ({
    number: t.number,
    params: t.params,
    distributions: Object.fromEntries(
      Object.entries(t.distributions).map(([k, d]) => [k, sp.distributionToJSON(d)]),
    ),
  }));

describe("optimize: nTrials, concurrency, callbacks, stop", () => {
  it("runs nTrials trials and returns the summary", async () => {
    const study = await sp.createStudy({ sampler: seeded() });
    const summary = await study.optimize(mixedObjective, { nTrials: 7 });
    expect(summary).toMatchObject({
      complete: 7,
      pruned: 0,
      failed: 0,
      interrupted: false,
      timedOut: false,
    });
    expect(summary.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(study.trials.map((t) => [t.number, t.state])).toEqual(
      Array.from({ length: 7 }, (_, i) => [i, "COMPLETE"]),
    );
    // nTrials counts per call.
    await study.optimize(mixedObjective, { nTrials: 3 });
    expect(study.trials).toHaveLength(10);
  });

  it("the summary counts complete, pruned and failed trials", async () => {
    const study = await sp.createStudy();
    const summary = await study.optimize(
      (trial) => {
        trial.report(trial.number, 0);
        if (trial.number % 3 === 1) throw new sp.TrialPruned();
        if (trial.number % 3 === 2) throw new Error(`boom ${trial.number}`);
        return trial.number;
      },
      { nTrials: 9 },
    );
    expect(summary).toMatchObject({ complete: 3, pruned: 3, failed: 3, interrupted: false });
    expect(study.trials.map((t) => t.state)).toEqual([
      "COMPLETE",
      "PRUNED",
      "FAIL",
      "COMPLETE",
      "PRUNED",
      "FAIL",
      "COMPLETE",
      "PRUNED",
      "FAIL",
    ]);
  });

  it("concurrency: up to N trials run at once, never more", async () => {
    const study = await sp.createStudy({ sampler: seeded() });
    let active = 0;
    let peak = 0;
    const summary = await study.optimize(
      async (trial) => {
        active++;
        peak = Math.max(peak, active);
        await sleep(5 + (trial.number % 3) * 5);
        active--;
        return trial.suggestFloat("x", 0, 1);
      },
      { nTrials: 12, concurrency: 4 },
    );
    expect(peak).toBe(4);
    expect(summary.complete).toBe(12);
    expect(study.trials.map((t) => t.number)).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });

  it("concurrency above nTrials runs exactly nTrials", async () => {
    const study = await sp.createStudy();
    const summary = await study.optimize(
      async () => {
        await sleep(2);
        return 0;
      },
      { nTrials: 3, concurrency: 10 },
    );
    expect(summary.complete).toBe(3);
    expect(study.trials).toHaveLength(3);
  });

  it("enqueued trials are run by optimize (within nTrials)", async () => {
    const study = await sp.createStudy({ sampler: seeded() });
    await study.enqueueTrial({ x: 0.25 });
    await study.enqueueTrial({ x: 0.75 });
    await study.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 3 });
    expect(study.trials.map((t) => t.params.x).slice(0, 2)).toEqual([0.25, 0.75]);
    expect(study.trials).toHaveLength(3);
  });

  it("callbacks get the study and each finished trial, in order; async ones are awaited", async () => {
    const study = await sp.createStudy();
    const log: string[] = [];
    await study.optimize(
      (trial) => {
        log.push(`run ${trial.number}`);
        if (trial.number === 1) throw new sp.TrialPruned();
        return trial.number;
      },
      {
        nTrials: 3,
        callbacks: [
          async (s, frozen) => {
            await sleep(5);
            expect(s).toBe(study);
            expect(s.trials[frozen.number]!.state).toBe(frozen.state);
            log.push(`cb1 ${frozen.number} ${frozen.state} ${frozen.values}`);
          },
          (_s, frozen) => {
            log.push(`cb2 ${frozen.number}`);
          },
        ],
      },
    );
    expect(log).toEqual([
      "run 0",
      "cb1 0 COMPLETE 0",
      "cb2 0",
      "run 1",
      "cb1 1 PRUNED undefined",
      "cb2 1",
      "run 2",
      "cb1 2 COMPLETE 2",
      "cb2 2",
    ]);
  });

  it("a throwing callback stops the run and rethrows; the trial itself is kept", async () => {
    const study = await sp.createStudy();
    const problem = new Error("callback failed");
    const error = await rejection(
      study.optimize(() => 1, {
        nTrials: 10,
        callbacks: [
          (_s, t) => {
            if (t.number === 1) throw problem;
          },
        ],
      }),
    );
    expect(error).toBe(problem);
    expect(study.trials.map((t) => t.state)).toEqual(["COMPLETE", "COMPLETE"]);
  });

  it("study.stop() from the objective or a callback: no new trials start", async () => {
    const a = await sp.createStudy();
    await a.optimize(
      (trial) => {
        if (trial.number === 3) a.stop();
        return 0;
      },
      { nTrials: 100 },
    );
    expect(a.trials).toHaveLength(4);
    const b = await sp.createStudy();
    await b.optimize(() => 0, {
      nTrials: 100,
      callbacks: [(s, t) => (t.number === 1 ? s.stop() : undefined)],
    });
    expect(b.trials).toHaveLength(2);
    // The next optimize call starts afresh.
    await b.optimize(() => 0, { nTrials: 2 });
    expect(b.trials).toHaveLength(4);
  });
});

describe("optimize: timeout", () => {
  it("stops starting new trials after timeout seconds", async () => {
    const study = await sp.createStudy();
    const summary = await study.optimize(
      async () => {
        await sleep(40);
        return 0;
      },
      { timeout: 0.1 },
    );
    expect(summary.timedOut).toBe(true);
    expect(summary.complete).toBeGreaterThanOrEqual(2);
    expect(summary.complete).toBeLessThanOrEqual(4);
    expect(summary.elapsedMs).toBeGreaterThanOrEqual(100);
    expect(study.trials.every((t) => t.state === "COMPLETE")).toBe(true);
  });

  it("running trials finish after the timeout passes", async () => {
    const study = await sp.createStudy();
    const summary = await study.optimize(
      async () => {
        await sleep(150);
        return 1;
      },
      { timeout: 0.05, concurrency: 2 },
    );
    expect(summary).toMatchObject({ complete: 2, failed: 0, timedOut: true });
    expect(summary.elapsedMs).toBeGreaterThanOrEqual(140);
    expect(study.trials.map((t) => [t.state, t.values])).toEqual([
      ["COMPLETE", [1]],
      ["COMPLETE", [1]],
    ]);
  });

  it("nTrials reached first: not timed out", async () => {
    const study = await sp.createStudy();
    const summary = await study.optimize(() => 0, { nTrials: 3, timeout: 60 });
    expect(summary).toMatchObject({ complete: 3, timedOut: false });
  });
});

describe("optimize: faults", () => {
  it("a throwing objective fails its trial with the error message; the study goes on", async () => {
    const study = await sp.createStudy({ sampler: seeded() });
    const summary = await study.optimize(
      (trial) => {
        const x = trial.suggestFloat("x", 0, 1);
        if (trial.number === 1) throw new RangeError("x went out of its way");
        if (trial.number === 3) throw "a plain string";
        return x;
      },
      { nTrials: 5 },
    );
    expect(summary).toMatchObject({ complete: 3, failed: 2, pruned: 0 });
    const [t0, t1, , t3] = study.trials;
    expect(t1!.state).toBe("FAIL");
    expect(t1!.values).toBeUndefined();
    expect(t1!.params.x).toBeTypeOf("number"); // params suggested before the throw are kept
    expect(String(t1!.systemAttrs.fail_reason)).toContain("x went out of its way");
    expect(String(t1!.systemAttrs.fail_reason)).toContain("RangeError");
    expect(String(t3!.systemAttrs.fail_reason)).toContain("a plain string");
    expect(t0!.systemAttrs.fail_reason).toBeUndefined();
    const stored = await study.storage.getTrial(t1!.trialId);
    expect(stored.systemAttrs.fail_reason).toBe(t1!.systemAttrs.fail_reason);
  });

  it("stopOnError: the first failure stops the run and is rethrown (the trial is FAIL)", async () => {
    const study = await sp.createStudy();
    const boom = new Error("boom");
    const error = await rejection(
      study.optimize(
        (trial) => {
          if (trial.number === 2) throw boom;
          return 0;
        },
        { nTrials: 10, stopOnError: true },
      ),
    );
    expect(error).toBe(boom);
    expect(study.trials.map((t) => t.state)).toEqual(["COMPLETE", "COMPLETE", "FAIL"]);
    expect(String(study.trials[2]!.systemAttrs.fail_reason)).toContain("boom");
  });

  it("stopOnError with concurrency: running trials finish, none is left RUNNING", async () => {
    const study = await sp.createStudy();
    const error = await rejection(
      study.optimize(
        async (trial) => {
          await sleep(trial.number === 1 ? 5 : 30);
          if (trial.number === 1) throw new Error("fail fast");
          return 0;
        },
        { nTrials: 20, concurrency: 3, stopOnError: true },
      ),
    );
    expect(error.message).toBe("fail fast");
    const stored = await study.storage.getAllTrials(study.studyId);
    expect(stored.length).toBeLessThan(20);
    expect(stored.filter((t) => t.state === "RUNNING")).toEqual([]);
    expect(stored[1]!.state).toBe("FAIL");
  });

  it("TrialPruned: PRUNED with the last reported value", async () => {
    const study = await sp.createStudy();
    const summary = await study.optimize(
      (trial) => {
        trial.report(0.9, 0);
        trial.report(0.7, 5);
        trial.report(0.8, 3);
        throw new sp.TrialPruned();
      },
      { nTrials: 1 },
    );
    expect(summary).toMatchObject({ pruned: 1, complete: 0, failed: 0 });
    expect([study.trials[0]!.state, study.trials[0]!.values]).toEqual(["PRUNED", [0.7]]);
    expect(study.trials[0]!.systemAttrs.fail_reason).toBeUndefined();
  });

  it("NaN fails the trial; ±Infinity complete it with that value", async () => {
    const study = await sp.createStudy();
    const values = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1];
    const summary = await study.optimize(async (trial) => values[trial.number]!, { nTrials: 4 });
    expect(summary).toMatchObject({ complete: 3, failed: 1 });
    expect(study.trials.map((t) => [t.state, t.values])).toEqual([
      ["FAIL", undefined],
      ["COMPLETE", [Number.POSITIVE_INFINITY]],
      ["COMPLETE", [Number.NEGATIVE_INFINITY]],
      ["COMPLETE", [1]],
    ]);
    expect(String(study.trials[0]!.systemAttrs.fail_reason)).toContain("NaN");
    expect(study.bestValue).toBe(Number.NEGATIVE_INFINITY);
  });

  const notNumbers: [string, unknown, string][] = [
    ["a numeric string", "1.5", '"1.5"'],
    ["undefined", undefined, "undefined"],
    ["null", null, "null"],
    ["a boolean", true, "true"],
    ["an object", { value: 1 }, "value"],
    ["a bigint", 1n, "1n"],
    ["two values for one objective", [1, 2], "[1, 2]"],
    ["an array with a string", ["1"], '"1"'],
  ];
  it.each(notNumbers)("returning %s fails the trial (never cast)", async (_what, value, part) => {
    const study = await sp.createStudy();
    const summary = await study.optimize(async () => value as number, { nTrials: 1 });
    expect(summary).toMatchObject({ complete: 0, failed: 1 });
    const t = study.trials[0]!;
    expect([t.state, t.values]).toEqual(["FAIL", undefined]);
    expect(String(t.systemAttrs.fail_reason)).toContain(part);
  });

  it("a one-element array is the value of a single objective (as in Optuna)", async () => {
    const study = await sp.createStudy();
    await study.optimize(() => [2.5], { nTrials: 1 });
    expect([study.trials[0]!.state, study.trials[0]!.values]).toEqual(["COMPLETE", [2.5]]);
  });

  it("a space-first config that breaks a refine constraint is PRUNED, and counted", async () => {
    const Ordered = sp
      .config("Ordered", { a: sp.int({ ge: 0, le: 3 }), b: sp.int({ ge: 0, le: 3 }) })
      .refine((c) => c.a <= c.b, "a <= b");
    const study = await sp.createStudy({ space: Ordered, sampler: seeded(4) });
    const seen: { a: number; b: number }[] = [];
    const summary = await study.optimize(
      (cfg) => {
        seen.push(cfg);
        return cfg.b - cfg.a;
      },
      { nTrials: 30 },
    );
    expect(seen.every((c) => c.a <= c.b)).toBe(true);
    const pruned = study.trials.filter((t) => t.state === "PRUNED");
    expect(pruned.length).toBeGreaterThan(0);
    expect(summary).toMatchObject({ complete: seen.length, pruned: pruned.length, failed: 0 });
    for (const t of pruned) {
      expect((t.params["Ordered.a"] as number) > (t.params["Ordered.b"] as number)).toBe(true);
    }
  });
});

describe("optimize: junk options are clear SpaxErrors, and nothing runs", () => {
  const bad: [string, unknown, string][] = [
    ["options null", null, "options"],
    ["options a number", 5, "options"],
    ["nTrials 0", { nTrials: 0 }, "nTrials"],
    ["nTrials negative", { nTrials: -1 }, "nTrials"],
    ["nTrials fractional", { nTrials: 1.5 }, "nTrials"],
    ["nTrials a string", { nTrials: "3" }, "nTrials"],
    ["nTrials NaN", { nTrials: Number.NaN }, "nTrials"],
    ["concurrency 0", { nTrials: 1, concurrency: 0 }, "concurrency"],
    ["concurrency fractional", { nTrials: 1, concurrency: 1.5 }, "concurrency"],
    ["concurrency a string", { nTrials: 1, concurrency: "4" }, "concurrency"],
    ["timeout 0", { timeout: 0 }, "timeout"],
    ["timeout negative", { timeout: -1 }, "timeout"],
    ["timeout a string", { timeout: "5" }, "timeout"],
    ["timeout NaN", { timeout: Number.NaN }, "timeout"],
    ["callbacks not an array", { nTrials: 1, callbacks: () => 1 }, "callbacks"],
    ["callbacks with a non-function", { nTrials: 1, callbacks: [1] }, "callbacks"],
    ["stopOnError not a boolean", { nTrials: 1, stopOnError: "yes" }, "stopOnError"],
    ["showProgressBar not a boolean", { nTrials: 1, showProgressBar: "yes" }, "showProgressBar"],
    // A typo must not turn "3 trials" into "run until the timeout".
    ["an unknown key (typo)", { ntrials: 3, timeout: 0.05 }, "ntrials"],
  ];
  it.each(bad)("%s", async (_what, options, part) => {
    const study = await sp.createStudy();
    const error = await rejection(() => study.optimize(() => 0, options as any));
    expectSpaxError(error, sp.SpaxError, part);
    await study.refresh();
    expect(study.trials).toEqual([]);
  });

  it.each([
    ["undefined", undefined],
    ["a number", 5],
    ["an object", {}],
  ])("an objective that is %s", async (_what, objective) => {
    const study = await sp.createStudy();
    const error = await rejection(() => study.optimize(objective as any, { nTrials: 1 }));
    expectSpaxError(error, sp.SpaxError, "objective");
  });
});

describe("determinism: a trial's randomness derives from (seed, trial number)", () => {
  it("50 trials in one run equal 25 + 25 across a resume (define-by-run)", async () => {
    const one = await sp.createStudy({ sampler: seeded(42) });
    await one.optimize(mixedObjective, { nTrials: 50 });

    const storage = new sp.MemoryStorage();
    const first = await sp.createStudy({ name: "resume", storage, sampler: seeded(42) });
    await first.optimize(mixedObjective, { nTrials: 25 });
    const resumed = await sp.loadStudy({ name: "resume", storage, sampler: seeded(42) });
    await resumed.optimize(mixedObjective, { nTrials: 25 });

    const a = paramsOf(one);
    const b = paramsOf(resumed);
    expect(b).toHaveLength(50);
    for (let i = 0; i < 50; i++) expect(b[i], `trial ${i}`).toEqual(a[i]);
    // The conditional parameter appears in some trials only, identically in both.
    expect(a.some((t) => "extra" in t.params)).toBe(true);
    expect(a.some((t) => !("extra" in t.params))).toBe(true);
  });

  it("50 trials in one run equal 25 + 25 across a resume (space-first, createStudy loadIfExists)", async () => {
    const one = await sp.createStudy({ space: Training, sampler: seeded(7) });
    const configsOne: Training[] = [];
    await one.optimize(
      (cfg) => {
        configsOne.push(cfg);
        return cfg.layers;
      },
      { nTrials: 50 },
    );
    const storage = new sp.MemoryStorage();
    const configsTwo: Training[] = [];
    const objective = (cfg: Training) => {
      configsTwo.push(cfg);
      return cfg.layers;
    };
    const first = await sp.createStudy({ name: "r", storage, space: Training, sampler: seeded(7) });
    await first.optimize(objective, { nTrials: 25 });
    const again = await sp.createStudy({
      name: "r",
      storage,
      space: Training,
      sampler: seeded(7),
      loadIfExists: true,
    });
    await again.optimize(objective, { nTrials: 25 });
    expect(configsTwo).toEqual(configsOne);
    expect(paramsOf(again)).toEqual(paramsOf(one));
  });

  it("the same seed gives the same trials; another seed does not", async () => {
    const run = async (seed: number) => {
      const s = await sp.createStudy({ sampler: seeded(seed) });
      await s.optimize(mixedObjective, { nTrials: 10 });
      return paramsOf(s);
    };
    expect(await run(5)).toEqual(await run(5));
    expect(await run(5)).not.toEqual(await run(6));
  });

  it("concurrency 4 with random delays: the same trials as a sequential run, none identical", async () => {
    const sequential = await sp.createStudy({ sampler: seeded(9) });
    await sequential.optimize(mixedObjective, { nTrials: 40 });
    const parallel = await sp.createStudy({ sampler: seeded(9) });
    await parallel.optimize(
      async (trial) => {
        await sleep(Math.random() * 8);
        const x = trial.suggestFloat("x", -10, 10);
        await sleep(Math.random() * 4);
        const lr = trial.suggestFloat("lr", 1e-5, 1e-1, { log: true });
        const q = trial.suggestFloat("q", 0, 1, { step: 0.1 });
        const n = trial.suggestInt("n", 1, 100);
        const k = trial.suggestInt("k", 1, 1024, { log: true });
        const c = trial.suggestCategorical("c", [1, "1", true, null]);
        const extra = c === true ? trial.suggestFloat("extra", 0, 1) : 0;
        return x * x + lr + q + n / 100 + k / 1024 + extra;
      },
      { nTrials: 40, concurrency: 4 },
    );
    expect(paramsOf(parallel)).toEqual(paramsOf(sequential));
    const keys = parallel.trials.map((t) => JSON.stringify(t.params));
    expect(new Set(keys).size).toBe(40);
  });

  it("concurrency 4 without a seed never runs two identical random trials", async () => {
    const study = await sp.createStudy();
    await study.optimize(
      async (trial) => {
        const a = trial.suggestInt("a", 0, 1_000_000);
        await sleep(Math.random() * 5);
        const b = trial.suggestFloat("b", 0, 1);
        return a + b;
      },
      { nTrials: 40, concurrency: 4 },
    );
    const keys = study.trials.map((t) => JSON.stringify(t.params));
    expect(new Set(keys).size).toBe(40);
  });
});

describe("Ctrl-C (SIGINT)", () => {
  it("stops cleanly: exit 0, finished trials kept, nothing left RUNNING", async () => {
    const root = fileURLToPath(new URL("../../", import.meta.url));
    const script = fileURLToPath(new URL("./fixtures/sigint-child.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", script], {
      cwd: root,
      env: { ...process.env, CI: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let sentAt = 0;
    const finishedBeforeSignal: string[] = [];
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on("exit", (code, signal) => resolve({ code, signal })),
    );
    child.stdout.on("data", (d) => {
      stdout += d;
      const lines = stdout.split("\n").filter((l) => l.startsWith("finished "));
      if (sentAt === 0 && lines.length >= 4) {
        finishedBeforeSignal.push(...lines);
        sentAt = Date.now();
        child.kill("SIGINT");
      }
    });
    const guard = setTimeout(() => child.kill("SIGKILL"), 20_000);
    const { code, signal } = await exited;
    clearTimeout(guard);
    const exitedAfter = Date.now() - sentAt;

    expect(sentAt, `child never finished 4 trials; stderr: ${stderr}`).toBeGreaterThan(0);
    expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: "" });
    expect(exitedAfter).toBeLessThan(3000);
    const line = stdout.split("\n").find((l) => l.startsWith("RESULT "));
    expect(line, stdout).toBeDefined();
    const result = JSON.parse(line!.slice("RESULT ".length)) as {
      summary: sp.OptimizeSummary;
      trials: { number: number; state: string; value: number | null; failReason: string | null }[];
    };
    const { summary, trials } = result;
    expect(summary.interrupted).toBe(true);
    // No trial is left RUNNING (or WAITING); numbers are gap-free.
    expect(trials.filter((t) => t.state === "RUNNING" || t.state === "WAITING")).toEqual([]);
    expect(trials.map((t) => t.number)).toEqual(trials.map((_, i) => i));
    // Every trial finished before the signal is kept, with its value.
    for (const l of finishedBeforeSignal) {
      const [, n, state, value] = l.split(" ");
      const t = trials[Number(n)]!;
      expect(t.state).toBe(state);
      expect(t.value).toBe(Number(value));
    }
    // Trials cut short are FAIL with a reason; the summary agrees with the storage.
    for (const t of trials.filter((x) => x.state === "FAIL"))
      expect(t.failReason).toMatch(/interrupt|SIGINT/i);
    expect(summary.complete).toBe(trials.filter((t) => t.state === "COMPLETE").length);
    expect(summary.failed).toBe(trials.filter((t) => t.state === "FAIL").length);
    expect(summary.complete + summary.pruned + summary.failed).toBe(trials.length);
    expect(summary.complete).toBeGreaterThanOrEqual(4);
  });
});

describe("progress bar", () => {
  const saved = {
    isTTY: Object.getOwnPropertyDescriptor(process.stderr, "isTTY"),
    CI: process.env.CI,
  };
  function setTerminal(isTTY: boolean, ci: string | undefined) {
    Object.defineProperty(process.stderr, "isTTY", {
      value: isTTY,
      configurable: true,
      writable: true,
    });
    if (ci === undefined) delete process.env.CI;
    else process.env.CI = ci;
  }
  afterEach(() => {
    if (saved.isTTY) Object.defineProperty(process.stderr, "isTTY", saved.isTTY);
    else delete (process.stderr as any).isTTY;
    if (saved.CI === undefined) delete process.env.CI;
    else process.env.CI = saved.CI;
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it("is drawn only on a TTY outside CI, unless asked explicitly", () => {
    setTerminal(false, undefined);
    expect(ProgressBar.create(undefined, 10, "minimize")).toBeUndefined();
    setTerminal(true, "true");
    expect(ProgressBar.create(undefined, 10, "minimize")).toBeUndefined();
    setTerminal(true, undefined);
    expect(ProgressBar.create(undefined, 10, "minimize")).toBeInstanceOf(ProgressBar);
    expect(ProgressBar.create(false, 10, "minimize")).toBeUndefined();
    setTerminal(false, "1");
    expect(ProgressBar.create(true, 10, "minimize")).toBeInstanceOf(ProgressBar);
  });

  it("optimize writes nothing to stderr when it is not a TTY, or in CI", async () => {
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    setTerminal(false, undefined);
    await (await sp.createStudy()).optimize(() => 0, { nTrials: 3 });
    setTerminal(true, "1");
    await (await sp.createStudy()).optimize(() => 0, { nTrials: 3 });
    expect(write).not.toHaveBeenCalled();
  });

  it("optimize draws on a TTY outside CI, and ends the line", async () => {
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    setTerminal(true, undefined);
    const study = await sp.createStudy();
    await study.optimize((t) => t.number + 1, { nTrials: 5 });
    const out = write.mock.calls.map((c) => String(c[0]));
    expect(out.length).toBeGreaterThan(0);
    expect(out.every((s) => s.startsWith("\r\u001b[2K"))).toBe(true);
    const last = out[out.length - 1]!;
    expect(last.endsWith("\n")).toBe(true);
    expect(last).toContain("5/5 trials (5 ok, 0 pruned, 0 failed)");
    expect(last).toContain("best 1.00000");
  });

  it("showProgressBar: false keeps a TTY quiet", async () => {
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    setTerminal(true, undefined);
    await (await sp.createStudy()).optimize(() => 0, { nTrials: 3, showProgressBar: false });
    expect(write).not.toHaveBeenCalled();
  });

  const summary = (complete: number, pruned: number, failed: number): sp.OptimizeSummary => ({
    complete,
    pruned,
    failed,
    interrupted: false,
    timedOut: false,
    elapsedMs: 0,
  });

  it("line(): bar, trial counts, best value, elapsed and ETA", async () => {
    const study = await sp.createStudy();
    await study.optimize((t) => [0.5, 2][t.number]!, { nTrials: 2 });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(1_000_000);
    const bar = ProgressBar.create(true, 10, "minimize")!;
    vi.setSystemTime(1_030_000); // 30 s later, 3 of 10 done → 70 s to go
    expect(bar.line(study, summary(2, 1, 0))).toBe(
      "[=======                 ] 3/10 trials (2 ok, 1 pruned, 0 failed) best 0.500000 00:30 ETA 01:10",
    );
    vi.setSystemTime(1_000_000 + 3_723_000); // 1 h 2 min 3 s
    expect(bar.line(study, summary(10, 0, 0))).toBe(
      "[========================] 10/10 trials (10 ok, 0 pruned, 0 failed) best 0.500000 1:02:03",
    );
  });

  it("line(): without nTrials no bar and no ETA; without a completed trial no best", async () => {
    const study = await sp.createStudy({ direction: "maximize" });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(0);
    const bar = ProgressBar.create(true, undefined, "maximize")!;
    vi.setSystemTime(10_000);
    expect(bar.line(study, summary(0, 0, 2))).toBe("2 trials (0 ok, 0 pruned, 2 failed) 00:10");
    vi.useRealTimers();
    await study.optimize((t) => t.number * 1.5, { nTrials: 3 });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(10_000);
    expect(bar.line(study, summary(3, 0, 2))).toBe(
      "5 trials (3 ok, 0 pruned, 2 failed) best 3.00000 00:10",
    );
  });

  it("line(): a multi-objective study shows no single best value", async () => {
    const study = await sp.createStudy({ directions: ["minimize", "maximize"] });
    await study.optimize(() => [1, 2], { nTrials: 1 });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(0);
    const bar = ProgressBar.create(true, 4, undefined)!;
    vi.setSystemTime(2_000);
    expect(bar.line(study, summary(1, 0, 0))).toBe(
      "[======                  ] 1/4 trials (1 ok, 0 pruned, 0 failed) 00:02 ETA 00:06",
    );
  });
});
