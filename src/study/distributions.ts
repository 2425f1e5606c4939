/**
 * Parameter distributions, as Optuna has them: typed values with an internal representation
 * (the float stored in `trial_params.param_value`) and a JSON codec that writes exactly the
 * `distribution_json` strings Optuna writes, so Python tools read spax's studies.
 * @module
 */
import { formatValue, SpaxError } from "../errors.js";
import type { JsonValue } from "../space/values.js";
import { canonicalKey, isPlainObject, jsonEquals } from "../space/values.js";

/** A float parameter's range; `step` makes it discrete, `log` samples in log space. */
export class FloatDistribution {
  readonly kind = "float" as const;
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  readonly step: number | undefined;

  constructor(low: number, high: number, options: { log?: boolean; step?: number } = {}) {
    const log = options.log ?? false;
    const step = options.step;
    const fail = (why: string) => {
      throw new SpaxError(`FloatDistribution(${formatValue(low)}, ${formatValue(high)}): ${why}`, {
        code: "invalid_distribution",
      });
    };
    if (
      typeof low !== "number" ||
      !Number.isFinite(low) ||
      typeof high !== "number" ||
      !Number.isFinite(high)
    ) {
      fail("low and high must be finite numbers");
    }
    if (low > high) fail("low must be <= high");
    if (typeof log !== "boolean") fail(`log must be a boolean, got ${formatValue(log)}`);
    if (log && low <= 0) fail("log needs low > 0");
    if (step !== undefined) {
      if (typeof step !== "number" || !Number.isFinite(step) || step <= 0)
        fail(`step must be > 0, got ${formatValue(step)}`);
      if (log) fail("step cannot be combined with log");
    }
    this.low = low;
    // Optuna moves high down onto the grid: high = low + floor((high - low) / step) * step.
    this.high = step === undefined ? high : adjustHigh(low, high, step);
    this.log = log;
    this.step = step;
  }

  /** Whether `value` (a user value) lies in the distribution. */
  contains(value: unknown): boolean {
    if (typeof value !== "number" || !Number.isFinite(value)) return false;
    if (value < this.low || value > this.high) return false;
    if (this.step === undefined) return true;
    const k = Math.round((value - this.low) / this.step);
    return Math.abs(this.low + k * this.step - value) <= 1e-8 * Math.max(1, Math.abs(value));
  }

  /** The float stored for a value (Optuna's `to_internal_repr`: the value itself). */
  toInternal(value: number): number {
    return value;
  }

  /** The value for a stored float. */
  fromInternal(internal: number): number {
    return internal;
  }

  /** True when the distribution holds a single value. */
  single(): boolean {
    return this.low === this.high;
  }
}

/** An int parameter's range; `step` makes a grid anchored at `low`. */
export class IntDistribution {
  readonly kind = "int" as const;
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  readonly step: number;

  constructor(low: number, high: number, options: { log?: boolean; step?: number } = {}) {
    const log = options.log ?? false;
    const step = options.step ?? 1;
    const fail = (why: string) => {
      throw new SpaxError(`IntDistribution(${formatValue(low)}, ${formatValue(high)}): ${why}`, {
        code: "invalid_distribution",
      });
    };
    if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high))
      fail("low and high must be safe integers");
    if (low > high) fail("low must be <= high");
    if (typeof log !== "boolean") fail(`log must be a boolean, got ${formatValue(log)}`);
    if (!Number.isSafeInteger(step) || step < 1)
      fail(`step must be a positive integer, got ${formatValue(step)}`);
    if (log && low < 1) fail("log needs low >= 1");
    if (log && step !== 1) fail("step cannot be combined with log");
    this.low = low;
    this.high = low + Math.floor((high - low) / step) * step;
    this.log = log;
    this.step = step;
  }

  contains(value: unknown): boolean {
    return (
      typeof value === "number" &&
      Number.isSafeInteger(value) &&
      value >= this.low &&
      value <= this.high &&
      (value - this.low) % this.step === 0
    );
  }

  /** Optuna stores ints as floats. */
  toInternal(value: number): number {
    return value;
  }

  fromInternal(internal: number): number {
    return Math.round(internal);
  }

  single(): boolean {
    return this.low === this.high;
  }
}

/**
 * A categorical parameter: one of `choices`, stored as the choice's index. Choices are
 * JSON-like and compared by value and type (`1`, `"1"` and `true` are different choices —
 * Optuna's own lookup conflates them; spax's does not).
 */
export class CategoricalDistribution {
  readonly kind = "categorical" as const;
  readonly choices: readonly JsonValue[];
  private readonly index = new Map<unknown, number>();

