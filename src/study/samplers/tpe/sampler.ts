/**
 * The Tree-structured Parzen Estimator sampler: Optuna 3.1's TPE with its defaults and options
 * (univariate, multivariate, group, constant liar, constraints, pruned trials), on spax's
 * engine; for space-first studies, conditional parameters follow the space's known tree.
 * @module
 */
import { formatValue, SpaxError } from "../../../errors.js";
import type { PyRandom } from "../../../sample/mt19937.js";
import { isPlainObject, type JsonValue } from "../../../space/values.js";
import {
  CategoricalDistribution,
  type Distribution,
  FloatDistribution,
  IntDistribution,
} from "../../distributions.js";
import type { FrozenTrial, TrialState } from "../../frozen-trial.js";
import type { Sampler, StudyView } from "../../sampler.js";
import { paramStream, resolveSeed, trialRandom } from "../../seed.js";
import { SpaceStructure } from "../../space-structure.js";
import { drawUniform } from "../random.js";
import { checkedWeights, defaultGamma, defaultWeights } from "./defaults.js";
import { CONSTRAINTS_KEY, type Column, History, modelValue } from "./history.js";
import {
  CATEGORICAL,
  CategoricalParzen,
  Dim,
  MultiParzen,
  NumericParzen,
  type ParzenOptions,
} from "./parzen.js";
import { GroupedSpace, IntersectionSpace, sameDistribution } from "./search-space.js";
import { ABOVE, BELOW, hasAll, OUT, type Split, splitRows } from "./split.js";

/** Options of {@link TPESampler}; defaults are Optuna 3.1's. */
export interface TPESamplerOptions {
  /** Seed: a trial's draws depend only on it and the trial's number. Default: fresh entropy. */
  seed?: number | bigint;
  /** Trials (COMPLETE or PRUNED) sampled at random before TPE starts. Default 10. */
  nStartupTrials?: number;
  /** Candidates drawn from l(x) per sample; the best l(x)/g(x) wins. Default 24. */
  nEiCandidates?: number;
  /** Size of the "below" (good) group out of n trials. Default `min(ceil(0.1·n), 25)`. */
  gamma?: (n: number) => number;
  /** Weights of n observations in trial order. Default {@link defaultWeights}. */
  weights?: (n: number) => ArrayLike<number>;
  /** Weight of the prior kernel (a wide kernel mid-range; uniform for categoricals). Default 1. */
  priorWeight?: number;
  /** Clip kernel widths to at least `range / min(100, 1 + kernels)`. Default true. */
  considerMagicClip?: boolean;
  /** Let the outermost kernels' widths reach the bounds. Default false. */
  considerEndpoints?: boolean;
  /** Sample parameters jointly (one kernel across all dimensions). Default false. */
  multivariate?: boolean;
  /** With `multivariate`: sample co-occurring parameter groups jointly. Default false. */
  group?: boolean;
  /** Count RUNNING trials as bad ("above"), so parallel trials spread out. Default false. */
  constantLiar?: boolean;
  /**
   * Constraint values of a finished trial; a value > 0 is a violation. Stored on the trial as
   * the `constraints` system attribute. Feasible trials are preferred.
   */
  constraintsFunc?: (trial: FrozenTrial) => readonly number[];
}

/** Counters of how parameters were sampled, for diagnostics and tests. */
export interface TPEStats {
  /** Values drawn uniformly at random (startup trials, and branches not yet seen often enough). */
  randomDraws: number;
  /** Values sampled by univariate (independent) TPE. */
  independentTpe: number;
  /** Values sampled jointly by multivariate TPE. */
  relativeParams: number;
  /**
   * Multivariate mode only: parameters asked after the startup trials that were not part of a
   * joint sample, and so fell back to independent sampling (Optuna's warning case). Always 0
   * for the parameters of a space-first study's space.
   */
  independentFallbacks: number;
}

/**
 * Trials a branch of a space-first study's space must have been active in before its
 * parameters are modelled; until then they are drawn at random (at least one observation in
 * "below" and one in "above").
 */
