/**
 * `NSGAIISampler`: the elitist multi-objective genetic algorithm NSGA-II (Deb et al., 2002),
 * with Optuna's generation bookkeeping in trial system attributes.
 * @module
 */
import { formatValue, SpaxError } from "../../../errors.js";
import type { PyRandom } from "../../../sample/mt19937.js";
import type { JsonValue } from "../../../space/values.js";
import type { CategoricalDistribution, Distribution } from "../../distributions.js";
import type { FrozenTrial, TrialState } from "../../frozen-trial.js";
import type { Sampler, StudyView } from "../../sampler.js";
import { resolveSeed, trialRandom } from "../../seed.js";
import {
  CompletedTrialFold,
  continuousBounds,
  fromContinuous,
  IntersectionSearchSpace,
  isNumeric,
  type NumericDistribution,
  toContinuous,
} from "../cmaes/search-space.js";
import { RandomSampler } from "../random.js";
import { type Crossover, SBXCrossover, UniformCrossover } from "./crossover.js";
import {
  constrainedDominates,
  crowdingDistance,
  dominates,
  type Evaluated,
  nonDominatedSort,
} from "./selection.js";

/** Options of {@link NSGAIISampler}. */
export interface NSGAIISamplerOptions {
  /** Seed of every draw; without one, runs are not reproducible. */
  seed?: number | bigint;
  /** Individuals per generation (at least 2, and at least the crossover's parent count). Default 50. */
  populationSize?: number;
  /** Probability that a child's parameter is redrawn at random; default 1 / (number of parameters). */
  mutationProb?: number;
  /**
   * How two parents make a child's numeric parameters: `"uniform"` (default), `"sbx"`, or a
   * {@link Crossover} such as `new SBXCrossover({ eta: 15 })`.
   */
  crossover?: "uniform" | "sbx" | Crossover;
  /** Probability that a child is a crossover of two parents rather than a copy of one. Default 0.9. */
  crossoverProb?: number;
  /**
   * Uniform crossover's (and categoricals') chance to take a parameter from the first parent
   * rather than the second (Optuna's convention). Default 0.5.
   */
  swappingProb?: number;
  /**
   * Constraint values of a finished trial (`<= 0` means satisfied), recorded under the
   * `constraints` system attribute; selection then prefers feasible trials (Deb's rules).
   */
  constraintsFunc?: (trial: FrozenTrial) => readonly number[];
}

const GENERATION_KEY = "nsga2:generation";
const PARENTS_KEY = "nsga2:parents";
const CONSTRAINTS_KEY = "constraints";
/** Tries to draw parents whose child lies in the search space before clipping it. */
const MAX_CROSSOVER_TRIES = 100;

/**
 * NSGA-II as in Optuna's `NSGAIISampler`, for any number of objectives.
 *
 * Each trial is tagged `nsga2:generation`. Generation 0 is sampled at random. Once a
 * generation has `populationSize` COMPLETE trials, it is merged with its parents' population
 * and the best `populationSize` by non-domination rank, then crowding distance, become the
 * parent population of the next generation. A child takes its parents (binary tournaments,
 * recorded as `nsga2:parents`: their trial ids) through crossover with probability
 * `crossoverProb`, else copies one parent; then each parameter is redrawn at random (left to
 * `sampleIndependent`) with probability `mutationProb`. Parameters outside the intersection
 * search space are sampled at random.
 *
 * Populations are recomputed from the trials (and cached in memory), so the sampler holds no
 * state a resumed study needs; all randomness comes from `trialRandom(seed, trial.number, …)`.
 * @example
 * const sampler = new NSGAIISampler({ seed: 1, populationSize: 50, crossover: "sbx" });
 */
export class NSGAIISampler implements Sampler {
  private readonly seed: bigint;
  private readonly populationSize: number;
  private readonly mutationProb: number | undefined;
  private readonly crossover: Crossover;
  private readonly crossoverProb: number;
  private readonly swappingProb: number;
  private readonly constraintsFunc: ((trial: FrozenTrial) => readonly number[]) | undefined;
  private readonly random: RandomSampler;
  private readonly searchSpace = new IntersectionSearchSpace();
  /** COMPLETE trials with a generation tag, by generation (with the sum of their numbers). */
  private readonly generations = new CompletedTrialFold<Generations>(
    () => new Map(),
    (acc, t) => {
      const g = t.systemAttrs[GENERATION_KEY];
      if (typeof g !== "number" || t.values === undefined) return;
      let entry = acc.get(g);
      if (entry === undefined) {
        entry = { members: [], numberSum: 0 };
        acc.set(g, entry);
      }
      entry.members.push(t);
      entry.numberSum += t.number;
    },
  );
  /** Per generation: a fingerprint of its members and the elite (trial numbers) chosen from them. */
  private readonly eliteCache = new WeakMap<
    Generations,
    Map<number, { key: string; elite: FrozenTrial[] }>
  >();

