/**
 * TPE's default schedules, as Optuna 3.1 defines them: how many trials are "good" (`gamma`) and
 * how much each observation weighs by age (`weights`).
 * @module
 */
import { formatValue, SpaxError } from "../../../errors.js";

/**
 * Optuna's default `gamma`: the number of trials in the "below" (good) group out of `n`
 * finished ones, `min(ceil(0.1·n), 25)`.
 * @example
 * defaultGamma(100); // 10
 */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/** Hyperopt's `gamma`, `min(ceil(0.25·√n), 25)` (Optuna's `hyperopt_parameters()`). */
export function hyperoptGamma(n: number): number {
  return Math.min(Math.ceil(0.25 * Math.sqrt(n)), 25);
}

/**
 * Optuna's default `weights` for `n` observations in trial-number order: all ones below 25;
 * from 25 on, a ramp `linspace(1/n, 1, n − 25)` for the oldest followed by 25 ones.
 * @example
 * defaultWeights(3); // Float64Array [1, 1, 1]
 */
export function defaultWeights(n: number): Float64Array {
  const out = new Float64Array(n);
  if (n < 25) {
    out.fill(1);
    return out;
  }
  const ramp = n - 25;
  const start = 1 / n;
  // numpy's linspace: start + i·step, the last point exactly `stop` (a single point is `start`).
  const step = ramp > 1 ? (1 - start) / (ramp - 1) : 0;
  for (let i = 0; i < ramp; i++) out[i] = i === ramp - 1 && ramp > 1 ? 1 : start + i * step;
  out.fill(1, ramp);
  return out;
}

/** The weights function's output for n, checked as Optuna checks it. */
export function checkedWeights(
  weights: (n: number) => ArrayLike<number>,
  n: number,
): ArrayLike<number> {
  const w = weights(n);
  if (w === null || typeof w !== "object" || typeof w.length !== "number" || w.length < n) {
    throw new SpaxError(
      `the TPE weights function must return at least ${n} numbers for n = ${n}, got ${formatValue(w)}`,
      { code: "invalid_weights" },
    );
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = w[i]!;
    if (!(v >= 0) || !Number.isFinite(v)) {
      throw new SpaxError(
        `the TPE weights function must return finite, non-negative numbers; for n = ${n} it gave ${formatValue(v)}`,
        { code: "invalid_weights" },
      );
    }
    sum += v;
  }
  if (n > 0 && !(sum > 0)) {
    throw new SpaxError(`the TPE weights function returned all zeros for n = ${n}`, {
      code: "invalid_weights",
    });
  }
  return w;
}

/** `gamma(n)` checked: an integer in [0, n]. */
export function checkedGamma(gamma: (n: number) => number, n: number): number {
  const g = gamma(n);
  if (!Number.isSafeInteger(g) || g < 0) {
    throw new SpaxError(
      `the TPE gamma function must return a non-negative integer; for n = ${n} it gave ${formatValue(g)}`,
      { code: "invalid_gamma" },
    );
  }
  return Math.min(g, n);
}