const MIN_BRANCH_TRIALS = 2;

/** Base of the streams of TPE's draws (apart from the `RandomSampler`'s 2³² + hash ones). */
const TPE_STREAM = 0x200000000;

/** The system attribute a trial's joint sample is published under (constant liar). */
const RELATIVE_KEY = "tpe:relative_params";

/** A RUNNING trial's known values, for the constant liar. */
interface Liar {
  readonly number: number;
  readonly params: Readonly<Record<string, JsonValue>>;
  readonly distributions: Readonly<Record<string, Distribution>>;
  readonly planned: Readonly<Record<string, JsonValue>> | undefined;
}

/** What the sampler keeps per study. */
class StudyState {
  readonly history: History;
  readonly structure: SpaceStructure | undefined;
  readonly intersection = new IntersectionSpace();
  readonly grouped = new GroupedSpace();
  running: FrozenTrial[] = [];
  syncedFor = -1;
  globalSplit: { version: number; split: Split } | undefined;
  globalFlags = new Uint8Array(64);
  /** Joint samples of this process's running trials, by trial number. */
  readonly planned = new Map<number, Record<string, JsonValue>>();
  /** Joint samples computed by `inferRelativeSearchSpace`, handed out by `sampleRelative`. */
  readonly pending = new Map<number, Record<string, JsonValue>>();
  readonly dims = new Map<string, Dim>();

  constructor(study: StudyView, constraints: boolean, trackSpaces: boolean) {
    this.history = new History(study.directions, constraints);
    this.structure = study.space ? new SpaceStructure(study.space) : undefined;
    if (trackSpaces) {
      this.history.listen((t) => {
        this.intersection.add(t);
        this.grouped.add(t);
      }, []);
    }
  }

  dim(name: string, distribution: Distribution): Dim {
    const known = this.dims.get(name);
    if (known && sameDistribution(known.distribution, distribution)) return known;
    const dim = new Dim(distribution);
    this.dims.set(name, dim);
    return dim;
  }
}

/** Growable scratch arrays, reused by every sample. */
class Scratch {
  rank = new Int32Array(64);
  flags = new Uint8Array(64);
  xsB = new Float64Array(64);
  wsB = new Float64Array(64);
  xsA = new Float64Array(64);
  wsA = new Float64Array(64);
  lwB = new Float64Array(64);
  lwA = new Float64Array(64);
  cand = new Float64Array(64);
  evalAt = new Float64Array(64);
  us = new Float64Array(32);
  vs = new Float64Array(32);

  fit(rows: number, kernels: number): void {
    if (this.rank.length < rows) {
      this.rank = new Int32Array(rows * 2);
      this.flags = new Uint8Array(rows * 2);
    }
    if (this.xsA.length < kernels) {
      const n = kernels * 2;
      this.xsB = new Float64Array(n);
      this.wsB = new Float64Array(n);
      this.xsA = new Float64Array(n);
      this.wsA = new Float64Array(n);
      this.lwB = new Float64Array(n);
      this.lwA = new Float64Array(n);
    }
  }
}

function positiveInt(v: unknown, what: string, min: number): number {
  if (!Number.isSafeInteger(v) || (v as number) < min) {
    throw new SpaxError(`TPESampler: ${what} must be an integer >= ${min}, got ${formatValue(v)}`, {
      code: "invalid_option",
    });
  }
  return v as number;
}

function flag(v: unknown, what: string): boolean {
  if (typeof v !== "boolean") {
    throw new SpaxError(`TPESampler: ${what} must be a boolean, got ${formatValue(v)}`, {
      code: "invalid_option",
    });
  }
  return v;
}

const OPTION_KEYS = new Set([
  "seed",
  "nStartupTrials",
  "nEiCandidates",
  "gamma",
  "weights",
  "priorWeight",
  "considerMagicClip",
  "considerEndpoints",
  "multivariate",
  "group",
  "constantLiar",
  "constraintsFunc",
]);

