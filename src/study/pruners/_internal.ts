/**
 * Helpers the pruners share: argument checks, the numpy reductions Optuna's pruners use
 * (`nanmin`, `nanmax`, `nanpercentile`), the warm-up/interval rule and CRC-32. Internal: not
 * re-exported from `index.ts`.
 * @module
 */
import { formatValue, SpaxError } from "../../errors.js";
import type { FrozenTrial, StudyDirection } from "../frozen-trial.js";
import type { StudyView } from "../sampler.js";

/**
 * The code of every error a pruner constructor throws for a bad argument.
 * @example
 * try { new sp.MedianPruner({ intervalSteps: 0 }); } catch (e) { e.code; } // "invalid_pruner_argument"
 */
export const INVALID_PRUNER_ARGUMENT = "invalid_pruner_argument";

/**
 * Throws a {@link SpaxError} naming the pruner, the argument, the rule and the value.
 * @example
 * _fail("MedianPruner", "nWarmupSteps", "an integer >= 0", -1);
 * // SpaxError: MedianPruner: nWarmupSteps must be an integer >= 0, got -1
 */
export function _fail(pruner: string, arg: string, rule: string, value: unknown): never {
  throw new SpaxError(`${pruner}: ${arg} must be ${rule}, got ${formatValue(value)}`, {
    code: INVALID_PRUNER_ARGUMENT,
  });
}

/**
 * Checks that `value` is an integer >= `min` and returns it.
 * @throws SpaxError (`invalid_pruner_argument`) otherwise.
 * @example
 * _checkInt("MedianPruner", "intervalSteps", 2, 1); // 2
 */
export function _checkInt(pruner: string, arg: string, value: unknown, min: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    _fail(pruner, arg, `an integer >= ${min}`, value);
  }
  return value;
}

/**
 * Checks that an options argument is an object (or `undefined`) and returns it.
 * @example
 * _checkOptions("NopPruner", undefined); // {}
 */
export function _checkOptions<T extends object>(pruner: string, options: T | undefined): T {
  if (options === undefined) return {} as T;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new SpaxError(`${pruner}: options must be an object, got ${formatValue(options)}`, {
      code: INVALID_PRUNER_ARGUMENT,
    });
  }
  return options;
}

/**
 * The direction of a single-objective study. Pruning is defined for one objective only (as
 * in Optuna, where `trial.should_prune()` rejects multi-objective studies).
 * @throws SpaxError (`multi_objective`) for a study with several directions.
 * @example
 * _direction(study, "MedianPruner"); // "minimize"
 */
export function _direction(study: StudyView, pruner: string): StudyDirection {
  if (study.directions.length !== 1) {
    throw new SpaxError(
      `${pruner} supports single-objective studies only; this study has ${study.directions.length} directions`,
      { code: "multi_objective" },
    );
  }
  return study.directions[0]!;
}

/**
 * The largest step a trial reported (Optuna's `FrozenTrial.last_step`), or `undefined`.
 * @example
 * _lastStep(trial); // 9 after reports at steps 0..9
 */
export function _lastStep(trial: FrozenTrial): number | undefined {
  let last: number | undefined;
  for (const step of trial.intermediateValues.keys()) {
    if (last === undefined || step > last) last = step;
  }
  return last;
}

/**
 * Whether `step` (the trial's last step, already past the warm-up) is the first report at or
 * after the latest pruning check point `warmup + k * interval`, i.e. whether no earlier report
 * of the trial reached that check point. A check point without a report is postponed to the
 * next report, as in Optuna.
 * @example
 * _isFirstInIntervalStep(7, [0, 3, 7], 0, 5); // true: 7 is the first report since step 5
 * _isFirstInIntervalStep(8, [0, 6, 8], 0, 5); // false: step 6 already had its check
 */
export function _isFirstInIntervalStep(
  step: number,
  steps: Iterable<number>,
  warmupSteps: number,
  intervalSteps: number,
): boolean {
  const nearestCheckPoint =
    Math.floor((step - warmupSteps) / intervalSteps) * intervalSteps + warmupSteps;
  let previous = -1;
  for (const s of steps) if (s !== step && s > previous) previous = s;
  return previous < nearestCheckPoint;
}

/**
 * numpy's `nanmin`: the least non-NaN value, or NaN when there is none.
 * @example
 * _nanMin([3, NaN, 1]); // 1
 */
