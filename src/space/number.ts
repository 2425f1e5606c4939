/**
 * Float and int spaces: one lower bound (`gt` | `ge`), one upper bound (`lt` | `le`), optional
 * log scale, optional step grid anchored at the lower bound, default and description.
 * @module
 */
import { formatValue, type PathSegment, SpaxDefinitionError } from "../errors.js";
import { Space } from "./space.js";
import { formatNumber, nextUp } from "./values.js";

type LowerBound = { gt: number; ge?: undefined } | { ge: number; gt?: undefined };
type UpperBound = { lt: number; le?: undefined } | { le: number; lt?: undefined };

/** Options shared by `sp.float` and `sp.int`. Exactly one lower and one upper bound. */
export type NumberOptions = LowerBound &
  UpperBound & {
    /** Sample uniformly in log space; needs a lower bound > 0 (ints: ≥ 1). */
    log?: boolean;
    /** Values form the grid low, low + step, …, high; the step must divide the range. */
    step?: number;
    /** Value used when a config omits the field. Must lie in the space. */
    default?: number;
    /** Free text for the tree and docs. */
    description?: string;
  };

const OPTION_KEYS = new Set(["gt", "ge", "lt", "le", "log", "step", "default", "description"]);

/** The facts a number space is built from, after checking (also the JSON form). */
export interface NumberSpec {
  low: number;
  high: number;
  lowInclusive: boolean;
  highInclusive: boolean;
  log: boolean;
  step: number | undefined;
  default: number | undefined;
  description: string | undefined;
}

/** Digits after the decimal point in the shortest representation of `x`. */
function decimals(x: number): number {
  const s = String(Math.abs(x));
  const e = s.indexOf("e");
  if (e < 0) {
    const dot = s.indexOf(".");
    return dot < 0 ? 0 : s.length - dot - 1;
  }
  const mantissa = s.slice(0, e);
  const exponent = Number(s.slice(e + 1));
  const dot = mantissa.indexOf(".");
  const mantissaDecimals = dot < 0 ? 0 : mantissa.length - dot - 1;
  return Math.max(0, mantissaDecimals - exponent);
}

/**
 * Base of float and int spaces. Besides the bounds as given, it keeps the derived facts the hot
 * paths need: the smallest and largest attainable values and, with a step, the grid.
 */
export abstract class NumberSpace extends Space<number> {
  abstract override readonly kind: "float" | "int";
  readonly low: number;
  readonly high: number;
  readonly lowInclusive: boolean;
  readonly highInclusive: boolean;
  readonly log: boolean;
  readonly step: number | undefined;
  readonly default: number | undefined;
  readonly description: string | undefined;
  /** Smallest value the space holds (ints and grids) or its lower bound (continuous floats). */
  readonly min: number;
  /** Largest value the space holds (ints and grids) or its upper bound (continuous floats). */
  readonly max: number;
  /**
   * Whether values are integers. Set from the constructor's `kind` argument because the
   * subclasses' `kind` field is not yet assigned while this constructor runs.
   */
  private readonly integer: boolean;
  /** ln of the sampling bounds (low/high for floats, min/max for ints); NaN unless `log`. */
  readonly logLow: number;
  readonly logHigh: number;
  /** Grid indexes of the first and last attainable grid points (only with `step`). */
  readonly firstIndex: number;
  readonly lastIndex: number;
  /** Exact decimal arithmetic for float grids: value(k) = (lowScaled + k·stepScaled) / scale. */
  private readonly scale: number;
  private readonly lowScaled: number;
  private readonly stepScaled: number;
  private decimals = 0;

