/**
 * The CMA-ES numeric core (Hansen, "The CMA Evolution Strategy: A Tutorial", 2016), with the
 * constants, bound handling and termination tests of the `cmaes` package (0.9) that Optuna's
 * `CmaEsSampler` drives: weighted recombination with negative weights, cumulative step-size
 * adaptation, rank-one and rank-μ covariance updates, resampling then clipping for bounds.
 *
 * The state is plain data ({@link CmaState}) so that it round-trips through JSON exactly; the
 * eigendecomposition is derived from it and cached per object.
 * @module
 */
import { SpaxError } from "../../../errors.js";
import { packSymmetric, symmetricEigen, unpackSymmetric } from "./linalg.js";
import type { Gaussian } from "./random.js";

const EPS = 1e-8;
const SIGMA_MAX = 1e32;

/** The evolving state of one CMA-ES run, as stored (JSON) in trial system attributes. */
export interface CmaState {
  /** Format version. */
  readonly v: 1;
  /** The parameter names, in the order of the coordinates. */
  readonly names: readonly string[];
  /** Lower and upper bound of each coordinate (continuous space). */
  readonly bounds: readonly (readonly [number, number])[];
  readonly popsize: number;
  /** Number of completed updates (`tell`s). */
  readonly generation: number;
  readonly mean: readonly number[];
  readonly sigma: number;
  /** Covariance matrix, upper triangle row by row. */
  readonly cov: readonly number[];
  readonly pSigma: readonly number[];
  readonly pc: readonly number[];
  /** `tolx` of the termination test: 1e-12 × the initial sigma. */
  readonly tolx: number;
  /** Best and worst value of the last `funhistTerm` generations (pairs). */
  readonly funhist: readonly number[];
}

/** The strategy parameters, all derived from the dimension and the population size. */
interface Constants {
  readonly n: number;
  readonly popsize: number;
  readonly mu: number;
  readonly muEff: number;
  readonly weights: Float64Array;
  readonly weightSum: number;
  readonly cc: number;
  readonly c1: number;
  readonly cmu: number;
  readonly cSigma: number;
  readonly dSigma: number;
  readonly chiN: number;
  readonly funhistTerm: number;
}

/** The default population size, 4 + ⌊3 ln n⌋. */
export function defaultPopsize(n: number): number {
  return 4 + Math.floor(3 * Math.log(n));
}

function constants(n: number, popsize: number): Constants {
  const mu = Math.floor(popsize / 2);
  const wPrime = Float64Array.from(
    { length: popsize },
    (_, i) => Math.log((popsize + 1) / 2) - Math.log(i + 1),
  );
  const sum = (from: number, to: number, f: (x: number) => number) => {
    let s = 0;
    for (let i = from; i < to; i++) s += f(wPrime[i]!);
    return s;
  };
  const muEff = sum(0, mu, (x) => x) ** 2 / sum(0, mu, (x) => x * x);
  const muEffMinus = sum(mu, popsize, (x) => x) ** 2 / sum(mu, popsize, (x) => x * x);
  const alphaCov = 2;
  const c1 = alphaCov / ((n + 1.3) ** 2 + muEff);
  const cmu = Math.min(
    1 - c1 - 1e-8,
    (alphaCov * (muEff - 2 + 1 / muEff)) / ((n + 2) ** 2 + (alphaCov * muEff) / 2),
  );
  const minAlpha = Math.min(
    1 + c1 / cmu,
    1 + (2 * muEffMinus) / (muEff + 2),
    (1 - c1 - cmu) / (n * cmu),
  );
  let positive = 0;
  let negative = 0;
  for (const w of wPrime) {
    if (w > 0) positive += w;
    else negative -= w;
  }
  const weights = wPrime.map((w) => (w >= 0 ? w / positive : (minAlpha / negative) * w));
  let weightSum = 0;
  for (const w of weights) weightSum += w;
  const cSigma = (muEff + 2) / (n + muEff + 5);
  const dSigma = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (n + 1)) - 1) + cSigma;
  const cc = (4 + muEff / n) / (n + 4 + (2 * muEff) / n);
  const chiN = Math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n));
  const funhistTerm = 10 + Math.ceil((30 * n) / popsize);
  return {
    n,
    popsize,
    mu,
    muEff,
    weights,
    weightSum,
    cc,
    c1,
    cmu,
    cSigma,
    dSigma,
    chiN,
    funhistTerm,
  };
}

/** A CMA-ES run over box-bounded continuous coordinates, with an ask/tell interface. */
export class Cma {
  /** The stored state. Replaced (never mutated) by {@link Cma.tell}. */
  state: CmaState;
  private readonly k: Constants;
  private eigenCache: { b: Float64Array; d: Float64Array } | undefined;

