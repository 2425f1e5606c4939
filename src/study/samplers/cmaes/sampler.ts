/**
 * `CmaEsSampler`: CMA-ES over the float and int parameters of a study, with Optuna's
 * generation bookkeeping in trial system attributes.
 * @module
 */
import { formatValue, SpaxError } from "../../../errors.js";
import type { JsonValue } from "../../../space/values.js";
import type { Distribution } from "../../distributions.js";
import type { FrozenTrial, TrialState } from "../../frozen-trial.js";
import type { Sampler, StudyView } from "../../sampler.js";
import { resolveSeed, trialRandom } from "../../seed.js";
import { RandomSampler } from "../random.js";
import { Cma, type CmaState } from "./cma.js";
import { Gaussian } from "./random.js";
import {
  continuousBounds,
  fromContinuous,
  IntersectionSearchSpace,
  isNumeric,
  type NumericDistribution,
  toContinuous,
} from "./search-space.js";

/** Options of {@link CmaEsSampler}. */
export interface CmaEsSamplerOptions {
  /** Seed of every draw; without one, runs are not reproducible. */
  seed?: number | bigint;
  /**
   * Initial mean, as parameter values by name (log parameters in their own units). Missing
   * parameters start at the centre of their range. Ignored at IPOP restarts, which start at a
   * uniformly random point.
   */
  x0?: Readonly<Record<string, number>>;
  /** Initial step size in the search space; default: the smallest range / 6. */
  sigma0?: number;
  /** CMA-ES starts once this many trials are COMPLETE (independent sampling before). Default 0. */
  nStartupTrials?: number;
  /**
   * Samples the parameters outside CMA-ES's search space (categoricals, parameters not in every
   * completed trial, everything in the first trial). Default: each parameter uniformly at
   * random, from the sampler's seed and the trial's number.
   */
  independentSampler?: Sampler;
  /**
   * Warn (with `console.warn`, once per parameter name) when a parameter is sampled
   * independently after startup; single-valued parameters never warn. Default true.
   */
  warnIndependentSampling?: boolean;
  /** `"ipop"`: restart with a doubled (×`incPopsize`) population when the run converges. */
  restartStrategy?: "ipop";
  /** Population size (initial one with IPOP); default 4 + ⌊3 ln d⌋. At least 2. */
  popsize?: number;
  /** Population growth factor at each IPOP restart. Default 2. */
  incPopsize?: number;
}

/** System-attribute keys (Optuna's names; the state key is spax's own). */
const PREFIX = "cma:";
const N_RESTARTS_KEY = `${PREFIX}n_restarts`;
/** JSON of the {@link CmaState}, cut into 2045-character chunks `cma:state:0`, `cma:state:1`, … */
const STATE_KEY = `${PREFIX}state:`;
const CHUNK = 2045;

/** Stream ids of {@link trialRandom} for this sampler's draws within a trial. */
const STREAM_ASK = 0;
const STREAM_RESTART = 1;

/**
 * CMA-ES (covariance matrix adaptation evolution strategy) as in Optuna's `CmaEsSampler`,
 * with the `cmaes` package's update rules.
 *
 * **Search space.** The float and int parameters every COMPLETE trial has with the same
 * distribution (Optuna's intersection search space); single-valued ones are left out. Log
 * parameters are searched in log space; ints and stepped floats in a continuous space widened
 * by half a step at both ends and rounded onto their grid (as Optuna does without margin).
 *
 * **Categorical parameters are not optimized by CMA-ES**: they, and any parameter outside the
 * search space (conditional ones, and all of the first trial's), are drawn by
 * `independentSampler` (default: uniformly at random, reproducibly from the seed).
 *
 * **Generations.** Each trial CMA-ES samples is tagged `cma:generation` (with IPOP,
 * `cma:restart_<r>:generation`) and `cma:n_restarts`. When `popsize` COMPLETE trials of the
 * current generation exist, the next trial updates the distribution with the first `popsize`
 * of them (by number) and stores the new state as JSON in its system attributes
 * (`cma:state:<i>`), so a resumed study — or another process — continues the same run.
 * Everything random comes from `trialRandom(seed, trial.number, …)`: a run of 50 trials equals
 * 25 + 25 across a resume.
 *
 * Single objective only. Unlike Optuna, one-dimensional spaces are optimized too.
 * @example
 * const sampler = new CmaEsSampler({ seed: 1, popsize: 8 });
 */