  constructor(choices: readonly JsonValue[]) {
    if (!Array.isArray(choices) || choices.length === 0) {
      throw new SpaxError(
        `CategoricalDistribution needs a non-empty list of choices, got ${formatValue(choices)}`,
        {
          code: "invalid_distribution",
        },
      );
    }
    this.choices = choices;
    choices.forEach((c, i) => {
      const key = keyOf(c);
      if (this.index.has(key)) {
        throw new SpaxError(`CategoricalDistribution: choice ${formatValue(c)} appears twice`, {
          code: "invalid_distribution",
        });
      }
      this.index.set(key, i);
    });
  }

  /** The index of `value` among the choices, or -1. */
  indexOf(value: unknown): number {
    return this.index.get(keyOf(value)) ?? -1;
  }

  contains(value: unknown): boolean {
    return this.indexOf(value) >= 0;
  }

  /** Optuna stores a categorical as the index of the choice. */
  toInternal(value: unknown): number {
    const i = this.indexOf(value);
    if (i < 0) {
      throw new SpaxError(
        `${formatValue(value)} is not one of the choices ${formatValue(this.choices)}`,
        {
          code: "not_in_choices",
        },
      );
    }
    return i;
  }

  fromInternal(internal: number): JsonValue {
    const i = Math.round(internal);
    if (!(i >= 0 && i < this.choices.length)) {
      throw new SpaxError(
        `stored index ${internal} is out of range for ${this.choices.length} choices`,
        {
          code: "invalid_param",
        },
      );
    }
    return this.choices[i]!;
  }

  single(): boolean {
    return this.choices.length === 1;
  }
}

/** Any distribution. */
export type Distribution = FloatDistribution | IntDistribution | CategoricalDistribution;

/** Primitives key by themselves (a Map keeps `1`, `"1"` and `true` apart); compounds by canonical JSON. */
function keyOf(value: unknown): unknown {
  return value !== null && typeof value === "object" ? `\u0000${canonicalKey(value)}` : value;
}

/** `x` as an exact decimal `m × 10^e`, from its shortest representation (Python's `str`). */
function decimalOf(x: number): { m: bigint; e: number } {
  const [mantissa, exp] = x.toExponential().split("e") as [string, string];
  const [whole, fraction = ""] = mantissa.split(".");
  return { m: BigInt(whole! + fraction), e: Number(exp) - fraction.length };
}

/**
 * Optuna's `_adjust_discrete_uniform_high`: in decimal arithmetic on the shortest
 * representations, `high = low + floor((high − low) / step) · step` unless the step divides the
 * range. Binary arithmetic would give 0.8999999999999999 for [0, 1] step 0.3; Optuna gives 0.9.
 */
function adjustHigh(low: number, high: number, step: number): number {
  const [l, h, s] = [decimalOf(low), decimalOf(high), decimalOf(step)];
  const e = Math.min(l.e, h.e, s.e);
  const scale = (d: { m: bigint; e: number }) => d.m * 10n ** BigInt(d.e - e);
  const [L, H, S] = [scale(l), scale(h), scale(s)];
  const r = H - L;
  if (r % S === 0n) return high;
  return Number(`${(r / S) * S + L}e${e}`);
}

