/**
 * Sampler overhead vs. history size, spax's side of the optuna-bench contract (part A of
 * `overhead.py`): objective `sum x_j²` over D float params `x{j}` in [−10, 10]; each trial is
 * ask → D suggests → tell on an in-memory study; each checkpoint n is the mean over trials
 * (n−100, n] of the wall time per trial and of the time spent inside the sampler.
 *
 * mode=full: the sampler under test runs every trial. mode=prefill: trials outside the
 * measured windows are drawn by a RandomSampler (as `overhead.py` does); TPE reads the filled
 * trials into its columns when the window starts, and that work is inside the measurement.
 *
 *   npx tsx bench/optuna/overhead.ts --repeats 3 --out results/ts/overhead.json \
 *     [--checkpoints 100,500,1000,2000] [--dims 10,50] [--samplers random,tpe] [--modes full,prefill]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as sp from "../../src/index.js";
import type { Distribution } from "../../src/study/distributions.js";
import type { FrozenTrial, TrialState } from "../../src/study/frozen-trial.js";
import { TPESampler } from "../../src/study/samplers/tpe/index.js";
import { envInfo, parseArgs, spaxVersion } from "./common.js";

const WINDOW = 100;

/** Delegates to `inner` and adds up the time spent inside it. */
class TimedSampler implements sp.Sampler {
  ms = 0;
  constructor(readonly inner: sp.Sampler) {}
  private time<T>(f: () => T): T {
    const t = performance.now();
    try {
      return f();
    } finally {
      this.ms += performance.now() - t;
    }
  }
  inferRelativeSearchSpace(study: sp.StudyView, trial: FrozenTrial) {
    return this.time(() => this.inner.inferRelativeSearchSpace(study, trial));
  }
  sampleRelative(study: sp.StudyView, trial: FrozenTrial, space: Record<string, Distribution>) {
    return this.time(() => this.inner.sampleRelative(study, trial, space));
  }
  sampleIndependent(study: sp.StudyView, trial: FrozenTrial, name: string, d: Distribution) {
    return this.time(() => this.inner.sampleIndependent(study, trial, name, d));
  }
  beforeTrial(study: sp.StudyView, trial: FrozenTrial) {
    this.time(() => this.inner.beforeTrial?.(study, trial));
  }
  afterTrial(
    study: sp.StudyView,
    trial: FrozenTrial,
    state: TrialState,
    values: readonly number[] | undefined,
  ) {
    this.time(() => this.inner.afterTrial?.(study, trial, state, values));
  }
}

/** Routes every call to the sampler of the moment (the test sampler or the filler). */
class Switch implements sp.Sampler {
  current: sp.Sampler;
  constructor(first: sp.Sampler) {
    this.current = first;
  }
  inferRelativeSearchSpace(study: sp.StudyView, trial: FrozenTrial) {
    return this.current.inferRelativeSearchSpace(study, trial);
  }
  sampleRelative(study: sp.StudyView, trial: FrozenTrial, space: Record<string, Distribution>) {
    return this.current.sampleRelative(study, trial, space);
  }
  sampleIndependent(study: sp.StudyView, trial: FrozenTrial, name: string, d: Distribution) {
    return this.current.sampleIndependent(study, trial, name, d);
  }
  beforeTrial(study: sp.StudyView, trial: FrozenTrial) {
    this.current.beforeTrial?.(study, trial);
  }
  afterTrial(
    study: sp.StudyView,
    trial: FrozenTrial,
    state: TrialState,
    values: readonly number[] | undefined,
  ) {
    this.current.afterTrial?.(study, trial, state, values);
  }
}

export interface OverheadRow {
  sampler: string;
  n_params: number;
  mode: "full" | "prefill";
  seed: number;
  repeat: number;
  checkpoints: Record<
    string,
    { ms_per_trial: number; median_ms_per_trial: number; sampler_ms_per_trial: number }
  >;
  wall_s: number;
}

function makeSampler(name: string, seed: number): sp.Sampler {
  if (name === "random") return new sp.RandomSampler({ seed });
  if (name === "tpe") return new TPESampler({ seed });
  if (name === "tpe_mv") return new TPESampler({ seed, multivariate: true });
  throw new Error(`unknown sampler ${name}`);
}

