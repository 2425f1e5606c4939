/**
 * TPE's Parzen estimators: weighted mixtures of truncated Gaussians (numbers) and smoothed
 * indicator rows (categoricals), one kernel per observation plus a prior kernel.
 *
 * Numbers are modelled as Optuna models them: log parameters in log space; ints and stepped
 * floats on `[low − step/2, high + step/2]` with the mass of the value's cell as density;
 * int log parameters in log space over `[log(low − ½), log(high + ½)]`. Kernel widths follow
 * Optuna 3.1: univariate — the larger gap to the sorted neighbours (the bounds as sentinels,
 * the outermost kernels using their inner gap unless `considerEndpoints`); multivariate —
 * `0.2 · n^(−1/(d+4)) · (high − low)`; both clipped to `[(high − low)/min(100, 1 + kernels),
 * high − low]` with the magic clip. The prior kernel sits mid-range with width `high − low`.
 *
 * A kernel's density is Optuna 3.1's: the truncated normal's log-density without its −log σ
 * term (3.1's `_truncnorm.logpdf` leaves it out; later Optuna versions add it). It is kept on
 * purpose — on the optuna-bench suite the corrected density did clearly worse (30 seeds) — and
 * it makes spax's estimators agree with Optuna 3.1's to ~1e-15 (tests).
 *
 * Densities are evaluated in one pass without allocating: each kernel's constant part is
 * precomputed, and a kernel whose term is below e⁻⁴⁰ of the prior kernel's own term — a lower
 * bound of the sum — is skipped without calling `exp` (its share is < 4·10⁻¹⁸ each).
 * @module
 */
import type { PyRandom } from "../../../sample/mt19937.js";
import type { JsonValue } from "../../../space/values.js";
import type { Distribution } from "../../distributions.js";
import { floatGridPoint } from "../random.js";
import { fastExp, HALF_LOG_2PI, logGaussMass, truncnormSample } from "./truncnorm.js";

/** How a parameter is modelled. */
export const CONTINUOUS = 0;
/** A grid (int or stepped float): the density of a value is its cell's mass. */
export const DISCRETE = 1;
/** Choices, by index. */
export const CATEGORICAL = 2;

const EPS = 1e-12;
/**
 * Terms this far below the prior kernel's term (in log) are skipped: each is < e⁻²⁴ ≈ 4·10⁻¹¹
 * of a term of the sum, so they move a density by far less than any choice between candidates
 * could notice (10⁻⁸ relative at worst for 1000 kernels; typically < 10⁻¹⁰).
 */
const SKIP = 24;
/** Beyond this many standard deviations from μ, a bound truncates nothing in double precision. */
const UNTRUNCATED = 8.5;

/** A parameter as TPE models it: kind, model-space bounds, and the maps to and from values. */
export class Dim {
  readonly kind: 0 | 1 | 2;
  /** Bounds in model space (log space, widened by half a step for grids). */
  readonly low: number;
  readonly high: number;
  /** Grid step in model space (discrete only). */
  readonly q: number;
  readonly nChoices: number;

  constructor(readonly distribution: Distribution) {
    const d = distribution;
    this.q = 0;
    this.nChoices = 0;
    if (d.kind === "categorical") {
      this.kind = CATEGORICAL;
      this.nChoices = d.choices.length;
      this.low = 0;
      this.high = 0;
    } else if (d.log) {
      this.kind = CONTINUOUS;
      this.low = d.kind === "int" ? Math.log(d.low - 0.5) : Math.log(d.low);
      this.high = d.kind === "int" ? Math.log(d.high + 0.5) : Math.log(d.high);
    } else if (d.kind === "int" || d.step !== undefined) {
      this.kind = DISCRETE;
      this.q = d.step!;
      this.low = d.low - 0.5 * this.q;
      this.high = d.high + 0.5 * this.q;
    } else {
      this.kind = CONTINUOUS;
      this.low = d.low;
      this.high = d.high;
    }
  }