  constructor(
    kind: "float" | "int",
    spec: NumberSpec,
    path: readonly PathSegment[],
    label?: string,
  ) {
    super();
    this.integer = kind === "int";
    this.low = spec.low;
    this.high = spec.high;
    this.lowInclusive = spec.lowInclusive;
    this.highInclusive = spec.highInclusive;
    this.log = spec.log;
    // An int step of 1 is the plain integer range (Optuna's default, allowed with log too).
    this.step = kind === "int" && spec.step === 1 ? undefined : spec.step;
    this.description = spec.description;
    const fail = (why: string, code: string): never => {
      throw new SpaxDefinitionError(`${label ?? kind}: ${why}`, { path, code });
    };
    const { low, high } = spec;
    const step = this.step;
    const bound = (v: number, name: string) => {
      if (typeof v !== "number" || !Number.isFinite(v)) {
        fail(`${name} must be a finite number, got ${formatValue(v)}`, "invalid_bound");
      }
      if (kind === "int" && !Number.isSafeInteger(v)) {
        fail(`${name} must be a safe integer, got ${formatValue(v)}`, "invalid_bound");
      }
    };
    bound(low, spec.lowInclusive ? "ge" : "gt");
    bound(high, spec.highInclusive ? "le" : "lt");
    if (low >= high) {
      fail(
        `the lower bound (${formatNumber(low)}) must be less than the upper bound (${formatNumber(high)}); to fix a field, give it a plain value`,
        "empty_range",
      );
    }
    if (typeof spec.log !== "boolean")
      fail(`log must be a boolean, got ${formatValue(spec.log)}`, "invalid_option");
    if (spec.log && (kind === "int" ? low < (spec.lowInclusive ? 1 : 0) : low <= 0)) {
      fail(
        kind === "int"
          ? `log needs the lower bound >= 1, got ${spec.lowInclusive ? "ge" : "gt"}: ${formatNumber(low)}`
          : `log needs a lower bound > 0, got ${spec.lowInclusive ? "ge" : "gt"}: ${formatNumber(low)}`,
        "log_needs_positive",
      );
    }
    let min = low;
    let max = high;
    let first = 0;
    let last = 0;
    this.scale = 0;
    this.lowScaled = 0;
    this.stepScaled = 0;
    if (step !== undefined) {
      if (typeof step !== "number" || !Number.isFinite(step) || step <= 0) {
        fail(`step must be a positive finite number, got ${formatValue(step)}`, "invalid_step");
      }
      if (kind === "int" && !Number.isSafeInteger(step)) {
        fail(`step must be an integer, got ${formatValue(step)}`, "invalid_step");
      }
      if (spec.log) fail("step cannot be combined with log", "step_with_log");
      let count: number;
      if (kind === "int") {
        if ((high - low) % step !== 0) {
          fail(
            `step ${step} does not divide the range ${formatNumber(low)}..${formatNumber(high)} (a step grid is anchored at the lower bound)`,
            "step_not_dividing",
          );
        }
        count = (high - low) / step;
      } else {
        const d = Math.max(decimals(low), decimals(step));
        const scale = 10 ** d;
        const ls = Math.round(low * scale);
        const ss = Math.round(step * scale);
        const hs = Math.round(high * scale);
        const exact =
          Number.isSafeInteger(ls) &&
          Number.isSafeInteger(ss) &&
          Number.isSafeInteger(hs) &&
          decimals(high) <= d;
        if (exact) {
          if ((hs - ls) % ss !== 0) {
            fail(
              `step ${formatNumber(step)} does not divide the range ${formatNumber(low)}..${formatNumber(high)} (a step grid is anchored at the lower bound)`,
              "step_not_dividing",
            );
          }
          count = (hs - ls) / ss;
          this.scale = scale;
          this.decimals = d;
          this.lowScaled = ls;
          this.stepScaled = ss;
        } else {
          const n = (high - low) / step;
          const k = Math.round(n);
          if (!(Math.abs(n - k) <= 1e-9 * Math.max(1, k))) {
            fail(
              `step ${formatNumber(step)} does not divide the range ${formatNumber(low)}..${formatNumber(high)}`,
              "step_not_dividing",
            );
          }
          count = k;
        }
      }
      first = spec.lowInclusive ? 0 : 1;
      last = spec.highInclusive ? count : count - 1;
      if (first > last) fail("no grid point lies inside the bounds", "empty_range");
      min = this.gridValue(first);
      max = this.gridValue(last);
    } else if (
      kind === "float" &&
      !spec.lowInclusive &&
      !spec.highInclusive &&
      nextUp(low) >= high
    ) {
      fail(
        `no float lies strictly between ${formatNumber(low)} and ${formatNumber(high)}`,
        "empty_range",
      );
    } else if (kind === "int") {
      min = spec.lowInclusive ? low : low + 1;
      max = spec.highInclusive ? high : high - 1;
      if (min > max) {
        fail(`no integer lies inside ${this.rangeText()}`, "empty_range");
      }
    }
    this.min = min;
    this.max = max;
    this.logLow = spec.log ? Math.log(kind === "int" ? min : low) : Number.NaN;
    this.logHigh = spec.log ? Math.log(kind === "int" ? max : high) : Number.NaN;
    this.firstIndex = first;
    this.lastIndex = last;
    this.default = undefined;
    if (spec.default !== undefined) {
      const problem = this.check(spec.default);
      if (problem) fail(`default ${formatValue(spec.default)} ${problem}`, "invalid_default");
      this.default = spec.default;
    }
    if (spec.description !== undefined && typeof spec.description !== "string") {
      fail(`description must be a string, got ${formatValue(spec.description)}`, "invalid_option");
    }
  }