/** One run of part A. */
export async function samplerRun(
  samplerName: string,
  d: number,
  checkpoints: readonly number[],
  mode: "full" | "prefill",
  seed: number,
): Promise<Omit<OverheadRow, "repeat">> {
  const test = new TimedSampler(makeSampler(samplerName, seed));
  const filler = new TimedSampler(new sp.RandomSampler({ seed: seed + 10_000 }));
  const nMax = Math.max(...checkpoints);
  const measured = new Set<number>();
  for (const n of checkpoints) for (let i = n - WINDOW + 1; i <= n; i++) measured.add(i);
  const route = new Switch(test);
  const study = await sp.createStudy({ sampler: route });
  const wall = new Float64Array(nMax + 1);
  const samp = new Float64Array(nMax + 1);
  const names = Array.from({ length: d }, (_, j) => `x${j}`);
  const start = performance.now();
  for (let i = 1; i <= nMax; i++) {
    const s = mode === "full" || measured.has(i) ? test : filler;
    route.current = s;
    const before = s.ms;
    const t = performance.now();
    const trial = await study.ask();
    let sum = 0;
    for (const name of names) {
      const x = trial.suggestFloat(name, -10, 10);
      sum += x * x;
    }
    await study.tell(trial, sum);
    wall[i] = performance.now() - t;
    samp[i] = s.ms - before;
  }
  const total = (performance.now() - start) / 1000;
  const cps: OverheadRow["checkpoints"] = {};
  for (const n of checkpoints) {
    const w = Array.from(wall.subarray(n - WINDOW + 1, n + 1));
    const sm = Array.from(samp.subarray(n - WINDOW + 1, n + 1));
    const sorted = [...w].sort((a, b) => a - b);
    cps[String(n)] = {
      ms_per_trial: w.reduce((a, b) => a + b, 0) / w.length,
      median_ms_per_trial: (sorted[(w.length - 1) >> 1]! + sorted[w.length >> 1]!) / 2,
      sampler_ms_per_trial: sm.reduce((a, b) => a + b, 0) / sm.length,
    };
  }
  return { sampler: samplerName, n_params: d, mode, seed, checkpoints: cps, wall_s: total };
}

export interface OverheadOptions {
  repeats: number;
  checkpoints: readonly number[];
  dims: readonly number[];
  samplers: readonly string[];
  /** Modes for TPE (random always runs `full`). */
  modes: readonly ("full" | "prefill")[];
  onRow?: (row: OverheadRow) => void;
}

/** Runs part A and returns the result document. */
export async function runOverhead(o: OverheadOptions): Promise<Record<string, unknown>> {
  const rows: OverheadRow[] = [];
  const t0 = performance.now();
  for (let rep = 0; rep < o.repeats; rep++) {
    for (const s of o.samplers) {
      for (const d of o.dims) {
        for (const mode of s === "random" ? (["full"] as const) : o.modes) {
          const r = { ...(await samplerRun(s, d, o.checkpoints, mode, 1 + rep)), repeat: rep };
          rows.push(r);
          o.onRow?.(r);
        }
      }
    }
  }
  return {
    schema: "hpo-bench/overhead/v1",
    impl: `spax-${spaxVersion()}`,
    meta: envInfo(),
    config: {
      parts: "A",
      repeats: o.repeats,
      samplers: o.samplers,
      dims: o.dims,
      checkpoints: o.checkpoints,
      modes: o.modes,
      window: WINDOW,
      objective: "sum_j x_j^2, x_j = suggestFloat('x{j}', -10, 10)",
      storage: "memory",
    },
    sampler_overhead: rows,
    wall_s_total: Math.round((performance.now() - t0) / 100) / 10,
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const list = (key: string, fallback: string) => (args.get(key) ?? fallback).split(",");
  const doc = await runOverhead({
    repeats: Number(args.get("repeats") ?? 3),
    checkpoints: list("checkpoints", "100,500,1000,2000").map(Number),
    dims: list("dims", "10,50").map(Number),
    samplers: list("samplers", "random,tpe"),
    modes: list("modes", "full,prefill") as ("full" | "prefill")[],
    onRow: (r) =>
      console.log(
        `  A rep${r.repeat} ${r.sampler.padEnd(6)} D=${String(r.n_params).padEnd(3)} ${r.mode.padEnd(7)} ${Object.entries(
          r.checkpoints,
        )
          .map(([n, c]) => `${n}:${c.sampler_ms_per_trial.toFixed(3)}`)
          .join(" ")} sampler ms/trial (${r.wall_s.toFixed(1)}s)`,
      ),
  });
  const out = args.get("out") ?? "results/ts/overhead.json";
  mkdirSync(dirname(resolve(out)), { recursive: true });
  writeFileSync(out, `${JSON.stringify(doc, null, 1)}\n`);
  console.log(`wrote ${out}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