export class CmaEsSampler implements Sampler {
  private readonly seed: bigint;
  private readonly x0: Readonly<Record<string, number>> | undefined;
  private readonly sigma0: number | undefined;
  private readonly nStartupTrials: number;
  private readonly independent: Sampler;
  private warnIndependent: boolean;
  private readonly warned = new Set<string>();
  private readonly ipop: boolean;
  private readonly popsize: number | undefined;
  private readonly incPopsize: number;
  private readonly searchSpace = new IntersectionSearchSpace();
  /** Recently used states, by their JSON text. */
  private readonly cache = new Map<string, Cma>();

  constructor(options: CmaEsSamplerOptions = {}) {
    const fail = (why: string): never => {
      throw new SpaxError(`CmaEsSampler: ${why}`, { code: "invalid_option" });
    };
    const {
      seed,
      x0,
      sigma0,
      nStartupTrials = 0,
      independentSampler,
      warnIndependentSampling = true,
      restartStrategy,
      popsize,
      incPopsize = 2,
    } = options;
    if (x0 !== undefined) {
      if (typeof x0 !== "object" || x0 === null)
        fail(`x0 must be an object, got ${formatValue(x0)}`);
      for (const [name, v] of Object.entries(x0)) {
        if (typeof v !== "number" || !Number.isFinite(v))
          fail(`x0.${name} must be a finite number, got ${formatValue(v)}`);
      }
    }
    if (
      sigma0 !== undefined &&
      !(typeof sigma0 === "number" && sigma0 > 0 && Number.isFinite(sigma0))
    )
      fail(`sigma0 must be a positive finite number, got ${formatValue(sigma0)}`);
    if (!Number.isSafeInteger(nStartupTrials) || nStartupTrials < 0)
      fail(`nStartupTrials must be a non-negative integer, got ${formatValue(nStartupTrials)}`);
    if (restartStrategy !== undefined && restartStrategy !== "ipop")
      fail(`restartStrategy must be "ipop" or undefined, got ${formatValue(restartStrategy)}`);
    if (popsize !== undefined && !(Number.isSafeInteger(popsize) && popsize >= 2))
      fail(`popsize must be an integer >= 2, got ${formatValue(popsize)}`);
    if (!(Number.isSafeInteger(incPopsize) && incPopsize >= 1))
      fail(`incPopsize must be a positive integer, got ${formatValue(incPopsize)}`);
    if (typeof warnIndependentSampling !== "boolean")
      fail(
        `warnIndependentSampling must be a boolean, got ${formatValue(warnIndependentSampling)}`,
      );
    if (
      independentSampler !== undefined &&
      (typeof independentSampler !== "object" ||
        independentSampler === null ||
        typeof independentSampler.sampleIndependent !== "function")
    )
      fail("independentSampler must be a Sampler");
    this.seed = resolveSeed(seed);
    this.x0 = x0;
    this.sigma0 = sigma0;
    this.nStartupTrials = nStartupTrials;
    this.independent = independentSampler ?? new RandomSampler({ seed: this.seed });
    this.warnIndependent = warnIndependentSampling;
    this.ipop = restartStrategy === "ipop";
    this.popsize = popsize;
    this.incPopsize = incPopsize;
  }

  private generationKey(restarts: number): string {
    return this.ipop ? `${PREFIX}restart_${restarts}:generation` : `${PREFIX}generation`;
  }

  inferRelativeSearchSpace(study: StudyView, _trial: FrozenTrial): Record<string, Distribution> {
    checkSingleObjective(study);
    const out: Record<string, Distribution> = {};
    for (const [name, d] of Object.entries(this.searchSpace.calculate(study))) {
      if (isNumeric(d) && !d.single()) out[name] = d;
    }
    return out;
  }