  /** The parameter value for a model-space sample (rounded onto the grid, clipped). */
  toValue(s: number): JsonValue {
    const d = this.distribution;
    if (d.kind === "categorical") return d.choices[s]!;
    if (d.kind === "int") {
      if (d.log) return Math.min(Math.max(Math.round(Math.exp(s)), d.low), d.high);
      const last = Math.round((d.high - d.low) / d.step);
      const k = Math.min(Math.max(Math.round((s - d.low) / d.step), 0), last);
      return d.low + k * d.step;
    }
    if (d.log) return Math.min(Math.max(Math.exp(s), d.low), d.high);
    if (d.step !== undefined) {
      const last = Math.round((d.high - d.low) / d.step);
      const k = Math.min(Math.max(Math.round((s - d.low) / d.step), 0), last);
      return Math.max(floatGridPoint(d.low, d.step, k, d.high), d.low);
    }
    return Math.min(Math.max(s, d.low), d.high);
  }

  /** Where a value's density is evaluated in model space. */
  toModel(value: JsonValue): number {
    const d = this.distribution;
    if (d.kind === "categorical") return d.indexOf(value);
    return d.log ? Math.log(value as number) : (value as number);
  }
}

/** Estimator options (Optuna's `_ParzenEstimatorParameters`, with the prior always on). */
export interface ParzenOptions {
  priorWeight: number;
  considerMagicClip: boolean;
  considerEndpoints: boolean;
}

function grow(a: Float64Array, n: number): Float64Array {
  return a.length >= n ? a : new Float64Array(Math.max(n, a.length * 2));
}

/** log of the standard normal mass on [a, b], 0 when the bounds truncate nothing. */
function logMass(a: number, b: number): number {
  return a < -UNTRUNCATED && b > UNTRUNCATED ? 0 : logGaussMass(a, b);
}

/** Index of the kernel for a uniform u (cum: normalised running sums). */
function pick(cum: Float64Array, n: number, u: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid]! > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * A univariate estimator of a number: kernels in ascending order of μ, the prior among them.
 * Reused across fits (its arrays grow, never shrink).
 */
export class NumericParzen {
  n = 0;
  private prior = 0;
  private mu: Float64Array = new Float64Array(32);
  private sigma: Float64Array = new Float64Array(32);
  private inv: Float64Array = new Float64Array(32);
  private logC: Float64Array = new Float64Array(32);
  private cum: Float64Array = new Float64Array(32);
  private low = 0;
  private high = 1;
  private q = 0;
  private discrete = false;

  /**
   * Fits the kernels to `m` observations `xs` (ascending) with weights `ws` and their logs
   * `logWs` (same order, not normalised).
   */
  fit(
    xs: Float64Array,
    ws: Float64Array,
    logWs: Float64Array,
    m: number,
    dim: Dim,
    o: ParzenOptions,
  ): this {
    const n = m + 1;
    this.n = n;
    this.mu = grow(this.mu, n);
    this.sigma = grow(this.sigma, n);
    this.inv = grow(this.inv, n);
    this.logC = grow(this.logC, n);
    this.cum = grow(this.cum, n);
    const { mu, sigma, logC, cum, inv } = this;
    const low = dim.low;
    const high = dim.high;
    this.low = low;
    this.high = high;
    this.q = dim.q;
    const discrete = dim.kind === DISCRETE;
    this.discrete = discrete;
    const range = high - low;
    const priorMu = 0.5 * (low + high);
    // The prior goes after observations equal to its μ (as numpy's argsort orders them).
    let p = 0;
    while (p < m && xs[p]! <= priorMu) p++;
    this.prior = p;
    let total = o.priorWeight;
    for (let i = 0; i < m; i++) total += ws[i]!;
    const logTotal = Math.log(total);
    let acc = 0;
    for (let i = 0, k = 0; i < n; i++) {
      if (i === p) {
        mu[i] = priorMu;
        logC[i] = Math.log(o.priorWeight) - logTotal;
        acc += o.priorWeight;
      } else {
        mu[i] = xs[k]!;
        logC[i] = logWs[k]! - logTotal;
        acc += ws[k]!;
        k++;
      }
      cum[i] = acc / total;
    }
    cum[n - 1] = 1;
    for (let i = 0; i < n; i++) {
      const left = i > 0 ? mu[i - 1]! : low;
      const right = i < n - 1 ? mu[i + 1]! : high;
      sigma[i] = Math.max(mu[i]! - left, right - mu[i]!);
    }
    if (!o.considerEndpoints && n >= 2) {
      sigma[0] = mu[1]! - mu[0]!;
      sigma[n - 1] = mu[n - 1]! - mu[n - 2]!;
    }
    const minSigma = o.considerMagicClip ? range / Math.min(100, 1 + n) : EPS;
    const constant = discrete ? 0 : HALF_LOG_2PI;
    for (let i = 0; i < n; i++) {
      let s = i === p ? range : sigma[i]!;
      s = Math.min(Math.max(s, minSigma), range);
      sigma[i] = s;
      inv[i] = 1 / s;
      const a = (low - mu[i]!) * inv[i]!;
      const b = (high - mu[i]!) * inv[i]!;
      const z = a < -UNTRUNCATED && b > UNTRUNCATED ? 0 : logGaussMass(a, b);
      logC[i] = logC[i]! - z - constant;
    }
    return this;
  }