/**
 * Python's `repr` of a float: the shortest round-trip digits (as JavaScript finds them), laid
 * out as CPython does — exponent form when the decimal exponent is < -4 or > 16, always a
 * `.0` or an exponent, two-digit exponents (`1e-05`, `10.0`, `1e+16`).
 */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Number.POSITIVE_INFINITY) return "Infinity";
  if (x === Number.NEGATIVE_INFINITY) return "-Infinity";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  const [mantissa, exp] = Math.abs(x).toExponential().split("e") as [string, string];
  const digits = mantissa.replace(".", "");
  const decpt = Number(exp) + 1; // x = 0.d1d2… × 10^decpt
  if (decpt <= -4 || decpt > 16) {
    const e = decpt - 1;
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  if (decpt <= 0) return `${sign}0.${"0".repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${"0".repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

/** JSON text of a value as Python's `json.dumps` writes it (default separators, float repr). */
export function pythonJson(value: unknown, isFloat = false): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number")
    return isFloat
      ? pythonFloatRepr(value)
      : Number.isInteger(value)
        ? String(value)
        : pythonFloatRepr(value);
  if (typeof value === "string")
    return JSON.stringify(value).replace(
      /[\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
  if (Array.isArray(value)) return `[${value.map((v) => pythonJson(v)).join(", ")}]`;
  const o = value as Record<string, unknown>;
  return `{${Object.keys(o)
    .map((k) => `${pythonJson(k)}: ${pythonJson(o[k])}`)
    .join(", ")}}`;
}

/**
 * Optuna's `distribution_json`: `{"name": "FloatDistribution", "attributes": {...}}` with the
 * attribute order and number formatting Optuna 3.1–5.0 write.
 */
export function distributionToJSON(d: Distribution): string {
  switch (d.kind) {
    case "float":
      return `{"name": "FloatDistribution", "attributes": {"step": ${d.step === undefined ? "null" : pythonFloatRepr(d.step)}, "low": ${pythonFloatRepr(d.low)}, "high": ${pythonFloatRepr(d.high)}, "log": ${d.log}}}`;
    case "int":
      return `{"name": "IntDistribution", "attributes": {"log": ${d.log}, "step": ${d.step}, "low": ${d.low}, "high": ${d.high}}}`;
    case "categorical":
      return `{"name": "CategoricalDistribution", "attributes": {"choices": ${pythonJson(d.choices)}}}`;
  }
}

/**
 * Reads a `distribution_json`, including Optuna's legacy names (`UniformDistribution`,
 * `LogUniformDistribution`, `DiscreteUniformDistribution`, `IntUniformDistribution`,
 * `IntLogUniformDistribution`) and the abbreviated `{"type": …}` form.
 */
export function distributionFromJSON(text: string): Distribution {
  let doc: unknown;
  try {
    // Python may write bare NaN/Infinity tokens.
    doc = JSON.parse(text.replace(/\bNaN\b/g, "null").replace(/-?\bInfinity\b/g, "null"));
  } catch (cause) {
    throw new SpaxError(`invalid distribution_json ${formatValue(text)}`, {
      code: "invalid_distribution",
      cause,
    });
  }
  if (!isPlainObject(doc))
    throw new SpaxError(`invalid distribution_json ${formatValue(text)}`, {
      code: "invalid_distribution",
    });
  if (typeof doc.type === "string") {
    const t = doc;
    switch (t.type) {
      case "float":
        return new FloatDistribution(t.low as number, t.high as number, {
          log: (t.log as boolean) ?? false,
          step: (t.step as number) ?? undefined,
        });
      case "int":
        return new IntDistribution(t.low as number, t.high as number, {
          log: (t.log as boolean) ?? false,
          step: (t.step as number) ?? 1,
        });
      case "categorical":
        return new CategoricalDistribution(t.choices as JsonValue[]);
    }
  }
  const a = (isPlainObject(doc.attributes) ? doc.attributes : {}) as Record<string, any>;
  switch (doc.name) {
    case "FloatDistribution":
      return new FloatDistribution(a.low, a.high, {
        log: a.log ?? false,
        step: a.step ?? undefined,
      });
    case "IntDistribution":
      return new IntDistribution(a.low, a.high, { log: a.log ?? false, step: a.step ?? 1 });
    case "CategoricalDistribution":
      return new CategoricalDistribution(a.choices);
    case "UniformDistribution":
      return new FloatDistribution(a.low, a.high);
    case "LogUniformDistribution":
      return new FloatDistribution(a.low, a.high, { log: true });
    case "DiscreteUniformDistribution":
      return new FloatDistribution(a.low, a.high, { step: a.q });
    case "IntUniformDistribution":
      return new IntDistribution(a.low, a.high, { step: a.step ?? 1 });
    case "IntLogUniformDistribution":
      return new IntDistribution(a.low, a.high, { log: true });
  }
  throw new SpaxError(`unknown distribution ${formatValue(doc.name)} in ${formatValue(text)}`, {
    code: "invalid_distribution",
  });
}

/**
 * Optuna's rule for one parameter name across trials of a study: same kind and scale, and for
 * categoricals the same choices (ranges may differ). Returns why not, or `undefined`.
 */
export function incompatibility(a: Distribution, b: Distribution): string | undefined {
  if (a.kind !== b.kind) return `it was a ${a.kind} parameter and is now a ${b.kind} parameter`;
  if (a.kind === "categorical") {
    const bc = (b as CategoricalDistribution).choices;
    return a.choices.length === bc.length && a.choices.every((c, i) => jsonEquals(c, bc[i]))
      ? undefined
      : `its choices changed from ${formatValue(a.choices)} to ${formatValue(bc)}`;
  }
  if (a.log !== (b as FloatDistribution | IntDistribution).log) return "its log scale changed";
  return undefined;
}

/** Whether two distributions are the same (kind, range, scale, step, choices). */
export function sameDistribution(a: Distribution, b: Distribution): boolean {
  return distributionToJSON(a) === distributionToJSON(b);
}
