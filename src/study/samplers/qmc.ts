/**
 * Quasi-Monte Carlo sampling, as Optuna's `QMCSampler`: each trial takes the next point of one
 * low-discrepancy sequence (scrambled Sobol' by default, or Halton) for the parameters of the
 * search space, mapped through their distributions as Optuna's `_SearchSpaceTransform` maps
 * them (log scale in log space, ints and steps by rounding from cells widened by half a step).
 * @module
 */
import { formatValue, SpaxError } from "../../errors.js";
import { PyRandom, roundHalfEven } from "../../sample/mt19937.js";
import type { ConfigSpace } from "../../space/config.js";
import { isPlainObject, type JsonValue, nextDown } from "../../space/values.js";
import type { Distribution } from "../distributions.js";
import type { FrozenTrial, TrialState } from "../frozen-trial.js";
import type { Sampler, StudyView } from "../sampler.js";
import { resolveSeed, trialRandom } from "../seed.js";
import { SpaceStructure } from "../space-structure.js";
import { RandomSampler } from "./random.js";
import { SOBOL_MAX_DIMENSIONS, SOBOL_MAX_POINTS, SobolEngine } from "./sobol.js";

/** The low-discrepancy sequences {@link QMCSampler} can follow. */
export type QMCType = "sobol" | "halton";

/** Options of {@link QMCSampler}. */
export interface QMCSamplerOptions {
  /**
   * Seed of the scrambling and of the default independent sampler; fresh entropy when absent
   * (then parallel workers of one study follow different sequences: give a seed).
   */
  seed?: number | bigint;
  /** Randomize the sequence (default `true`; Optuna's default is `false`). */
  scramble?: boolean;
  /** `"sobol"` (default) or `"halton"`. */
  qmcType?: QMCType;
  /**
   * Samples what the QMC sequence does not cover: the first trial of a define-by-run study,
   * categorical parameters there, and parameters outside the fixed search space. Default: a
   * uniform random sampler seeded from `seed` (Optuna: `RandomSampler(seed)`).
   */
  independentSampler?: Sampler;
}

const OPTION_KEYS = ["seed", "scramble", "qmcType", "independentSampler"];

/** `trialRandom` streams: the sequence's scrambling (at trial 0), and the fallback sampler. */
const SCRAMBLE_STREAM = 0x716d63; // "qmc"

/** System attribute: the number of the trial a define-by-run search space was taken from. */
const SPACE_FROM = "qmc:space_from";

/** The states of the trial a define-by-run search space is taken from (Optuna's). */
const SUGGESTED_STATES: readonly TrialState[] = ["COMPLETE", "PRUNED"];

/** A sequence of points in [0, 1)^d with random access. */
interface QMCEngine {
  readonly d: number;
  point(index: number): Float64Array;
}

/** The first `n` primes (SciPy's `n_primes`: Halton's bases). */
function firstPrimes(n: number): number[] {
  const primes: number[] = [];
  for (let c = 2; primes.length < n; c++) {
    if (primes.every((p) => p * p > c || c % p !== 0)) primes.push(c);
  }
  return primes;
}

/**
 * The Halton sequence as SciPy's `qmc.Halton`: dimension i is the van der Corput sequence in
 * the i-th prime base, point 0 is the origin. Scrambled, each base's digits go through
 * random permutations, one per digit position down to double precision (Owen's randomized
 * Halton, SciPy's `van_der_corput(scramble=True)`); the permutations are drawn once per engine
 * (SciPy 1.10 redraws them per call when unseeded).
 */
export class HaltonEngine implements QMCEngine {
  readonly d: number;
  private readonly bases: readonly number[];
  private readonly permutations: readonly (readonly Uint16Array[])[] | undefined;