  constructor(options: NSGAIISamplerOptions = {}) {
    const fail = (why: string): never => {
      throw new SpaxError(`NSGAIISampler: ${why}`, { code: "invalid_option" });
    };
    const probability = (name: string, p: unknown) => {
      if (!(typeof p === "number" && p >= 0 && p <= 1))
        fail(`${name} must be a number in [0, 1], got ${formatValue(p)}`);
    };
    const {
      seed,
      populationSize = 50,
      mutationProb,
      crossover = "uniform",
      crossoverProb = 0.9,
      swappingProb = 0.5,
      constraintsFunc,
    } = options;
    if (!Number.isSafeInteger(populationSize) || populationSize < 2)
      fail(`populationSize must be an integer >= 2, got ${formatValue(populationSize)}`);
    if (mutationProb !== undefined) probability("mutationProb", mutationProb);
    probability("crossoverProb", crossoverProb);
    probability("swappingProb", swappingProb);
    if (constraintsFunc !== undefined && typeof constraintsFunc !== "function")
      fail(`constraintsFunc must be a function, got ${formatValue(constraintsFunc)}`);
    let op: Crossover;
    if (crossover === "uniform") op = new UniformCrossover(swappingProb);
    else if (crossover === "sbx") op = new SBXCrossover();
    else if (
      typeof crossover === "object" &&
      crossover !== null &&
      typeof crossover.crossover === "function" &&
      Number.isSafeInteger(crossover.nParents) &&
      crossover.nParents >= 1
    )
      op = crossover;
    else fail(`crossover must be "uniform", "sbx" or a Crossover, got ${formatValue(crossover)}`);
    if (populationSize < op!.nParents)
      fail(
        `populationSize (${populationSize}) must be at least the crossover's number of parents (${op!.nParents})`,
      );
    this.seed = resolveSeed(seed);
    this.populationSize = populationSize;
    this.mutationProb = mutationProb;
    this.crossover = op!;
    this.crossoverProb = crossoverProb;
    this.swappingProb = swappingProb;
    this.constraintsFunc = constraintsFunc;
    this.random = new RandomSampler({ seed: this.seed });
  }

  inferRelativeSearchSpace(study: StudyView, _trial: FrozenTrial): Record<string, Distribution> {
    const out: Record<string, Distribution> = {};
    for (const [name, d] of Object.entries(this.searchSpace.calculate(study))) {
      if (!d.single()) out[name] = d;
    }
    return out;
  }

  sampleRelative(
    study: StudyView,
    trial: FrozenTrial,
    searchSpace: Record<string, Distribution>,
  ): Record<string, JsonValue> {
    const { generation: parentGeneration, population } = this.parentPopulation(study);
    study.setTrialSystemAttr(trial.trialId, GENERATION_KEY, parentGeneration + 1);
    if (parentGeneration < 0) return {};

    const rng = trialRandom(this.seed, trial.number, 0);
    const names = Object.keys(searchSpace).sort();
    let child: Record<string, JsonValue>;
    let parents: FrozenTrial[];
    if (rng.random() < this.crossoverProb) {
      ({ child, parents } = this.crossoverChild(study, population, searchSpace, names, rng));
    } else {
      const parent = population[rng.randbelow(population.length)]!;
      parents = [parent];
      child = {};
      for (const name of names) if (name in parent.params) child[name] = parent.params[name]!;
    }
    study.setTrialSystemAttr(
      trial.trialId,
      PARENTS_KEY,
      parents.map((p) => p.trialId),
    );

    const kept = Object.keys(child);
    const mutationProb = this.mutationProb ?? 1 / Math.max(1, kept.length);
    const params: Record<string, JsonValue> = {};
    for (const name of kept) if (rng.random() >= mutationProb) params[name] = child[name]!;
    return params;
  }

  /** Parameters of the first generation, mutated ones and those outside the search space: uniformly at random. */
  sampleIndependent(
    study: StudyView,
    trial: FrozenTrial,
    name: string,
    distribution: Distribution,
  ): JsonValue {
    return this.random.sampleIndependent(study, trial, name, distribution);
  }

  afterTrial(
    study: StudyView,
    trial: FrozenTrial,
    state: TrialState,
    values: readonly number[] | undefined,
  ): void {
    if (this.constraintsFunc === undefined || (state !== "COMPLETE" && state !== "PRUNED")) return;
    const raw = this.constraintsFunc({ ...trial, state, values });
    if (!Array.isArray(raw) || raw.some((c) => typeof c !== "number" || Number.isNaN(c))) {
      throw new SpaxError(
        `NSGAIISampler: constraintsFunc must return an array of numbers (not NaN), got ${formatValue(raw)} for trial ${trial.number}`,
        { code: "invalid_constraints" },
      );
    }
    // JSON has no infinities: ±Infinity is kept as ±Number.MAX_VALUE (same order, same sign).
    const constraints = raw.map((c: number) =>
      c === Number.POSITIVE_INFINITY
        ? Number.MAX_VALUE
        : c === Number.NEGATIVE_INFINITY
          ? -Number.MAX_VALUE
          : c,
    );
    study.setTrialSystemAttr(trial.trialId, CONSTRAINTS_KEY, constraints);
  }