/**
 * Tree-structured Parzen Estimator (TPE), with Optuna 3.1's algorithm and defaults. After
 * `nStartupTrials` random trials, each value is the best of `nEiCandidates` draws from l(x) —
 * a Parzen estimator of the best `gamma(n)` trials — by the ratio l(x)/g(x), g fitted to the
 * rest. Pruned trials rank after complete ones by deepest step, then last value; with
 * `constantLiar`, RUNNING trials count as bad, so parallel trials spread out.
 *
 * **Modes.** Univariate (default): each parameter on its own. `multivariate`: the parameters of
 * the study's intersection space jointly; `group` adds Optuna's decomposition into co-occurring
 * groups; in both, parameters outside fall back to univariate sampling (counted in
 * {@link TPESampler.stats}).
 *
 * **Space-first studies** (`createStudy({ space })`) use the known tree instead of Optuna's
 * heuristics. The rule: each parameter belongs to the branch path that activates it (a config
 * choice of a categorical, a conditional's branch); parameters on the same path form a group,
 * modelled only on the trials where that path was active, with "below" being the best
 * `gamma(m)` of those m trials. In `multivariate` (and `group`) mode each group is sampled
 * jointly, root first, and a group is sampled once its branch has been taken, so every active
 * parameter of the space is sampled jointly with its group and none falls back to independent
 * sampling. In univariate mode each parameter is modelled on its branch's trials the same way.
 * A branch active in fewer than 2 trials so far is drawn at random. Root parameters see every
 * trial, so a space without conditionals is sampled exactly as Optuna would.
 *
 * Several objectives: "below" by non-domination rank, the last rank cut by greedy hypervolume
 * subset selection, weighted by hypervolume contribution (Optuna 3.1's MOTPE). The kernels'
 * densities are Optuna 3.1's to the last bit (see `parzen.ts`), so given the same trials spax
 * and Optuna score candidates alike.
 *
 * Randomness derives from (seed, trial number, parameter) only: startup trials are the
 * `RandomSampler`'s draws for the same seed, a parameter's TPE draws do not depend on the order
 * parameters are asked in, and a study of 50 trials equals 25 + 25 across a resume. Finished
 * trials are read once into typed-array columns, so a sample costs O(n · candidates) numeric
 * work without walking trial objects.
 * @example
 * const study = await sp.createStudy({ sampler: new sp.TPESampler({ seed: 1 }), space: Training });
 */
export class TPESampler implements Sampler {
  readonly nStartupTrials: number;
  readonly nEiCandidates: number;
  readonly multivariate: boolean;
  readonly group: boolean;
  readonly constantLiar: boolean;
  /** How values were sampled so far (all studies of this sampler). */
  readonly stats: TPEStats = {
    randomDraws: 0,
    independentTpe: 0,
    relativeParams: 0,
    independentFallbacks: 0,
  };
  private readonly seed: bigint;
  private readonly gamma: (n: number) => number;
  private readonly weights: (n: number) => ArrayLike<number>;
  private readonly parzen: ParzenOptions;
  private readonly constraintsFunc: ((trial: FrozenTrial) => readonly number[]) | undefined;
  private readonly states = new WeakMap<StudyView, StudyState>();
  private readonly weightCache = new Map<number, [ArrayLike<number>, Float64Array]>();
  private readonly scratch = new Scratch();
  private readonly below = new NumericParzen();
  private readonly above = new NumericParzen();
  private readonly belowCat = new CategoricalParzen();
  private readonly aboveCat = new CategoricalParzen();
  private readonly belowMulti = new MultiParzen();
  private readonly aboveMulti = new MultiParzen();