  sampleRelative(
    study: StudyView,
    trial: FrozenTrial,
    searchSpace: Record<string, Distribution>,
  ): Record<string, JsonValue> {
    checkSingleObjective(study);
    const names = Object.keys(searchSpace)
      .filter((name) => {
        const d = searchSpace[name]!;
        return isNumeric(d) && !d.single();
      })
      .sort();
    if (names.length === 0) return {};
    const completed = study.getTrials(COMPLETE);
    if (completed.length < this.nStartupTrials) return {};
    const dists = names.map((name) => searchSpace[name] as NumericDistribution);
    const bounds = dists.map(continuousBounds);

    let { cma, restarts } = this.restore(study.getTrials());
    cma ??= this.init(names, dists, bounds, this.popsize, undefined);
    if (!sameNames(cma.state.names, names) || !sameBounds(cma.state.bounds, bounds)) {
      // The search space changed under a running CMA-ES (Optuna falls back the same way).
      this.warnIndependent = false;
      return {};
    }

    const genKey = this.generationKey(restarts);
    const solutions: { x: number[]; value: number }[] = [];
    const sign = study.directions[0] === "maximize" ? -1 : 1;
    for (const t of completed) {
      if (solutions.length === cma.popsize) break;
      if (t.systemAttrs[genKey] !== cma.generation || t.values === undefined) continue;
      const x = names.map((name, i) => {
        const v = t.params[name];
        return typeof v === "number" ? toContinuous(dists[i]!, v) : Number.NaN;
      });
      if (x.some((xi) => !Number.isFinite(xi))) continue;
      solutions.push({ x, value: clampFinite(sign * t.values[0]!) });
    }
    if (solutions.length === cma.popsize) {
      cma = this.copy(cma);
      cma.tell(solutions);
      if (this.ipop && cma.shouldStop()) {
        restarts += 1;
        const rng = trialRandom(this.seed, trial.number, STREAM_RESTART);
        const mean = bounds.map(([lo, hi]) => lo + (hi - lo) * rng.random());
        cma = this.init(names, dists, bounds, cma.popsize * this.incPopsize, mean);
      }
      cma = this.store(study, trial, cma);
    }

    const x = cma.ask(new Gaussian(trialRandom(this.seed, trial.number, STREAM_ASK)));
    study.setTrialSystemAttr(trial.trialId, this.generationKey(restarts), cma.generation);
    study.setTrialSystemAttr(trial.trialId, N_RESTARTS_KEY, restarts);
    const params: Record<string, JsonValue> = {};
    names.forEach((name, i) => {
      params[name] = fromContinuous(dists[i]!, x[i]!);
    });
    return params;
  }

  sampleIndependent(
    study: StudyView,
    trial: FrozenTrial,
    name: string,
    distribution: Distribution,
  ): JsonValue {
    checkSingleObjective(study);
    if (this.warnIndependent && !distribution.single() && !this.warned.has(name)) {
      const complete = study.getTrials(COMPLETE).length;
      if (complete > 0 && complete >= this.nStartupTrials) {
        this.warned.add(name);
        console.warn(
          `CmaEsSampler: parameter "${name}" (first in trial ${trial.number}) is sampled ` +
            "independently, not by CMA-ES: it is categorical, or not in every completed trial " +
            "with the same distribution. Pass warnIndependentSampling: false to silence this.",
        );
      }
    }
    return this.independent.sampleIndependent(study, trial, name, distribution);
  }

  beforeTrial(study: StudyView, trial: FrozenTrial): void {
    this.independent.beforeTrial?.(study, trial);
  }

  afterTrial(
    study: StudyView,
    trial: FrozenTrial,
    state: TrialState,
    values: readonly number[] | undefined,
  ): void {
    this.independent.afterTrial?.(study, trial, state, values);
  }