  /** Binary-tournament parents and their child; redrawn while the child leaves the space. */
  private crossoverChild(
    study: StudyView,
    population: readonly FrozenTrial[],
    searchSpace: Record<string, Distribution>,
    names: readonly string[],
    rng: PyRandom,
  ): { child: Record<string, JsonValue>; parents: FrozenTrial[] } {
    const numeric = names.filter((n) => isNumeric(searchSpace[n]!));
    const categorical = names.filter((n) => searchSpace[n]!.kind === "categorical");
    const dists = numeric.map((n) => searchSpace[n] as NumericDistribution);
    const bounds = dists.map(continuousBounds);
    const better = this.dominatesFn(study);
    const context = { multiObjective: study.directions.length > 1 };
    for (let attempt = 1; ; attempt++) {
      const parents: FrozenTrial[] = [];
      for (let k = 0; k < this.crossover.nParents; k++) {
        const pool = population.filter((t) => !parents.includes(t));
        const a = pool[rng.randbelow(pool.length)]!;
        const b = pool[rng.randbelow(pool.length)]!;
        parents.push(better(a, b) ? a : b);
      }
      const child: Record<string, JsonValue> = {};
      // Categoricals: uniform crossover between the first and the last parent.
      const first = parents[0]!;
      const last = parents[parents.length - 1]!;
      for (const name of categorical) {
        const from = rng.random() >= this.swappingProb ? last : first;
        const v = from.params[name];
        if (v !== undefined && (searchSpace[name] as CategoricalDistribution).contains(v))
          child[name] = v;
      }
      if (numeric.length === 0) return { child, parents };
      const vectors = parents.map((p) =>
        Float64Array.from(numeric, (name, i) => {
          const v = p.params[name];
          return typeof v === "number" ? toContinuous(dists[i]!, v) : Number.NaN;
        }),
      );
      if (vectors.some((v) => v.some((x) => !Number.isFinite(x)))) return { child, parents };
      const x = this.crossover.crossover(vectors, rng, bounds, context);
      const inside = bounds.every(([lo, hi], i) => x[i]! >= lo && x[i]! <= hi);
      if (inside || attempt >= MAX_CROSSOVER_TRIES) {
        numeric.forEach((name, i) => {
          child[name] = fromContinuous(dists[i]!, x[i]!);
        });
        return { child, parents };
      }
    }
  }

  private dominatesFn(study: StudyView): (a: FrozenTrial, b: FrozenTrial) => boolean {
    const directions = study.directions;
    if (this.constraintsFunc === undefined)
      return (a, b) => dominates(a.values!, b.values!, directions);
    return (a, b) => constrainedDominates(evaluated(a), evaluated(b), directions);
  }

  /**
   * The latest parent population: walks the generations from 0 while each has
   * `populationSize` COMPLETE trials, selecting the elite of each generation plus its parents.
   */
  private parentPopulation(study: StudyView): { generation: number; population: FrozenTrial[] } {
    const byGeneration = this.generations.get(study);
    let cache = this.eliteCache.get(byGeneration);
    if (cache === undefined) {
      cache = new Map();
      this.eliteCache.set(byGeneration, cache);
    }
    let population: FrozenTrial[] = [];
    let parentKey = "";
    let generation = -1;
    for (;;) {
      const entry = byGeneration.get(generation + 1);
      if (entry === undefined || entry.members.length < this.populationSize) break;
      generation += 1;
      // Finished trials never change, so members are identified by their count and numbers.
      const key = `${parentKey}/${entry.members.length}:${entry.numberSum}`;
      const cached = cache.get(generation);
      if (cached !== undefined && cached.key === key) {
        population = cached.elite;
      } else {
        population = this.selectElite(study, [...entry.members, ...population]);
        cache.set(generation, { key, elite: population });
      }
      parentKey = key;
    }
    return { generation, population };
  }

  /** The best `populationSize` of `candidates`: by front, then by crowding distance in the last front. */
  private selectElite(study: StudyView, candidates: FrozenTrial[]): FrozenTrial[] {
    const unique = [...new Map(candidates.map((t) => [t.number, t])).values()].sort(
      (a, b) => a.number - b.number,
    );
    const fronts = nonDominatedSort(unique, this.dominatesFn(study));
    const elite: FrozenTrial[] = [];
    for (const front of fronts) {
      const members = front.map((i) => unique[i]!);
      if (elite.length + members.length <= this.populationSize) {
        elite.push(...members);
        if (elite.length === this.populationSize) break;
        continue;
      }
      const distance = crowdingDistance(members.map((t) => t.values!));
      const order = members
        .map((t, i) => ({ t, d: distance[i]! }))
        .sort((a, b) => b.d - a.d || a.t.number - b.t.number);
      for (const { t } of order.slice(0, this.populationSize - elite.length)) elite.push(t);
      break;
    }
    return elite;
  }
}

type Generations = Map<number, { members: FrozenTrial[]; numberSum: number }>;

function evaluated(t: FrozenTrial): Evaluated {
  const c = t.systemAttrs[CONSTRAINTS_KEY];
  return {
    values: t.values!,
    constraints: Array.isArray(c) ? (c as readonly number[]) : undefined,
  };
}