  constructor(options: TPESamplerOptions = {}) {
    if (!isPlainObject(options)) {
      throw new SpaxError(`TPESampler options must be an object, got ${formatValue(options)}`, {
        code: "invalid_options",
      });
    }
    for (const key of Object.keys(options)) {
      if (!OPTION_KEYS.has(key)) {
        throw new SpaxError(
          `TPESampler: unknown option ${JSON.stringify(key)}; expected ${[...OPTION_KEYS].join(", ")}`,
          { code: "invalid_option" },
        );
      }
    }
    const o = options as TPESamplerOptions;
    this.seed = resolveSeed(o.seed);
    this.nStartupTrials = positiveInt(o.nStartupTrials ?? 10, "nStartupTrials", 0);
    this.nEiCandidates = positiveInt(o.nEiCandidates ?? 24, "nEiCandidates", 1);
    for (const [what, fn] of [
      ["gamma", o.gamma],
      ["weights", o.weights],
      ["constraintsFunc", o.constraintsFunc],
    ] as const) {
      if (fn !== undefined && typeof fn !== "function") {
        throw new SpaxError(`TPESampler: ${what} must be a function, got ${formatValue(fn)}`, {
          code: "invalid_option",
        });
      }
    }
    this.gamma = o.gamma ?? defaultGamma;
    this.weights = o.weights ?? defaultWeights;
    const priorWeight = o.priorWeight ?? 1;
    if (typeof priorWeight !== "number" || !(priorWeight > 0) || !Number.isFinite(priorWeight)) {
      throw new SpaxError(
        `TPESampler: priorWeight must be a finite number > 0, got ${formatValue(priorWeight)}`,
        { code: "invalid_option" },
      );
    }
    this.parzen = {
      priorWeight,
      considerMagicClip: flag(o.considerMagicClip ?? true, "considerMagicClip"),
      considerEndpoints: flag(o.considerEndpoints ?? false, "considerEndpoints"),
    };
    this.multivariate = flag(o.multivariate ?? false, "multivariate");
    this.group = flag(o.group ?? false, "group");
    this.constantLiar = flag(o.constantLiar ?? false, "constantLiar");
    if (this.group && !this.multivariate) {
      throw new SpaxError("TPESampler: group needs multivariate: true", {
        code: "invalid_option",
      });
    }
    this.constraintsFunc = o.constraintsFunc;
  }

  // ---- the Sampler contract -------------------------------------------------------------------

  inferRelativeSearchSpace(study: StudyView, trial: FrozenTrial): Record<string, Distribution> {
    const st = this.sync(study, trial);
    if (!this.multivariate || st.history.nScored < this.nStartupTrials) return {};
    if (st.structure) {
      const { params, distributions } = this.simulate(study, st, trial);
      st.pending.set(trial.number, params);
      return distributions;
    }
    if (!this.group) return st.intersection.get();
    const out: Record<string, Distribution> = {};
    for (const g of st.grouped.get()) Object.assign(out, g);
    return out;
  }

  sampleRelative(
    study: StudyView,
    trial: FrozenTrial,
    searchSpace: Record<string, Distribution>,
  ): Record<string, JsonValue> {
    const st = this.sync(study, trial);
    let params: Record<string, JsonValue>;
    if (st.structure) {
      params = st.pending.get(trial.number) ?? {};
      st.pending.delete(trial.number);
    } else {
      params = {};
      const groups = this.group ? st.grouped.get() : [searchSpace];
      for (const g of groups) {
        const names = Object.keys(g).filter((n) => searchSpace[n] !== undefined);
        if (names.length === 0) continue;
        const dists = names.map((n) => searchSpace[n]!);
        const values = this.sampleJoint(st, trial, names, dists, false);
        names.forEach((n, i) => {
          params[n] = values[i]!;
        });
      }
    }
    if (Object.keys(params).length > 0) {
      st.planned.set(trial.number, params);
      if (this.constantLiar) study.setTrialSystemAttr(trial.trialId, RELATIVE_KEY, params);
    }
    return params;
  }

  sampleIndependent(
    study: StudyView,
    trial: FrozenTrial,
    name: string,
    distribution: Distribution,
  ): JsonValue {
    const st = this.sync(study, trial);
    if (st.history.nScored < this.nStartupTrials) {
      this.stats.randomDraws++;
      return this.randomDraw(trial, name, distribution);
    }
    if (this.multivariate) this.stats.independentFallbacks++;
    return this.sampleOne(st, trial, name, distribution);
  }