  /** The k-th point of the step grid, computed without float drift where the decimals allow. */
  gridValue(k: number): number {
    if (this.integer) return this.low + k * this.step!;
    if (this.scale !== 0) {
      const scaled = this.lowScaled + k * this.stepScaled;
      // 10^d is exact up to d = 22, so the division rounds correctly; beyond, let the
      // decimal parser round the exact decimal.
      return this.decimals <= 22 ? scaled / this.scale : Number(`${scaled}e-${this.decimals}`);
    }
    // Steps without a short decimal form (1/3): plain arithmetic, kept inside the bounds.
    return Math.min(
      Math.max(this.low + k * this.step!, this.min ?? this.low),
      this.max ?? this.high,
    );
  }

  /** `v` moved onto the exact grid point it is within rounding of (values off the grid unchanged). */
  snap(v: number): number {
    if (this.step === undefined || this.integer) return v;
    const k = this.gridIndex(v);
    return k < 0 ? v : this.gridValue(k);
  }

  /** The grid index of `v`, or -1 when `v` is not exactly a grid point. */
  gridIndex(v: number): number {
    const k = Math.round((v - this.low) / this.step!);
    if (k < this.firstIndex || k > this.lastIndex) return -1;
    const g = this.gridValue(k);
    // Floats within a billionth of a step of a grid point are that point: 3 × 0.2 is
    // 0.6000000000000001 in binary, and Optuna computes its grids that way.
    return g === v || (!this.integer && Math.abs(g - v) <= 1e-9 * this.step!) ? k : -1;
  }

  /** Why `v` is not in this space, or `undefined` when it is. Rejects non-numbers. */
  check(v: unknown): string | undefined {
    if (typeof v !== "number") return `is not a number`;
    if (!Number.isFinite(v)) return "is not finite";
    if (this.integer) {
      if (!Number.isInteger(v)) return "is not an integer";
      if (!Number.isSafeInteger(v)) return "is not a safe integer";
    }
    if (this.lowInclusive ? v < this.low : v <= this.low)
      return `is not inside ${this.rangeText()}`;
    if (this.highInclusive ? v > this.high : v >= this.high)
      return `is not inside ${this.rangeText()}`;
    if (this.step !== undefined && this.gridIndex(v) < 0) {
      return `is not on the grid ${formatNumber(this.low)} + k·${formatNumber(this.step)}`;
    }
    return undefined;
  }

  /** `[1e-5, 0.1]`, `(0, 1]`: the bounds with brackets for inclusive/exclusive ends. */
  rangeText(): string {
    return `${this.lowInclusive ? "[" : "("}${formatNumber(this.low)}, ${formatNumber(this.high)}${this.highInclusive ? "]" : ")"}`;
  }

  /** The bounds and options as data. */
  spec(): NumberSpec {
    return {
      low: this.low,
      high: this.high,
      lowInclusive: this.lowInclusive,
      highInclusive: this.highInclusive,
      log: this.log,
      step: this.step,
      default: this.default,
      description: this.description,
    };
  }
}

