/**
 * Solution quality on the optuna-bench suite, spax's side of the contract in the harness's
 * README: every (problem, sampler, seed) runs once for max(budgets) trials on an in-memory
 * study; the best value after B trials is read for every budget B. Writes
 * `hpo-bench/quality/v1` JSON.
 *
 *   npx tsx bench/optuna/quality.ts --problems problems.json --seeds 10 --budgets 50,100,200 \
 *     --out results/ts/quality.json [--samplers random,tpe,tpe_mv,qmc] [--form space|dbr]
 *
 * Problems run space-first by default (the objective gets a typed config; samplers see the
 * conditional structure); `--form dbr` suggests define-by-run as `problems.py` does. With
 * `--dbr-variants`, conditional problems also run define-by-run under `tpe_dbr`/`tpe_mv_dbr`.
 * `problems.mjs` must sit beside the problems file.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as sp from "../../src/index.js";
import { TPESampler } from "../../src/study/samplers/tpe/index.js";
import { envInfo, parseArgs, spaxVersion } from "./common.js";
import { loadProblems, type Problem, paramsOf, suggestAll } from "./problems.js";

export interface QualityRun {
  problem: string;
  sampler: string;
  seed: number;
  n_trials: number;
  form: "space" | "dbr";
  best_at: Record<string, number>;
  regret_at: Record<string, number>;
  wall_s: number;
  trace_every: number;
  trace: number[];
  best_params: Record<string, sp.JsonValue>;
}

export interface QualityDoc {
  schema: "hpo-bench/quality/v1";
  impl: string;
  meta: Record<string, unknown>;
  config: Record<string, unknown>;
  wall_s_total: number;
  runs: QualityRun[];
}

type SamplerFactory = (seed: number, conditional: boolean) => sp.Sampler;

/** The QMC sampler, when this build has one (another part of the engine). */
async function qmcFactory(): Promise<SamplerFactory | undefined> {
  const candidates = ["../../src/index.js", "../../src/study/samplers/qmc.js"];
  for (const path of candidates) {
    try {
      const mod = (await import(path)) as Record<string, unknown>;
      const QMC = mod.QMCSampler as (new (o: object) => sp.Sampler) | undefined;
      if (typeof QMC === "function")
        return (seed) => new QMC({ qmcType: "sobol", scramble: true, seed });
    } catch {
      // not available
    }
  }
  return undefined;
}

/** Sampler keys as `common.py` defines them. */
export async function samplerFactories(): Promise<Map<string, SamplerFactory>> {
  const out = new Map<string, SamplerFactory>([
    ["random", (seed) => new sp.RandomSampler({ seed })],
    ["tpe", (seed) => new TPESampler({ seed })],
    [
      "tpe_mv",
      (seed, conditional) => new TPESampler({ seed, multivariate: true, group: conditional }),
    ],
  ]);
  const qmc = await qmcFactory();
  if (qmc) out.set("qmc", qmc);
  return out;
}

/** One study of `nTrials` trials; the best value so far after each trial. */
export async function runOne(
  problem: Problem,
  sampler: sp.Sampler,
  nTrials: number,
  form: "space" | "dbr",
): Promise<{ bests: number[]; bestParams: Record<string, sp.JsonValue>; wall: number }> {
  const spaceFirst = form === "space" && problem.space !== undefined;
  const study = await sp.createStudy({
    sampler,
    direction: "minimize",
    ...(spaceFirst ? { space: problem.space } : {}),
  });
  let best = Number.POSITIVE_INFINITY;
  let bestParams: Record<string, sp.JsonValue> = {};
  const bests: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < nTrials; i++) {
    const trial = await study.ask();
    const params = spaceFirst
      ? paramsOf(problem.space!.fromTrial(trial) as Record<string, unknown>)
      : suggestAll(trial, problem.spec);
    const value = problem.f(params);
    await study.tell(trial, value);
    if (value < best) {
      best = value;
      bestParams = params;
    }
    bests.push(best);
  }
  return { bests, bestParams, wall: (performance.now() - t0) / 1000 };
}