  afterTrial(
    study: StudyView,
    trial: FrozenTrial,
    state: TrialState,
    _values: readonly number[] | undefined,
  ): void {
    const st = this.states.get(study);
    st?.planned.delete(trial.number);
    st?.pending.delete(trial.number);
    if (this.constraintsFunc && (state === "COMPLETE" || state === "PRUNED")) {
      const c = this.constraintsFunc(trial);
      if (!Array.isArray(c) || !c.every((v) => typeof v === "number" && !Number.isNaN(v))) {
        throw new SpaxError(
          `TPESampler: constraintsFunc must return an array of numbers (not NaN), got ${formatValue(c)}`,
          { code: "invalid_constraints" },
        );
      }
      study.setTrialSystemAttr(trial.trialId, CONSTRAINTS_KEY, [...c]);
    }
  }

  // ---- state ------------------------------------------------------------------------------------

  /** The study's state, with trials finished since the last look read in. */
  private sync(study: StudyView, trial: FrozenTrial): StudyState {
    let st = this.states.get(study);
    if (!st) {
      st = new StudyState(
        study,
        this.constraintsFunc !== undefined,
        this.multivariate && !study.space,
      );
      this.states.set(study, st);
    }
    if (st.syncedFor !== trial.trialId) {
      st.running = [];
      st.history.sync(study.getTrials(), trial.number, this.constantLiar ? st.running : undefined);
      st.syncedFor = trial.trialId;
    }
    return st;
  }

  /** A uniform draw, exactly the `RandomSampler`'s for this seed, trial and name. */
  private randomDraw(trial: FrozenTrial, name: string, distribution: Distribution): JsonValue {
    return drawUniform(trialRandom(this.seed, trial.number, paramStream(name)), distribution);
  }

  /**
   * The generator of a trial's TPE draws for one parameter or group (`key`): it depends only on
   * (seed, trial number, key), whatever order parameters are asked in.
   */
  private tpeRng(trial: FrozenTrial, key: string): PyRandom {
    return trialRandom(this.seed, trial.number, TPE_STREAM + (paramStream(key) - 0x100000000));
  }

  /** The weights of n observations in trial order, and their logs. */
  private weightsFor(n: number): [ArrayLike<number>, Float64Array] {
    const logs = (w: ArrayLike<number>): Float64Array => {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = Math.log(w[i]!);
      return out;
    };
    if (this.weights !== defaultWeights) {
      const w = checkedWeights(this.weights, n);
      return [w, logs(w)];
    }
    let entry = this.weightCache.get(n);
    if (!entry) {
      const w = defaultWeights(n);
      entry = [w, logs(w)];
      if (this.weightCache.size > 4096) this.weightCache.clear();
      this.weightCache.set(n, entry);
    }
    return entry;
  }

  /** Optuna's split of all scored trials (cached until a trial is scored). */
  private globalSplit(st: StudyState): Split {
    const h = st.history;
    if (st.globalSplit?.version === h.version) return st.globalSplit.split;
    if (st.globalFlags.length < h.rows) st.globalFlags = new Uint8Array(h.capacity);
    const split = splitRows(h, [], this.gamma, st.globalFlags);
    st.globalSplit = { version: h.version, split };
    return split;
  }

  /** The split a parameter set is modelled with: its branch's trials, or Optuna's global one. */
  private splitFor(st: StudyState, columns: readonly Column[], structured: boolean): Split {
    const h = st.history;
    // Parameters every scored trial has (a space's root) split as all trials do.
    if (!structured || columns.every((c) => c.count === h.nScored)) return this.globalSplit(st);
    this.scratch.fit(h.capacity, 0);
    return splitRows(h, columns, this.gamma, this.scratch.flags);
  }

  /** Values of RUNNING trials for the constant liar: those that have every name in `names`. */
  private liars(st: StudyState, names: readonly string[]): Liar[] {
    if (!this.constantLiar || st.history.multiObjective || st.running.length === 0) return [];
    const out: Liar[] = [];
    for (const t of st.running) {
      const attr = t.systemAttrs[RELATIVE_KEY];
      const planned =
        st.planned.get(t.number) ??
        (isPlainObject(attr) ? (attr as Record<string, JsonValue>) : undefined);
      if (names.every((n) => Object.hasOwn(t.params, n) || (planned && Object.hasOwn(planned, n))))
        out.push({ number: t.number, params: t.params, distributions: t.distributions, planned });
    }
    return out;
  }