  /** One model-space draw from the mixture. */
  sample(rng: PyRandom): number {
    return this.sampleAt(rng.random(), rng.random());
  }

  /** The draw for uniforms u (kernel) and v (quantile within the kernel). */
  sampleAt(u: number, v: number): number {
    const k = pick(this.cum, this.n, u);
    return truncnormSample(v, this.low, this.high, this.mu[k]!, this.sigma[k]!);
  }

  /** log-density (log-mass for grids) of the mixture at model-space point x. */
  logPdf(x: number): number {
    const { mu, inv, logC, n } = this;
    const p = this.prior;
    if (this.discrete) {
      const lo = Math.max(x - 0.5 * this.q, this.low);
      const hi = Math.min(x + 0.5 * this.q, this.high);
      const base = logC[p]! + logGaussMass((lo - mu[p]!) * inv[p]!, (hi - mu[p]!) * inv[p]!);
      const floor = base - SKIP;
      let acc = 1;
      for (let i = 0; i < n; i++) {
        if (i === p) continue;
        const a = (lo - mu[i]!) * inv[i]!;
        const b = (hi - mu[i]!) * inv[i]!;
        const near = a > 0 ? a : b < 0 ? -b : 0;
        const c = logC[i]!;
        if (c - 0.5 * near * near <= floor) continue;
        acc += fastExp(c + logGaussMass(a, b) - base);
      }
      return base + Math.log(acc);
    }
    const zp = (x - mu[p]!) * inv[p]!;
    const base = logC[p]! - 0.5 * zp * zp;
    const floor = base - SKIP;
    // The prior's own term adds exactly exp(0) = 1.
    let acc = 0;
    for (let i = 0; i < n; i++) {
      const z = (x - mu[i]!) * inv[i]!;
      const e = logC[i]! - 0.5 * z * z;
      if (e > floor) acc += fastExp(e - base);
    }
    return base + Math.log(acc);
  }
}

/**
 * A univariate estimator of a categorical: each observation's row is `priorWeight/(m+1)` on
 * every choice plus 1 on its own, normalised; the prior row is uniform. Kept as the mixture's
 * marginal, log l(c) per choice.
 */
export class CategoricalParzen {
  private logP: Float64Array = new Float64Array(8);
  private cum: Float64Array = new Float64Array(8);
  private c = 0;