  /**
   * @param d number of dimensions (≥ 1)
   * @param options `scramble` (default false) with `random` (a generator) or `seed`
   * @throws SpaxError code `invalid_dimension` for d < 1 or above 1111.
   */
  constructor(
    d: number,
    options: {
      scramble?: boolean;
      seed?: number | bigint;
      random?: PyRandom;
      /** Explicit digit permutations per dimension (e.g. SciPy's, for tests); implies scramble. */
      permutations?: readonly (readonly (readonly number[])[])[];
    } = {},
  ) {
    if (!Number.isSafeInteger(d) || d < 1 || d > SOBOL_MAX_DIMENSIONS) {
      throw new SpaxError(
        `Halton points need a dimension in 1..${SOBOL_MAX_DIMENSIONS}, got ${formatValue(d)}`,
        { code: "invalid_dimension" },
      );
    }
    this.d = d;
    this.bases = firstPrimes(d);
    if (options.permutations !== undefined) {
      const given = options.permutations;
      const ok =
        Array.isArray(given) &&
        given.length >= d &&
        this.bases.every(
          (base, i) =>
            Array.isArray(given[i]) &&
            given[i]!.every(
              (perm) =>
                Array.isArray(perm) &&
                perm.length === base &&
                new Set(perm).size === base &&
                perm.every((x) => Number.isInteger(x) && x >= 0 && x < base),
            ),
        );
      if (!ok) {
        throw new SpaxError(
          `Halton permutations must give, per dimension, permutations of 0..base-1 (bases ${this.bases.join(", ")})`,
          { code: "invalid_scrambling" },
        );
      }
      this.permutations = options.permutations
        .slice(0, d)
        .map((perms) => perms.map((p) => Uint16Array.from(p)));
    } else if (options.scramble === true) {
      const rng = options.random ?? new PyRandom(options.seed);
      this.permutations = this.bases.map((base) => {
        const count = Math.ceil(54 / Math.log2(base)) - 1;
        const perms: Uint16Array[] = [];
        for (let j = 0; j < count; j++) {
          const perm = Uint16Array.from({ length: base }, (_, i) => i);
          // CPython's random.shuffle: Fisher–Yates from the end.
          for (let i = base - 1; i > 0; i--) {
            const k = rng.randbelow(i + 1);
            const t = perm[i]!;
            perm[i] = perm[k]!;
            perm[k] = t;
          }
          perms.push(perm);
        }
        return perms;
      });
    }
  }

  /**
   * Point number `index`, coordinates in [0, 1).
   * @throws SpaxError code `invalid_index` for a negative or unsafe index.
   */
  point(index: number): Float64Array {
    if (!Number.isSafeInteger(index) || index < 0) {
      throw new SpaxError(`Halton points are numbered from 0, got ${formatValue(index)}`, {
        code: "invalid_index",
      });
    }
    const out = new Float64Array(this.d);
    for (let i = 0; i < this.d; i++) {
      const base = this.bases[i]!;
      let value = 0;
      let b2r = 1 / base;
      let q = index;
      const perms = this.permutations?.[i];
      if (perms === undefined) {
        while (q > 0) {
          value += (q % base) * b2r;
          q = Math.floor(q / base);
          b2r /= base;
        }
      } else {
        for (const perm of perms) {
          value += perm[q % base]! * b2r;
          q = Math.floor(q / base);
          b2r /= base;
        }
        // The digits' sum can round up to 1 in the last place.
        if (value >= 1) value = nextDown(1);
      }
      out[i] = value;
    }
    return out;
  }
}

/**
 * Maps a coordinate u in [0, 1) to a value of `d`, as Optuna's QMCSampler does through
 * `_SearchSpaceTransform(transform_log=True, transform_step=True)`: floats uniformly (in log
 * space with `log`) below `high`; ints and stepped floats over [low - step/2, high + step/2],
 * rounded half to even onto the grid; log ints over [ln(low - 0.5), ln(high + 0.5)], rounded.
 * Categoricals (space-first studies only; Optuna leaves them out) take choice ⌊u·k⌋.
 */
export function qmcValue(u: number, d: Distribution): JsonValue {
  switch (d.kind) {
    case "float": {
      if (d.single()) return d.low;
      if (d.log) {
        const lo = Math.log(d.low);
        const hi = Math.log(d.high);
        return clamp(Math.exp(lo + u * (hi - lo)), d.low, nextDown(d.high));
      }
      if (d.step !== undefined) {
        const lo = d.low - 0.5 * d.step;
        const hi = d.high + 0.5 * d.step;
        const t = lo + u * (hi - lo);
        return clamp(roundHalfEven((t - d.low) / d.step) * d.step + d.low, d.low, d.high);
      }
      return clamp(d.low + u * (d.high - d.low), d.low, nextDown(d.high));
    }
    case "int": {
      if (d.log) {
        const lo = Math.log(d.low - 0.5);
        const hi = Math.log(d.high + 0.5);
        return clamp(roundHalfEven(Math.exp(lo + u * (hi - lo))), d.low, d.high);
      }
      const lo = d.low - 0.5 * d.step;
      const hi = d.high + 0.5 * d.step;
      const t = lo + u * (hi - lo);
      return clamp(roundHalfEven((t - d.low) / d.step) * d.step + d.low, d.low, d.high);
    }
    case "categorical": {
      const n = d.choices.length;
      return d.choices[Math.min(Math.floor(u * n), n - 1)]!;
    }
  }
}