  // ---- univariate -------------------------------------------------------------------------------

  /** One parameter by univariate TPE (or at random, for a branch seen too rarely). */
  private sampleOne(
    st: StudyState,
    trial: FrozenTrial,
    name: string,
    distribution: Distribution,
  ): JsonValue {
    const h = st.history;
    const sp = st.structure?.params.get(name);
    const structured = sp !== undefined;
    const column = h.columns.get(name);
    const dim = st.dim(name, distribution);
    const s = this.scratch;
    s.fit(h.capacity, h.nScored + st.running.length + 2);
    const split: Split | undefined = column ? this.splitFor(st, [column], structured) : undefined;
    if (structured && sp.context !== "" && (column?.count ?? 0) < MIN_BRANCH_TRIALS) {
      this.stats.randomDraws++;
      return this.randomDraw(trial, name, distribution);
    }
    this.stats.independentTpe++;
    const liars = this.liars(st, [name]).map((l) => ({
      number: l.number,
      value: Object.hasOwn(l.params, name)
        ? modelValue(l.distributions[name]!, l.params[name])
        : modelValue(distribution, l.planned![name]),
      rank: 0,
    }));
    // Pass 1, in trial order: each observation's rank within its group (for the weights).
    const flags = split?.flags;
    const values = column?.values;
    const rank = s.rank;
    let nb = 0;
    let na = 0;
    let li = 0;
    if (flags && values) {
      for (let r = 0; r < h.rows; r++) {
        while (li < liars.length && liars[li]!.number < r) liars[li++]!.rank = na++;
        const f = flags[r]!;
        if (f === OUT || Number.isNaN(values[r]!)) continue;
        rank[r] = f === BELOW ? nb++ : na++;
      }
    }
    while (li < liars.length) liars[li++]!.rank = na++;
    const moWeights = split?.belowWeights;
    const [wB, lwB] = this.weightsFor(nb);
    const [wA, lwA] = this.weightsFor(na);
    // Pass 2, in value order (numbers) or any order (categoricals): the observations.
    liars.sort((a, b) => a.value - b.value);
    let ib = 0;
    let ia = 0;
    let lj = 0;
    if (flags && values && column) {
      const sorted = column.sorted;
      for (let t = 0; t < column.count; t++) {
        const r = sorted[t]!;
        const f = flags[r]!;
        if (f === OUT) continue;
        const v = values[r]!;
        if (f === BELOW) {
          s.xsB[ib] = v;
          if (moWeights) {
            s.wsB[ib] = moWeights[r]!;
            s.lwB[ib] = Math.log(moWeights[r]!);
          } else {
            s.wsB[ib] = wB[rank[r]!]!;
            s.lwB[ib] = lwB[rank[r]!]!;
          }
          ib++;
        } else {
          while (lj < liars.length && liars[lj]!.value < v) {
            const l = liars[lj++]!;
            s.xsA[ia] = l.value;
            s.wsA[ia] = wA[l.rank]!;
            s.lwA[ia++] = lwA[l.rank]!;
          }
          s.xsA[ia] = v;
          s.wsA[ia] = wA[rank[r]!]!;
          s.lwA[ia++] = lwA[rank[r]!]!;
        }
      }
    }
    while (lj < liars.length) {
      const l = liars[lj++]!;
      s.xsA[ia] = l.value;
      s.wsA[ia] = wA[l.rank]!;
      s.lwA[ia++] = lwA[l.rank]!;
    }
    const rng = this.tpeRng(trial, name);
    const n = this.nEiCandidates;
    const [us, vs] = this.uniforms(rng, n);
    let best: JsonValue | undefined;
    let bestScore = Number.NEGATIVE_INFINITY;
    if (dim.kind === CATEGORICAL) {
      const below = this.belowCat.fit(s.xsB, s.wsB, ib, dim.nChoices, this.parzen);
      const above = this.aboveCat.fit(s.xsA, s.wsA, ia, dim.nChoices, this.parzen);
      for (let i = 0; i < n; i++) {
        const c = below.sampleAt(us[i]!);
        const score = below.logPdf(c) - above.logPdf(c);
        if (best === undefined || score > bestScore) {
          best = dim.toValue(c);
          bestScore = score;
        }
      }
      return best!;
    }
    const below = this.below.fit(s.xsB, s.wsB, s.lwB, ib, dim, this.parzen);
    const above = this.above.fit(s.xsA, s.wsA, s.lwA, ia, dim, this.parzen);
    for (let i = 0; i < n; i++) {
      const value = dim.toValue(below.sampleAt(us[i]!, vs[i]!));
      const x = dim.toModel(value);
      const score = below.logPdf(x) - above.logPdf(x);
      if (best === undefined || score > bestScore) {
        best = value;
        bestScore = score;
      }
    }
    return best!;
  }