export function _nanMin(values: Iterable<number>): number {
  let out = Number.NaN;
  for (const v of values) if (!Number.isNaN(v) && !(v >= out)) out = v;
  return out;
}

/**
 * numpy's `nanmax`: the greatest non-NaN value, or NaN when there is none.
 * @example
 * _nanMax([3, NaN, 1]); // 3
 */
export function _nanMax(values: Iterable<number>): number {
  let out = Number.NaN;
  for (const v of values) if (!Number.isNaN(v) && !(v <= out)) out = v;
  return out;
}

/**
 * numpy's `nanpercentile(values, percentile)` with the default linear method (Hyndman & Fan
 * type 7), reproduced to the bit: NaNs are dropped (none left gives NaN), the virtual index is
 * `(n - 1) * (percentile / 100)`, and numpy's two-sided `lerp` interpolates, so an infinite
 * neighbour gives what numpy gives (including NaN for `inf - inf`).
 * @example
 * _nanPercentile([1, 2, 3, 4], 50); // 2.5
 */
export function _nanPercentile(values: readonly number[], percentile: number): number {
  const xs = values.filter((v) => !Number.isNaN(v)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const n = xs.length;
  if (n === 0) return Number.NaN;
  const virtualIndex = (n - 1) * (percentile / 100);
  let below: number;
  let above: number;
  let gamma: number;
  if (virtualIndex >= n - 1) {
    // numpy points both neighbours at the last element and keeps gamma = index - (-1).
    below = above = n - 1;
    gamma = virtualIndex + 1;
  } else {
    below = Math.floor(virtualIndex);
    above = below + 1;
    gamma = virtualIndex - below;
  }
  const a = xs[below]!;
  const b = xs[above]!;
  const diff = b - a;
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

const UTF8 = new TextEncoder();

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * CRC-32 (IEEE 802.3, as Python's `binascii.crc32` and zlib) of a string's UTF-8 bytes, as an
 * unsigned 32-bit integer.
 * @example
 * _crc32("123456789"); // 0xcbf43926
 */
export function _crc32(text: string): number {
  const bytes = UTF8.encode(text);
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

// Fixed-point scale of _log: 200 fractional bits, far beyond the 53 a double keeps.
const LOG_BITS = 200n;

/** atanh(num / den) for |num / den| <= 1/3, in fixed point (LOG_BITS fractional bits). */
function atanhFixed(num: bigint, den: bigint): bigint {
  const num2 = num * num;
  const den2 = den * den;
  let power = (num << LOG_BITS) / den; // (num/den)^(2i+1), scaled
  let sum = 0n;
  for (let i = 1n; power !== 0n; i += 2n) {
    sum += power / i;
    power = (power * num2) / den2;
  }
  return sum;
}

const LN2_FIXED = 2n * atanhFixed(1n, 3n);

/**
 * The natural logarithm of a positive finite `x`, correctly rounded. `Math.log` may be one ulp
 * off (V8 gives `Math.log(3) = 1.0986122886681096`, glibc and hence Python
 * `1.0986122886681098`), which changes `floor(log(243) / log(3))` — and so Hyperband's bracket
 * count — from Optuna's 4 to 5. Computed exactly in BigInt fixed point, then rounded once.
 * @example
 * _log(3); // 1.0986122886681098
 */
export function _log(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return Math.log(x);
  // x = m * 2^e with m in [1, 2); halving and doubling are exact.
  let m = x;
  let e = 0;
  while (m >= 2) {
    m /= 2;
    e++;
  }
  while (m < 1) {
    m *= 2;
    e--;
  }
  // x = p / q * 2^k with p / q in [2/3, 4/3], so that s below is small.
  const p = BigInt(m * 2 ** 52);
  let q = 1n << 52n;
  let k = e;
  if (m > 4 / 3) {
    q <<= 1n;
    k++;
  }
  // ln(p/q) = 2 atanh(s) with s = (p - q) / (p + q), |s| <= 1/5.
  const fixed = BigInt(k) * LN2_FIXED + 2n * atanhFixed(p - q, p + q);
  // BigInt -> Number rounds to nearest; the power-of-two scaling after it is exact.
  return Number(fixed) / 2 ** Number(LOG_BITS);
}