  /** A fresh CMA-ES run over `names`. */
  private init(
    names: readonly string[],
    dists: readonly NumericDistribution[],
    bounds: readonly [number, number][],
    popsize: number | undefined,
    mean: number[] | undefined,
  ): Cma {
    mean ??= names.map((name, i) => {
      const [lo, hi] = bounds[i]!;
      const v = this.x0?.[name];
      if (v === undefined) return lo + (hi - lo) / 2;
      const d = dists[i]!;
      if (!(v >= d.low && v <= d.high)) {
        throw new SpaxError(
          `CmaEsSampler: x0.${name} = ${formatValue(v)} is outside [${d.low}, ${d.high}]`,
          { code: "invalid_option" },
        );
      }
      return toContinuous(d, v);
    });
    let sigma = this.sigma0;
    if (sigma === undefined) {
      sigma = Number.POSITIVE_INFINITY;
      for (const [lo, hi] of bounds) sigma = Math.min(sigma, (hi - lo) / 6);
    }
    return Cma.create(names, bounds, mean, Math.max(sigma, 1e-10), popsize);
  }

  /**
   * The latest stored state: among trials carrying one, the greatest (restart, generation).
   * Without any, `cma` is undefined and the run starts fresh.
   */
  private restore(trials: readonly FrozenTrial[]): { cma: Cma | undefined; restarts: number } {
    let best: FrozenTrial | undefined;
    let bestRestarts = -1;
    let bestGeneration = -1;
    for (const t of trials) {
      if (typeof t.systemAttrs[`${STATE_KEY}0`] !== "string") continue;
      const r = t.systemAttrs[N_RESTARTS_KEY];
      const restarts = typeof r === "number" ? r : 0;
      const g = t.systemAttrs[this.generationKey(restarts)];
      const generation = typeof g === "number" ? g : -1;
      if (restarts > bestRestarts || (restarts === bestRestarts && generation > bestGeneration)) {
        best = t;
        bestRestarts = restarts;
        bestGeneration = generation;
      }
    }
    if (best === undefined) return { cma: undefined, restarts: 0 };
    let text = "";
    for (let i = 0; ; i++) {
      const chunk = best.systemAttrs[`${STATE_KEY}${i}`];
      if (typeof chunk !== "string") break;
      text += chunk;
    }
    return { cma: this.parse(text), restarts: bestRestarts };
  }

  private parse(text: string): Cma {
    const hit = this.cache.get(text);
    if (hit !== undefined) {
      // Refresh its recency.
      this.cache.delete(text);
      this.cache.set(text, hit);
      return hit;
    }
    let cma: Cma;
    try {
      cma = new Cma(JSON.parse(text) as CmaState);
    } catch (cause) {
      throw new SpaxError("CmaEsSampler: the stored CMA-ES state is corrupt", {
        code: "invalid_sampler_state",
        cause,
      });
    }
    this.cache.set(text, cma);
    if (this.cache.size > 4) this.cache.delete(this.cache.keys().next().value!);
    return cma;
  }

  /** An independent copy (cached objects are never updated in place). */
  private copy(cma: Cma): Cma {
    return new Cma(cma.state);
  }

  /** Writes the state to the trial's system attributes and returns it re-read from its JSON. */
  private store(study: StudyView, trial: FrozenTrial, cma: Cma): Cma {
    const text = JSON.stringify(cma.state);
    for (let i = 0; i * CHUNK < text.length; i++) {
      study.setTrialSystemAttr(
        trial.trialId,
        `${STATE_KEY}${i}`,
        text.slice(i * CHUNK, (i + 1) * CHUNK),
      );
    }
    // Continue from the JSON round trip, exactly as a resumed process would.
    return this.parse(text);
  }
}

const COMPLETE: readonly TrialState[] = ["COMPLETE"];

function checkSingleObjective(study: StudyView): void {
  if (study.directions.length !== 1) {
    throw new SpaxError(
      `CmaEsSampler optimizes a single objective; this study has ${study.directions.length} (use NSGAIISampler)`,
      { code: "multi_objective_unsupported" },
    );
  }
}

function clampFinite(v: number): number {
  return Math.min(Number.MAX_VALUE, Math.max(-Number.MAX_VALUE, v));
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function sameBounds(
  a: readonly (readonly [number, number])[],
  b: readonly (readonly [number, number])[],
): boolean {
  return a.length === b.length && a.every(([l, u], i) => l === b[i]![0] && u === b[i]![1]);
}