  /** Fits to `m` observations (choice indexes `xs`, weights `ws`, any order). */
  fit(xs: Float64Array, ws: Float64Array, m: number, nChoices: number, o: ParzenOptions): this {
    const c = nChoices;
    this.c = c;
    this.logP = grow(this.logP, c);
    this.cum = grow(this.cum, c);
    const v = o.priorWeight / (m + 1);
    const rowNorm = 1 + c * v;
    let wObs = 0;
    const p = this.cum; // per-choice observed weight first
    p.fill(0, 0, c);
    for (let i = 0; i < m; i++) {
      wObs += ws[i]!;
      p[xs[i]!] = p[xs[i]!]! + ws[i]!;
    }
    const total = wObs + o.priorWeight;
    let acc = 0;
    for (let k = 0; k < c; k++) {
      const pk = ((wObs * v + p[k]!) / rowNorm + o.priorWeight / c) / total;
      this.logP[k] = Math.log(pk);
      acc += pk;
      p[k] = acc;
    }
    for (let k = 0; k < c; k++) p[k] = p[k]! / acc;
    p[c - 1] = 1;
    return this;
  }

  sample(rng: PyRandom): number {
    return pick(this.cum, this.c, rng.random());
  }

  sampleAt(u: number): number {
    return pick(this.cum, this.c, u);
  }

  logPdf(index: number): number {
    return this.logP[index]!;
  }
}

/** Optuna 3.1's multivariate bandwidth factor. */
const SIGMA0_MAGNITUDE = 0.2;

/**
 * A joint estimator over several parameters: kernel k is the product over dimensions of its
 * per-dimension kernels (one observation each, plus the prior kernel), so one component is
 * drawn for all dimensions of a candidate.
 */
export class MultiParzen {
  private k = 0;
  private d = 0;
  private dims: readonly Dim[] = [];
  /** Per kernel: log weight, cumulative weight, upper bound of the log term. */
  private logW: Float64Array = new Float64Array(32);
  private cum: Float64Array = new Float64Array(32);
  private upper: Float64Array = new Float64Array(32);
  /** Per kernel × dim (k·d + j): μ (choice index for categoricals), 1/σ, σ, peak term. */
  private mu: Float64Array = new Float64Array(64);
  private inv: Float64Array = new Float64Array(64);
  private sigma: Float64Array = new Float64Array(64);
  private peak: Float64Array = new Float64Array(64);
  /** Per dim: categorical log-probabilities (hit, miss) of observation rows. */
  private hit: Float64Array = new Float64Array(8);
  private miss: Float64Array = new Float64Array(8);
  private catV: Float64Array = new Float64Array(8);

  /**
   * Fits to `m` observations `obs` (m × dims, row-major, in trial order) with weights `ws`;
   * the prior kernel is kernel m.
   */
  fit(
    obs: Float64Array,
    ws: Float64Array,
    m: number,
    dims: readonly Dim[],
    o: ParzenOptions,
  ): this {
    const d = dims.length;
    const k = m + 1;
    this.k = k;
    this.d = d;
    this.dims = dims;
    this.logW = grow(this.logW, k);
    this.cum = grow(this.cum, k);
    this.upper = grow(this.upper, k);
    this.mu = grow(this.mu, k * d);
    this.inv = grow(this.inv, k * d);
    this.sigma = grow(this.sigma, k * d);
    this.peak = grow(this.peak, k * d);
    this.hit = grow(this.hit, d);
    this.miss = grow(this.miss, d);
    this.catV = grow(this.catV, d);
    const { logW, cum, upper, mu, inv, sigma, peak } = this;
    let total = o.priorWeight;
    for (let i = 0; i < m; i++) total += ws[i]!;
    let acc = 0;
    for (let i = 0; i < k; i++) {
      const w = (i < m ? ws[i]! : o.priorWeight) / total;
      logW[i] = Math.log(w);
      acc += w;
      cum[i] = acc;
      upper[i] = logW[i]!;
    }
    for (let i = 0; i < k; i++) cum[i] = cum[i]! / acc;
    cum[k - 1] = 1;
    const sigma0 = SIGMA0_MAGNITUDE * Math.max(m, 1) ** (-1 / (d + 4));
    for (let j = 0; j < d; j++) {
      const dim = dims[j]!;
      if (dim.kind === CATEGORICAL) {
        const c = dim.nChoices;
        const v = o.priorWeight / (m + 1);
        this.catV[j] = v;
        this.hit[j] = Math.log((v + 1) / (1 + c * v));
        this.miss[j] = Math.log(v / (1 + c * v));
        for (let i = 0; i < k; i++) {
          const at = i * d + j;
          mu[at] = i < m ? obs[i * d + j]! : -1;
          peak[at] = i < m ? this.hit[j]! : -Math.log(c);
          upper[i] = upper[i]! + peak[at]!;
        }
        continue;
      }
      const range = dim.high - dim.low;
      const minSigma = o.considerMagicClip ? range / Math.min(100, 1 + k) : EPS;
      let s = sigma0 * range;
      s = Math.min(Math.max(s, minSigma), range);
      for (let i = 0; i < k; i++) {
        const at = i * d + j;
        const muI = i < m ? obs[i * d + j]! : 0.5 * (dim.low + dim.high);
        const sI = i < m ? s : range;
        mu[at] = muI;
        sigma[at] = sI;
        inv[at] = 1 / sI;
        const z = logMass((dim.low - muI) / sI, (dim.high - muI) / sI);
        peak[at] = dim.kind === DISCRETE ? -z : -z - HALF_LOG_2PI;
        upper[i] = upper[i]! + peak[at]!;
      }
    }
    return this;
  }