  /** Uniforms for n candidates: a kernel choice and a quantile each. */
  private uniforms(rng: PyRandom, n: number): [Float64Array, Float64Array] {
    const s = this.scratch;
    if (s.us.length < n) {
      s.us = new Float64Array(n);
      s.vs = new Float64Array(n);
    }
    for (let i = 0; i < n; i++) {
      s.us[i] = rng.random();
      s.vs[i] = rng.random();
    }
    return [s.us, s.vs];
  }

  // ---- multivariate -----------------------------------------------------------------------------

  /**
   * Joint values for `names` by multivariate TPE: modelled on the trials that have them all,
   * split among themselves (`structured`) or as Optuna splits (globally).
   */
  private sampleJoint(
    st: StudyState,
    trial: FrozenTrial,
    names: readonly string[],
    distributions: readonly Distribution[],
    structured: boolean,
  ): JsonValue[] {
    const h = st.history;
    const d = names.length;
    const dims = names.map((n, i) => st.dim(n, distributions[i]!));
    const columns: Column[] = [];
    for (const n of names) {
      const c = h.columns.get(n);
      if (c) columns.push(c);
    }
    const complete = columns.length === d;
    const s = this.scratch;
    s.fit(h.capacity, 0);
    const split = complete ? this.splitFor(st, columns, structured) : undefined;
    if (structured && (split === undefined || split.nBelow + split.nAbove < MIN_BRANCH_TRIALS)) {
      this.stats.randomDraws += d;
      return distributions.map((dist, i) => this.randomDraw(trial, names[i]!, dist));
    }
    const rng = this.tpeRng(trial, names.join("\u0000"));
    this.stats.relativeParams += d;
    const liars = this.liars(st, names);
    const size = (h.nScored + liars.length + 1) * d;
    if (s.xsA.length < size) s.fit(h.capacity, size);
    let nb = 0;
    let na = 0;
    let li = 0;
    const belowRows: number[] = [];
    const pushLiar = (l: Liar) => {
      for (let j = 0; j < d; j++) {
        const n = names[j]!;
        s.xsA[na * d + j] = Object.hasOwn(l.params, n)
          ? modelValue(l.distributions[n]!, l.params[n])
          : modelValue(distributions[j]!, l.planned![n]);
      }
      na++;
    };
    if (split) {
      const flags = split.flags;
      for (let r = 0; r < h.rows; r++) {
        while (li < liars.length && liars[li]!.number < r) pushLiar(liars[li++]!);
        const f = flags[r]!;
        if (f === OUT || !hasAll(columns, r)) continue;
        if (f === BELOW) {
          for (let j = 0; j < d; j++) s.xsB[nb * d + j] = columns[j]!.values[r]!;
          belowRows.push(r);
          nb++;
        } else if (f === ABOVE) {
          for (let j = 0; j < d; j++) s.xsA[na * d + j] = columns[j]!.values[r]!;
          na++;
        }
      }
    }
    while (li < liars.length) pushLiar(liars[li++]!);
    const [wB] = this.weightsFor(nb);
    for (let i = 0; i < nb; i++) {
      s.wsB[i] = split?.belowWeights ? split.belowWeights[belowRows[i]!]! : wB[i]!;
    }
    const [wA] = this.weightsFor(na);
    for (let i = 0; i < na; i++) s.wsA[i] = wA[i]!;
    const below = this.belowMulti.fit(s.xsB, s.wsB, nb, dims, this.parzen);
    const above = this.aboveMulti.fit(s.xsA, s.wsA, na, dims, this.parzen);
    const n = this.nEiCandidates;
    if (s.cand.length < n * d) {
      s.cand = new Float64Array(n * d * 2);
      s.evalAt = new Float64Array(n * d * 2);
    }
    let bestScore = Number.NEGATIVE_INFINITY;
    const values: JsonValue[] = new Array(d);
    const bestValues: JsonValue[] = new Array(d);
    for (let i = 0; i < n; i++) {
      below.sample(rng, s.cand, i * d);
      for (let j = 0; j < d; j++) {
        values[j] = dims[j]!.toValue(s.cand[i * d + j]!);
        s.evalAt[i * d + j] = dims[j]!.toModel(values[j]!);
      }
      const score = below.logPdf(s.evalAt, i * d) - above.logPdf(s.evalAt, i * d);
      if (i === 0 || score > bestScore) {
        bestScore = score;
        for (let j = 0; j < d; j++) bestValues[j] = values[j]!;
      }
    }
    return bestValues;
  }