export interface QualityOptions {
  dir: string;
  problemsFile?: string;
  problems?: readonly string[];
  samplers?: readonly string[];
  seeds: number;
  budgets: readonly number[];
  form?: "space" | "dbr";
  dbrVariants?: boolean;
  traceEvery?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Runs the quality benchmark and returns the result document. */
export async function runQuality(o: QualityOptions): Promise<QualityDoc> {
  const all = await loadProblems(o.dir, o.problemsFile);
  const problems = o.problems ? all.filter((p) => o.problems!.includes(p.spec.name)) : all;
  const factories = await samplerFactories();
  const samplers = (o.samplers ?? [...factories.keys()]).filter((s) => factories.has(s));
  const budgets = [...o.budgets].sort((a, b) => a - b);
  const nTrials = budgets[budgets.length - 1]!;
  const traceEvery = o.traceEvery ?? 10;
  const form = o.form ?? "space";
  const tasks: { problem: Problem; key: string; make: SamplerFactory; form: "space" | "dbr" }[] =
    [];
  for (const problem of problems) {
    const conditional = problem.spec.kind === "conditional";
    for (const key of samplers) tasks.push({ problem, key, make: factories.get(key)!, form });
    if (o.dbrVariants && conditional && form === "space") {
      for (const key of ["tpe", "tpe_mv"].filter((k) => samplers.includes(k)))
        tasks.push({ problem, key: `${key}_dbr`, make: factories.get(key)!, form: "dbr" });
    }
  }
  const runs: QualityRun[] = [];
  const t0 = performance.now();
  let done = 0;
  const total = tasks.length * o.seeds;
  for (const task of tasks) {
    for (let seed = 1; seed <= o.seeds; seed++) {
      const conditional = task.problem.spec.kind === "conditional";
      const { bests, bestParams, wall } = await runOne(
        task.problem,
        task.make(seed, conditional),
        nTrials,
        task.form,
      );
      const opt = task.problem.spec.optimum.value;
      runs.push({
        problem: task.problem.spec.name,
        sampler: task.key,
        seed,
        n_trials: nTrials,
        form: task.form === "space" && task.problem.space ? "space" : "dbr",
        best_at: Object.fromEntries(budgets.map((b) => [String(b), bests[b - 1]!])),
        regret_at: Object.fromEntries(budgets.map((b) => [String(b), bests[b - 1]! - opt])),
        wall_s: Math.round(wall * 1e4) / 1e4,
        trace_every: traceEvery,
        trace: bests.filter((_, i) => (i + 1) % traceEvery === 0),
        best_params: bestParams,
      });
      o.onProgress?.(++done, total);
    }
  }
  return {
    schema: "hpo-bench/quality/v1",
    impl: `spax-${spaxVersion()}`,
    meta: envInfo(),
    config: {
      problems: problems.map((p) => p.spec.name),
      samplers: [...new Set(tasks.map((t) => t.key))],
      sampler_doc: {
        random: "RandomSampler({ seed })",
        tpe: "TPESampler({ seed }) (Optuna 3.1 defaults, univariate)",
        tpe_mv: "TPESampler({ seed, multivariate: true[, group: true on conditional] })",
        qmc: "QMCSampler({ qmcType: 'sobol', scramble: true, seed })",
        tpe_dbr: "tpe on the define-by-run form (no space)",
        tpe_mv_dbr: "tpe_mv on the define-by-run form (no space)",
      },
      form,
      seeds: Array.from({ length: o.seeds }, (_, i) => i + 1),
      budgets,
      n_trials_per_run: nTrials,
      storage: "in-memory",
      jobs: 1,
    },
    wall_s_total: Math.round((performance.now() - t0) / 10) / 100,
    runs,
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const problemsPath = resolve(args.get("problems") ?? "problems.json");
  const doc = await runQuality({
    dir: dirname(problemsPath),
    problemsFile: problemsPath.slice(dirname(problemsPath).length + 1),
    problems: args.get("only")?.split(","),
    samplers: args.get("samplers")?.split(","),
    seeds: Number(args.get("seeds") ?? 10),
    budgets: (args.get("budgets") ?? "50,100,200").split(",").map(Number),
    form: args.get("form") === "dbr" ? "dbr" : "space",
    dbrVariants: args.has("dbr-variants"),
    onProgress: (d, t) => {
      if (d % 25 === 0 || d === t) console.log(`  ${d}/${t} done`);
    },
  });
  const out = args.get("out") ?? "results/ts/quality.json";
  mkdirSync(dirname(resolve(out)), { recursive: true });
  writeFileSync(out, `${JSON.stringify(doc, null, 1)}\n`);
  console.log(`wrote ${out} (${doc.wall_s_total}s)`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