function clamp(x: number, low: number, high: number): number {
  return Math.min(Math.max(x, low), high);
}

/**
 * Every parameter of a config space, in SpaX's order and under SpaX's names, with the
 * distribution a trial suggests it with: both branches of each conditional and the fields of
 * every config choice, so a conditional parameter keeps its own dimension whichever branch a
 * trial takes.
 */
export function spaceDistributions(
  config: ConfigSpace<string, any, unknown>,
): Record<string, Distribution> {
  const out: Record<string, Distribution> = {};
  for (const p of new SpaceStructure(config).params.values()) out[p.name] = p.distribution;
  return out;
}

/**
 * Quasi-Monte Carlo sampler: the parameters of the search space follow one scrambled Sobol'
 * (or Halton) sequence, trial after trial, so a study covers the space more evenly than random
 * sampling does.
 *
 * - Define-by-run study (Optuna's behaviour): the search space is fixed from the first trial
 *   (lowest number) that is COMPLETE or PRUNED, categorical parameters left out; trials before it
 *   and every parameter outside it are sampled by `independentSampler`.
 * - Space-first study (`createStudy({ space })`): the search space is every parameter of the
 *   space from trial 0 on, categoricals and config choices included (choice ⌊u·k⌋). A
 *   conditional parameter has its own dimension and is used only by trials whose branch asks
 *   for it, so each branch sees a subsequence of the points.
 *
 * The point a trial takes is deterministic: `trial.number` for a space-first study, else
 * `trial.number - first - 1` (first = the trial the space came from), which is Optuna's running
 * count in a sequential study. So one run of 50 trials equals 25 + 25 across a resume, and
 * concurrent trials never share a point. Each QMC-sampled trial records `first` in the system
 * attribute `qmc:space_from`, so a resumed study keeps the same space and numbering even when
 * concurrent trials finished out of order. The scrambling is drawn from
 * `trialRandom(seed, 0, stream)`: every worker with the same seed follows the same sequence.
 *
 * @example
 * const study = await sp.createStudy({ sampler: new sp.QMCSampler({ seed: 1 }) });
 * const qmc = await sp.createStudy({ space: Training, sampler: new sp.QMCSampler({ seed: 1, qmcType: "halton" }) });
 */
export class QMCSampler implements Sampler {
  private readonly seed: bigint;
  private readonly scramble: boolean;
  private readonly qmcType: QMCType;
  private readonly independent: Sampler;
  /** A define-by-run search space, once fixed, and the number of the trial it came from. */
  private initial: { space: Record<string, Distribution>; first: number } | undefined;
  /** The space-first search space, with the config space it was read from. */
  private spaceFirst:
    | { config: ConfigSpace<string, any, unknown>; space: Record<string, Distribution> }
    | undefined;
  private readonly engines = new Map<number, QMCEngine>();

  /**
   * @param options `seed`, `scramble` (default true), `qmcType` (default "sobol"),
   * `independentSampler` (default uniform random)
   * @throws SpaxError code `invalid_option` for unknown options or values, `invalid_seed` for a
   * bad seed.
   */
  constructor(options: QMCSamplerOptions = {}) {
    if (!isPlainObject(options as unknown)) {
      throw new SpaxError(`QMCSampler: options must be an object, got ${formatValue(options)}`, {
        code: "invalid_option",
      });
    }
    for (const key of Object.keys(options)) {
      if (!OPTION_KEYS.includes(key)) {
        throw new SpaxError(
          `QMCSampler: unknown option ${JSON.stringify(key)}; expected ${OPTION_KEYS.join(", ")}`,
          { code: "invalid_option" },
        );
      }
    }
    const { scramble = true, qmcType = "sobol", independentSampler } = options;
    if (typeof scramble !== "boolean") {
      throw new SpaxError(`QMCSampler: scramble must be a boolean, got ${formatValue(scramble)}`, {
        code: "invalid_option",
      });
    }
    if (qmcType !== "sobol" && qmcType !== "halton") {
      throw new SpaxError(
        `QMCSampler: qmcType must be "sobol" or "halton", got ${formatValue(qmcType)}`,
        { code: "invalid_option" },
      );
    }
    if (
      independentSampler !== undefined &&
      (independentSampler === null ||
        typeof independentSampler !== "object" ||
        typeof independentSampler.sampleIndependent !== "function")
    ) {
      throw new SpaxError(
        `QMCSampler: independentSampler must be a sampler, got ${formatValue(independentSampler)}`,
        { code: "invalid_option" },
      );
    }
    this.seed = resolveSeed(options.seed);
    this.scramble = scramble;
    this.qmcType = qmcType;
    this.independent = independentSampler ?? new RandomSampler({ seed: this.seed });
  }