  // ---- space-first studies ------------------------------------------------------------------------

  /**
   * Samples a whole config of a space-first study's space the way the trial will ask for it:
   * walking the space, each branch's group is sampled jointly when the walk first enters it.
   * Enqueued (fixed) values are honoured, so the branches taken match the trial's.
   */
  private simulate(
    study: StudyView,
    st: StudyState,
    trial: FrozenTrial,
  ): { params: Record<string, JsonValue>; distributions: Record<string, Distribution> } {
    const structure = st.structure!;
    const fixedAttr = trial.systemAttrs.fixed_params;
    const fixed = isPlainObject(fixedAttr) ? (fixedAttr as Record<string, JsonValue>) : {};
    const sampled = new Map<string, JsonValue>();
    const params: Record<string, JsonValue> = {};
    const distributions: Record<string, Distribution> = {};
    const ask = (name: string, distribution: Distribution): JsonValue => {
      if (Object.hasOwn(fixed, name) && distribution.contains(fixed[name])) {
        const v = fixed[name]!;
        return distribution.kind === "categorical"
          ? distribution.choices[distribution.indexOf(v)]!
          : v;
      }
      if (distribution.single())
        return distribution.kind === "categorical" ? distribution.choices[0]! : distribution.low;
      let v = sampled.get(name);
      if (v === undefined) {
        const p = structure.params.get(name);
        const group = p ? structure.groups.get(p.context) : undefined;
        if (group?.includes(name)) {
          const dists = group.map((n) => structure.params.get(n)!.distribution);
          const values = this.sampleJoint(st, trial, group, dists, true);
          group.forEach((n, i) => {
            sampled.set(n, values[i]!);
          });
          v = sampled.get(name);
        }
      }
      if (v === undefined || !distribution.contains(v)) {
        // Not a parameter of the space as walked (or asked with another distribution).
        this.stats.independentFallbacks++;
        v = this.sampleOne(st, trial, name, distribution);
        sampled.set(name, v);
      }
      params[name] = v;
      distributions[name] = distribution;
      return v;
    };
    try {
      study.space!.sample(
        {
          suggestFloat: (name, low, high, options) =>
            ask(name, new FloatDistribution(low, high, options ?? {})) as number,
          suggestInt: (name, low, high, options) =>
            ask(name, new IntDistribution(low, high, options ?? {})) as number,
          suggestCategorical: (name, choices) => ask(name, new CategoricalDistribution(choices)),
        },
        { maxTries: 1 },
      );
    } catch {
      // A `refine` constraint the sampled config breaks: the trial meets it too, and prunes.
    }
    return { params, distributions };
  }
}