  constructor(state: CmaState) {
    const n = state.names.length;
    if (
      state.v !== 1 ||
      n < 1 ||
      state.mean.length !== n ||
      state.bounds.length !== n ||
      state.cov.length !== (n * (n + 1)) / 2 ||
      !(state.popsize >= 2)
    ) {
      throw new SpaxError("invalid CMA-ES state", { code: "invalid_sampler_state" });
    }
    this.state = state;
    this.k = constants(n, state.popsize);
  }

  /**
   * A fresh run: mean `mean`, step size `sigma`, identity covariance.
   * @param popsize at least 2; defaults to {@link defaultPopsize}
   */
  static create(
    names: readonly string[],
    bounds: readonly (readonly [number, number])[],
    mean: readonly number[],
    sigma: number,
    popsize?: number,
  ): Cma {
    const n = names.length;
    const cov = packSymmetric(
      Float64Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0)),
      n,
    );
    const p = popsize ?? defaultPopsize(n);
    return new Cma({
      v: 1,
      names: [...names],
      bounds: bounds.map(([l, u]) => [l, u] as const),
      popsize: p,
      generation: 0,
      mean: [...mean],
      sigma,
      cov,
      pSigma: new Array(n).fill(0),
      pc: new Array(n).fill(0),
      tolx: 1e-12 * sigma,
      funhist: new Array(2 * (10 + Math.ceil((30 * n) / p))).fill(0),
    });
  }

  get dim(): number {
    return this.k.n;
  }

  get popsize(): number {
    return this.k.popsize;
  }

  get generation(): number {
    return this.state.generation;
  }

  /** B (columns: eigenvectors of C) and D (square roots of its eigenvalues, ≥ √1e-8). */
  private eigen(): { b: Float64Array; d: Float64Array } {
    if (this.eigenCache === undefined) {
      const n = this.k.n;
      const { values, vectors } = symmetricEigen(unpackSymmetric(this.state.cov, n), n);
      const d = values.map((x) => Math.sqrt(x < 0 ? EPS : x));
      this.eigenCache = { b: vectors, d };
    }
    return this.eigenCache;
  }

  /**
   * One candidate: x = m + σ·B·D·z with z ~ N(0, I), redrawn up to `maxResampling` times
   * while outside the bounds, then (one more draw) clipped into them.
   */
  ask(gauss: Gaussian, maxResampling = 10 * this.k.n): Float64Array {
    for (let i = 0; i < maxResampling; i++) {
      const x = this.sample(gauss);
      if (this.feasible(x)) return x;
    }
    const x = this.sample(gauss);
    this.state.bounds.forEach(([lo, hi], i) => {
      x[i] = Math.min(hi, Math.max(lo, x[i]!));
    });
    return x;
  }

  private sample(gauss: Gaussian): Float64Array {
    const { b, d } = this.eigen();
    const n = this.k.n;
    const dz = new Float64Array(n);
    for (let i = 0; i < n; i++) dz[i] = d[i]! * gauss.next();
    const x = new Float64Array(n);
    const { mean, sigma } = this.state;
    for (let i = 0; i < n; i++) {
      let y = 0;
      for (let j = 0; j < n; j++) y += b[i * n + j]! * dz[j]!;
      x[i] = mean[i]! + sigma * y;
    }
    return x;
  }

  private feasible(x: Float64Array): boolean {
    return this.state.bounds.every(([lo, hi], i) => x[i]! >= lo && x[i]! <= hi);
  }

  /**
   * Updates the distribution from exactly `popsize` evaluated candidates (smaller `value` is
   * better). Finite values only: the caller maps ±Infinity to ±Number.MAX_VALUE.
   */
  tell(solutions: readonly { x: ArrayLike<number>; value: number }[]): void {
    const k = this.k;
    const n = k.n;
    if (solutions.length !== k.popsize) {
      throw new SpaxError(`CMA-ES tell needs ${k.popsize} solutions, got ${solutions.length}`, {
        code: "invalid_argument",
      });
    }
    const s = this.state;
    const generation = s.generation + 1;
    const sorted = [...solutions].sort((a, b) => a.value - b.value);
    const funhist = [...s.funhist];
    const fi = 2 * (generation % k.funhistTerm);
    funhist[fi] = sorted[0]!.value;
    funhist[fi + 1] = sorted[sorted.length - 1]!.value;

    // Symmetrise C through its eigendecomposition (negative eigenvalues lifted to 1e-8).
    const { b, d } = this.eigen();
    const c = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        let x = 0;
        for (let l = 0; l < n; l++) x += b[i * n + l]! * d[l]! * d[l]! * b[j * n + l]!;
        c[i * n + j] = x;
        c[j * n + i] = x;
      }
    }

    const mean = Float64Array.from(s.mean);
    const ys = sorted.map(({ x }) =>
      Float64Array.from({ length: n }, (_, i) => (x[i]! - mean[i]!) / s.sigma),
    );
    const yw = new Float64Array(n);
    for (let r = 0; r < k.mu; r++)
      for (let i = 0; i < n; i++) yw[i] = yw[i]! + k.weights[r]! * ys[r]![i]!;
    for (let i = 0; i < n; i++) mean[i] = mean[i]! + s.sigma * yw[i]!; // c_m = 1

    // C^(-1/2) y = B D^(-1) Bᵀ y.
    const invSqrt = (y: Float64Array): Float64Array => {
      const t = new Float64Array(n);
      for (let l = 0; l < n; l++) {
        let x = 0;
        for (let i = 0; i < n; i++) x += b[i * n + l]! * y[i]!;
        t[l] = x / d[l]!;
      }
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let x = 0;
        for (let l = 0; l < n; l++) x += b[i * n + l]! * t[l]!;
        out[i] = x;
      }
      return out;
    };
    const norm = (y: ArrayLike<number>) => {
      let x = 0;
      for (let i = 0; i < n; i++) x += y[i]! * y[i]!;
      return Math.sqrt(x);
    };

    const cs = k.cSigma;
    const zw = invSqrt(yw);
    const sigmaCoef = Math.sqrt(cs * (2 - cs) * k.muEff);
    const pSigma = s.pSigma.map((p, i) => (1 - cs) * p + sigmaCoef * zw[i]!);
    const normPSigma = norm(pSigma);
    const sigma = Math.min(
      s.sigma * Math.exp((cs / k.dSigma) * (normPSigma / k.chiN - 1)),
      SIGMA_MAX,
    );

    const hSigma =
      normPSigma / Math.sqrt(1 - (1 - cs) ** (2 * (generation + 1))) < (1.4 + 2 / (n + 1)) * k.chiN
        ? 1
        : 0;
    const ccCoef = hSigma * Math.sqrt(k.cc * (2 - k.cc) * k.muEff);
    const pc = s.pc.map((p, i) => (1 - k.cc) * p + ccCoef * yw[i]!);

    // Negative weights are rescaled by n / ‖C^(-1/2) y‖² (eq. 46).
    const wio = ys.map((y, r) => {
      const w = k.weights[r]!;
      if (w >= 0) return w;
      const z = norm(invSqrt(y));
      return (w * n) / (z * z + EPS);
    });
    const deltaH = (1 - hSigma) * k.cc * (2 - k.cc);
    const decay = 1 + k.c1 * deltaH - k.c1 - k.cmu * k.weightSum;
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        let rankMu = 0;
        for (let r = 0; r < ys.length; r++) rankMu += wio[r]! * ys[r]![i]! * ys[r]![j]!;
        const x = decay * c[i * n + j]! + k.c1 * pc[i]! * pc[j]! + k.cmu * rankMu;
        c[i * n + j] = x;
        c[j * n + i] = x;
      }
    }

    this.state = {
      ...s,
      generation,
      mean: [...mean],
      sigma,
      cov: packSymmetric(c, n),
      pSigma,
      pc,
      funhist,
    };
    this.eigenCache = undefined;
  }

  /** The termination tests of `cmaes` (used by the IPOP restart strategy). */
  shouldStop(): boolean {
    const k = this.k;
    const n = k.n;
    const s = this.state;
    const { b, d } = this.eigen();
    const c = unpackSymmetric(s.cov, n);
    const dC = Array.from({ length: n }, (_, i) => c[i * n + i]!);
    // Flat fitness over the recent generations.
    if (s.generation > k.funhistTerm) {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (const v of s.funhist) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      if (hi - lo < 1e-12) return true;
    }
    // Tiny steps in every coordinate.
    if (dC.every((x) => s.sigma * x < s.tolx) && s.pc.every((x) => s.sigma * Math.abs(x) < s.tolx))
      return true;
    let dMax = 0;
    let dMin = Number.POSITIVE_INFINITY;
    for (const x of d) {
      dMax = Math.max(dMax, x);
      dMin = Math.min(dMin, x);
    }
    // Divergence.
    if (s.sigma * dMax > 1e4) return true;
    // A 0.2-sd step in some coordinate does not move the mean.
    if (s.mean.some((m, i) => m === m + 0.2 * s.sigma * Math.sqrt(dC[i]!))) return true;
    // A 0.1-sd step along one principal axis (cycling through them) does not move the mean.
    const axis = s.generation % n;
    if (s.mean.every((m, i) => m === m + 0.1 * s.sigma * d[axis]! * b[i * n + axis]!)) return true;
    // Ill-conditioned covariance.
    return dMax / dMin > 1e14;
  }
}