/** A space of finite floats. Built by {@link float}. */
export class FloatSpace extends NumberSpace {
  readonly kind = "float" as const;
  constructor(spec: NumberSpec, path: readonly PathSegment[] = [], label?: string) {
    super("float", spec, path, label);
  }
}

/** A space of safe integers. Built by {@link int}. */
export class IntSpace extends NumberSpace {
  readonly kind = "int" as const;
  constructor(spec: NumberSpec, path: readonly PathSegment[] = [], label?: string) {
    super("int", spec, path, label);
  }
}

/** `sp.float({ge: 0, le: 1})`: how a factory call is named in definition errors. */
function factoryLabel(kind: string, options: unknown): string {
  return `sp.${kind}(${formatValue(options)})`;
}

/** Reads and checks user options into a {@link NumberSpec}. */
function readOptions(
  kind: "float" | "int",
  options: unknown,
  label = factoryLabel(kind, options),
): NumberSpec {
  const fail = (why: string, code = "invalid_option"): never => {
    throw new SpaxDefinitionError(`${label}: ${why}`, { code });
  };
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    return fail(`needs an options object such as { ge: 0, le: 1 }, got ${formatValue(options)}`);
  }
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!OPTION_KEYS.has(key)) {
      fail(
        `unknown option ${JSON.stringify(key)}; expected gt, ge, lt, le, log, step, default, description`,
      );
    }
  }
  const has = (k: string) => o[k] !== undefined;
  if (has("gt") && has("ge")) fail("give one lower bound (gt or ge), not both", "two_lower_bounds");
  if (has("lt") && has("le")) fail("give one upper bound (lt or le), not both", "two_upper_bounds");
  if (!has("gt") && !has("ge")) fail("needs a lower bound (gt or ge)", "missing_bound");
  if (!has("lt") && !has("le")) fail("needs an upper bound (lt or le)", "missing_bound");
  const log = o.log ?? false;
  return {
    low: (has("ge") ? o.ge : o.gt) as number,
    high: (has("le") ? o.le : o.lt) as number,
    lowInclusive: has("ge"),
    highInclusive: has("le"),
    log: log as boolean,
    step: o.step as number | undefined,
    default: o.default as number | undefined,
    description: o.description as string | undefined,
  };
}

/**
 * A space of floats between one lower bound (`gt` exclusive | `ge` inclusive) and one upper
 * bound (`lt` | `le`).
 * @param options.log Sample in log space (default false); needs a lower bound > 0.
 * @param options.step Grid anchored at the lower bound; must divide the range.
 * @throws SpaxDefinitionError for missing or doubled bounds, low ≥ high, non-finite bounds,
 * log with low ≤ 0, a step that does not divide the range, or a default outside the space.
 * @example
 * const lr = sp.float({ ge: 1e-5, le: 1e-1, log: true });
 * const dropout = sp.float({ ge: 0, le: 0.5, step: 0.1, default: 0.1 });
 */
/**
 * A number space from options as given, with `label` naming the call in errors (used by the
 * SpaX-style aliases, whose options are translated first).
 */
export function numberSpace(
  kind: "float" | "int",
  options: unknown,
  label: string,
): FloatSpace | IntSpace {
  const spec = readOptions(kind, options, label);
  return kind === "int" ? new IntSpace(spec, [], label) : new FloatSpace(spec, [], label);
}

export function float(options: NumberOptions): FloatSpace {
  return new FloatSpace(readOptions("float", options), [], factoryLabel("float", options));
}

/**
 * A space of safe integers between one lower bound (`gt` | `ge`) and one upper bound
 * (`lt` | `le`).
 * @param options.log Sample in log space (default false); needs the lower bound ≥ 1.
 * @param options.step Grid anchored at the lower bound: `{ ge: 1, le: 10, step: 3 }` = 1, 4, 7, 10.
 * @throws SpaxDefinitionError as {@link float}, and for bounds that are not integers.
 * @example
 * const layers = sp.int({ ge: 1, le: 8 });
 * const units = sp.int({ ge: 16, le: 512, log: true });
 */
export function int(options: NumberOptions): IntSpace {
  return new IntSpace(readOptions("int", options), [], factoryLabel("int", options));
}