  /** The engine for `d` dimensions (the same scrambling prefix for every d). */
  private engine(d: number): QMCEngine {
    let engine = this.engines.get(d);
    if (engine === undefined) {
      if (d > SOBOL_MAX_DIMENSIONS) {
        throw new SpaxError(
          `QMCSampler supports up to ${SOBOL_MAX_DIMENSIONS} parameters in its search space, got ${d}`,
          { code: "too_many_dimensions" },
        );
      }
      const random = this.scramble ? trialRandom(this.seed, 0, SCRAMBLE_STREAM) : undefined;
      const options = random === undefined ? {} : { scramble: true, random };
      engine =
        this.qmcType === "sobol" ? new SobolEngine(d, options) : new HaltonEngine(d, options);
      this.engines.set(d, engine);
    }
    return engine;
  }

  /**
   * The whole space's parameters for a space-first study; otherwise, once a trial is COMPLETE or
   * PRUNED, the non-categorical parameters of the first such trial (fixed from then on).
   */
  inferRelativeSearchSpace(study: StudyView, _trial: FrozenTrial): Record<string, Distribution> {
    const config = study.space;
    if (config !== undefined) {
      if (this.spaceFirst === undefined || this.spaceFirst.config !== config) {
        this.spaceFirst = { config, space: spaceDistributions(config) };
      }
      return this.spaceFirst.space;
    }
    if (this.initial !== undefined) return this.initial.space;
    const past = study.getTrials(SUGGESTED_STATES);
    if (past.length === 0) return {};
    let first = past[0]!;
    for (const t of past) if (t.number < first.number) first = t;
    // A resumed study keeps the trial an earlier run fixed the space from (with concurrent
    // trials it need not be the lowest-numbered finished one).
    for (const t of study.getTrials()) {
      const from = t.systemAttrs[SPACE_FROM];
      if (typeof from !== "number") continue;
      const recorded = past.find((p) => p.number === from);
      if (recorded !== undefined) first = recorded;
      break;
    }
    const space: Record<string, Distribution> = {};
    for (const [name, d] of Object.entries(first.distributions)) {
      if (d.kind !== "categorical") space[name] = d;
    }
    this.initial = { space, first: first.number };
    return space;
  }

  /** The sequence's point for this trial, mapped onto `searchSpace` (in its key order). */
  sampleRelative(
    study: StudyView,
    trial: FrozenTrial,
    searchSpace: Record<string, Distribution>,
  ): Record<string, JsonValue> {
    const names = Object.keys(searchSpace);
    if (names.length === 0) return {};
    const index =
      study.space !== undefined || this.initial === undefined
        ? trial.number
        : trial.number - this.initial.first - 1;
    // A trial numbered before the space was fixed (e.g. enqueued earlier): no point of its own.
    if (index < 0) return {};
    if (study.space === undefined && this.initial !== undefined) {
      study.setTrialSystemAttr(trial.trialId, SPACE_FROM, this.initial.first);
    }
    if (index >= SOBOL_MAX_POINTS) {
      throw new SpaxError(`QMCSampler: the sequence has ${SOBOL_MAX_POINTS} points`, {
        code: "qmc_exhausted",
      });
    }
    const u = this.engine(names.length).point(index);
    const out: Record<string, JsonValue> = {};
    names.forEach((name, i) => {
      out[name] = qmcValue(u[i]!, searchSpace[name]!);
    });
    return out;
  }

  sampleIndependent(
    study: StudyView,
    trial: FrozenTrial,
    name: string,
    distribution: Distribution,
  ): JsonValue {
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
}