  /** Draws one candidate into `out[offset…offset+dims)` (model space). */
  sample(rng: PyRandom, out: Float64Array, offset: number): void {
    const { d, dims, mu, sigma } = this;
    const i = pick(this.cum, this.k, rng.random());
    const prior = i === this.k - 1;
    for (let j = 0; j < d; j++) {
      const dim = dims[j]!;
      const at = i * d + j;
      const u = rng.random();
      if (dim.kind === CATEGORICAL) {
        const c = dim.nChoices;
        if (prior) {
          out[offset + j] = Math.min(Math.floor(u * c), c - 1);
        } else {
          const v = this.catV[j]!;
          const t = u * (1 + c * v);
          out[offset + j] = t < 1 ? mu[at]! : Math.min(Math.floor((t - 1) / v), c - 1);
        }
      } else {
        out[offset + j] = truncnormSample(u, dim.low, dim.high, mu[at]!, sigma[at]!);
      }
    }
  }

  /** log-density of the joint mixture at the model-space point `x[offset…offset+dims)`. */
  logPdf(x: Float64Array, offset: number): number {
    const kk = this.k;
    const base = this.term(kk - 1, x, offset, Number.NEGATIVE_INFINITY);
    const floor = base - SKIP;
    let acc = 1;
    for (let i = 0; i < kk - 1; i++) {
      if (this.upper[i]! <= floor) continue;
      const t = this.term(i, x, offset, floor);
      if (t > floor) acc += fastExp(t - base);
    }
    return base + Math.log(acc);
  }

  /** log(w_i · kernel_i(x)), or anything ≤ floor once it is sure to end below `floor`. */
  private term(i: number, x: Float64Array, offset: number, floor: number): number {
    const { d, dims, mu, inv, peak } = this;
    let sum = this.logW[i]!;
    let rest = this.upper[i]! - sum;
    const prior = i === this.k - 1;
    for (let j = 0; j < d; j++) {
      const at = i * d + j;
      const dim = dims[j]!;
      const xj = x[offset + j]!;
      const pk = peak[at]!;
      rest -= pk;
      if (dim.kind === CONTINUOUS) {
        const z = (xj - mu[at]!) * inv[at]!;
        sum += pk - 0.5 * z * z;
      } else if (dim.kind === DISCRETE) {
        const lo = Math.max(xj - 0.5 * dim.q, dim.low);
        const hi = Math.min(xj + 0.5 * dim.q, dim.high);
        const a = (lo - mu[at]!) * inv[at]!;
        const b = (hi - mu[at]!) * inv[at]!;
        const near = a > 0 ? a : b < 0 ? -b : 0;
        if (sum + pk - 0.5 * near * near + rest <= floor) return floor;
        sum += pk + logGaussMass(a, b);
      } else {
        sum += prior ? pk : xj === mu[at]! ? this.hit[j]! : this.miss[j]!;
      }
      if (sum + rest <= floor) return floor;
    }
    return sum;
  }
}
